"""generate_claims: a synthetic archive that is reproducible, valid, and summarised exactly as the app would."""

import random
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from claims import synthetic
from claims.models import Attribution, Claim, Corroboration, EvidenceItem, ReviewEvent
from claims.search import search_claims
from sources.models import Actor, Article
from sources.urlnorm import normalize_url

pytestmark = pytest.mark.django_db

SUMMARY_FIELDS = ["report_count", "independent_origin_count", "has_denial", "first_reported_on", "search_document"]


def generate(claims: int, *args: str) -> str:
    out = StringIO()
    # On PostgreSQL, "yes" takes the path a large load takes: indexes and foreign keys dropped and rebuilt.
    call_command("generate_claims", str(claims), *args, "--rebuild-indexes", "yes", stdout=out)
    return out.getvalue()


def stored_summaries() -> dict[int, tuple]:
    claims = Claim.objects.order_by("id")
    if connection.vendor == "postgresql":
        claims = claims.annotate(vector=Cast("search_vector", TextField()))
        return {row[0]: row[1:] for row in claims.values_list("id", *SUMMARY_FIELDS, "vector")}
    return {row[0]: row[1:] for row in claims.values_list("id", *SUMMARY_FIELDS)}


def snapshot() -> dict[str, list[tuple]]:
    """Every generated row, timestamps included, in id order."""
    return {
        key: list(model.objects.order_by("id").values_list(*synthetic.COLUMNS[key]))
        for key, model in synthetic.table_models().items()
    }


def wipe() -> None:
    """Remove the generated claims and what hangs off them (the shared sources stay)."""
    ReviewEvent.objects.all().delete()
    Corroboration.objects.all().delete()
    Attribution.objects.filter(via__isnull=False).update(via=None)
    Attribution.objects.all().delete()
    Claim.objects.all().delete()
    EvidenceItem.objects.all().delete()
    Article.objects.all().delete()


def test_it_stores_the_summary_refresh_evidence_computes():
    generate(300, "--seed", "5")
    generated = stored_summaries()
    assert len(generated) == 300
    # The sample holds what is easy to get wrong: a protected actor (only its pseudonym may reach the
    # search text), relays (origins are counted, not reports) and denials.
    assert Attribution.objects.filter(actor__is_protected=True).exists()
    assert Attribution.objects.filter(via__isnull=False).exists()
    assert Attribution.objects.filter(stance=Attribution.Stance.DENIES).exists()

    Claim.objects.all().refresh_evidence()

    # The generator fills report counts, origins, denials, dates, search text (and vector) itself; the
    # application's own computation must agree on every claim, or the benchmark measures other data.
    assert stored_summaries() == generated


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    generate(40, "--seed", "7")
    first = snapshot()
    wipe()
    generate(40, "--seed", "7")
    assert snapshot() == first

    wipe()
    generate(40, "--seed", "8")
    assert [row[1] for row in snapshot()["claim"]] != [row[1] for row in first["claim"]]


def test_it_appends_after_existing_rows():
    generate(20, "--seed", "1")
    generate(20, "--seed", "2")
    assert Claim.objects.count() == 40
    # The sources are shared, not duplicated, by a second run.
    assert Actor.objects.filter(name=synthetic.actor_specs()[0]["name"]).count() == 1


def test_every_row_keeps_the_models_rules():
    generate(120, "--seed", "11")
    # Foreign keys (deferred on PostgreSQL, pragma-checked on SQLite) and every CHECK constraint held on insert.
    connection.check_constraints()

    for claim in Claim.objects.all():
        claim.full_clean()
    for article in Article.objects.all():
        assert article.url == normalize_url(article.url)
        article.full_clean()
    for actor in Actor.objects.all():
        actor.full_clean()
    attributions = list(Attribution.objects.select_related("via"))
    for attribution in attributions:
        # Same claim, same kind of stance, no loop, chain within the limit: Attribution.clean's rules.
        attribution.full_clean()


def test_the_archive_looks_like_a_desks():
    generate(300, "--seed", "5")
    claims = Claim.objects.all()
    states = Counter(claims.values_list("state", flat=True))
    assert states[Claim.State.PUBLISHED] > 0.75 * 300
    assert {Claim.State.WITHDRAWN, Claim.State.IN_REVIEW, Claim.State.DRAFT} <= set(states)

    per_claim = Counter(Attribution.objects.values_list("claim_id", flat=True))
    assert min(per_claim.values()) >= 2
    assert max(per_claim.values()) <= 20
    relays = Attribution.objects.filter(via__isnull=False)
    assert relays.count() > 0.3 * Attribution.objects.count()
    assert relays.filter(via__via__isnull=False).exists(), "some relay chains are longer than one link"
    assert claims.filter(has_denial=True).exists()
    assert claims.filter(independent_origin_count__gte=2).exists()
    assert Attribution.objects.filter(actor__is_protected=True).exists()
    assert Corroboration.objects.exists()
    assert claims.filter(topics__isnull=False).distinct().count() == 300
    assert claims.filter(regions__isnull=False).distinct().count() == 300
    assert claims.filter(event_start__year=2022).exists()
    assert claims.filter(event_start__year=2026).exists()
    # Withdrawn claims say why, publicly.
    for claim in claims.filter(state=Claim.State.WITHDRAWN):
        assert claim.review_events.filter(action=ReviewEvent.Action.WITHDRAW, is_public=True).exclude(note="")


def test_protected_actors_reach_the_search_text_only_by_pseudonym():
    generate(300, "--seed", "5")
    protected = Actor.objects.filter(is_protected=True, attributions__isnull=False).distinct()
    assert protected
    for actor in protected:
        assert not Claim.objects.filter(search_document__contains=actor.name).exists()
        assert Claim.objects.filter(attributions__actor=actor, search_document__contains=actor.pseudonym).exists()


def test_common_words_are_everywhere_and_searchable():
    generate(200, "--seed", "9")
    public = Claim.objects.public()
    found = search_claims(public, synthetic.COMMON_WORD).count()
    assert found > 0.5 * public.count()


def test_it_writes_no_history():
    generate(30)
    assert not Claim.history.exists()
    assert not Attribution.history.exists()
    assert not Article.history.exists()


def test_it_refuses_nonsense():
    with pytest.raises(CommandError):
        call_command("generate_claims", "0", stdout=StringIO())


def test_its_draws_are_zipf_like():
    zipf = synthetic.Zipf(range(100))
    rng = random.Random(1)
    counts = Counter(zipf.pick(rng) for _ in range(20000))
    # Weight 1/rank: the first twice as often as the second, a hundred times as often as the last.
    assert 1.7 < counts[0] / counts[1] < 2.3
    assert counts[0] > 40 * counts[99] > 0
    # The benchmark's rare word is in the tail and names one village only.
    assert synthetic.rare_word() == synthetic.villages()[-1]
    assert len(set(synthetic.villages())) == len(synthetic.villages())

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from claims.models import Attribution, Claim, Corroboration, EvidenceItem, ReviewEvent
from sources.models import Actor, Article

GUR = "GUR (Defence Intelligence of Ukraine)"
KREMLIN = "Kremlin"
UK_MOD = "UK Ministry of Defence"
AP = "Associated Press"

# A few distinctive sentences from the reference articles the demo is modelled
# on. The demo must say these things in its own words, never in theirs.
SEED_FRAGMENTS = [
    "Moscow continues to claim these audio leaks are fakes.",
    "a Ukrainian wiretap specialist, confirmed the grim reality in an interview with Kyiv Post.",
    "Ukraine's GUR intelligence service claims the use of such units isn't isolated.",
    "Russian forces are likely deploying barrier troops or blocking units to prevent desertion.",
    "a group of soldiers appeared (wearing Russian uniform) and opened fire on their own.",
    "The AP validated the identities of the soldiers in the calls through discussions with relatives",
    "Research into open-source materials linked to the soldiers' phone numbers further corroborated",
    "a notable increase in legal cases against soldiers refusing to fight.",
]
WINDOW = 6


def words(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower().replace("’", "'"))


def windows(text: str) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + WINDOW]) for i in range(len(w) - WINDOW + 1)}


def row_counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("sources").get_models(include_auto_created=True),
        *apps.get_app_config("claims").get_models(include_auto_created=True),
        *apps.get_app_config("auth").get_models(include_auto_created=True),
    ]
    return {model._meta.label: model._default_manager.count() for model in models}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=None)


@pytest.mark.django_db
def test_it_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    before = row_counts()

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")

    assert row_counts() == before
    assert not User.objects.exists()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_it_changes_nothing_when_run_twice(demo):
    first = row_counts()
    passwords = dict(User.objects.values_list("username", "password"))

    call_command("load_demo")

    assert row_counts() == first
    assert dict(User.objects.values_list("username", "password")) == passwords
    # The snapshot covers history tables too, so this would catch a re-save.
    assert first["claims.HistoricalClaim"] >= first["claims.Claim"] > 0
    assert first["sources.HistoricalArticle"] > 0


@pytest.mark.django_db
def test_it_creates_the_three_accounts_in_their_roles(demo):
    reporter = User.objects.get(username="reporter")
    editor = User.objects.get(username="editor")
    admin = User.objects.get(username="admin")

    assert list(reporter.groups.values_list("name", flat=True)) == ["Reporters"]
    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert admin.is_superuser and admin.is_staff
    assert not reporter.is_superuser and not editor.is_superuser


@pytest.mark.django_db
def test_it_leaves_an_existing_account_alone(editor, settings):
    settings.DEBUG = True

    call_command("load_demo")

    editor.refresh_from_db()
    assert editor.check_password("correct-horse-battery")
    assert User.objects.filter(username="reporter").exists()


@pytest.mark.django_db
def test_it_records_the_denial_and_the_protected_source(demo):
    assert Attribution.objects.filter(actor__name=KREMLIN, stance=Attribution.Stance.DENIES).exists()

    maria = Actor.objects.get(pseudonym="Maria")
    assert maria.is_protected
    assert maria.name != "Maria"
    assert maria.attributions.filter(stance=Attribution.Stance.ASSERTS, article__outlet__name="Kyiv Post").exists()


@pytest.mark.django_db
def test_it_traces_a_three_step_relay_to_gur_as_one_origin(demo):
    chains = [a.via_chain() for a in Attribution.objects.filter(via__via__isnull=False)]
    gur_chains = [chain for chain in chains if len(chain) == 3 and chain[-1].actor.name == GUR]
    assert gur_chains, "no aggregator → Ziare → GUR chain"

    chain = gur_chains[0]
    assert chain[0].origin.actor.name == GUR
    assert [link.article.outlet.name for link in chain[1:]] == ["Ziare", "GUR website (gur.gov.ua)"]
    assert {link.stance for link in chain} == {Attribution.Stance.ASSERTS}

    summary = chain[0].claim.evidence_summary()
    assert summary.report_count >= 3
    assert summary.independent_origin_count == 1
    assert summary.denying


@pytest.mark.django_db
def test_it_records_the_uk_assessment_and_the_ap_checks(demo):
    assert Attribution.objects.filter(
        actor__name=UK_MOD,
        stance=Attribution.Stance.ASSESSES,
        estimative_term=Attribution.Estimative.LIKELY,
    ).exists()

    ap_methods = set(
        Corroboration.objects.filter(performed_by__name=AP, finding=Corroboration.Finding.SUPPORTS).values_list(
            "method", flat=True
        )
    )
    assert {Corroboration.Method.IDENTITY_RELATIVES, Corroboration.Method.OPEN_SOURCE} <= ap_methods


@pytest.mark.django_db
def test_it_places_the_500s_claim_in_three_regions(demo):
    claim = Claim.objects.get(statement__contains="'500'")

    assert set(claim.regions.values_list("slug", flat=True)) == {"kharkiv", "luhansk", "donetsk"}


@pytest.mark.django_db
def test_it_records_the_officials_promise_and_the_evidence(demo):
    assert Attribution.objects.filter(
        actor__name="Russian Ministry of Defence",
        stance=Attribution.Stance.ASSERTS,
        claim__topics__slug="conscription",
    ).exists()
    assert EvidenceItem.objects.filter(kind=EvidenceItem.Kind.VIDEO, title__icontains="drone").exists()
    assert EvidenceItem.objects.filter(kind=EvidenceItem.Kind.AUDIO_INTERCEPT, published_by__name=GUR).exists()


@pytest.mark.django_db
def test_it_covers_every_state_and_most_statuses(demo):
    assert Claim.objects.count() >= 12
    assert set(Claim.objects.values_list("state", flat=True)) == set(Claim.State.values)
    assert len(set(Claim.objects.values_list("status", flat=True))) >= 4
    assert not Claim.objects.public().filter(published_at__isnull=True).exists()
    # Every claim that left draft went through review, and public acts carry a public note.
    for claim in Claim.objects.exclude(state=Claim.State.DRAFT):
        assert claim.review_events.filter(action=ReviewEvent.Action.SUBMIT).exists(), claim
    assert ReviewEvent.objects.filter(action=ReviewEvent.Action.WITHDRAW, is_public=True).exists()
    assert ReviewEvent.objects.filter(action=ReviewEvent.Action.SEND_BACK).exclude(note="").exists()


@pytest.mark.django_db
def test_it_copies_no_sentences_from_the_seed_articles(demo):
    seed_windows = set().union(*(windows(fragment) for fragment in SEED_FRAGMENTS))
    texts = [
        *Claim.objects.values_list("statement", flat=True),
        *Claim.objects.values_list("notes", flat=True),
        *Attribution.objects.values_list("quote", flat=True),
        *Article.objects.values_list("headline", flat=True),
        *Article.objects.values_list("captured_text", flat=True),
        *EvidenceItem.objects.values_list("description", flat=True),
        *Corroboration.objects.values_list("notes", flat=True),
        *ReviewEvent.objects.values_list("note", flat=True),
    ]

    copied = [text for text in texts if windows(text) & seed_windows]

    assert copied == []


def test_it_would_notice_a_copied_sentence():
    # The check above passes vacuously if the window logic is broken.
    seed_windows = set().union(*(windows(fragment) for fragment in SEED_FRAGMENTS))
    assert windows("Officials said Moscow continues to claim these audio leaks are fakes, again.") & seed_windows
    assert not windows("Moscow says the recordings are fakes.") & seed_windows

"""A published claim's page: where its reports come from, what was done to test it, what changed, and ClaimReview."""

import json
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pyld import jsonld

from claims.models import Attribution, Claim, Corroboration, Region
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_topic
from public.tests.helpers import body, publish, set_status, text
from sources.models import Outlet
from sources.tests.factories import make_actor, make_article, make_group, make_outlet

pytestmark = pytest.mark.django_db

Status = Claim.Status
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


class _Reports(HTMLParser):
    """Each report's id on the page, mapped to the id of the report it is nested under (None for an origin)."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.parent: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs):
        if tag != "li":
            return
        attrs = dict(attrs)
        report = attrs["id"] if "report" in (attrs.get("class") or "").split() else None
        if report:
            self.parent[report] = next((r for r in reversed(self.stack) if r), None)
        self.stack.append(report)

    def handle_endtag(self, tag):
        if tag == "li":
            self.stack.pop()


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[list[str]] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append([])
            self.inside = True

    def handle_endtag(self, tag):
        if tag == "script":
            self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.scripts[-1].append(data)


def section(content: str, heading_id: str) -> str:
    match = re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', content, re.S)
    assert match, f"no {heading_id} section"
    return match.group(0)


def page(client, claim: Claim) -> str:
    response = client.get(reverse("public:claim_detail", args=[claim.pk]))
    assert response.status_code == 200
    return body(response)


def claim_review(content: str) -> dict:
    scripts = JSON_LD.findall(content)
    assert len(scripts) == 1
    return json.loads(scripts[0])


@pytest.fixture
def intercepts(editor):
    """GUR's intercept, relayed by Ziare, relayed by an aggregator; the Kremlin denies it in Ziare's article."""
    gur = make_actor(name="GUR", independence_group=make_group(name="Ukrainian state"))
    kremlin = make_actor(name="Kremlin")
    gur_site = make_outlet(name="GUR website", kind=Outlet.Kind.GOVERNMENT)
    ziare = make_outlet(name="Ziare")
    aggregator = make_outlet(name="News aggregator", kind=Outlet.Kind.AGGREGATOR)
    # Logged in neither date order nor its reverse: Ziare's article first, the origin's last.
    ziare_article = make_article(outlet=ziare, headline="Interceptări publicate", published_on=date(2024, 3, 2))
    aggregator_article = make_article(
        outlet=aggregator, headline="Aggregated: intercepts", published_on=date(2024, 3, 4)
    )
    gur_article = make_article(outlet=gur_site, headline="Intercepted call", published_on=date(2024, 3, 1))

    claim = make_claim(statement="Blocking units fired on soldiers retreating from Avdiivka.", created_by=editor)
    claim.topics.add(make_topic(name="Barrier units", slug="barrier-units"))
    claim.regions.add(Region.objects.get(slug="donetsk"))
    origin = make_attribution(claim=claim, actor=gur, article=gur_article, quote="We intercepted the call.")
    relayed = make_attribution(claim=claim, actor=gur, article=ziare_article, via=origin)
    aggregated = make_attribution(claim=claim, actor=gur, article=aggregator_article, via=relayed)
    denial = make_attribution(
        claim=claim,
        actor=kremlin,
        article=ziare_article,
        stance=Attribution.Stance.DENIES,
        quote="These recordings are fakes.",
    )
    publish(claim, editor=editor, submit_note="INTERNAL: check the Ziare date.", note="Published with one origin.")
    set_status(claim, editor=editor, status=Status.CORROBORATED, reason="AP verified two identities.")
    claim.refresh_from_db()
    claim.reports = {"gur": origin, "ziare": relayed, "aggregator": aggregated, "kremlin": denial}
    claim.articles = [gur_article, ziare_article, aggregator_article]
    return claim


def test_the_provenance_tree_nests_relays_under_their_origin(client, intercepts):
    reports = intercepts.reports
    parser = _Reports()
    parser.feed(section(page(client, intercepts), "provenance-heading"))

    rid = {name: f"report-{a.pk}" for name, a in reports.items()}
    assert parser.parent == {
        rid["gur"]: None,
        rid["ziare"]: rid["gur"],
        rid["aggregator"]: rid["ziare"],
        rid["kremlin"]: None,
    }


def test_each_report_names_its_source_and_quote(client, intercepts):
    provenance = section(page(client, intercepts), "provenance-heading")
    origin = re.search(rf'<li class="report" id="report-{intercepts.reports["gur"].pk}">.*?</p>', provenance, re.S)
    assert origin
    assert "GUR" in origin.group(0)
    assert "GUR website" in origin.group(0)
    assert "<blockquote>We intercepted the call.</blockquote>" in provenance


def test_the_evidence_summary_counts_origins_not_articles(client, intercepts):
    weight = section(page(client, intercepts), "weight-heading")
    summary = re.search(r'<p class="summary">(.*?)</p>', weight, re.S)
    assert summary
    assert text(summary.group(1)) == "3 reports from 1 independent origin; denied by Kremlin."
    assert "Supporting reports trace back to: GUR (3 reports)." in text(weight)


def test_it_shows_the_corroboration_log(client, intercepts):
    ap = make_actor(name="AP")
    make_corroboration(
        claim=intercepts,
        method=Corroboration.Method.IDENTITY_RELATIVES,
        performed_by=ap,
        performed_on=date(2024, 3, 10),
        notes="<p>Relatives confirmed <em>two</em> names.</p><script>alert(1)</script>",
    )
    make_corroboration(
        claim=intercepts, method=Corroboration.Method.AUDIO_FORENSICS, finding=Corroboration.Finding.INCONCLUSIVE
    )

    log = section(page(client, intercepts), "corroboration-heading")

    assert "Identity verified through relatives or comrades: supports, by AP on 10 Mar 2024" in text(log)
    assert "Audio forensics: inconclusive, by the Claimdesk desk" in text(log)
    assert "<em>two</em>" in log
    assert "<script" not in log


def test_a_claim_without_corroboration_says_so(client, intercepts):
    assert "No corroboration work is recorded yet." in section(page(client, intercepts), "corroboration-heading")


def timeline(content: str) -> list[str]:
    log = section(content, "changes-heading")
    return [text(item).split(": ", 1)[1] for item in re.findall(r'<li id="change-\d+">(.*?)</li>', log, re.S)]


def test_the_change_log_shows_public_acts_with_their_notes_and_no_internal_note(client, editor, intercepts):
    set_status(intercepts, editor=editor, status=Status.CONFIRMED, reason="INTERNAL: waiting on AP.", public=False)
    intercepts.statement = "Blocking units fired on soldiers retreating from Avdiivka in February."
    intercepts.record_correction(by=editor, note="Added the month.")
    intercepts.save()
    intercepts.withdraw(by=editor, version=intercepts.version, note="GUR withdrew the recording.")

    content = page(client, intercepts)

    assert timeline(content) == [
        "Published Published with one origin.",
        "Corroboration status changed (Unverified → Corroborated) AP verified two identities.",
        "Corrected Added the month.",
        "Withdrawn GUR withdrew the recording.",
    ]
    assert "INTERNAL" not in content


def test_a_withdrawn_claim_stays_visible_and_marked(client, editor, intercepts):
    intercepts.withdraw(by=editor, version=intercepts.version, note="GUR withdrew the recording.")

    content = page(client, intercepts)

    assert '<h1 class="claim-statement is-withdrawn">' in content
    assert '<span class="badge withdrawn">Withdrawn</span>' in content
    assert "This claim has been withdrawn." in content
    listed = body(client.get(reverse("home")))
    assert '<li class="claim-row is-withdrawn">' in listed


def test_a_published_claim_is_not_marked_withdrawn(client, intercepts):
    content = page(client, intercepts)
    assert "is-withdrawn" not in content
    assert "This claim has been withdrawn." not in content


def test_related_claims_share_a_topic_and_are_public(client, intercepts):
    topic = intercepts.topics.get()
    same_topic = make_claim(statement="Blocking units near Bakhmut.", state=Claim.State.PUBLISHED)
    same_topic.topics.add(topic)
    withdrawn = make_claim(statement="Blocking units in Kupiansk.", state=Claim.State.WITHDRAWN)
    withdrawn.topics.add(topic)
    draft = make_claim(statement="Draft on blocking units.")
    draft.topics.add(topic)
    make_claim(statement="Conscripts stay home.", state=Claim.State.PUBLISHED)

    related = section(page(client, intercepts), "related-heading")

    linked = set(re.findall(r'href="/claims/(\d+)/"', related))
    assert linked == {str(same_topic.pk), str(withdrawn.pk)}


def test_a_claim_with_no_related_claims_has_no_related_section(client, intercepts):
    assert 'aria-labelledby="related-heading"' not in page(client, intercepts)


@pytest.mark.parametrize("reports", [2, 20])
def test_its_query_count_does_not_grow_with_the_evidence(client, django_assert_num_queries, editor, reports):
    gur = make_actor(name="GUR")
    claim = make_claim(statement="Blocking units fired.", created_by=editor)
    topic = make_topic()
    claim.topics.add(topic)
    claim.regions.add(*Region.objects.all()[:2])
    relayed = None
    for n in range(reports):
        relayed = make_attribution(claim=claim, actor=make_actor(), via=relayed if n % 2 else None)
        make_corroboration(claim=claim, performed_by=gur)
        other = make_claim(statement=f"Related {n}", state=Claim.State.PUBLISHED)
        other.topics.add(topic)
    publish(claim, editor=editor)
    set_status(claim, editor=editor, status=Status.CORROBORATED, reason="Checked.")

    # 1. the claim; 2. its attributions with actors, articles and outlets; 3. its
    # corroborations with who did them; 4. its topics and regions; 5. its public
    # change log; 6. related claims
    with django_assert_num_queries(6):
        response = client.get(reverse("public:claim_detail", args=[claim.pk]))

    assert body(response).count('class="report"') == reports
    assert len(claim_review(body(response))["itemReviewed"]["appearance"]) == reports


def test_it_embeds_a_claim_review(client, intercepts):
    review = claim_review(page(client, intercepts))

    gur_article = intercepts.articles[0]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"http://testserver/claims/{intercepts.pk}/"
    assert review["claimReviewed"] == intercepts.statement
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    # Every article carrying the claim once, earliest first; the first is where it first appeared.
    assert [work["url"] for work in item["appearance"]] == [a.url for a in intercepts.articles]
    assert item["firstAppearance"]["url"] == gur_article.url
    assert item["firstAppearance"]["datePublished"] == "2024-03-01"
    assert item["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "GUR website"}
    assert review["reviewRating"]["alternateName"] == "Corroborated"
    assert review["reviewRating"]["ratingValue"] == 4
    assert review["datePublished"] == intercepts.published_at.date().isoformat()
    assert review["dateModified"] == intercepts.updated_at.isoformat()


def offline_schema_org(url, options=None):
    # No network in tests: schema.org's context reduced to what expansion needs.
    assert url.rstrip("/") == "https://schema.org", url
    return {
        "contextUrl": None,
        "documentUrl": url,
        "contentType": "application/ld+json",
        "document": {"@context": {"@vocab": "https://schema.org/"}},
    }


def test_its_claim_review_is_valid_json_ld(client, intercepts):
    review = claim_review(page(client, intercepts))

    expanded = jsonld.expand(review, {"documentLoader": offline_schema_org})

    assert len(expanded) == 1
    node = expanded[0]
    assert node["@type"] == ["https://schema.org/ClaimReview"]
    assert node["https://schema.org/claimReviewed"] == [{"@value": intercepts.statement}]
    item = node["https://schema.org/itemReviewed"][0]
    assert item["@type"] == ["https://schema.org/Claim"]
    assert len(item["https://schema.org/appearance"]) == 3


def test_an_unverified_claim_has_no_claim_review(client, editor):
    claim = make_claim(statement="Unchecked report.", created_by=editor)
    make_attribution(claim=claim)
    publish(claim, editor=editor)
    assert claim.status == Status.UNVERIFIED
    assert "application/ld+json" not in page(client, claim)


def test_a_withdrawn_claim_has_no_claim_review(client, editor, intercepts):
    intercepts.withdraw(by=editor, version=intercepts.version, note="Retracted.")
    assert "application/ld+json" not in page(client, intercepts)


def test_a_draft_has_no_page_and_no_claim_review(client):
    draft = make_claim(status=Status.CORROBORATED)
    response = client.get(reverse("public:claim_detail", args=[draft.pk]))
    assert response.status_code == 404
    assert "application/ld+json" not in body(response)


def test_a_statement_cannot_break_out_of_the_json_ld(client, editor):
    statement = "</script><script>alert(1)</script><!-- & -->"
    claim = make_claim(statement=statement, created_by=editor)
    make_attribution(claim=claim)
    publish(claim, editor=editor)
    set_status(claim, editor=editor, status=Status.DISPUTED, reason="Contradicted.")

    content = page(client, claim)

    parser = _Scripts()
    parser.feed(content)
    assert len(parser.scripts) == 1
    assert json.loads("".join(parser.scripts[0]))["claimReviewed"] == statement
    assert content.count("<script") == 1

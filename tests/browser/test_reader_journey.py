"""A reader narrows the list, searches a code word and follows a claim back to its origin."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from claims.models import Attribution, Claim, Region
from claims.tests.factories import make_attribution, make_claim, make_topic
from sources.tests.factories import make_actor, make_article, make_group, make_outlet
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def publish(claim: Claim, *, status: str) -> Claim:
    Claim.objects.filter(pk=claim.pk).update(state=Claim.State.PUBLISHED, status=status, published_at=timezone.now())
    claim.refresh_from_db()
    return claim


def make_archive():
    barrier = make_topic(name="Barrier units")
    refusals = make_topic(name="Refusals to fight")
    gur = make_actor(name="GUR", independence_group=make_group(name="Ukrainian state"))
    kremlin = make_actor(name="Kremlin")
    relayed = make_claim(statement="Blocking units fired on retreating soldiers near Avdiivka.")
    relayed.topics.add(barrier)
    gur_report = make_attribution(
        claim=relayed, actor=gur, article=make_article(outlet=make_outlet(name="GUR website")), quote="Units fired."
    )
    ziare = make_attribution(
        claim=relayed, actor=gur, article=make_article(outlet=make_outlet(name="Ziare")), via=gur_report
    )
    make_attribution(claim=relayed, actor=gur, article=make_article(outlet=make_outlet(name="Aggregator")), via=ziare)
    make_attribution(claim=relayed, actor=kremlin, stance=Attribution.Stance.DENIES)
    publish(relayed, status=Claim.Status.SINGLE_ORIGIN)

    code = make_claim(statement="Soldiers on intercepted calls use the code '500s' for comrades who refuse to fight.")
    code.topics.add(refusals)
    code.regions.add(Region.objects.get(slug="kharkiv"))
    make_attribution(claim=code, actor=make_actor(name="Associated Press", kind="media"))
    publish(code, status=Claim.Status.CORROBORATED)

    other = make_claim(statement="A separate barrier-units claim that is only disputed.")
    other.topics.add(barrier)
    publish(other, status=Claim.Status.DISPUTED)
    return relayed, code, other


def test_a_reader_filters_searches_and_traces_a_claim_to_its_origin(page: Page, screenshot) -> None:
    relayed, code, _ = make_archive()

    page.goto("/")
    screenshot(page, "list")
    page.get_by_text("Filters and sorting").click()
    page.get_by_label("Topic").select_option(label="Barrier units")
    page.get_by_label("Status").select_option(label="Single origin")
    page.get_by_role("button", name="Apply filters").click()
    claims = page.locator(".claim-list .statement")
    expect(claims).to_have_count(1)
    expect(claims.first).to_have_text(relayed.statement)
    expect(page.get_by_role("list", name="Active filters")).to_contain_text("Single origin")
    screenshot(page, "filtered")

    # Removing one filter keeps the other.
    page.get_by_role("link", name="Remove filter Status").click()
    expect(claims).to_have_count(2)

    page.goto("/")
    page.get_by_label("Search claims").fill("refusers")
    page.get_by_role("button", name="Search").click()
    expect(claims).to_have_count(1)
    expect(claims.first).to_have_text(code.statement)
    expect(page.get_by_role("complementary", name="Glossary")).to_contain_text("500")
    page.get_by_label("Search claims").fill("500")
    page.get_by_role("button", name="Search").click()
    expect(claims.first).to_have_text(code.statement)
    screenshot(page, "search-500")

    page.goto("/")
    page.get_by_role("link", name=relayed.statement).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(relayed.statement)
    expect(page.locator(".summary")).to_contain_text("4 reports from 1 independent origin")
    expect(page.locator(".summary")).to_contain_text("denied by Kremlin")
    # The aggregator's report sits two levels under GUR's own: following it up reaches the origin.
    aggregator = page.locator(".provenance .relays .relays > .report").filter(has_text="Aggregator")
    expect(aggregator).to_have_count(1)
    origin = page.locator(".provenance > .report").filter(
        has=page.locator(".relays .relays > .report", has_text="Aggregator")
    )
    expect(origin.locator(":scope > p").first).to_contain_text("GUR website")
    screenshot(page, "claim-desktop")
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "claim-phone")

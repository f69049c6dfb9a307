"""The newsroom's main journey, in a real browser: from an article to a published claim."""

import pytest
from playwright.sync_api import Page, expect

from claims.models import Attribution, Claim, Corroboration, ReviewEvent
from claims.tests.factories import make_claim, make_user
from sources.models import Actor, Article
from sources.tests.factories import make_actor, make_article, make_outlet
from tests.browser.conftest import login, logout

# The live server sees only committed data; the role groups and regions that migrations create
# are restored after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXISTING = "Russian blocking units shot retreating soldiers near Avdiivka in October 2023."
STATEMENT = "Russian blocking units shot soldiers retreating from positions near Avdiivka in October 2023."
ARTICLE_URL = "https://kyivindependent.example/news/avdiivka-blocking-units"


def attribution_row(page: Page, index: int):
    return page.locator(f"#id_attributions-{index}-article").locator("xpath=ancestor::fieldset[1]")


def fill_attribution(page: Page, index: int, *, url: str, actor: str, stance: str) -> None:
    row = attribution_row(page, index)
    row.get_by_label("Article URL").fill(url)
    row.get_by_label("Actor").select_option(label=actor)
    row.get_by_label("Stance").select_option(label=stance)


def test_it_takes_a_claim_from_an_article_to_the_public_page(page: Page, screenshot) -> None:
    reporter = make_user("reporter", role="Reporters")
    make_user("editor", role="Editors")
    make_claim(statement=EXISTING, state=Claim.State.PUBLISHED)
    kyiv_independent = make_outlet(name="The Kyiv Independent")
    make_actor(name="Kyiv Independent newsroom", kind=Actor.Kind.MEDIA)
    sbu = make_actor(name="Security Service of Ukraine")
    make_actor(name="Russian Ministry of Defence")
    intercept = make_article(
        url="https://pravda.example/sbu-intercept", outlet=make_outlet(name="Ukrainska Pravda"), headline="Intercept"
    )
    denial = make_article(url="https://tass.example/mod-denies", outlet=make_outlet(name="TASS"), headline="Denial")

    # A reporter logs the article the claim comes from.
    login(page, "reporter")
    screenshot(page, "reporter-dashboard")
    page.get_by_role("link", name="New article").click()
    # By field name: the article form's wording is still settling; the accessibility test checks its labels.
    page.locator("[name=url]").fill(ARTICLE_URL + "?utm_source=feed")
    page.locator("[name=outlet]").select_option(label=kyiv_independent.name)
    page.locator("[name=headline]").fill("Intercepts describe blocking units near Avdiivka")
    screenshot(page, "article-form")
    page.get_by_role("button", name="Log article").click()
    expect(page.get_by_text("Article logged.")).to_be_visible()
    assert Article.objects.filter(url=ARTICLE_URL, outlet=kyiv_independent).exists()
    screenshot(page, "article-detail")

    # New claim: while the statement is typed, a look-alike published claim is suggested.
    page.get_by_role("link", name="New claim").click()
    page.get_by_label("Statement").press_sequentially(STATEMENT, delay=5)
    suggestion = page.locator("#similar-claims .similar-statement")
    expect(suggestion).to_have_text(EXISTING)
    expect(page.locator("#similar-claims")).to_contain_text("Already logged? These claims look alike")
    screenshot(page, "similar-claim-suggested")

    fill_attribution(page, 0, url=ARTICLE_URL, actor="Kyiv Independent newsroom", stance="Asserts")
    fill_attribution(page, 1, url=intercept.url, actor=sbu.name, stance="Asserts")
    fill_attribution(page, 2, url=denial.url, actor="Russian Ministry of Defence", stance="Denies")
    corroboration = page.locator("#id_corroborations-0-method").locator("xpath=ancestor::fieldset[1]")
    corroboration.get_by_label("Method").select_option(value=Corroboration.Method.IDENTITY_RELATIVES)
    corroboration.get_by_label("Finding").select_option(label="Supports")
    page.get_by_role("button", name="Save draft").click()

    # Not saved yet: the server asks the reporter to confirm it is not the suggested claim.
    expect(page.get_by_role("alert")).to_have_text("Not saved yet: this claim looks like one already logged.")
    confirm = page.get_by_label("None of these is the same claim: save mine as a new claim")
    assert not Claim.objects.filter(created_by=reporter).exists()
    confirm.check()
    screenshot(page, "confirm-new-claim")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Claim saved as a draft.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(STATEMENT)
    claim = Claim.objects.get(created_by=reporter)
    screenshot(page, "draft-saved")

    # The newsroom's report relays the intercept: the page traces it back to its origin.
    page.get_by_role("link", name="Edit claim, reports and corroborations").click()
    relay = page.locator("fieldset.row-form").filter(
        has=page.locator("select[name$='-actor'] option[selected]", has_text="Kyiv Independent newsroom")
    )
    relay.get_by_label("Relays (via)").select_option(label="Security Service of Ukraine in Ukrainska Pravda")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Claim saved.")).to_be_visible()
    chain = page.locator("ol.chain")
    expect(chain).to_have_count(1)
    expect(chain.locator("li")).to_have_count(2)
    expect(chain.locator("li").first).to_contain_text("Kyiv Independent newsroom in The Kyiv Independent")
    expect(chain.locator("li").last).to_contain_text("Security Service of Ukraine in Ukrainska Pravda origin")
    expect(page.locator(".summary")).to_contain_text("denied by Russian Ministry of Defence")
    screenshot(page, "relay-chain")

    page.get_by_label("Note for the editor (optional)").fill("Two intercepts, identities checked with relatives.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review.")).to_be_visible()
    logout(page)

    # An editor finds it in the review queue, judges the evidence and publishes it.
    login(page, "editor")
    queue = page.locator("table.queue")
    expect(queue).to_contain_text(STATEMENT)
    screenshot(page, "review-queue")
    queue.get_by_role("link", name=STATEMENT).click()
    page.get_by_label("Corroboration status").select_option(label="Corroborated")
    page.get_by_label("Reason (required)").fill("Two independent origins; identities confirmed by relatives.")
    page.get_by_role("button", name="Set status").click()
    expect(page.get_by_text("Corroboration status changed.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published.", exact=True)).to_be_visible()
    screenshot(page, "published")
    logout(page)

    # A reader sees it on the public page.
    page.goto("/")
    expect(page.locator(".claim-list .statement", has_text=STATEMENT)).to_be_visible()
    screenshot(page, "public-home")

    claim.refresh_from_db()
    assert claim.state == Claim.State.PUBLISHED
    assert claim.status == Claim.Status.CORROBORATED
    assert claim.attributions.count() == 3
    assert claim.attributions.filter(stance=Attribution.Stance.DENIES).count() == 1
    relayed = claim.attributions.get(via__isnull=False)
    assert (relayed.actor.name, relayed.via.actor) == ("Kyiv Independent newsroom", sbu)
    assert claim.corroborations.count() == 1
    assert list(claim.review_events.values_list("action", flat=True)) == [
        ReviewEvent.Action.SUBMIT,
        ReviewEvent.Action.SET_STATUS,
        ReviewEvent.Action.PUBLISH,
    ]

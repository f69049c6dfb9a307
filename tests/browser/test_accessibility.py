"""Every page a reader or the desk uses, checked with axe-core and at a phone's width.

Each test walks several pages (one browser context, one database flush) and reports every
problem it found at the end, so one run lists them all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db.models import F
from playwright.sync_api import Page, expect

from claims.models import Attribution, Claim, Corroboration
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_topic, make_user
from sources.models import Actor, Article
from sources.tests.factories import make_actor, make_article, make_group, make_outlet
from tests.browser.conftest import DESKTOP, PHONE, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BLOCKING = {"serious", "critical"}
AXE = Axe()

# Elements wider than the viewport, to say what makes a page scroll sideways.
WIDEST_ELEMENTS = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(-5)
  .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
       (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : '') +
       ' (' + Math.round(el.getBoundingClientRect().right) + 'px)')"""


@dataclass
class Audit:
    page: Page
    screenshot: Callable[[Page, str], Path]
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def check(self, name: str) -> None:
        """axe-core on the page as it is now, then the same page at a phone's width."""
        self.checked.append(name)
        for violation in AXE.run(self.page).response["violations"]:
            if violation["impact"] in BLOCKING:
                nodes = "\n".join(f"      {n['target']}: {n['html'][:160]}" for n in violation["nodes"][:5])
                self.problems.append(
                    f"{name} ({self.page.url}): {violation['id']} [{violation['impact']}] {violation['help']}\n{nodes}"
                )
        self.page.set_viewport_size(PHONE)
        scroll_width, inner_width = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll_width > inner_width:
            culprits = ", ".join(self.page.evaluate(WIDEST_ELEMENTS))
            self.problems.append(
                f"{name} ({self.page.url}): scrolls sideways on a phone: {scroll_width}px > {inner_width}px; {culprits}"
            )
        self.screenshot(self.page, f"{name}-phone")
        self.page.set_viewport_size(DESKTOP)

    def assert_clean(self) -> None:
        assert self.checked
        assert not self.problems, f"{len(self.problems)} problem(s) on {len(self.checked)} pages:\n" + "\n".join(
            self.problems
        )


@pytest.fixture
def audit(page: Page, screenshot) -> Audit:
    return Audit(page, screenshot)


@dataclass
class Newsroom:
    draft: Claim
    in_review: Claim
    published: Claim
    withdrawn: Claim
    sent_back: Claim
    article: Article
    actor: Actor
    protected: Actor


def make_newsroom() -> Newsroom:
    """A desk with a claim in every state, relay chains, a denial and corroboration."""
    reporter = make_user("reporter", role="Reporters")
    editor = make_user("editor", role="Editors")
    topic = make_topic(name="Barrier units")
    gur_group = make_group(name="Ukrainian intelligence services")
    gur = make_actor(
        name="Main Intelligence Directorate (GUR)",
        side=Actor.Side.UKRAINE,
        country="UA",
        is_party_to_conflict=True,
        independence_group=gur_group,
        reliability=Actor.Reliability.C,
        description="Ukraine's military intelligence. Publishes intercepted calls.",
    )
    protected = make_actor(
        name="Ivan Petrenko",
        kind=Actor.Kind.INDIVIDUAL,
        is_protected=True,
        pseudonym="A soldier of the 3rd Assault Brigade",
    )
    media = make_actor(name="Ziare newsroom", kind=Actor.Kind.MEDIA, country="RO")
    mod = make_actor(name="Russian Ministry of Defence", side=Actor.Side.RUSSIA, country="RU")
    article = make_article(
        url="https://www.ziare.example/news/2024/intercept-barrier-units-zaporizhzhia-front-line-report",
        outlet=make_outlet(name="Ziare"),
        headline="Intercepted call: commanders ordered to shoot those who retreat",
        byline="Ana Popescu",
        captured_text="The call, published by Ukraine's military intelligence, ...\n\nSecond paragraph.",
        archive_url="https://archive.example/2024/ziare-intercept",
    )
    source = make_article(url="https://gur.example/intercept-17", outlet=make_outlet(name="GUR channel"))
    tass = make_article(url="https://tass.example/mod-denies-barrier-units", outlet=make_outlet(name="TASS"))

    def claim_with_evidence(statement: str) -> Claim:
        claim = make_claim(statement=statement, created_by=reporter, notes="<p>Context with <em>emphasis</em>.</p>")
        claim.topics.add(topic)
        origin = make_attribution(claim=claim, actor=gur, article=source, quote="Shoot anyone who retreats.")
        make_attribution(claim=claim, actor=media, article=article, via=origin, credibility=3)
        make_attribution(claim=claim, actor=protected, article=article, estimative_term="likely")
        make_attribution(claim=claim, actor=mod, article=tass, stance=Attribution.Stance.DENIES)
        make_corroboration(
            claim=claim,
            method=Corroboration.Method.IDENTITY_RELATIVES,
            performed_by=media,
            evidence_url="https://www.ziare.example/evidence/relatives-interviews-2024-long-address",
            notes="<p>Two relatives confirmed the voices.</p>",
        )
        return claim

    draft = claim_with_evidence("Commanders near Robotyne ordered barrier troops to shoot soldiers who retreated.")
    in_review = claim_with_evidence("Barrier troops near Bakhmut fired on a retreating assault unit in May 2023.")
    in_review.submit(by=reporter, version=in_review.version, note="Ready.")
    published = claim_with_evidence("Storm-Z convicts were threatened with execution for retreating near Kreminna.")
    published.submit(by=reporter, version=published.version)
    published.set_status(
        by=editor, version=published.version, status=Claim.Status.SINGLE_ORIGIN, reason="One origin.", public=True
    )
    published.publish(by=editor, version=published.version, note="Published with one origin.")
    withdrawn = make_claim(statement="A whole company was executed for retreating near Avdiivka.", created_by=reporter)
    withdrawn.submit(by=reporter, version=withdrawn.version)
    withdrawn.publish(by=editor, version=withdrawn.version)
    withdrawn.withdraw(by=editor, version=withdrawn.version, note="The video was staged.")
    sent_back = make_claim(statement="Deserters were shot at a checkpoint near Pokrovsk.", created_by=reporter)
    sent_back.submit(by=reporter, version=sent_back.version)
    sent_back.send_back(by=editor, version=sent_back.version, note="Add the original channel, not the aggregator.")
    return Newsroom(draft, in_review, published, withdrawn, sent_back, article, gur, protected)


def submit_without_browser_checks(page: Page) -> None:
    """Submit the record form as it is, so the server's error messages are what gets checked."""
    form = page.locator("form.record-form")
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("button[type=submit]").click()


def test_it_has_no_serious_barriers_for_readers(page: Page, audit: Audit) -> None:
    newsroom = make_newsroom()

    page.goto("/")
    expect(page.locator(".claim-list .statement", has_text=newsroom.published.statement)).to_be_visible()
    audit.check("home")
    page.goto("/?q=nothing+matches+this")
    audit.check("home-no-results")
    page.goto(f"/claims/{newsroom.published.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(newsroom.published.statement)
    audit.check("public-claim")
    page.goto(f"/claims/{newsroom.withdrawn.pk}/")
    audit.check("public-claim-withdrawn")
    page.goto(f"/actors/{newsroom.actor.pk}/")
    audit.check("public-actor")
    page.goto(f"/outlets/{newsroom.article.outlet_id}/")
    audit.check("public-outlet")
    page.goto("/topics/barrier-units/")
    audit.check("public-topic")
    page.goto("/methodology/")
    audit.check("methodology")
    page.goto("/?status=corroborated&has_denial=true&sort=origins")
    audit.check("home-filtered")

    page.goto("/accounts/login/")
    audit.check("login")
    page.get_by_label("Username").fill("reporter")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    audit.check("login-failed")

    audit.assert_clean()


def test_it_has_no_serious_barriers_for_reporters(page: Page, audit: Audit) -> None:
    newsroom = make_newsroom()
    login(page, "reporter")
    audit.check("dashboard-reporter")
    page.goto("/desk/token/")
    audit.check("api-token")

    page.goto("/desk/claims/new/")
    audit.check("claim-new")
    page.get_by_label("Statement").fill("Barrier troops near Bakhmut fired on a retreating unit in May 2023.")
    expect(page.locator("#similar-claims .similar-statement").first).to_be_visible()
    audit.check("claim-new-similar")
    page.locator("#id_attributions-0-article").fill("https://not-logged.example/story")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("claim-new-errors")

    page.goto(f"/desk/claims/{newsroom.draft.pk}/")
    expect(page.locator("ol.chain")).to_have_count(1)
    audit.check("claim-draft")
    page.goto(f"/desk/claims/{newsroom.sent_back.pk}/")
    audit.check("claim-sent-back")
    page.goto(f"/desk/claims/{newsroom.in_review.pk}/")
    audit.check("claim-in-review-reporter")

    page.goto(f"/desk/claims/{newsroom.draft.pk}/edit/")
    audit.check("claim-edit")
    Claim.objects.filter(pk=newsroom.draft.pk).update(version=F("version") + 1)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Someone else saved this claim first")).to_be_visible()
    audit.check("claim-edit-conflict")

    page.goto("/desk/articles/new/")
    audit.check("article-new")
    submit_without_browser_checks(page)
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("article-new-errors")
    page.goto(f"/desk/articles/{newsroom.article.pk}/")
    audit.check("article-detail")
    page.goto(f"/desk/articles/{newsroom.article.pk}/edit/")
    audit.check("article-edit")
    Article.objects.filter(pk=newsroom.article.pk).update(version=F("version") + 1)
    page.locator("form.record-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("article-edit-conflict")

    page.goto("/desk/actors/new/")
    audit.check("actor-new")
    submit_without_browser_checks(page)
    expect(page.locator(".error-summary")).to_be_visible()
    audit.check("actor-new-errors")
    page.goto(f"/desk/actors/{newsroom.actor.pk}/")
    audit.check("actor-detail")
    page.goto(f"/desk/actors/{newsroom.protected.pk}/")
    audit.check("actor-detail-protected")
    page.goto(f"/desk/actors/{newsroom.actor.pk}/edit/")
    audit.check("actor-edit")

    audit.assert_clean()


def test_it_has_no_serious_barriers_for_editors(page: Page, audit: Audit) -> None:
    newsroom = make_newsroom()
    login(page, "editor")
    expect(page.locator("table.queue")).to_be_visible()
    audit.check("dashboard-editor")

    page.goto(f"/desk/claims/{newsroom.in_review.pk}/")
    audit.check("claim-in-review-editor")
    # The claim already has the status chosen by default: the refusal page.
    page.get_by_label("Reason (required)").fill("No change.")
    page.get_by_role("button", name="Set status").click()
    expect(page.get_by_role("heading", name="That did not go through")).to_be_visible()
    audit.check("claim-action-refused")

    page.goto(f"/desk/claims/{newsroom.published.pk}/")
    audit.check("claim-published")
    page.goto(f"/desk/claims/{newsroom.published.pk}/edit/")
    expect(page.get_by_role("heading", name="Correct a published claim")).to_be_visible()
    audit.check("claim-correction")
    page.goto(f"/desk/claims/{newsroom.withdrawn.pk}/")
    audit.check("claim-withdrawn")

    audit.assert_clean()

"""The Content-Security-Policy in Chromium: every kind of page works under it and trips none of it.

Violations are caught three ways: the console's "Refused to ..." errors, the page's own
securitypolicyviolation events, and the reports the browser posts to /csp-report/ (logged).
A deliberate violation at the end shows that all three would have noticed.
"""

import io
import logging
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from playwright.sync_api import BrowserContext, Page, expect

from claims.management.commands.load_demo import DEMO_PASSWORD
from claims.models import Claim
from tests.browser.conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Runs before any of the page's own scripts, outside the page's CSP (it comes from the browser's
# DevTools protocol, like page.evaluate below).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


class Watch:
    """Collects a page's CSP complaints from the console and from violation events."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        events = self.page.evaluate("window.__cspViolations || []")
        return self.console + events


@pytest.fixture
def newsroom(settings) -> None:
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False


@pytest.fixture
def watched(context: BrowserContext) -> Iterator[tuple[Page, Watch]]:
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    yield page, Watch(page)


@pytest.fixture
def csp_log(caplog) -> Iterator[pytest.LogCaptureFixture]:
    # The live server runs in a thread of this process; its log records land here.
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        yield caplog


def reports(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "claimdesk.csp"]


def visit(page: Page, watch: Watch, url: str, ready, *, expected: str | None = None) -> None:
    """Open a page, wait until it has rendered, and find no violation but the expected one."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    expect(ready(page)).to_be_visible()
    assert [v for v in watch.violations() if not (expected and expected in v)] == [], url


def test_it_runs_the_public_site_under_the_policy(newsroom, watched, csp_log) -> None:
    page, watch = watched
    claim = Claim.objects.published().first()
    visit(page, watch, "/", lambda p: p.get_by_role("heading", level=1).first)
    visit(page, watch, f"/claims/{claim.pk}/", lambda p: p.get_by_role("heading", level=1).first)
    # The claim page carries ClaimReview as a JSON-LD data block, which the policy lets be.
    assert page.locator('script[type="application/ld+json"]').count() >= 1
    visit(page, watch, "/methodology/", lambda p: p.get_by_role("heading", level=1).first)
    visit(page, watch, "/api/v1/claims/", lambda p: p.get_by_role("heading", name="Claim List"))
    assert reports(csp_log) == []


def test_it_runs_the_api_documentation_under_the_policy(newsroom, watched, csp_log) -> None:
    page, watch = watched
    visit(page, watch, "/api/docs/", lambda p: p.locator(".swagger-ui .info .title"))
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()  # the operations rendered
    # Redoc shows its vendor's logo from the vendor's host: blocked, as it should be (readers' privacy).
    redoc_logo = "https://cdn.redoc.ly/"
    visit(
        page, watch, "/api/redoc/", lambda p: p.get_by_role("heading", name="Claimdesk API").first, expected=redoc_logo
    )
    expect(page.get_by_text("/api/v1/claims/").first).to_be_attached()
    assert [line for line in reports(csp_log) if "cdn.redoc.ly" not in line] == []


def test_it_runs_the_claim_form_and_its_script_under_the_policy(newsroom, watched, csp_log) -> None:
    page, watch = watched
    login(page, "reporter", DEMO_PASSWORD)
    assert watch.violations() == []
    visit(page, watch, "/desk/claims/new/", lambda p: p.get_by_role("heading", level=1).first)
    # The script's fetch (connect-src) and the suggestions it inserts.
    with page.expect_response(lambda r: "/desk/claims/similar/" in r.url) as similar:
        page.locator("[data-similar-source]").fill("Blocking units fired on soldiers retreating near Avdiivka")
    assert similar.value.status == 200
    # The script's "add another" button is shown only by the script.
    expect(page.locator("[data-add-row]").first).to_be_visible()
    assert watch.violations() == []
    assert reports(csp_log) == []


def test_it_runs_the_admin_under_the_policy(newsroom, watched, csp_log) -> None:
    page, watch = watched
    login(page, "admin", DEMO_PASSWORD)  # through two-factor sign-in, whose pages are checked too
    assert watch.violations() == []
    claim = Claim.objects.published().first()
    visit(page, watch, "/admin/", lambda p: p.get_by_role("heading", name="Site administration"))
    visit(page, watch, "/admin/claims/claim/", lambda p: p.locator("#result_list"))
    visit(page, watch, f"/admin/claims/claim/{claim.pk}/change/", lambda p: p.locator("#claim_form"))
    visit(page, watch, "/admin/auth/user/add/", lambda p: p.locator("#user_form"))
    # The browsable API with the write forms a signed-in editor gets.
    visit(page, watch, "/api/v1/articles/", lambda p: p.get_by_role("heading", name="Article List"))
    assert reports(csp_log) == []


def test_it_would_notice_a_violation(newsroom, watched, csp_log, settings) -> None:
    # The control: an injected inline script is refused, and every channel says so.
    # Over this test's plain HTTP, Chromium delivered no report-to report (the Reporting API batches
    # reports, for secure origins) and skipped report-uri while report-to was set: the control checks
    # the report-uri path, which Firefox and Safari use. Production sends both directives.
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    del directives["report-to"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    page, watch = watched
    visit(page, watch, "/methodology/", lambda p: p.get_by_role("heading", level=1).first)
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "document.title = 'pwned'";
          document.body.append(script);
        }"""
    )
    expect(page).not_to_have_title("pwned")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert any("script-src" in v for v in watch.violations())
    for _ in range(50):  # the browser posts its report in the background, within a second or so
        if any("directive=script-src" in line for line in reports(csp_log)):
            break
        page.wait_for_timeout(100)
    assert any("directive=script-src" in line for line in reports(csp_log)), reports(csp_log)

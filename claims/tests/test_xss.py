"""Script injection: whatever people type, and whatever sources say, stays text on our pages.

Each payload goes into every text field that reaches a claim's pages; then the
staff and public pages are parsed and checked for anything a browser would
run: script elements, event-handler attributes, script URLs, and the elements
that embed active content.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_topic, make_user
from claims.tests.pages import form_values
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db

PAYLOADS = [
    # script elements
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script/xss src=data:,alert(1)></script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    # event handlers
    '"><img src=x onerror=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '<img src="x" onerror="&#97;lert(1)">',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<a href="https://ok.example/" onclick="alert(1)">looks fine</a>',
    '<p onmouseover="alert(1)">hover</p>',
    # script URLs in links and forms
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099'
    '&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    '<blockquote cite="javascript:alert(1)">quoted</blockquote>',
    '<base href="javascript:/a/-alert(1)///////">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel=import href="data:text/html,<script>alert(1)</script>">',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    # embedding, SVG and MathML
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    # parser confusion
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<style>@import 'javascript:alert(1)';</style>",
    "<<script>script>alert(1)<</script>/script>",
    # template injection
    "{{ request.user.password }}",
    "{% debug %}{{ settings.SECRET_KEY }}",
    "{{7*7}} ${7*7} <%= 7*7 %> #{7*7}",
    # unicode tricks
    "＜script＞alert(1)＜/script＞",
    '<a href="java\u200bscript:alert(1)">zero width</a>',
    "\u202e>tpircs/<)1(trela>tpircs<",
    "\u2028<script>alert(1)</script>\u2029",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    # allowed formatting, as a control: it must survive, and stay harmless
    '<p>Plain <strong>bold</strong> and <a href="https://ok.example/" title="ok">a link</a></p>',
]

FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "base",
    "style",
    "xss",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "cite", "poster", "background"}
SCRIPT_SCHEMES = ("javascript:", "data:", "vbscript:")
# What browsers ignore inside a URL before looking at its scheme.
URL_NOISE = re.compile(r"[\x00-\x20]")


class ActiveContentFinder(HTMLParser):
    """Collects everything on a page that a browser could execute, and the page's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script> not from our static files: {src!r}")
            self.in_script = True
        if tag == "meta" and "http-equiv" in dict(attrs):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name == "srcdoc":
                self.problems.append(f"<{tag} srcdoc>")
            if name in URL_ATTRIBUTES:
                # The parser has decoded entities once; decode again for double-encoding.
                url = URL_NOISE.sub("", html.unescape(value)).lower()
                if url.startswith(SCRIPT_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and re.search(r"javascript:|expression\(|url\(", value, re.IGNORECASE):
                self.problems.append(f"<{tag} style={value!r}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.in_script = False

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script: {data[:60]!r}")
        self.text.append(data)


def scan(content: str) -> ActiveContentFinder:
    finder = ActiveContentFinder()
    finder.feed(content)
    finder.close()
    return finder


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script src="/static/js/claim_form.js">alert(1)</script>',
        '<script src="https://evil.example/x.js"></script>',
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" &#106;ava&#x09;script:alert(1)">x</a>',
        '<a href="&amp;#106;avascript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        '<form action="vbscript:x"></form>',
        '<button formaction="javascript:x">x</button>',
        "<iframe></iframe>",
        "<object></object>",
        "<embed>",
        "<svg></svg>",
        "<math></math>",
    ],
)
def test_its_scanner_finds_active_content(snippet):
    # Guards the guard: if the scanner missed these, every test below would pass vacuously.
    assert scan(f"<p>{snippet}</p>").problems


def test_its_scanner_accepts_our_own_markup():
    page = (
        '<script src="/static/js/claim_form.js" defer></script>'
        '<a href="/desk/claims/1/" rel="noopener">x</a><a href="https://ok.example/">y</a>'
        '<form method="post" action="/desk/claims/1/publish/"><textarea>&lt;script&gt;</textarea></form>'
    )
    finder = scan(page)
    assert finder.problems == []
    assert "<script>" in "".join(finder.text)


SIMILAR_QUERY = "blocking units fired retreating soldiers"


def build_world(payload: str, *, reporter, editor) -> Claim:
    """A published claim with the payload in every text field that reaches its pages."""
    outlet = make_outlet(name=payload)
    origin_actor = make_actor(name=payload, description=payload)
    protected_actor = make_actor(
        name=f"{payload} (real name)", is_protected=True, pseudonym=payload, description=payload
    )
    article = make_article(outlet=outlet, headline=payload, byline=payload, captured_text=payload)
    relaying_article = make_article(outlet=make_outlet(), headline=payload, byline=payload)

    claim = make_claim(
        statement=f"{payload} Blocking units fired on retreating soldiers.", notes=payload, created_by=reporter
    )
    claim.topics.add(make_topic(name=payload[:100], slug="payload"))
    origin = make_attribution(claim=claim, actor=origin_actor, article=article, quote=payload)
    make_attribution(claim=claim, actor=protected_actor, article=relaying_article, via=origin, quote=payload)
    make_corroboration(
        claim=claim, performed_by=origin_actor, notes=payload, evidence_url="https://archive.example/video"
    )
    claim.submit(by=reporter, version=1, note=payload)
    claim.set_status(by=editor, version=2, status="corroborated", reason=payload, public=True)
    claim.publish(by=editor, version=3, note=payload)
    claim.record_correction(by=editor, note=payload)

    # The editor's dashboard: a claim of theirs sent back with the payload as the note,
    # and one of the reporter's waiting in the review queue.
    sent_back = make_claim(statement=f"{payload} Barrier troops blocked the retreat.", created_by=editor)
    sent_back.submit(by=editor, version=1, note=payload)
    sent_back.send_back(by=editor, version=2, note=payload)
    queued = make_claim(statement=f"{payload} Deserters' families were threatened.", created_by=reporter)
    queued.submit(by=reporter, version=1, note=payload)
    return claim


@pytest.mark.parametrize("payload", PAYLOADS)
def test_it_renders_injected_markup_harmless_on_every_page(payload):
    reporter = make_user("reporter", role="Reporters")
    editor = make_user("editor", role="Editors")
    claim = build_world(payload, reporter=reporter, editor=editor)
    staff = Client()
    staff.force_login(editor)

    pages = {
        "claim page": staff.get(reverse("claims:claim_detail", args=[claim.pk])),
        "edit page": staff.get(reverse("claims:claim_edit", args=[claim.pk])),
        "dashboard": staff.get(reverse("claims:dashboard")),
        "similar claims": staff.get(reverse("claims:claim_similar"), {"q": SIMILAR_QUERY}),
        "home page": Client().get(reverse("home")),
    }

    for name, response in pages.items():
        assert response.status_code == 200, name
        finder = scan(response.content.decode())
        assert finder.problems == [], f"{name}: {finder.problems}"
        # The payload did reach the page, as text: the test is not passing on an empty page.
        assert claim.statement[:40] in "".join(finder.text), name


# Markup that tries to break out of the element or attribute that echoes it.
ECHO_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</div></dd></dl><iframe src=javascript:alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "{{ request.user.password }}",
]


@pytest.mark.parametrize("payload", ECHO_PAYLOADS)
def test_it_echoes_typed_markup_harmlessly_on_the_conflict_page(client, editor, payload):
    # The conflict page shows people what they typed so they can apply it again:
    # raw request data, from the claim and from its rows.
    claim = make_claim(statement="Blocking units fired on retreating soldiers.")
    make_attribution(claim=claim, quote="They fired at our backs.")
    client.force_login(editor)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data.update(
        {
            "version": ["0"],
            "statement": [f"{payload} Blocking units fired on retreating soldiers."],
            "notes": [payload],
            "attributions-0-quote": [payload],
            "corroborations-0-method": ["other"],
            "corroborations-0-finding": ["supports"],
            "corroborations-0-notes": [payload],
        }
    )

    response = client.post(url, data)

    assert response.status_code == 409
    finder = scan(response.content.decode())
    assert finder.problems == []
    assert "".join(finder.text).count(payload) >= 4

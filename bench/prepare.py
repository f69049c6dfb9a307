"""Everything bench/run needs to know about one benchmark database, as JSON on stdout.

Run by bench/run with the server's environment (DATABASE_URL, DJANGO_SECRET_KEY,
DJANGO_HTTPS=0, ...), so signed cursors and session cookies made here are the
server's own. It

- signs in a superuser (second factor included, when the site asks for one) and
  hands back the session cookie, for the admin case;
- works out each case's URL: the deep page by following "next" links, the
  claim with the most reports, a common and a rare search word with the number
  of claims they match;
- requests each URL in process, warm, counting its queries and their time;
- EXPLAIN (ANALYZE, BUFFERS)s every query the search pages (and page 1 of the
  list, for comparison) run.

    python bench/prepare.py [--deep-page 1000] [--cases list,search_common,...]
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.postgres.search import SearchQuery  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from claims import synthetic  # noqa: E402
from claims.models import Attribution, Claim  # noqa: E402

HOST = "127.0.0.1"
ADMIN = "bench-admin"
FILTER = {"topic": "barrier-units", "region": "donetsk"}
EXPLAIN_CASES = ("list", "search_common", "search_rare")
NEXT_LINK = re.compile(r"<a\b[^>]*\brel=\"next\"[^>]*>|<link\b[^>]*\brel=\"next\"[^>]*>")
HREF = re.compile(r"\bhref=\"([^\"]+)\"")


def admin_cookie() -> str:
    """A signed-in, second-factor-verified superuser session, as a Cookie header."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=ADMIN, defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.invalid"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    client = Client(HTTP_HOST=HOST)
    backend = "django.contrib.auth.backends.ModelBackend"
    client.force_login(user, backend=backend if backend in settings.AUTHENTICATION_BACKENDS else None)
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, name="bench").first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def next_link(body: str) -> str | None:
    tag = NEXT_LINK.search(body)
    href = HREF.search(tag.group(0)) if tag else None
    return html.unescape(href.group(1)) if href else None


def deep_page(client: Client, page: int) -> tuple[str, int]:
    """The URL of list page ``page`` (or the last page, if there are fewer) and its number."""
    url, number = reverse("home"), 1
    link = next_link(client.get(url).content.decode())
    if link and re.search(r"[?&]page=2\b", link):  # numbered pages: ask for it directly
        return f"{url}?page={page}", page
    while link and number < page:
        url = link if link.startswith("/") else reverse("home") + link
        number += 1
        link = next_link(client.get(url).content.decode())
    if number == 1 and page > 1:
        raise SystemExit('prepare: page 1 of the list has no rel="next" link to follow to a deep page')
    return url, number


def case_urls(client: Client, page: int, wanted: set[str]) -> tuple[dict[str, str], dict]:
    public = Claim.objects.public()
    # The claim page (and API detail) of the public claim with the most reports: the costliest tree.
    claim_id = (
        public.order_by("-report_count", "id").values_list("pk", flat=True).first()
        if connection.vendor == "postgresql"
        else public.order_by("-report_count").values_list("pk", flat=True).first()
    )
    home = reverse("home")
    urls = {
        "healthz": reverse("healthz"),
        "list": home,
        "filtered": f"{home}?topic={FILTER['topic']}&region={FILTER['region']}",
        "search_common": f"{home}?q={synthetic.COMMON_WORD}",
        "search_rare": f"{home}?q={synthetic.rare_word()}",
        "claim": reverse("public:claim_detail", args=[claim_id]),
        "api_list": "/api/v1/claims/",
        "api_detail": f"/api/v1/claims/{claim_id}/",
        "admin": reverse("admin:claims_claim_changelist"),
    }
    facts = {
        "claim_id": claim_id,
        "claim_attributions": Attribution.objects.filter(claim_id=claim_id).count(),
    }
    if "deep" in wanted:
        urls["deep"], facts["deep_page"] = deep_page(client, page)
    return {name: url for name, url in urls.items() if name in wanted}, facts


def measure(client: Client, url: str) -> dict:
    client.get(url)  # warm: caches, prepared plans, buffers
    timings: list[float] = []

    def timed(execute, sql, params, many, context):
        # Django's own query log keeps milliseconds only; this keeps microseconds.
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(time.perf_counter() - started)

    with CaptureQueriesContext(connection) as queries, connection.execute_wrapper(timed):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
    return {
        "status": response.status_code,
        "bytes": len(response.content) if not response.streaming else None,
        "queries": len(queries.captured_queries),
        "db_ms": round(sum(timings) * 1000, 2),
        "in_process_ms": round(elapsed * 1000, 1),
        "sql": [q["sql"] for q in queries.captured_queries],
    }


def explain(sql: str, runs: int = 5) -> dict:
    """Median planning and execution time over ``runs`` EXPLAIN ANALYZE runs, and the last plan as text."""
    timings = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            timings.append((plan[0]["Planning Time"], plan[0]["Execution Time"]))
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        text = "\n".join(row[0] for row in cursor.fetchall())
    return {
        "planning_ms": round(statistics.median(t[0] for t in timings), 3),
        "execution_ms": round(statistics.median(t[1] for t in timings), 3),
        "plan": text,
    }


def word_counts() -> dict:
    public = Claim.objects.public()
    counts = {}
    for case, word in (("search_common", synthetic.COMMON_WORD), ("search_rare", synthetic.rare_word())):
        query = SearchQuery(word, config="english", search_type="phrase")
        counts[case] = {"word": word, "public_claims_matching": public.filter(search_vector=query).count()}
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--deep-page", type=int, default=1000)
    parser.add_argument("--cases", default="", help="Comma-separated case names (default: all).")
    args = parser.parse_args()
    wanted = set(filter(None, args.cases.split(","))) or {
        "healthz", "list", "deep", "filtered", "search_common", "search_rare", "claim", "api_list", "api_detail",
        "admin",
    }  # fmt: skip

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout TO 0")  # EXPLAIN ANALYZE of a slow query must finish
    anonymous = Client(HTTP_HOST=HOST)
    cookie = admin_cookie() if "admin" in wanted else ""
    signed_in = Client(HTTP_HOST=HOST, HTTP_COOKIE=cookie)
    urls, facts = case_urls(anonymous, args.deep_page, wanted)

    cases = {}
    for name, url in urls.items():
        client = signed_in if name == "admin" else anonymous
        cases[name] = {"path": url, **measure(client, url)}

    explains = {}
    if connection.vendor == "postgresql":
        for name in EXPLAIN_CASES:
            if name in cases:
                explains[name] = [
                    {"sql": sql, **explain(sql)}
                    for sql in cases[name]["sql"]
                    if sql.lstrip().upper().startswith("SELECT")
                ]
    for case in cases.values():
        case.pop("sql")

    totals = {
        "claims": Claim.objects.count(),
        "public_claims": Claim.objects.public().count(),
        "attributions": Attribution.objects.count(),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            totals["database_bytes"] = cursor.fetchone()[0]
    json.dump(
        {
            "cookie": cookie,
            "cases": cases,
            "facts": facts,
            "words": word_counts() if connection.vendor == "postgresql" else {},
            "explain": explains,
            "totals": totals,
        },
        sys.stdout,
        indent=1,
    )


if __name__ == "__main__":
    main()

"""The CSP report endpoint: logs what browsers report, safely, and stores nothing."""

import json
import logging

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import csp

pytestmark = pytest.mark.django_db

URL = "/csp-report/"
CLASSIC = {
    "csp-report": {
        "document-uri": "https://claims.example.org/?q=reader+search+terms#top",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'none'; script-src 'self'",
        "blocked-uri": "https://evil.example/x.js?session=abc",
        "source-file": "https://claims.example.org/static/js/claim_form.js",
        "line-number": 12,
        "disposition": "enforce",
        "status-code": 200,
    }
}
BATCH = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://claims.example.org/desk/",
        "body": {
            "documentURL": "https://claims.example.org/desk/claims/new/",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "disposition": "enforce",
            "lineNumber": 3,
        },
    },
    {"type": "deprecation", "body": {"message": "not ours"}},
]


@pytest.fixture
def browser_client() -> Client:
    # Browsers post reports without a CSRF token.
    return Client(enforce_csrf_checks=True)


def post(client: Client, payload, content_type: str = "application/csp-report"):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(URL, body, content_type=content_type)


def test_it_is_where_the_policy_sends_reports():
    assert reverse("csp_report") == URL


def test_it_logs_a_report_uri_report_without_query_strings(browser_client, caplog):
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        response = post(browser_client, CLASSIC)
    assert response.status_code == 204
    [record] = caplog.records
    line = record.getMessage()
    assert line == (
        "CSP violation: directive=script-src-elem blocked=https://evil.example/x.js "
        "document=https://claims.example.org/ source=https://claims.example.org/static/js/claim_form.js "
        "line=12 disposition=enforce"
    )
    assert "reader" not in line  # a reader's search terms never reach the log
    assert "session=abc" not in line


def test_it_logs_the_csp_reports_of_a_reporting_api_batch(browser_client, caplog):
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        response = post(browser_client, BATCH, content_type="application/reports+json")
    assert response.status_code == 204
    assert [r.getMessage() for r in caplog.records] == [
        "CSP violation: directive=style-src-attr blocked=inline "
        "document=https://claims.example.org/desk/claims/new/ line=3 disposition=enforce"
    ]


def test_it_writes_nothing_to_the_database(browser_client):
    with CaptureQueriesContext(connection) as queries:
        assert post(browser_client, CLASSIC).status_code == 204
    # Not even an audit record: anyone may post reports, so one must not grow a table.
    assert [q["sql"] for q in queries if not q["sql"].startswith(("SELECT", "SAVEPOINT", "RELEASE"))] == []


def test_it_cannot_be_used_to_forge_log_lines(browser_client, caplog):
    forged = {
        "csp-report": {
            "effective-directive": "script-src\nINFO sign-in: password accepted user=editor",
            "blocked-uri": "inline\r\u2028fake\x1b[31m",
            "document-uri": "x" * 5000,
        }
    }
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        assert post(browser_client, forged).status_code == 204
    [record] = caplog.records
    line = record.getMessage()
    assert "\n" not in line and "\r" not in line and "\u2028" not in line and "\x1b" not in line
    assert "script-src\\nINFO\\x20sign-in" in line
    assert len(line) < 800  # each field is cut short


def test_it_refuses_a_large_body(browser_client, caplog):
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        response = post(browser_client, {"csp-report": {"blocked-uri": "x" * (csp.MAX_BYTES + 10)}})
    assert response.status_code == 413
    assert [r for r in caplog.records if r.name == "claimdesk.csp"] == []


def test_it_refuses_what_is_not_json(browser_client):
    assert post(browser_client, b"\xff\xfe not json").status_code == 400


def test_it_ignores_json_that_is_not_a_report(browser_client, caplog):
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        assert post(browser_client, {"hello": "world"}).status_code == 204
        assert post(browser_client, [1, "two", None]).status_code == 204
    assert [r for r in caplog.records if r.name == "claimdesk.csp"] == []


def test_it_answers_post_only(browser_client):
    assert browser_client.get(URL).status_code == 405


def test_it_logs_a_flood_once_and_drops_the_rest(browser_client, caplog):
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        statuses = {post(browser_client, CLASSIC).status_code for _ in range(csp.REPORTS_PER_MINUTE + 10)}
    assert statuses == {204}
    messages = [r.getMessage() for r in caplog.records]
    assert sum(m.startswith("CSP violation") for m in messages) == csp.REPORTS_PER_MINUTE
    assert sum("dropping the rest" in m for m in messages) == 1


def test_it_reads_at_most_a_few_violations_from_one_batch(browser_client, caplog):
    batch = [BATCH[0]] * 20
    with caplog.at_level(logging.WARNING, logger="claimdesk.csp"):
        assert post(browser_client, batch, content_type="application/reports+json").status_code == 204
    assert len(caplog.records) == csp.VIOLATIONS_PER_REQUEST

"""A database that cannot be reached gives a plain, fast 503, never a trace or a half-saved record.

Here the failure is raised where a query would run; tests/system/test_outage.py stops a
real PostgreSQL server under gunicorn.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import InterfaceError, OperationalError
from django.urls import resolve
from rest_framework.test import APIClient

from audit.models import AuditRecord
from claims.models import Claim
from claims.tests.api import API
from claims.tests.factories import make_claim

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SECRET_LOOKING = ["Traceback", "OperationalError", "InterfaceError", "psycopg", "postgres", "5432", "port", "File "]


def database_down(exc_class=OperationalError):
    def fail(*args, **kwargs):
        raise exc_class('connection to server at "10.1.2.3", port 5432 failed: Connection refused')

    return fail


@pytest.fixture(autouse=True)
def _urls_loaded():
    # The URLconf builds filter choices from querysets at import: import it while they work.
    resolve("/")


@pytest.fixture
def no_database(monkeypatch):
    monkeypatch.setattr("claims.models.ClaimQuerySet.public", database_down())


def assert_plain_503(response) -> str:
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    for word in SECRET_LOOKING:
        assert word not in body
    return body


def test_a_page_gets_a_small_html_503(no_database):
    response = APIClient(raise_request_exception=False).get("/")

    body = assert_plain_503(response)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Claimdesk is unavailable" in body
    assert len(body) < 1000


def test_the_api_gets_a_json_503(no_database):
    response = APIClient(raise_request_exception=False).get(f"{API}/claims/")

    assert_plain_503(response)
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_closed_connection_is_a_503_too(monkeypatch):
    monkeypatch.setattr("claims.models.ClaimQuerySet.public", database_down(InterfaceError))

    assert_plain_503(APIClient(raise_request_exception=False).get("/"))


def test_a_write_that_loses_the_database_saves_nothing_and_tries_no_audit_record(reporter, monkeypatch):
    claim = make_claim(statement="Blocking units fired on retreating soldiers.", created_by=reporter)
    # The claim row is written, then the database goes away before the request ends.
    monkeypatch.setattr("claims.api.ClaimViewSet._detail", database_down())
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(reporter)

    response = client.patch(f"{API}/claims/{claim.pk}/", {"version": 1, "statement": "Edited."}, format="json")

    assert_plain_503(response)
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == ("Blocking units fired on retreating soldiers.", 1)
    assert claim.history.count() == 1
    assert not AuditRecord.objects.exists()


def test_other_errors_stay_a_plain_500(monkeypatch):
    monkeypatch.setattr("claims.models.ClaimQuerySet.public", database_down(RuntimeError))

    response = APIClient(raise_request_exception=False).get("/")

    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Traceback" not in response.content.decode()
    assert Claim.objects.count() == 0


PRINT_DATABASE = "import json, config.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"


def database_settings(url: str, *, command: bool = False) -> dict:
    """The default database's settings, as the app server (or, with ``command``, manage.py) reads them."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(DJANGO_SECRET_KEY="k", DATABASE_URL=url)
    argv = ["manage.py", "shell", "--verbosity", "0", "-c", PRINT_DATABASE] if command else ["-c", PRINT_DATABASE]
    result = subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_postgresql_connections_give_up_fast_and_are_checked_before_reuse():
    db = database_settings("postgres://u@127.0.0.1:5432/claimdesk?sslmode=prefer")

    assert db["CONN_HEALTH_CHECKS"] is True
    options = db["OPTIONS"]
    assert options["sslmode"] == "prefer"  # what the URL says is kept
    assert options["connect_timeout"] == 2
    assert options["keepalives"] == 1
    assert options["tcp_user_timeout"] == 2000
    assert options["options"] == "-c statement_timeout=2000"


def test_management_commands_get_no_statement_timeout_unless_asked():
    url = "postgres://u@127.0.0.1:5432/claimdesk"
    assert "options" not in database_settings(url, command=True)["OPTIONS"]
    assert database_settings(url, command=True)["OPTIONS"]["connect_timeout"] == 2


def test_sqlite_gets_none_of_the_postgresql_options():
    db = database_settings("sqlite:////tmp/claimdesk-settings-test.sqlite3")

    assert db["OPTIONS"] == {"transaction_mode": "IMMEDIATE"}

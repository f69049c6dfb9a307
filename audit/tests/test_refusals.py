"""Refused access is recorded and logged: CSRF failures, 401/403, lock-outs, and probes for hidden records."""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from audit.models import AuditRecord
from claims.models import Claim
from claims.tests.api import API, api_client
from claims.tests.factories import make_claim, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.WARNING, logger="claimdesk.security")
    return caplog


def refused_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "claimdesk.security"]


def test_it_records_and_logs_a_csrf_failure(reporter, security_log):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)

    response = client.post(reverse("claims:claim_create"), {"statement": "Blocking units fired."})

    assert response.status_code == 403
    record = AuditRecord.objects.get()
    assert (record.username, record.status, record.url_name) == ("reporter", 403, "claims:claim_create")
    assert record.reason.startswith("CSRF check failed")
    assert not Claim.objects.exists()
    [line] = refused_lines(security_log)
    assert line.startswith("refused POST /desk/claims/new/ status=403 user=reporter ip=127.0.0.1 reason=CSRF")


def test_it_records_an_anonymous_api_write(security_log):
    response = api_client().post(f"{API}/claims/", {"statement": "Blocking units fired."}, format="json")

    assert response.status_code == 401
    record = AuditRecord.objects.get()
    assert (record.user_id, record.username, record.status) == (None, "", 401)
    assert record.reason == "Authentication credentials were not provided."
    assert "user=anonymous" in refused_lines(security_log)[0]


def test_it_records_an_act_the_role_may_not_take(reporter, security_log):
    claim = make_claim(created_by=reporter, state=Claim.State.IN_REVIEW)

    response = api_client(reporter).post(f"{API}/claims/{claim.pk}/publish/", {"version": 1}, format="json")

    assert response.status_code == 403
    record = AuditRecord.objects.get()
    assert (record.username, record.status, record.changes) == ("reporter", 403, [])
    assert record.reason
    claim.refresh_from_db()
    assert claim.state == Claim.State.IN_REVIEW


def test_it_records_a_signed_in_probe_for_someone_elses_draft(reporter, other_reporter, security_log):
    draft = make_claim(created_by=other_reporter)
    client = Client()
    client.force_login(reporter)

    response = client.get(reverse("claims:claim_detail", args=[draft.pk]))

    assert response.status_code == 404
    record = AuditRecord.objects.get()
    assert (record.method, record.username, record.status, record.reason) == ("GET", "reporter", 404, "not found")
    assert refused_lines(security_log) == [
        f"refused GET /desk/claims/{draft.pk}/ status=404 user=reporter ip=127.0.0.1 reason=not found"
    ]


def test_it_records_a_page_the_role_may_not_open(security_log):
    client = Client()
    client.force_login(make_user("outsider"))

    response = client.get(reverse("accounts:api_token"))

    assert response.status_code == 403
    assert AuditRecord.objects.get().reason == "permission denied"


def test_readers_and_their_misses_leave_no_record(client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(f"{API}/claims/999/").status_code == 404
    assert client.get(reverse("claims:dashboard")).status_code == 302
    assert not AuditRecord.objects.exists()


def test_it_records_a_lock_out_and_keeps_the_failed_attempts(reporter, security_log):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": "reporter", "password": "wrong-password"})

    assert response.status_code == 429
    records = list(AuditRecord.objects.order_by("id"))
    assert [r.status for r in records] == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert records[-1].reason == "locked out after repeated failed sign-ins"
    assert all(r.username == "" for r in records)  # nobody signed in
    # A refusal is committed, not rolled back: the count that locks the account out is kept.
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT
    assert "wrong-password" not in str([r.changes for r in records])

"""Every mutating request leaves one audit record: who, when, what, before and after."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from audit.models import AuditRecord
from claims.models import Claim
from claims.tests.api import API, api_client
from claims.tests.factories import make_attribution, make_claim, make_topic
from claims.tests.pages import form_values

pytestmark = pytest.mark.django_db

STATEMENT = "Blocking units fired on retreating soldiers near Avdiivka."


def only_record() -> AuditRecord:
    records = list(AuditRecord.objects.all())
    assert len(records) == 1, records
    return records[0]


def change_of(record: AuditRecord, model: str) -> dict:
    found = [c for c in record.changes if c["model"] == model]
    assert len(found) == 1, record.changes
    return found[0]


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_it_records_a_claim_created_through_the_api_with_its_values(reporter):
    topic = make_topic()
    client = token_client(reporter)

    response = client.post(f"{API}/claims/", {"statement": STATEMENT, "topics": [topic.slug]}, format="json")

    assert response.status_code == 201
    record = only_record()
    assert (record.user_id, record.username) == (reporter.pk, "reporter")
    assert (record.method, record.path, record.url_name, record.status) == (
        "POST",
        "/api/v1/claims/",
        "claim-list",
        201,
    )
    assert record.ip == "127.0.0.1"
    assert record.reason == ""
    claim = change_of(record, "claims.claim")
    assert claim["object_id"] == str(response.json()["id"])
    assert claim["action"] == "create"
    assert claim["before"] is None
    assert claim["after"]["statement"] == STATEMENT
    assert claim["after"]["created_by_id"] == reporter.pk
    assert claim["m2m"]["topics"]["added"] == [topic.pk]


def test_it_records_only_the_fields_an_edit_changed_before_and_after(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    make_attribution(claim=claim, quote="They fired at our backs.")

    response = api_client(reporter).patch(
        f"{API}/claims/{claim.pk}/", {"version": 1, "statement": "Barrier troops fired."}, format="json"
    )

    assert response.status_code == 200
    change = change_of(only_record(), "claims.claim")
    assert change["action"] == "update"
    assert change["before"]["statement"] == STATEMENT
    assert change["after"]["statement"] == "Barrier troops fired."
    assert (change["before"]["version"], change["after"]["version"]) == (1, 2)
    assert "notes" not in change["before"]  # unchanged fields are left out
    assert "m2m" not in change


def test_it_records_a_deleted_row_with_what_it_held(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    report = make_attribution(claim=claim, quote="They fired at our backs.")

    response = api_client(reporter).patch(
        f"{API}/claims/{claim.pk}/", {"version": 1, "attributions": []}, format="json"
    )

    assert response.status_code == 200
    change = change_of(only_record(), "claims.attribution")
    assert change["object_id"] == str(report.pk)
    assert change["action"] == "delete"
    assert change["before"]["quote"] == "They fired at our backs."
    assert change["after"] is None


def test_it_records_a_desk_form_and_an_editorial_act(reporter, editor):
    claim = make_claim(statement=STATEMENT, created_by=reporter, state=Claim.State.IN_REVIEW)
    client = Client()
    client.force_login(editor)

    response = client.post(reverse("claims:claim_act", args=[claim.pk, "publish"]), {"version": 1, "note": ""})

    assert response.status_code == 302
    record = only_record()
    assert (record.username, record.url_name, record.status) == ("editor", "claims:claim_act", 302)
    change = change_of(record, "claims.claim")
    assert (change["before"]["state"], change["after"]["state"]) == ("in_review", "published")
    # ReviewEvent keeps no history of its own: recorded from its save, with its values.
    event = change_of(record, "claims.reviewevent")
    assert (event["action"], event["after"]["action"], event["after"]["user_id"]) == ("create", "publish", editor.pk)


def test_it_records_a_stale_edit_refused_with_409_and_nothing_changed(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    make_attribution(claim=claim, quote="They fired at our backs.")
    client = Client()
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    values = form_values(client.get(url))
    Claim.objects.filter(pk=claim.pk).update(version=2)
    values["statement"] = ["Barrier troops fired on soldiers who left their positions."]

    response = client.post(url, values)

    assert response.status_code == 409
    record = only_record()
    assert (record.status, record.changes) == (409, [])


def test_it_records_who_signed_in_and_who_signed_out(reporter):
    client = Client()
    client.post(reverse("login"), {"username": "reporter", "password": "correct-horse-battery"})
    client.post(reverse("logout"))

    sign_in, sign_out = AuditRecord.objects.order_by("id")
    assert (sign_in.url_name, sign_in.username, sign_in.user_id) == ("login", "reporter", reporter.pk)
    assert (sign_out.url_name, sign_out.username) == ("logout", "reporter")


def test_it_never_stores_a_password_or_its_hash(reporter):
    client = Client()
    client.force_login(reporter)
    old_hash = reporter.password

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "a-new-long-passphrase-91",
            "new_password2": "a-new-long-passphrase-91",
        },
    )

    assert response.status_code == 302
    record = only_record()
    reporter.refresh_from_db()
    stored = json.dumps(record.changes)
    for secret in ("correct-horse-battery", "a-new-long-passphrase-91", old_hash, reporter.password):
        assert secret not in stored
    user = change_of(record, "auth.user")
    assert user["after"]["password"] == "[redacted]"


def test_it_never_stores_an_api_token(reporter):
    client = Client()
    client.force_login(reporter)

    client.post(reverse("accounts:api_token"), {"action": "create"})

    token = Token.objects.get(user=reporter)
    record = only_record()
    assert token.key not in json.dumps(record.changes)
    change = change_of(record, "authtoken.token")
    assert (change["action"], change["object_id"], change["after"]["key"]) == ("create", "[redacted]", "[redacted]")
    assert change["after"]["user_id"] == reporter.pk


def test_it_records_a_rejected_api_write_and_keeps_nothing_of_it(reporter):
    response = api_client(reporter).post(f"{API}/claims/", {"statement": ""}, format="json")

    assert response.status_code == 400
    record = only_record()
    assert (record.status, record.changes) == (400, [])
    assert not Claim.objects.exists()


def test_a_failing_write_is_rolled_back_and_recorded(reporter, monkeypatch):
    def explode(self, claim):
        raise RuntimeError("after the claim was saved")

    monkeypatch.setattr("claims.api.ClaimViewSet._detail", explode)
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(reporter)

    response = client.post(f"{API}/claims/", {"statement": STATEMENT}, format="json")

    assert response.status_code == 500
    assert not Claim.objects.exists()  # the whole request was one transaction
    assert not Claim.history.exists()
    record = only_record()
    assert (record.status, record.reason, record.changes) == (500, "server error; nothing saved", [])


def test_a_write_costs_one_insert_into_the_audit_log(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    for i in range(3):
        make_attribution(claim=claim, quote=f"Report {i}")
    client = api_client(reporter)

    with CaptureQueriesContext(connection) as queries:
        response = client.patch(f"{API}/claims/{claim.pk}/", {"version": 1, "statement": "Edited."}, format="json")

    assert response.status_code == 200
    audit = [q["sql"] for q in queries if "audit_auditrecord" in q["sql"]]
    assert len(audit) == 1
    assert audit[0].startswith("INSERT")


def test_a_read_costs_nothing_and_records_nothing(client, settings, reporter):
    make_claim(statement=STATEMENT, state=Claim.State.PUBLISHED)
    client.force_login(reporter)
    urls = ["/", reverse("claims:dashboard"), f"{API}/claims/"]
    for url in urls:  # warm the caches (content types, sessions) so both passes start equal
        client.get(url)

    with CaptureQueriesContext(connection) as audited:
        for url in urls:
            assert client.get(url).status_code == 200
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "audit.middleware.AuditMiddleware"]
    with CaptureQueriesContext(connection) as plain:
        for url in urls:
            assert client.get(url).status_code == 200

    assert len(audited) == len(plain)
    assert not AuditRecord.objects.exists()

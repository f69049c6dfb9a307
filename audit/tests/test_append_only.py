"""Audit records cannot be changed or removed: not in the admin, not in the database."""

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditRecord

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite refuses only UPDATE: Django's flush between tests deletes rows one by one there",
)


@pytest.fixture
def record(db):
    return AuditRecord.objects.create(method="POST", path="/desk/claims/new/", status=302, username="reporter")


@pytest.fixture
def admin_client(db):
    client = Client()
    client.force_login(User.objects.create_superuser("admin", "admin@claimdesk.example", "correct-horse-battery"))
    return client


def test_the_database_refuses_to_change_a_record(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(status=200)
    record.refresh_from_db()
    assert record.status == 302


@pytest.mark.postgres
@on_postgresql
def test_the_database_refuses_to_delete_a_record(record):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()
    assert AuditRecord.objects.filter(pk=record.pk).exists()


def test_an_administrator_can_read_but_not_add_change_or_delete(admin_client, record):
    changelist = reverse("admin:audit_auditrecord_changelist")
    assert admin_client.get(changelist).status_code == 200
    assert "/desk/claims/new/" in admin_client.get(changelist).content.decode()
    page = admin_client.get(reverse("admin:audit_auditrecord_change", args=[record.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert admin_client.get(reverse("admin:audit_auditrecord_add")).status_code == 403
    assert admin_client.get(reverse("admin:audit_auditrecord_delete", args=[record.pk])).status_code == 403

    before = AuditRecord.objects.count()
    admin_client.post(reverse("admin:audit_auditrecord_delete", args=[record.pk]), {"post": "yes"})
    admin_client.post(changelist, {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"})
    assert AuditRecord.objects.filter(pk=record.pk).exists()
    # Each refused attempt is itself on the record.
    assert AuditRecord.objects.count() == before + 2

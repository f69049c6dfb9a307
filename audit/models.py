"""The audit log: one append-only row per mutating request and per refused access."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone


class AuditRecord(models.Model):
    """Who did what, when, from where, and what it changed.

    ``changes`` lists every object the request created, updated or deleted:
    ``{"model": "claims.claim", "object_id": "12", "action": "update",
    "before": {...}, "after": {...}}``, credentials redacted. The user is kept as
    an id and a name, not a foreign key, so deleting an account never touches
    (or is blocked by) its audit trail. Rows are never changed or deleted: the
    admin offers no way to, and on PostgreSQL a trigger refuses it.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(null=True, blank=True)
    username = models.CharField(max_length=150, blank=True, help_text="As it was at the time; blank: anonymous.")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000, help_text="Without the query string.")
    url_name = models.CharField(max_length=200, blank=True)
    status = models.PositiveSmallIntegerField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True, help_text="Why access was refused, when it was.")
    changes = models.JSONField(default=list, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user_id", "-created_at"], name="audit_user_time_idx")]

    def __str__(self) -> str:
        who = self.username or "anonymous"
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {who} {self.method} {self.path} {self.status}"

"""Collect what one request changes, and write it as one audit record.

Models with django-simple-history already get a historical row for every
save and delete; the row created during the request, compared with the one
before it, gives the before/after of each field. Models without history
(accounts, groups, tokens, sign-in attempts, devices) are seen through
post_save/post_delete: object, action and the values written. Many-to-many
changes (topics, regions, a user's groups) come from m2m_changed.

The receivers are connected once and do nothing outside a request that
``collecting()`` opened, so a GET or a management command pays nothing.
"""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from simple_history.models import HistoricalChanges
from simple_history.signals import post_create_historical_record

from accounts import ip as accounts_ip
from audit.models import AuditRecord
from core.logging import REDACTED, is_sensitive_name, redact_secrets

security_log = logging.getLogger("claimdesk.security")

# Never recorded: the audit log itself, sessions (their id is the secret), and the
# admin's own change log (the changes it describes are recorded directly).
SKIPPED = {"audit.auditrecord", "sessions.session", "admin.logentry"}

CREATE, UPDATE, DELETE = "create", "update", "delete"
_HISTORY_ACTIONS = {"+": CREATE, "~": UPDATE, "-": DELETE}


@dataclass
class Changes:
    """What the current request wrote, gathered as it happens."""

    history: list = field(default_factory=list)
    plain: dict = field(default_factory=dict)  # (label, object id) -> entry
    m2m: dict = field(default_factory=lambda: defaultdict(dict))  # (label, object id) -> {field: change}


_current: ContextVar[Changes | None] = ContextVar("audit_changes", default=None)


@contextmanager
def collecting() -> Iterator[Changes]:
    changes = Changes()
    token = _current.set(changes)
    try:
        yield changes
    finally:
        _current.reset(token)


def connect() -> None:
    post_create_historical_record.connect(_history_created, dispatch_uid="audit.history")
    post_save.connect(_saved, dispatch_uid="audit.saved")
    post_delete.connect(_deleted, dispatch_uid="audit.deleted")
    m2m_changed.connect(_m2m_changed, dispatch_uid="audit.m2m")


# --- receivers ---------------------------------------------------------------


def _history_created(sender, history_instance, **kwargs) -> None:
    changes = _current.get()
    if changes is not None:
        changes.history.append(history_instance)


def _recorded_plainly(model: type[models.Model]) -> bool:
    """Saves of models with history arrive as history rows; history rows themselves are not changes."""
    return not (
        issubclass(model, HistoricalChanges)
        or hasattr(model._meta, "simple_history_manager_attribute")
        or model._meta.label_lower in SKIPPED
    )


def _saved(sender, instance, created: bool = False, raw: bool = False, **kwargs) -> None:
    changes = _current.get()
    if changes is None or raw or not _recorded_plainly(sender):
        return
    key = _key(instance)
    earlier = changes.plain.get(key)
    action = CREATE if created or (earlier and earlier["action"] == CREATE) else UPDATE
    changes.plain[key] = {"action": action, "before": None, "after": _values(instance)}


def _deleted(sender, instance, **kwargs) -> None:
    changes = _current.get()
    if changes is None or not _recorded_plainly(sender):
        return
    changes.plain[_key(instance)] = {"action": DELETE, "before": _values(instance), "after": None}


def _m2m_changed(sender, instance, action: str, pk_set, **kwargs) -> None:
    changes = _current.get()
    if changes is None or action not in ("post_add", "post_remove", "post_clear"):
        return
    if instance._meta.label_lower in SKIPPED:
        return
    name = _m2m_name(instance, sender)
    change = changes.m2m[_key(instance)].setdefault(name, {"added": [], "removed": []})
    if action == "post_clear":
        change["cleared"] = True
    else:
        change["added" if action == "post_add" else "removed"] += sorted(pk_set or (), key=str)


def _m2m_name(instance: models.Model, through) -> str:
    for rel in instance._meta.get_fields():
        if rel.many_to_many:
            rel_through = rel.remote_field.through if rel.concrete else rel.through
            if rel_through is through:
                return rel.name if rel.concrete else rel.get_accessor_name()
    return through._meta.model_name


# --- values --------------------------------------------------------------------


def _key(instance: models.Model) -> tuple[str, str]:
    return instance._meta.label_lower, _object_id(instance._meta.pk, instance.pk)


def _object_id(pk_field: models.Field, value) -> str:
    # An API token's primary key is the token itself.
    return REDACTED if is_sensitive_name(pk_field.name) else str(value)


def _jsonable(name: str, value):
    if is_sensitive_name(name):
        return REDACTED if value not in (None, "") else value
    if isinstance(value, str):
        return redact_secrets(value)
    if value is None or isinstance(
        value, bool | int | float | datetime.date | datetime.time | decimal.Decimal | uuid.UUID
    ):
        return value
    return str(value)


def _values(instance: models.Model) -> dict:
    return {f.attname: _jsonable(f.attname, f.value_from_object(instance)) for f in instance._meta.concrete_fields}


def _tracked_attnames(history_model) -> list[str]:
    return [f.attname for f in history_model._meta.fields if not f.name.startswith("history_")]


def _history_values(row, attnames: list[str]) -> dict:
    return {name: _jsonable(name, getattr(row, name)) for name in attnames}


def _previous_rows(history_model, rows: list) -> dict[int, object]:
    """For each of ``rows``, the history row before it: one query for all of them."""
    wanted = [row.history_id for row in rows if row.history_type != "+"]
    if not wanted:
        return {}
    pk = history_model.instance_type._meta.pk.attname
    before = (
        history_model.objects.filter(**{pk: OuterRef(pk)}, history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    previous_ids = history_model.objects.filter(history_id__in=wanted).annotate(prev=Subquery(before)).values("prev")
    candidates = list(history_model.objects.filter(history_id__in=previous_ids))
    found = {}
    for row in rows:
        earlier = [c for c in candidates if getattr(c, pk) == getattr(row, pk) and c.history_id < row.history_id]
        if earlier:
            found[row.history_id] = max(earlier, key=lambda c: c.history_id)
    return found


def _history_entries(rows: list) -> list[dict]:
    by_model = defaultdict(list)
    for row in rows:
        by_model[type(row)].append(row)
    entries = []
    for history_model, model_rows in by_model.items():
        meta = history_model.instance_type._meta
        attnames = _tracked_attnames(history_model)
        previous = _previous_rows(history_model, model_rows)
        for row in model_rows:
            action = _HISTORY_ACTIONS[row.history_type]
            after = _history_values(row, attnames)
            earlier = previous.get(row.history_id)
            before = _history_values(earlier, attnames) if earlier is not None else None
            if action == UPDATE and before is not None:
                changed = [name for name in attnames if before[name] != after[name]]
                before = {name: before[name] for name in changed}
                after = {name: after[name] for name in changed}
            elif action == DELETE:
                before, after = after, None
            object_id = _object_id(meta.pk, getattr(row, meta.pk.attname))
            entries.append(
                {"model": meta.label_lower, "object_id": object_id, "action": action, "before": before, "after": after}
            )
    return entries


def _merge(entries: list[dict]) -> dict[tuple[str, str], dict]:
    """One entry per object: the first state it was seen in, the last it was left in."""
    merged: dict[tuple[str, str], dict] = {}
    for entry in entries:
        key = (entry["model"], entry["object_id"])
        first = merged.get(key)
        if first is None:
            merged[key] = dict(entry)
            continue
        if entry["action"] == DELETE:
            first["action"] = DELETE
            first["after"] = None
        elif entry["action"] == CREATE:
            first["after"] = entry["after"]
        else:
            # A later update: each field keeps its oldest value as before and its newest as after.
            if first["action"] == UPDATE:
                first["before"] = {**(entry["before"] or {}), **(first["before"] or {})}
            first["after"] = {**(first["after"] or {}), **(entry["after"] or {})}
    return merged


def change_list(changes: Changes) -> list[dict]:
    entries = _history_entries(changes.history)
    entries += [{"model": m, "object_id": pk, **entry} for (m, pk), entry in changes.plain.items()]
    merged = _merge(entries)
    for (model, object_id), m2m in changes.m2m.items():
        entry = merged.setdefault(
            (model, object_id), {"model": model, "object_id": object_id, "action": UPDATE, "before": {}, "after": {}}
        )
        entry["m2m"] = m2m
    return list(merged.values())


# --- the record ------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str | None:
    # The address sign-in throttling sees (a proxy's header only when it is one we run).
    try:
        return str(ipaddress.ip_address(accounts_ip.client_ip(request) or ""))
    except ValueError:
        return None


def safe_path(request: HttpRequest) -> str:
    """The path without its query string, and without URL parts that are credentials (reset tokens)."""
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name, value in match.kwargs.items():
            if is_sensitive_name(name) and isinstance(value, str) and value:
                path = path.replace(value, REDACTED)
    return path[:2000]


def write(
    request: HttpRequest,
    response: HttpResponse,
    *,
    user: tuple[int, str] | None,
    changes: Changes | None = None,
    reason: str = "",
) -> AuditRecord:
    match = request.resolver_match
    record = AuditRecord.objects.create(
        user_id=user[0] if user else None,
        username=user[1] if user else "",
        method=request.method[:10],
        path=safe_path(request),
        url_name=(match.view_name if match else "")[:200],
        status=response.status_code,
        ip=client_ip(request),
        reason=reason[:300],
        changes=change_list(changes) if changes is not None else [],
    )
    if reason:
        security_log.warning(
            "refused %s %s status=%s user=%s ip=%s reason=%s",
            record.method,
            record.path,
            record.status,
            record.username or "anonymous",
            record.ip,
            reason,
        )
    return record

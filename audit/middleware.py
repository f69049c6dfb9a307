"""Every mutating request runs in one transaction and leaves an audit record.

The transaction makes each write request all-or-nothing (no half-saved claim
when the database fails half-way); the audit record is written inside it, so
a change is never committed without its record. A response of 500 or more
rolls the request's writes back; a 4xx commits, because refusals write what
must stay written (a failed sign-in counted by django-axes).

Reads pay nothing, unless access was refused: a 401 or 403 anywhere, or a
signed-in user's 404 on the desk, the admin or the API (a probe for records
they may not see) is recorded and logged too.
"""

import logging

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse

from audit import recorder

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
STAFF_PREFIXES = ("/desk/", "/admin/", "/api/")

logger = logging.getLogger("claimdesk.audit")


def _signed_in(request: HttpRequest) -> tuple[int, str] | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user.pk, user.get_username()


def refusal(request: HttpRequest, response: HttpResponse, *, signed_in: bool) -> str:
    """Why access was refused, or "" when it was not."""
    if reason := getattr(request, "audit_reason", ""):
        return reason
    if getattr(request, "axes_locked_out", False):
        return "locked out after repeated failed sign-ins"
    status = response.status_code
    if status in (401, 403):
        detail = getattr(response, "data", None)
        if isinstance(detail, dict) and isinstance(detail.get("detail"), str):
            return detail["detail"]
        return "not signed in" if status == 401 else "permission denied"
    if status == 404 and signed_in and request.path.startswith(STAFF_PREFIXES):
        return "not found"
    return ""


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self._read(request)
        if request.path == settings.CSP_REPORT_PATH:
            # A browser's violation report changes nothing and is only logged (core.csp); recording it
            # would give anyone on the internet a way to fill the audit table.
            return self.get_response(request)
        # Who sent it, read before the view runs: after a sign-out the request has no user left.
        sender = _signed_in(request)
        with recorder.collecting() as changes, transaction.atomic():
            response = self.get_response(request)
            failed = response.status_code >= 500
            if failed:
                transaction.set_rollback(True)
            else:
                user = _signed_in(request) or sender
                reason = refusal(request, response, signed_in=user is not None)
                recorder.write(request, response, user=user, changes=changes, reason=reason)
        if failed and not getattr(request, "database_unavailable", False):
            self._failed(request, response, sender)
        return response

    def _read(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (401, 403, 404):
            # A 404 costs a look at who asked only on the staff prefixes.
            probe = response.status_code != 404 or request.path.startswith(STAFF_PREFIXES)
            user = _signed_in(request) if probe else None
            if reason := refusal(request, response, signed_in=user is not None):
                recorder.write(request, response, user=user, reason=reason)
        return response

    def _failed(self, request: HttpRequest, response: HttpResponse, sender) -> None:
        # The request's writes are rolled back; record that it was tried. (Not when the database
        # is unreachable: a second attempt would only add its timeout to the reader's wait.)
        try:
            recorder.write(request, response, user=_signed_in(request) or sender, reason="server error; nothing saved")
        except DatabaseError:
            logger.exception("Could not write the audit record of a failed %s %s", request.method, request.path)

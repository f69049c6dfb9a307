"""Fail closed when the database is unreachable: a plain 503, fast, and nothing more.

Django turns an exception raised anywhere in the middleware stack or a view
into a call of ``handler500`` from inside its ``except`` block, so the
exception is still in ``sys.exc_info()`` here. A lost or refused database
connection, or a statement cancelled by ``statement_timeout``, becomes a 503
with ``Retry-After``; the page is a constant string (no template, no query,
no trace of the error or of the connection settings). Once the database is
back, the next request connects again (CONN_HEALTH_CHECKS drops a broken
persistent connection), so the app recovers without a restart.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults

RETRY_AFTER_SECONDS = 5

UNAVAILABLE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Claimdesk is unavailable</title></head>
<body><h1>Claimdesk is unavailable</h1>
<p>We cannot reach our database just now. Nothing was half-saved. Please try again in a minute.</p></body></html>
"""
UNAVAILABLE_DETAIL = "The service is unavailable: its database cannot be reached. Retry later."

logger = logging.getLogger("claimdesk.failsafe")


def is_database_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) says the database cannot be used now."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": UNAVAILABLE_DETAIL}, status=503)
    else:
        response = HttpResponse(UNAVAILABLE_HTML, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the database is the cause, Django's plain 500 page otherwise."""
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        # The audit middleware must not try the database again for this request.
        request.database_unavailable = True
        logger.warning(
            "Database unavailable (%s); answered 503 to %s %s", type(exc).__name__, request.method, request.path
        )
        return unavailable(request)
    return defaults.server_error(request)

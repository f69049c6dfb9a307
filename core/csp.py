"""Where browsers report Content-Security-Policy violations.

Anyone can post here, so a report is treated as hostile text: bounded in size and in rate,
reduced to a few known fields, stripped of query strings (a reader's search terms) and of
anything that could start a new log line, then logged. Nothing is stored.
"""

import json
import logging
import time

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.logging import escape_controls

logger = logging.getLogger("claimdesk.csp")

MAX_BYTES = 8 * 1024
# Reports logged per client address and minute; the rest are acknowledged and dropped.
REPORTS_PER_MINUTE = 30
# Violations read from one request (the Reporting API batches them).
VIOLATIONS_PER_REQUEST = 5
FIELD_CHARS = 200

# What is logged: (label, name in a report-uri report, name in a Reporting API report).
FIELDS = (
    ("directive", "effective-directive", "effectiveDirective"),
    ("blocked", "blocked-uri", "blockedURL"),
    ("document", "document-uri", "documentURL"),
    ("source", "source-file", "sourceFile"),
    ("line", "line-number", "lineNumber"),
    ("disposition", "disposition", "disposition"),
)
URL_FIELDS = {"blocked", "document", "source"}


@csrf_exempt  # browsers send reports without a token; nothing here changes state
@require_POST
def report(request: HttpRequest) -> HttpResponse:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if declared > MAX_BYTES:
        return HttpResponse(status=413)
    body = request.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        return HttpResponse(status=413)
    if not _within_rate(request.META.get("REMOTE_ADDR", "")):
        return HttpResponse(status=204)
    try:
        data = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    for violation in _violations(data)[:VIOLATIONS_PER_REQUEST]:
        logger.warning("CSP violation: %s", " ".join(f"{label}={value}" for label, value in _summary(violation)))
    return HttpResponse(status=204)


def _violations(data) -> list[dict]:
    """The violation bodies, from either reporting format."""
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):  # report-uri
        return [data["csp-report"]]
    if isinstance(data, list):  # report-to: a batch of typed reports
        return [
            item["body"]
            for item in data
            if isinstance(item, dict) and item.get("type") == "csp-violation" and isinstance(item.get("body"), dict)
        ]
    return []


def _summary(violation: dict) -> list[tuple[str, str]]:
    summary = []
    for label, *names in FIELDS:
        value = next((violation[name] for name in names if name in violation), None)
        if value is None:
            continue
        text = str(value)
        if label in URL_FIELDS:
            text = text.split("?", 1)[0].split("#", 1)[0]
        summary.append((label, clean(text)))
    return summary


def clean(text: str) -> str:
    """One bounded token: control characters and line separators escaped, and spaces, so a value
    cannot pass for another field."""
    return escape_controls(text[:FIELD_CHARS]).replace(" ", "\\x20")


def _within_rate(address: str) -> bool:
    key = f"csp-report:{address}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        return True
    if count == REPORTS_PER_MINUTE + 1:
        logger.warning("CSP reports from %s: more than %d this minute, dropping the rest", clean(address), count - 1)
    return count <= REPORTS_PER_MINUTE

"""Building a public record through the real editorial acts, and reading public pages as a reader would."""

from __future__ import annotations

import csv
import html
import io
import re

from django.http import HttpResponse

from claims.models import Claim

_ROW_LINK = re.compile(r'<p class="statement"><a href="/claims/(\d+)/">')
_RESULT_COUNT = re.compile(r'<p class="result-meta">(\d+) claims?\b')
_TAG = re.compile(r"<[^>]+>")


def publish(claim: Claim, *, editor, submitted_by=None, submit_note: str = "", note: str = "") -> Claim:
    """Submit ``claim`` (as its reporter, or the editor) and publish it, writing the review events readers see."""
    claim.submit(by=submitted_by or editor, version=claim.version, note=submit_note)
    claim.publish(by=editor, version=claim.version, note=note)
    return claim


def set_status(claim: Claim, *, editor, status: str, reason: str, public: bool = True) -> Claim:
    claim.set_status(by=editor, version=claim.version, status=status, reason=reason, public=public)
    return claim


def body(response: HttpResponse) -> str:
    """The whole response body, streamed or not (a stream is read once, then kept)."""
    if not response.streaming:
        return response.content.decode()
    if not hasattr(response, "streamed_body"):
        response.streamed_body = b"".join(response.streaming_content).decode()
    return response.streamed_body


def text(fragment: str) -> str:
    """What a reader reads: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def listed_ids(response: HttpResponse) -> list[int]:
    """Claim ids of the rows of a list page, in the order shown."""
    return [int(pk) for pk in _ROW_LINK.findall(body(response))]


def result_count(response: HttpResponse) -> int:
    """The "N claims" a list page announces."""
    match = _RESULT_COUNT.search(body(response))
    assert match, "the page does not say how many claims match"
    return int(match.group(1))


def csv_rows(response: HttpResponse) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response), newline="")))

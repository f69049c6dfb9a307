"""What may reach a log line: no forged lines, no secrets.

Log messages carry user-supplied text (usernames, paths, form values). A
newline in it would start what looks like a new, trustworthy record
("alice\\n2026-01-01 INFO login ok admin"), so control characters are escaped.
Values that look like credentials are replaced before anything is written.
The same name rule decides which fields the audit log keeps out of its
before/after values.
"""

import logging
import re
import traceback

REDACTED = "[redacted]"

# Field or parameter names whose values are credentials: passwords, API tokens, keys,
# session ids, CSRF tokens, TOTP secrets.
_SENSITIVE_NAME = re.compile(r"password|passwd|token|secret|session|csrf|otp|authorization|(?:^|[_\-])key(?:s)?$", re.I)

# name=value, name: value, 'name': 'value' and "name": "value", where the name is sensitive.
# An Authorization value keeps its scheme word ("Token", "Bearer") so the line stays readable.
_SECRET_PAIR = re.compile(
    r"""(?P<name>[\w\-]*(?:password|passwd|token|secret|session|csrf|otp|api[_\-]?key|authorization)[\w\-]*"""
    r"""|(?<![\w\-])keys?)"""
    r"""(?P<sep>["']?\s*[=:]\s*["']?)"""
    r"""(?P<scheme>(?:Token|Bearer|Basic)\s+)?"""
    r"""(?P<value>(?!\[redacted\])[^\s"'&;,}\]]+)""",
    re.I,
)

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def is_sensitive_name(name: str) -> bool:
    """Whether a field, parameter or header called ``name`` holds a credential."""
    return bool(_SENSITIVE_NAME.search(name))


def redact_secrets(text: str) -> str:
    """``text`` with the value of every credential-looking name=value pair replaced."""

    def replace(match: re.Match) -> str:
        return f"{match['name']}{match['sep']}{match['scheme'] or ''}{REDACTED}"

    return _SECRET_PAIR.sub(replace, text)


def _escape(match: re.Match) -> str:
    char = match[0]
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def escape_controls(text: str) -> str:
    """``text`` on one line: every control character written as an escape sequence."""
    return _CONTROL.sub(_escape, text)


def make_safe(text: str) -> str:
    return escape_controls(redact_secrets(text))


class SafeLogFilter(logging.Filter):
    """Attached to every handler: one record is one line, with no credentials in it.

    The message is formatted here (msg % args), cleaned, and stored back with no
    args, so no formatter re-inserts the raw values. A traceback keeps its line
    breaks for readability, but each of its lines is indented, so text from an
    exception message cannot pass for a record of its own.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "made_safe", False):  # already cleaned by another handler's filter
            return True
        record.made_safe = True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg!r} {record.args!r}"
        record.msg = make_safe(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = _indented(record.exc_text)
        if record.stack_info:
            record.stack_info = _indented(record.stack_info)
        return True


def _indented(block: str) -> str:
    lines = [make_safe(line) for line in block.splitlines()]
    return "\n".join(f"    {line}" for line in lines)

"""Log lines cannot be forged with user text, and credentials never reach them."""

import io
import logging

import pytest
from django.conf import settings

from core.logging import SafeLogFilter, is_sensitive_name, make_safe

FORGED = "alice\n2026-01-01 INFO login ok admin"


@pytest.fixture
def console():
    """What the configured console handler writes."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_newline_in_user_text_cannot_start_a_new_line(console):
    logging.getLogger("claimdesk.security").warning("sign-in failed user=%s", FORGED)

    lines = console.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].endswith("WARNING claimdesk.security sign-in failed user=alice\\n2026-01-01 INFO login ok admin")


@pytest.mark.parametrize(
    "text",
    [
        "a\rb",
        "a\x1b[2Kb",  # a terminal escape that erases the line
        "a\u2028b",
        "a\x85b",
        "a\x00b",
    ],
)
def test_it_escapes_every_control_character(text):
    cleaned = make_safe(text)
    assert cleaned.isprintable()
    assert cleaned.startswith("a\\") and cleaned.endswith("b")


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("headers: {'HTTP_AUTHORIZATION': 'Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'}", "9944b09199c6"),
        ("Authorization: Bearer eyJhbGciOi.eyJzdWIi.sig", "eyJhbGciOi"),
        ("POST body: username=alice&password=hunter2-long&next=/", "hunter2-long"),
        ('{"password": "hunter2-long", "user": "alice"}', "hunter2-long"),
        ("Cookie: sessionid=abc123sessionvalue; csrftoken=Zx81csrfvalue", "abc123sessionvalue"),
        ("Cookie: sessionid=abc123sessionvalue; csrftoken=Zx81csrfvalue", "Zx81csrfvalue"),
        ("Cookie: __Host-sessionid=abc123sessionvalue", "abc123sessionvalue"),
        ("GET /api/v1/claims/?token=3f9a8b7c6d", "3f9a8b7c6d"),
        ("otp_token=123456 submitted", "123456"),
        ("csrfmiddlewaretoken=Qm9vb29vb29v", "Qm9vb29vb29v"),
    ],
)
def test_it_redacts_what_looks_like_a_credential(console, text, secret):
    logging.getLogger("claimdesk.test").warning("%s", text)

    written = console.getvalue()
    assert secret not in written
    assert "[redacted]" in written


def test_it_keeps_ordinary_text(console):
    logging.getLogger("claimdesk.test").warning("claim %s published by %s, keywords=%s", 12, "editor", "barrier")

    assert console.getvalue().rstrip().endswith("claim 12 published by editor, keywords=barrier")


def test_a_traceback_cannot_forge_a_line_either(console):
    try:
        raise ValueError(FORGED)
    except ValueError:
        logging.getLogger("claimdesk.test").exception("import failed for %s", FORGED)

    first, *rest = console.getvalue().splitlines()
    assert first.endswith("import failed for alice\\n2026-01-01 INFO login ok admin")
    assert rest, "the traceback is kept"
    assert all(line.startswith("    ") for line in rest)
    assert any("ValueError" in line for line in rest)


def test_djangos_own_request_log_goes_through_the_filter(client, console):
    client.get("/no-such-page%0a2026-01-01%20INFO%20login%20ok%20admin/")

    lines = [line for line in console.getvalue().splitlines() if "django.request" in line]
    assert len(lines) == 1
    assert "Not Found: /no-such-page\\n2026-01-01 INFO login ok admin/" in lines[0]


def test_every_handler_filters_and_every_logger_uses_them():
    handlers = settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "safe" in handler.get("filters", []), name
    for name in ["", "django", "django.request", "django.server", "django.security.csrf", "claimdesk.security"]:
        logger = logging.getLogger(name)
        for handler in logger.handlers:
            if handler.get_name():  # pytest's capture handlers have no name
                assert any(isinstance(f, SafeLogFilter) for f in handler.filters), (name, handler)
        if name.startswith("django"):
            assert not [h for h in logger.handlers if h.get_name()], f"{name} keeps a handler of its own"


@pytest.mark.parametrize(
    ("name", "sensitive"),
    [
        ("password", True),
        ("key", True),
        ("session_key", True),
        ("otp_secret", True),
        ("csrfmiddlewaretoken", True),
        ("api_key", True),
        ("keywords", False),
        ("monkey", False),
        ("statement", False),
        ("notes", False),
    ],
)
def test_it_knows_which_field_names_hold_credentials(name, sensitive):
    assert is_sensitive_name(name) is sensitive

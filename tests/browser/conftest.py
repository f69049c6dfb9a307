"""Playwright fixtures for the browser tests: a Chromium and a fresh browser context per test.

Debian's Chromium is used as installed (CI installs it with apt); no browser is downloaded.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from accounts.tests.helpers import second_factor_for, totp_code

# Playwright's sync API runs an event loop in the test thread, which Django would take for async
# code and refuse the test's ORM calls. Set before Django handles anything.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server listens on the loopback interface only, on a free port.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1:0")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"  # what claims.tests.factories.make_user sets
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

expect.set_options(timeout=10_000)


@pytest.fixture(scope="package", autouse=True)
def _restore_migrated_data(django_db_setup, django_db_blocker) -> Iterator[None]:
    """Put back what migrations created (roles, regions, permissions) once these tests are done.

    Live-server tests commit, so each one ends by emptying the database; with serialized
    rollback Django restores the migrated rows when the next such test starts, not when the
    last one ends. Tests that run after this package expect them, as in a fresh test database.
    """
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)  # set by Django's test setup
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def browser(live_server) -> Iterator[Browser]:
    """A Chromium for one test (about a second to start).

    Not one per session: while Playwright's sync API is active, its asyncio loop counts as
    running in the test's thread, and Django then hands out other database connections than
    the ones the test database was set up on. Kept to one test, the database is set up before
    the browser starts and emptied after it stops, as pytest-django expects; and the tests
    that run after these are not affected.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"Browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium).")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # Those other connections: the ones the test's own ORM calls opened.
            connections.close_all()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot of each step, numbered in order, under test-artifacts/screenshots/."""
    test_name = _slug(request.node.name)
    steps = iter(range(1, 1000))

    def take(page: Page, step: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{test_name}-{next(steps):02d}-{_slug(step)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take


def _slug(text: str) -> str:
    return re.sub(r"[^\w.-]+", "_", text)


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form; lands on the desk dashboard.

    Editors and administrators then give the code their authenticator app would show
    (one is set up for them if they have none).
    """
    device = second_factor_for(User.objects.get(username=username))
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()
        page.get_by_label("Code").fill(totp_code(device))
        page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

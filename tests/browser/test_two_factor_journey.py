"""An editor sets up two-factor sign-in on first sign-in, then signs in with the app's code."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from accounts.tests.helpers import PASSWORD, totp_code
from claims.tests.factories import make_user
from tests.browser.conftest import logout
from tests.browser.test_accessibility import Audit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def sign_in_with_password(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_editor_sets_up_an_authenticator_and_signs_in_with_it(page: Page, screenshot) -> None:
    audit = Audit(page, screenshot)
    make_user("editor", role="Editors")

    sign_in_with_password(page, "editor")

    # Held at setup: the desk does not open on a password alone.
    expect(page.get_by_role("heading", name="Set up two-factor sign-in", level=1)).to_be_visible()
    qr = page.get_by_role("img", name="QR code holding the secret key for your authenticator app")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn by us, allowed by the CSP
    audit.check("two-factor-setup")

    # What a person types into their app: the secret shown on the page.
    secret = page.locator("code.token-key").inner_text().replace(" ", "")
    page.get_by_label("Code").fill(f"{TOTP(b32decode(secret)).token():06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("status").filter(has_text="Your new backup codes")).to_be_visible()
    expect(page.locator(".backup-codes li")).to_have_count(10)
    audit.check("two-factor-on")
    page.goto("/desk/")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    logout(page)
    sign_in_with_password(page, "editor")
    expect(page.get_by_role("heading", name="Two-factor sign-in", level=1)).to_be_visible()
    audit.check("two-factor-verify")
    page.get_by_label("Code").fill(totp_code(TOTPDevice.objects.get(user__username="editor")))
    page.get_by_role("button", name="Verify").click()

    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    audit.assert_clean()

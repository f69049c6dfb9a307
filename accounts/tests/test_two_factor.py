"""Two-factor sign-in: required for editors and administrators, optional for reporters."""

import re
from binascii import unhexlify

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import two_factor
from accounts.tests.helpers import second_factor_for, sign_in, totp_code, wrong_code
from claims.models import Claim
from claims.tests.factories import make_user

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:two_factor")
VERIFY = reverse("accounts:two_factor_verify")
QR = reverse("accounts:two_factor_qr")
DASHBOARD = reverse("claims:dashboard")

# One URL of each kind a signed-in person opens: desk pages, account pages, the admin, the public site.
PAGES = [
    DASHBOARD,
    reverse("claims:claim_create"),
    reverse("sources:article_create"),
    reverse("accounts:api_token"),
    reverse("password_change"),
    reverse("admin:index"),
    reverse("home"),
]
API_CLAIMS = "/api/v1/claims/"


@pytest.fixture
def admin_user(db):
    return User.objects.create_superuser("admin", "admin@claimdesk.example", "correct-horse-battery")


@pytest.fixture
def staff_user(db):
    return make_user("staffer", is_staff=True)


def verify(client: Client, code: str, next_url: str = ""):
    return client.post(VERIFY, {"code": code, "next": next_url})


def pending_secret(client: Client) -> str:
    return client.session["two_factor_pending_key"]


def code_for_key(key: str) -> str:
    """What an app that was given ``key`` shows now."""
    return f"{TOTP(unhexlify(key)).token():06d}"


def assert_held_at(client: Client, step_url: str) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(step_url), url
    response = client.get(API_CLAIMS)
    assert response.status_code == 403
    assert "Two-factor sign-in is required" in response.json()["detail"]
    response = client.post(
        API_CLAIMS, {"statement": "Planted with a stolen password."}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Claim.objects.exists()


# Who must use it -------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor", "admin_user", "staff_user"])
def test_it_holds_editors_and_administrators_without_an_authenticator_at_setup(request, client, who):
    user = request.getfixturevalue(who)

    response = sign_in(client, user.username)

    assert response["Location"] == DASHBOARD  # the password was right...
    assert "_auth_user_id" in client.session
    assert_held_at(client, SETUP)  # ...but nothing opens until an authenticator is set up
    assert client.get(SETUP).status_code == 200


@pytest.mark.parametrize("who", ["editor", "admin_user"])
def test_it_holds_editors_and_administrators_with_an_authenticator_at_verify(request, client, who):
    user = request.getfixturevalue(who)
    second_factor_for(user)

    sign_in(client, user.username)

    assert_held_at(client, VERIFY)
    # A password alone cannot replace the authenticator either.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.get(QR).status_code == 302


def test_it_remembers_where_the_user_was_going(client, editor):
    second_factor_for(editor)
    sign_in(client, "editor")

    response = client.get(reverse("claims:claim_create"))

    assert response["Location"] == f"{VERIFY}?next=%2Fdesk%2Fclaims%2Fnew%2F"


def test_it_leaves_reporters_without_an_authenticator_free(client, reporter):
    sign_in(client, "reporter")

    assert client.get(DASHBOARD).status_code == 200
    assert client.get(reverse("claims:claim_create")).status_code == 200
    assert client.get(SETUP).status_code == 200  # they may turn it on


def test_a_reporter_who_turned_it_on_must_use_it(client, reporter):
    device = TOTPDevice.objects.create(user=reporter, confirmed=True)
    sign_in(client, "reporter")

    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)

    assert verify(client, totp_code(device))["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


def test_an_api_token_is_not_held_back(client, editor):
    # A token is not a password: it is made on a verified session and is the credential itself.
    token = Token.objects.create(user=editor)

    response = client.post(
        API_CLAIMS,
        {"statement": "Logged by a script."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )

    assert response.status_code == 201


# The second step -------------------------------------------------------------


def test_the_right_code_verifies_the_session_and_gives_it_a_new_key(client, editor):
    device = second_factor_for(editor)
    sign_in(client, "editor")
    key_before = client.session.session_key

    response = verify(client, totp_code(device), next_url=reverse("claims:claim_create"))

    assert response["Location"] == reverse("claims:claim_create")
    assert client.session.session_key != key_before
    for url in PAGES[:-2]:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("home")).status_code == 200
    assert client.get(API_CLAIMS).status_code == 200


def test_it_refuses_a_wrong_code(client, editor):
    device = second_factor_for(editor)
    sign_in(client, "editor")

    response = verify(client, wrong_code(device))

    assert response.status_code == 200
    assert "That code is wrong or already used" in response.content.decode()
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_it_refuses_a_code_that_was_already_used(client, editor):
    device = second_factor_for(editor)
    sign_in(client, "editor")
    code = totp_code(device)
    assert verify(client, code).status_code == 302
    client.post(reverse("logout"))

    # Someone who watched the code being typed, with the password, a moment later:
    other = Client()
    sign_in(other, "editor")
    response = verify(other, code)

    assert response.status_code == 200
    assert "already used" in response.content.decode()
    assert other.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_it_checks_no_code_while_wrong_ones_are_throttled(settings, client, editor):
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600  # the first wrong code makes the next wait an hour
    device = second_factor_for(editor)
    sign_in(client, "editor")
    verify(client, wrong_code(device))

    response = verify(client, totp_code(device))

    assert "Too many wrong codes" in response.content.decode()
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_a_backup_code_signs_in_once(client, editor):
    second_factor_for(editor)
    code = two_factor.new_backup_codes(editor)[0]
    sign_in(client, "editor")

    assert verify(client, code.upper())["Location"] == DASHBOARD

    client.post(reverse("logout"))
    sign_in(client, "editor")
    assert verify(client, code).status_code == 200
    assert client.get(DASHBOARD)["Location"].startswith(VERIFY)


def test_it_does_not_follow_a_next_address_on_another_site(client, editor):
    device = second_factor_for(editor)
    sign_in(client, "editor")

    response = verify(client, totp_code(device), next_url="https://evil.example/")

    assert response["Location"] == DASHBOARD


# Setting it up ---------------------------------------------------------------


def test_the_setup_page_shows_a_secret_and_its_qr_code_and_saves_nothing(client, editor):
    sign_in(client, "editor")

    page = client.get(SETUP).content.decode()
    qr = client.get(QR)

    readable = two_factor.readable_secret(pending_secret(client))
    assert readable in page
    assert f'src="{QR}"' in page
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.lstrip().startswith(b"<?xml") and b"<svg" in qr.content
    assert "no-store" in qr["Cache-Control"]
    assert not TOTPDevice.objects.exists()  # the secret waits in the session until confirmed
    assert client.get(SETUP).content.decode().count(readable) == 1  # and stays the same on reload


def test_it_turns_on_with_a_code_from_the_new_secret(client, editor):
    sign_in(client, "editor")
    client.get(f"{SETUP}?next=/desk/claims/new/")
    key = pending_secret(client)
    code = code_for_key(key)

    response = client.post(f"{SETUP}?next=/desk/claims/new/", {"code": code}, follow=True)

    device = TOTPDevice.objects.get(user=editor)
    assert (device.key, device.confirmed) == (key, True)
    page = response.content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=editor).values_list("token", flat=True))
    assert len(codes) == two_factor.BACKUP_CODE_COUNT
    assert 'href="/desk/claims/new/">Continue' in page
    assert client.get(DASHBOARD).status_code == 200  # the session is verified
    assert not re.findall(r"<li><code>", client.get(SETUP).content.decode())  # codes are shown once

    # The code that confirmed the app cannot sign in again.
    client.post(reverse("logout"))
    sign_in(client, "editor")
    assert verify(client, code).status_code == 200


def test_it_refuses_a_wrong_setup_code(client, editor):
    sign_in(client, "editor")
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000" if code_for_key(pending_secret(client)) != "000000" else "111111"})

    assert "does not match" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get(DASHBOARD)["Location"].startswith(SETUP)


def test_it_renews_backup_codes(client, reporter):
    second_factor_for(reporter)
    old = two_factor.new_backup_codes(reporter)
    TOTPDevice.objects.create(user=reporter, confirmed=True)
    client.force_login(reporter)

    response = client.post(SETUP, {"action": "backup_codes"}, follow=True)

    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == two_factor.BACKUP_CODE_COUNT and not new & set(old)
    assert all(code in response.content.decode() for code in new)


# Turning it off -------------------------------------------------------------


def test_a_reporter_can_turn_it_off_with_a_code(settings, client, reporter):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would otherwise make the right one wait
    device = TOTPDevice.objects.create(user=reporter, confirmed=True)
    two_factor.new_backup_codes(reporter)
    client.force_login(reporter)

    refused = client.post(SETUP, {"action": "disable", "code": wrong_code(device)})
    assert refused.status_code == 200 and TOTPDevice.objects.exists()

    client.post(SETUP, {"action": "disable", "code": totp_code(device)})

    assert not TOTPDevice.objects.exists()
    assert not StaticDevice.objects.exists()
    assert client.get(DASHBOARD).status_code == 200


def test_editors_cannot_turn_it_off(client, editor):
    device = second_factor_for(editor)
    client.force_login(editor)

    page = client.get(SETUP).content.decode()
    response = client.post(SETUP, {"action": "disable", "code": totp_code(device)}, follow=True)

    assert "Turn off two-factor sign-in</button>" not in page
    assert "must keep two-factor sign-in on" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_an_editor_whose_authenticator_is_reset_must_set_one_up_again(client, editor):
    client.force_login(editor)
    assert client.get(DASHBOARD).status_code == 200

    TOTPDevice.objects.filter(user=editor).delete()  # an administrator resets it in the admin

    assert client.get(DASHBOARD)["Location"].startswith(SETUP)

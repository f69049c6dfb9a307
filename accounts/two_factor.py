"""Two-factor sign-in: who must use it, and the authenticator and backup codes behind it.

django-otp does the cryptography, refuses a code it has already accepted once, and
throttles guessing (each wrong code doubles the wait before the next is checked); this
module holds the desk's rules around it.
"""

import io
from base64 import b32encode
from binascii import unhexlify

import segno
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

BACKUP_CODE_COUNT = 10
# URL names of the two steps a signed-in user may still owe.
SETUP = "accounts:two_factor"
VERIFY = "accounts:two_factor_verify"


class Throttled(Exception):
    """Too many wrong codes in a row: no code is checked until ``seconds`` have passed."""

    def __init__(self, seconds: int):
        super().__init__(f"Try again in {seconds} seconds.")
        self.seconds = seconds


def is_required(user: AbstractBaseUser) -> bool:
    """Editors and administrators must sign in with a second factor; reporters may."""
    return user.is_staff or user.is_superuser or user.has_perm("claims.publish_claim")


def authenticator(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def step_due(user: AbstractBaseUser) -> str | None:
    """The URL name of the step a signed-in but unverified user still owes, if any."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    if is_required(user):
        return SETUP
    return None


# Setting up ----------------------------------------------------------------


def new_key() -> str:
    """A fresh secret (hex, 20 bytes as RFC 6238 recommends), kept in the session until confirmed."""
    return random_hex(20)


def readable_secret(key: str) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(user: AbstractBaseUser, key: str) -> bytes:
    """The otpauth:// address of the secret as a QR code, drawn here: no image service sees it."""
    buffer = io.BytesIO()
    segno.make(TOTPDevice(user=user, key=key).config_url, error="m").save(buffer, kind="svg", scale=5, border=4)
    return buffer.getvalue()


def confirms(key: str, code: str) -> int | None:
    """The time step at which ``code`` is right for a not-yet-saved ``key``, or None."""
    code = _normalise(code)
    if not code.isdigit():
        return None
    totp = TOTP(unhexlify(key))
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def enable(user: AbstractBaseUser, key: str, *, confirmed_at_step: int) -> tuple[TOTPDevice, list[str]]:
    """Save the confirmed authenticator (replacing any other) with a fresh set of backup codes.

    The confirming code's time step counts as used, so the same code cannot sign in again.
    """
    disable(user)
    device = TOTPDevice.objects.create(
        user=user, name="Authenticator app", key=key, confirmed=True, last_t=confirmed_at_step
    )
    return device, new_backup_codes(user)


@transaction.atomic
def new_backup_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's backup codes; each signs in once when the phone is not at hand."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Backup codes", "confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def disable(user: AbstractBaseUser) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Signing in ----------------------------------------------------------------


def verify(user: AbstractBaseUser, code: str) -> Device | None:
    """The device that accepts ``code`` (six digits: the app; otherwise a backup code), or None.

    Raises Throttled, without checking the code, while the device makes the user wait.
    """
    code = _normalise(code)
    backup = StaticDevice.objects.filter(user=user, confirmed=True)
    device = authenticator(user) if code.isdigit() else backup.first()
    if device is None:
        return None
    allowed, info = device.verify_is_allowed()
    if not allowed and info and info.get("locked_until"):
        raise Throttled(max(1, int((info["locked_until"] - timezone.now()).total_seconds()) + 1))
    return verify_token(user, device.persistent_id, code)


def mark_verified(request: HttpRequest, device: Device) -> None:
    """The session has passed the second step; it gets a new key, as at any rise in privilege."""
    otp_login(request, device)
    request.session.cycle_key()


def _normalise(code: str) -> str:
    # People copy codes with the spaces an app shows ("123 456") and in either case.
    return "".join(code.split()).lower()


def demo_second_factor(user: AbstractBaseUser) -> tuple[str, list[str]]:
    """For load_demo (DEBUG only): the account's authenticator secret and unused backup codes.

    Made once and then left alone, so a second run changes nothing; a fresh set of codes
    only when every one has been used.
    """
    device = authenticator(user)
    if device is None:
        disable(user)
        device = TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
    codes = list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))
    return readable_secret(device.key), codes or new_backup_codes(user)

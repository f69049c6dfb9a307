"""Test helpers for signing in: the password step through the real form, and the codes an
authenticator app would show."""

import time

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor

PASSWORD = "correct-horse-battery"  # what claims.tests.factories.make_user sets


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    """Submit the sign-in form, as a person would (``extra``: e.g. REMOTE_ADDR)."""
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def second_factor_for(user) -> TOTPDevice | None:
    """The user's authenticator; one is made (confirmed) for an editor or administrator who has none."""
    user = get_user_model().objects.get(pk=user.pk)  # a fresh copy: the caller's permission cache stays as it was
    device = two_factor.authenticator(user)
    if device is None and two_factor.is_required(user):
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def _totp(device: TOTPDevice) -> TOTP:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp


def totp_code(device: TOTPDevice) -> str:
    """The code the app shows now, or, if that one was used already, the next one (still accepted)."""
    device.refresh_from_db()
    totp = _totp(device)
    if totp.t() <= device.last_t:
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that none of the codes accepted now (previous, current, next step) equals."""
    totp = _totp(device)
    accepted = set()
    for offset in (-1, 0, 1):
        totp.drift = device.drift + offset
        accepted.add(totp.token())
    return next(f"{n:06d}" for n in range(10**6) if n not in accepted)

"""Failed sign-ins are throttled per username and address together (django-axes)."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client
from django.urls import reverse

from accounts.tests.helpers import sign_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


def fail_until_locked(client: Client, username: str, **extra) -> list[int]:
    return [
        sign_in(client, username, "wrong-password", **extra).status_code for _ in range(settings.AXES_FAILURE_LIMIT)
    ]


def signed_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_it_refuses_the_attempt_after_the_limit_even_with_the_right_password(client, reporter):
    statuses = fail_until_locked(client, "reporter")

    # Wrong passwords are told so until the limit; the attempt that reaches it is refused.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = sign_in(client, "reporter")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many sign-in attempts" in response.content.decode()
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))


def test_another_user_from_the_same_address_can_still_sign_in(client, reporter, other_reporter):
    fail_until_locked(client, "reporter")

    assert signed_in(sign_in(Client(), "reporter2"))


def test_the_same_user_from_another_address_can_still_sign_in(client, reporter):
    fail_until_locked(client, "reporter")

    assert signed_in(sign_in(Client(), "reporter", **ELSEWHERE))
    assert sign_in(Client(), "reporter").status_code == 429  # still locked from the first address


def test_it_lets_the_user_in_again_after_the_cool_off(client, reporter):
    fail_until_locked(client, "reporter")
    assert sign_in(client, "reporter").status_code == 429

    # As if the cool-off had passed since the last failure.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)

    assert signed_in(sign_in(client, "reporter"))


def test_retrying_while_locked_out_does_not_extend_the_cool_off(client, reporter):
    fail_until_locked(client, "reporter")
    locked_at = AccessAttempt.objects.get().attempt_time

    sign_in(client, "reporter", "wrong-again")

    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_a_successful_sign_in_clears_earlier_failures(client, reporter):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "reporter", "wrong-password")
    assert signed_in(sign_in(client, "reporter"))
    assert not AccessAttempt.objects.exists()

    client.post(reverse("logout"))
    statuses = [sign_in(client, "reporter", "wrong-password").status_code for _ in range(2)]

    assert statuses == [200, 200]


def test_the_lock_out_page_does_not_tell_whether_the_account_exists(client, reporter):
    fail_until_locked(client, "reporter")
    fail_until_locked(client, "no-such-user")

    known, unknown = sign_in(client, "reporter"), sign_in(client, "no-such-user")

    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_it_throttles_the_admin_sign_in_too(client):
    User.objects.create_superuser("admin", "admin@claimdesk.example", "correct-horse-battery")
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "admin", "password": "wrong-password"})

    response = client.post(url, {"username": "admin", "password": "correct-horse-battery"})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_counts_the_address_from_x_forwarded_for_only_behind_a_trusted_proxy(settings, client, reporter):
    # Not trusted: a client cannot dodge the count by inventing addresses.
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "reporter", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    assert sign_in(client, "reporter", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429

    # Behind our proxy at 127.0.0.1, the client's address is the one the proxy saw.
    settings.CLAIMDESK_TRUSTED_PROXIES = ["127.0.0.1"]
    assert signed_in(sign_in(Client(), "reporter", HTTP_X_FORWARDED_FOR="198.51.100.7"))


def test_the_limit_and_cool_off_come_from_the_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CLAIMDESK_"))}
    env.update(DJANGO_SECRET_KEY="x", CLAIMDESK_SIGNIN_FAILURE_LIMIT="3", CLAIMDESK_SIGNIN_COOLOFF_MINUTES="40")
    result = subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", str(datetime.timedelta(minutes=40))]

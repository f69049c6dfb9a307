"""Every sign-in success, failure and lock-out is logged with username and address, never the password."""

import logging

import pytest
from django.conf import settings
from django.test import Client

from accounts.tests.helpers import second_factor_for, sign_in, totp_code, wrong_code

pytestmark = pytest.mark.django_db

SECRET = "hunter2-the-real-one"
WRONG = "Wrong-Pa55word-guess"
ADDRESS = {"REMOTE_ADDR": "198.51.100.23"}


@pytest.fixture
def auth_log(caplog):
    caplog.set_level(logging.INFO)

    def messages() -> list[tuple[int, str]]:
        return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "claimdesk.auth"]

    return messages


@pytest.fixture
def user(reporter):
    reporter.set_password(SECRET)
    reporter.save()
    return reporter


def test_it_logs_a_success_with_username_and_address(client, user, auth_log):
    sign_in(client, "reporter", SECRET, **ADDRESS)

    assert (logging.INFO, "sign-in: password accepted user=reporter ip=198.51.100.23") in auth_log()


def test_it_logs_a_failure_without_the_password(client, user, auth_log, caplog):
    sign_in(client, "reporter", WRONG, **ADDRESS)

    assert auth_log() == [(logging.WARNING, "sign-in failed user=reporter ip=198.51.100.23")]
    assert WRONG not in caplog.text  # in no logger's records at all


def test_it_logs_a_lock_out(client, user, auth_log, caplog):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "reporter", WRONG, **ADDRESS)
    sign_in(client, "reporter", SECRET, **ADDRESS)

    records = auth_log()
    assert (logging.WARNING, "sign-in locked out user=reporter ip=198.51.100.23") in records
    assert not any("password accepted" in message for _, message in records)
    assert WRONG not in caplog.text
    assert SECRET not in caplog.text


def test_it_logs_the_second_step_without_the_code(editor, auth_log, caplog):
    device = second_factor_for(editor)
    client = Client()
    sign_in(client, "editor", **ADDRESS)
    bad, good = wrong_code(device), totp_code(device)

    client.post("/desk/two-factor/verify/", {"code": bad}, **ADDRESS)
    device.throttle_reset()  # no waiting for the throttle in a test
    client.post("/desk/two-factor/verify/", {"code": good}, **ADDRESS)

    records = auth_log()
    assert (logging.WARNING, "sign-in: second factor refused user=editor ip=198.51.100.23") in records
    assert (logging.INFO, "sign-in: second factor accepted user=editor ip=198.51.100.23") in records
    assert bad not in caplog.text and good not in caplog.text


def test_a_username_cannot_forge_a_log_line(client, db, caplog):
    caplog.set_level(logging.INFO)
    sign_in(client, "mallory\nsign-in: password accepted user=admin", WRONG)

    message = next(r.getMessage() for r in caplog.records if r.name == "claimdesk.auth")
    assert message.startswith("sign-in failed user=mallory")
    assert "\n" not in message and "\r" not in message

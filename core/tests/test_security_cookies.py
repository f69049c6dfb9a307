"""The cookies a browser gets in production: names, flags, scope and lifetime.

The values come from the settings a production environment produces (read in a fresh
interpreter), applied to this test process, so a change to config/settings.py shows here.
"""

import pytest
from django.urls import reverse

from core.tests.production import PRODUCTION_ENV, security_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what make_user sets


@pytest.fixture
def production(settings) -> dict:
    values = security_settings(**PRODUCTION_ENV)
    for name, value in values.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    return values


def assert_host_only_secure_cookie(cookie) -> None:
    assert cookie["secure"] is True
    assert cookie["httponly"] is True  # no script reads it, ours or an injected one
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert cookie["domain"] == ""  # __Host- cookies must not name a domain


def test_it_sets_a_host_only_secure_csrf_cookie(client, production):
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert_host_only_secure_cookie(response.cookies["__Host-csrftoken"])


def test_it_sets_a_host_only_secure_session_cookie_at_sign_in(client, reporter, production):
    response = client.post(reverse("login"), {"username": "reporter", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    assert "sessionid" not in response.cookies
    cookie = response.cookies["__Host-sessionid"]
    assert_host_only_secure_cookie(cookie)
    assert cookie["max-age"] == 12 * 3600  # no longer than the absolute session limit


def test_it_reads_the_session_from_its_host_only_cookie(client, reporter, production):
    client.post(reverse("login"), {"username": "reporter", "password": PASSWORD}, secure=True)
    assert client.get(reverse("claims:dashboard"), secure=True).status_code == 200
    # The plain name, say planted by a sibling subdomain over HTTP, is not read.
    client.cookies["sessionid"] = client.cookies["__Host-sessionid"].value
    del client.cookies["__Host-sessionid"]
    response = client.get(reverse("claims:dashboard"), secure=True)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_sends_no_cookie_over_plain_http(client, production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert not response.cookies


def test_it_expires_the_session_cookie_at_sign_out(client, reporter, production):
    client.post(reverse("login"), {"username": "reporter", "password": PASSWORD}, secure=True)
    response = client.post(reverse("logout"), secure=True)
    cookie = response.cookies["__Host-sessionid"]
    assert cookie.value == ""
    assert cookie["max-age"] == 0
    assert cookie["path"] == "/"

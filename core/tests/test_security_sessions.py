"""Sessions: a new key at sign-in, ended on the server at sign-out, deactivation and timeout."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.tests.factories import make_user
from core.security import SEEN, SEEN_RESOLUTION, STARTED

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what make_user sets


def sign_in(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    assert response["Location"] == reverse("claims:dashboard")


def stored(session_key: str) -> bool:
    return Session.objects.filter(session_key=session_key).exists()


def set_stamps(client: Client, **stamps: int) -> None:
    session = client.session
    for name, value in stamps.items():
        session[{"started": STARTED, "seen": SEEN}[name]] = value
    session.save()


# Sign-in and sign-out ------------------------------------------------------


def test_it_gives_a_new_session_key_at_sign_in(client, reporter):
    # A key fixed before sign-in (say, planted by an attacker) must not become the signed-in one.
    before = client.session
    before["visited"] = True
    before.save()
    old_key = before.session_key
    assert stored(old_key)

    sign_in(client, "reporter")

    new_key = client.session.session_key
    assert new_key != old_key
    assert not stored(old_key)
    assert stored(new_key)


def test_it_starts_both_clocks_at_sign_in(client, reporter):
    now = int(time.time())
    sign_in(client, "reporter")
    session = client.session
    assert now <= session[STARTED] <= now + 5
    assert session[SEEN] == session[STARTED]


def test_it_deletes_the_session_on_the_server_at_sign_out(client, reporter):
    sign_in(client, "reporter")
    key = client.session.session_key
    assert stored(key)

    client.post(reverse("logout"))

    assert not stored(key)
    # Replaying the old cookie opens nothing.
    replay = Client()
    replay.cookies["sessionid"] = key
    response = replay.get(reverse("claims:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Deactivation ----------------------------------------------------------------


def test_it_ends_every_session_of_a_deactivated_user(reporter, other_reporter):
    laptop, phone, colleague = Client(), Client(), Client()
    laptop.force_login(reporter)
    phone.force_login(reporter)
    colleague.force_login(other_reporter)
    keys = [laptop.session.session_key, phone.session.session_key]
    assert all(stored(key) for key in keys)

    reporter.is_active = False
    reporter.save()

    assert not any(stored(key) for key in keys)
    assert stored(colleague.session.session_key)  # nobody else is signed out
    response = laptop.get(reverse("claims:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert colleague.get(reverse("claims:dashboard")).status_code == 200


def test_it_ends_sessions_when_only_is_active_is_saved(client, reporter):
    client.force_login(reporter)
    key = client.session.session_key
    reporter.is_active = False
    reporter.save(update_fields=["is_active"])
    assert not stored(key)


def test_it_leaves_sessions_alone_when_an_active_user_is_saved(client, reporter):
    client.force_login(reporter)
    key = client.session.session_key
    reporter.first_name = "Olena"
    reporter.save()
    assert stored(key)


def test_it_ends_sessions_when_an_administrator_deactivates_an_account(client, reporter):
    reporter_client = Client()
    reporter_client.force_login(reporter)
    key = reporter_client.session.session_key
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:auth_user_change", args=[reporter.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name != "password"}
    data.update(is_active="", groups=[group.pk for group in reporter.groups.all()], user_permissions=[])
    data.update(date_joined_0=reporter.date_joined.date(), date_joined_1=reporter.date_joined.time())
    data.update(last_login_0="", last_login_1="")
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    reporter.refresh_from_db()
    assert not reporter.is_active
    assert not stored(key)


# Timeouts --------------------------------------------------------------------


def test_it_ends_a_session_idle_for_too_long(client, reporter, settings):
    client.force_login(reporter)
    key = client.session.session_key
    now = int(time.time())
    set_stamps(client, started=now - 3600, seen=now - settings.SESSION_IDLE_TIMEOUT - 1)

    response = client.get(reverse("claims:dashboard"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('claims:dashboard')}"
    assert not stored(key)
    assert client.get(reverse("claims:dashboard")).status_code == 302  # still signed out


def test_it_ends_a_session_after_the_absolute_limit_even_when_busy(client, reporter, settings):
    client.force_login(reporter)
    key = client.session.session_key
    now = int(time.time())
    set_stamps(client, started=now - settings.SESSION_ABSOLUTE_TIMEOUT - 1, seen=now - 5)

    response = client.get(reverse("claims:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not stored(key)


def test_it_answers_an_expired_api_session_with_401(client, reporter, settings):
    client.force_login(reporter)
    key = client.session.session_key
    now = int(time.time())
    set_stamps(client, started=now, seen=now - settings.SESSION_IDLE_TIMEOUT - 1)

    response = client.get("/api/v1/claims/", HTTP_ACCEPT="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has expired. Sign in again."}
    assert not stored(key)


def test_it_answers_an_expired_fetch_with_401_not_a_login_page(client, reporter, settings):
    client.force_login(reporter)
    now = int(time.time())
    set_stamps(client, started=now, seen=now - settings.SESSION_IDLE_TIMEOUT - 1)
    response = client.get(reverse("claims:claim_similar"), {"q": "blocking units"}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 401


def test_it_keeps_an_active_session_and_moves_its_last_seen_stamp(client, reporter, settings):
    client.force_login(reporter)
    now = int(time.time())
    set_stamps(client, started=now - 3600, seen=now - settings.SESSION_IDLE_TIMEOUT + 60)

    response = client.get(reverse("claims:dashboard"))

    assert response.status_code == 200
    assert client.session[SEEN] >= now
    assert client.session[STARTED] == now - 3600  # the absolute clock never moves


def test_it_does_not_write_the_session_on_every_request(client, reporter):
    client.force_login(reporter)
    now = int(time.time())
    set_stamps(client, started=now, seen=now)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("claims:dashboard"))

    assert response.status_code == 200
    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")]
    assert writes == []
    assert client.session[SEEN] == now


def test_it_writes_the_last_seen_stamp_once_it_is_a_minute_old(client, reporter):
    client.force_login(reporter)
    now = int(time.time())
    set_stamps(client, started=now, seen=now - SEEN_RESOLUTION)

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("claims:dashboard"))

    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and q["sql"].startswith("UPDATE")]
    assert len(writes) == 1


def test_it_starts_the_clocks_for_a_session_that_has_none(client, reporter):
    # A session signed in before the timeouts existed is not thrown out, and is timed from now on.
    client.force_login(reporter)
    session = client.session
    del session[STARTED]
    del session[SEEN]
    session.save()

    assert client.get(reverse("claims:dashboard")).status_code == 200
    assert STARTED in client.session
    assert SEEN in client.session


def test_it_leaves_anonymous_readers_without_a_session(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0

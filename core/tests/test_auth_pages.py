import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_leads_to_the_dashboard_after_sign_in(client, reporter):
    response = client.post(reverse("login"), {"username": "reporter", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:dashboard")


def test_it_says_clearly_when_sign_in_fails(client, reporter):
    response = client.post(reverse("login"), {"username": "reporter", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_renders_our_password_change_page(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("password_change"))
    assert response.status_code == 200
    assert "Change your password" in response.content.decode()


def test_it_requires_login_for_the_password_change_page(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_signs_out_with_a_post_only(client, reporter):
    client.force_login(reporter)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session

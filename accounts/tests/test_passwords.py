import pytest
from django.urls import reverse

from accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("common", ["qwertyuiop", "password123", "football12"])
def test_it_refuses_a_common_password(client, reporter, common):
    client.force_login(reporter)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": common, "new_password2": common},
    )

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    reporter.refresh_from_db()
    assert reporter.check_password(PASSWORD)


def test_it_accepts_an_uncommon_password(client, reporter):
    client.force_login(reporter)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "ochre-lantern-41-tide", "new_password2": "ochre-lantern-41-tide"},
    )

    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password("ochre-lantern-41-tide")

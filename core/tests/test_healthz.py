"""The health check: the cheapest page the app serves, and the benchmark's baseline."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    # A proxy must never answer for a dead process with a cached "ok".
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_head_but_refuses_writes(client):
    assert client.head(reverse("healthz")).status_code == 200
    assert client.post(reverse("healthz")).status_code == 405

"""Helpers for the API tests: a client for one of the standing users, and reading what it answers."""

from rest_framework.test import APIClient

API = "/api/v1"


def api_client(user=None) -> APIClient:
    """A client signed in as ``user`` (anonymous for None), the way a token or session would."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def result_ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def all_result_ids(client, url: str) -> list[int]:
    """Every id of a paginated list, following ``next`` to the end."""
    ids = []
    while url:
        response = client.get(url)
        ids += result_ids(response)
        url = response.json()["next"]
    return ids

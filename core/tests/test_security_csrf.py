"""CSRF on every mutating endpoint, and no state change on GET, for every route in the URLconf.

The routes are read from the resolver, not listed by hand, so a view added later is covered
the day it is added; each generated path is checked to resolve to the route it was made for.
"""

import io
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from claims.models import Claim
from claims.views import ACTIONS
from sources.models import Actor, Article, Outlet

pytestmark = pytest.mark.django_db

MUTATING = ("POST", "PUT", "PATCH", "DELETE")
# As a browser asks: the API then renders its browsable pages, forms included.
BROWSER_ACCEPT = "text/html,application/xhtml+xml,*/*;q=0.8"
# Posted to by browsers without a token, and changes nothing (core.csp).
CSRF_EXEMPT = {"csp-report/"}
# Rows a request may write whatever it does: the session itself, and the audit trail's
# record of the request (refusals included, by design: audit.middleware).
NOT_STATE = {"sessions.Session"}
NOT_STATE_APPS = {"audit"}


def routes() -> list[str]:
    """Every URL pattern's full route, as ResolverMatch.route spells it."""

    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern).removeprefix("^")
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                yield route

    return list(walk(get_resolver().url_patterns, ""))


class Newsroom:
    """The demo newsroom: claims in every state, sources, evidence, review events, accounts."""

    def __init__(self) -> None:
        users = get_user_model().objects
        self.admin = users.get(username="admin")
        self.editor = users.get(username="editor")
        self.reporter = users.get(username="reporter")
        # One claim per editorial state, so every action meets every state on GET.
        self.claims = {claim.state: claim for claim in Claim.objects.order_by("-pk")}
        self.objects = {"claims": Claim, "articles": Article, "actors": Actor, "outlets": Outlet}

    def paths(self, route: str, *, every_variant: bool) -> list[str]:
        """Concrete paths for a route: with real ids, and for claims each state (or just one)."""
        values: dict[str, list[str]] = {"format": ["json"], "app_label": ["claims"], "url": ["no-such-page/"]}
        kinds = re.findall(r"(claims|articles|actors|outlets)/", route)
        if kinds and kinds[-1] == "claims":
            claims = list(self.claims.values()) if every_variant else [self.claims[Claim.State.PUBLISHED]]
            values["pk"] = [str(claim.pk) for claim in claims]
        elif kinds:
            values["pk"] = [str(self.objects[kinds[-1]].objects.order_by("pk").first().pk)]
        values["action"] = list(ACTIONS) if every_variant else ["publish"]
        values["slug"] = [Claim.objects.exclude(topics=None).first().topics.first().slug]
        admin_model = re.match(r"admin/(\w+)/(\w+)/", route)
        if route.startswith("admin/r/"):
            claim = self.claims[Claim.State.PUBLISHED]
            values["content_type_id"] = [str(ContentType.objects.get_for_model(Claim).pk)]
            values["object_id"] = [str(claim.pk)]
        elif admin_model and admin_model[1] in apps.all_models and admin_model[2] in apps.all_models[admin_model[1]]:
            model = apps.get_model(*admin_model.groups())
            obj = model._base_manager.order_by("pk").first()
            object_id = str(self.editor.pk if model is get_user_model() else obj.pk if obj else 1)
            values["object_id"] = values["id"] = values["pk"] = [object_id]
            history = getattr(obj, "history", None)
            values["history_id"] = [str(history.first().history_id)] if history is not None else ["1"]
        values["uidb64"] = [urlsafe_base64_encode(force_bytes(self.reporter.pk))]
        values["token"] = [default_token_generator.make_token(self.reporter)]
        return [path for path in _fill("/" + route, values) if path]


def _fill(route: str, values: dict[str, list[str]]) -> list[str]:
    """Expand a route (path converters and regular expressions) into paths, one per value combination."""
    route = route.removesuffix("$").replace("\\.", ".").replace("/?", "/")
    route = re.sub(r"<drf_format_suffix:format>", ".json", route)
    # Unnamed groups (simple-history's object and history ids), in order.
    route = route.replace("([^/]+)/history/([^/]+)", "(?P<object_id>x)/history/(?P<history_id>x)", 1)
    names = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    paths = [route]
    for converter_name, group_name in names:
        name = converter_name or group_name
        token = re.compile(rf"<(?:\w+:)?{name}>|\(\?P<{name}>(?:[^()]|\([^()]*\))*\)")
        paths = [token.sub(lambda _, v=value: v, path, count=1) for path in paths for value in values[name]]
    return paths


@pytest.fixture
def newsroom(settings) -> Newsroom:
    settings.DEBUG = True  # load_demo refuses to run otherwise
    call_command("load_demo", stdout=io.StringIO())
    settings.DEBUG = False
    return Newsroom()


def fingerprint() -> dict[str, list[tuple]]:
    """Every row of every table that holds application state."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label in NOT_STATE or meta.app_label in NOT_STATE_APPS:
            continue
        state[meta.label] = list(model._base_manager.order_by("pk").values_list())
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


def refused_for_csrf(response) -> bool:
    # DRF's HTML-rendered views (the API docs) keep the reason in response.data, not in the page.
    reason = str(getattr(response, "data", None) or response.content)
    return response.status_code == 403 and "CSRF" in reason


def all_paths(newsroom: Newsroom, *, every_variant: bool) -> list[str]:
    paths = []
    for route in routes():
        for path in newsroom.paths(route, every_variant=every_variant):
            assert resolve(path).route == route, f"{path} does not reach {route}"
            paths.append(path)
    return paths


def test_it_reaches_every_route(newsroom):
    # The enumeration itself: a path for every route, and the routes that matter among them.
    paths = all_paths(newsroom, every_variant=False)
    assert len({resolve(path).route for path in paths}) == len(set(routes()))
    for name in ("claims:claim_act", "claims:claim_edit", "sources:article_edit", "accounts:api_token", "logout"):
        assert any(resolve(path).view_name == name for path in paths), name


def test_it_refuses_every_mutating_request_without_a_csrf_token(newsroom):
    client = Client(enforce_csrf_checks=True)
    client.force_login(newsroom.admin)  # a superuser, past two-factor sign-in: every view opens
    client.get(reverse("claims:claim_create"))  # the browser holds a CSRF cookie; the forged request has no token
    assert "csrftoken" in client.cookies
    before = fingerprint()

    let_through = []
    for path in all_paths(newsroom, every_variant=False):
        if resolve(path).route in CSRF_EXEMPT:
            continue
        for method in MUTATING:
            response = client.generic(
                method, path, "statement=x&version=1&note=x", content_type="application/x-www-form-urlencoded"
            )
            if not refused_for_csrf(response):
                let_through.append(f"{method} {path} -> {response.status_code}")

    assert let_through == []
    assert changed_tables(before, fingerprint()) == []


def test_it_changes_nothing_on_get(newsroom):
    # An administrator opens every page; a reporter meets the owner and permission checks.
    for user in (newsroom.admin, newsroom.reporter):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        before = fingerprint()
        errors = []
        for path in all_paths(newsroom, every_variant=True):
            if resolve(path).route in CSRF_EXEMPT:
                continue
            status = client.get(path, HTTP_ACCEPT=BROWSER_ACCEPT).status_code
            if status >= 500:
                errors.append(f"GET {path} -> {status}")
        assert errors == []
        assert changed_tables(before, fingerprint()) == [], user


def test_it_accepts_a_session_api_write_with_the_csrf_token(newsroom):
    # The refusal above is about the token, not the user: with it, the same write goes through.
    client = Client(enforce_csrf_checks=True)
    client.force_login(newsroom.reporter)
    client.get(reverse("claims:claim_create"))
    draft = newsroom.claims[Claim.State.DRAFT]
    draft.created_by = newsroom.reporter
    draft.save()
    url = f"/api/v1/claims/{draft.pk}/submit/"
    payload = {"version": draft.version, "note": "Ready."}

    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    token = client.cookies["csrftoken"].value
    accepted = client.post(url, payload, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200, accepted.content
    draft.refresh_from_db()
    assert draft.state == Claim.State.IN_REVIEW


def test_it_needs_no_csrf_token_with_an_api_token(newsroom):
    # A token is not sent by a browser on its own, so it cannot be forged across sites.
    draft = newsroom.claims[Claim.State.DRAFT]
    draft.created_by = newsroom.reporter
    draft.save()
    key = Token.objects.create(user=newsroom.reporter).key
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/api/v1/claims/{draft.pk}/submit/",
        {"version": draft.version, "note": "Ready."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.state == Claim.State.IN_REVIEW

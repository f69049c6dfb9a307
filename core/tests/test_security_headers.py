"""Security headers on every kind of response; no-store where a response is private."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from claims.models import Claim
from claims.tests.factories import make_claim
from config.urls import REDOC_POLICY, SWAGGER_UI_POLICY

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": ["'none'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "report-uri": ["/csp-report/"],
    "report-to": ["csp"],
}


def policy(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";") if part.strip()]
    return {name: values for name, *values in directives}


def assert_security_headers(response, *, policy_changes: dict | None = None) -> None:
    # Exactly this policy: no 'unsafe-inline', no other host, nothing left to default-src.
    assert policy(response) == {**POLICY, **(policy_changes or {})}
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert permissions[feature] == "()"


def assert_never_stored(response) -> None:
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_it_protects_a_public_page_and_keeps_it_cacheable(client):
    make_claim(state=Claim.State.PUBLISHED)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in response.get("Cache-Control", "")
    assert response.has_header("ETag")  # conditional GET still works for readers


def test_it_protects_a_feed(client):
    response = client.get(reverse("public:feed_atom"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_it_protects_a_staff_page_and_keeps_it_out_of_caches(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("claims:dashboard"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_it_keeps_the_sign_in_page_out_of_caches(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_it_protects_the_admin_sign_in(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_it_protects_a_not_found_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)


def test_it_protects_a_redirect(client):
    response = client.get(reverse("claims:dashboard"))
    assert response.status_code == 302
    assert_security_headers(response)
    assert_never_stored(response)


def test_it_lets_anonymous_api_reads_be_cached_but_varies_on_credentials(client):
    make_claim(state=Claim.State.PUBLISHED)
    response = client.get("/api/v1/claims/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" not in response.get("Cache-Control", "")
    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert {"cookie", "authorization"} <= vary


def test_it_keeps_api_answers_to_a_token_out_of_caches(client, reporter):
    token = Token.objects.create(user=reporter)
    response = client.get("/api/v1/claims/", HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert_security_headers(response)
    assert_never_stored(response)


def test_it_keeps_api_answers_to_a_session_out_of_caches(client, reporter):
    client.force_login(reporter)
    response = client.get("/api/v1/claims/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert_never_stored(response)


def test_it_keeps_an_api_refusal_out_of_caches_too(client):
    response = client.get("/api/v1/claims/", HTTP_AUTHORIZATION="Token not-a-token", HTTP_ACCEPT="application/json")
    assert response.status_code == 401
    assert_security_headers(response)
    vary = {value.strip().lower() for value in response["Vary"].split(",")}
    assert {"cookie", "authorization"} <= vary


@pytest.mark.parametrize("url", ["/api/docs/", "/api/docs/?script=", "/api/redoc/", "/api/schema/"])
def test_it_serves_the_api_documentation_under_the_same_policy(client, url):
    response = client.get(url)
    assert response.status_code == 200
    # Each documentation page widens the policy by exactly its own additions.
    additions = SWAGGER_UI_POLICY if url.startswith("/api/docs/") else REDOC_POLICY if url == "/api/redoc/" else {}
    changes = {name: POLICY.get(name, []) + values for name, values in additions.items()}
    assert_security_headers(response, policy_changes=changes)
    body = response.content.decode()
    if url in ("/api/docs/", "/api/redoc/"):
        # Nothing inline that the policy would block, and no web fonts from another host.
        assert "<style" not in body
        assert "<script>" not in body
        assert "googleapis" not in body


def test_it_protects_static_files(settings):
    # WhiteNoise answers before the view layer; the headers are added above it.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert_security_headers(response)


def test_it_sends_hsts_over_https_in_production_mode(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("public:methodology"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    plain = client.get(reverse("public:methodology"))
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver" + reverse("public:methodology")


def test_it_answers_a_load_balancers_health_check_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("public:methodology")).status_code == 301


def test_it_lets_only_the_browsable_api_use_style_attributes(client):
    html = client.get("/api/v1/claims/", HTTP_ACCEPT="text/html")
    assert html.status_code == 200
    assert_security_headers(html, policy_changes={"style-src-attr": ["'unsafe-inline'"]})
    assert "<style" not in html.content.decode()  # no inline <style> element: style-src stays 'self'
    page = client.get(reverse("public:methodology"))
    assert "style-src-attr" not in page["Content-Security-Policy"]

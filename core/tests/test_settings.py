"""Configuration comes from the environment, and a bad value stops start-up."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from core.tests.production import PRODUCTION_ENV, outside_env, security_settings

ROOT = Path(__file__).resolve().parents[2]


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_it_starts_without_a_secret_key_in_debug():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be one of"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "mongodb://x/y"}, "DATABASE_URL"),
        ({"DJANGO_DEBUG": "1", "DJANGO_CONN_MAX_AGE": "ten"}, "DJANGO_CONN_MAX_AGE must be a whole number"),
    ],
)
def test_it_names_a_bad_value(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_it_reads_postgres_from_database_url():
    result = load_settings(DJANGO_SECRET_KEY="k", DATABASE_URL="postgres://u@127.0.0.1:5432/claimdesk")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


# --- Production mode (issue 7) ---


def test_it_is_https_only_when_debug_is_off():
    values = security_settings(**PRODUCTION_ENV)
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": 12 * 3600,
        "SESSION_IDLE_TIMEOUT": 30 * 60,
        "SESSION_ABSOLUTE_TIMEOUT": 12 * 3600,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        # Not trusted unless the operator says a proxy sets it.
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_it_trusts_x_forwarded_proto_only_when_told():
    values = security_settings(**PRODUCTION_ENV, DJANGO_TRUST_X_FORWARDED_PROTO="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_it_can_leave_the_hsts_preload_list_alone():
    values = security_settings(**PRODUCTION_ENV, DJANGO_HSTS_PRELOAD="0")
    assert values["SECURE_HSTS_PRELOAD"] is False
    assert values["SECURE_HSTS_SECONDS"] == 31536000


@pytest.mark.parametrize("env", [{**PRODUCTION_ENV, "DJANGO_HTTPS": "0"}, {"DJANGO_DEBUG": "1"}])
def test_it_serves_plain_http_for_local_runs(env):
    values = security_settings(**env)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    # A browser drops a __Host- cookie that comes without Secure: plain names over http.
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["CSRF_COOKIE_NAME"] == "csrftoken"
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_it_reads_the_session_limits():
    values = security_settings(**PRODUCTION_ENV, DJANGO_SESSION_IDLE_SECONDS="600", DJANGO_SESSION_MAX_SECONDS="3600")
    assert values["SESSION_IDLE_TIMEOUT"] == 600
    assert values["SESSION_ABSOLUTE_TIMEOUT"] == 3600
    assert values["SESSION_COOKIE_AGE"] == 3600


def test_it_refuses_a_bad_https_value():
    result = load_settings(**PRODUCTION_ENV, DJANGO_HTTPS="sometimes")
    assert result.returncode != 0
    assert "DJANGO_HTTPS must be one of" in result.stderr


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=outside_env(**{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_HTTPS": "1"}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_fails_the_deployment_checklist_over_plain_http():
    # The same check catches an operator who turns HTTPS off in production.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=outside_env(**{**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_HTTPS": "0"}),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout  # SECURE_SSL_REDIRECT

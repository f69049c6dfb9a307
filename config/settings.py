"""Claimdesk settings, read from the environment (12-factor).

Every variable goes through one of the small helpers below, which refuse a
value they cannot understand instead of guessing: a typo in production
configuration must stop the process at start-up, not change its behaviour.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}.") from None


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for a local development run."
        )
    # Only reachable with DEBUG on: a fixed key is harmless on a developer's laptop.
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Sign-in protection (accounts/): throttling, and TOTP two-factor with backup codes.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "core",
    "sources",
    "claims",
    "glossary",
    "public",
    "accounts",
    "audit",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files get the Content-Security-Policy and the other headers too.
    "csp.middleware.CSPMiddleware",
    "core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET, and 304 for a client that already has the response.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every write request in one transaction, with its audit record; refused access recorded too.
    # Just after authentication, so it sees what the sign-in, 2FA and lock-out layers below answer.
    "audit.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a signed-in session that is idle too long or too old (after auth, whose session it reads).
    "core.security.SessionTimeoutMiddleware",
    # Whether the session has passed two-factor sign-in; then what an unverified one may open
    # (after the timeout, so an expired session is ended rather than asked for a code).
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records request.user as the author of every history entry.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a refused sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    _default_db = dj_database_url.parse(_database_url, conn_max_age=envint("DJANGO_CONN_MAX_AGE", 0))
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL Django understands: {exc}") from None
if not _default_db.get("ENGINE"):
    raise ImproperlyConfigured("DATABASE_URL names no database engine (sqlite:// or postgres://).")
_default_db["CONN_HEALTH_CHECKS"] = True
if _default_db["ENGINE"] == "django.db.backends.postgresql":
    # Fail closed, fast: a database that is down or hangs must turn into a 503 within 2.5 s
    # (core.failsafe), never a request that waits for gunicorn to kill its worker.
    _pg = _default_db.setdefault("OPTIONS", {})
    # Connecting gives up after this many seconds (libpq's minimum is 2).
    _connect_timeout = envint("DJANGO_DB_CONNECT_TIMEOUT", 2)
    _pg.setdefault("connect_timeout", _connect_timeout)
    # Sent data left unacknowledged as long (a dead host, a cut network) ends the connection;
    # keepalives find an idle persistent connection whose server went away.
    _pg.setdefault("tcp_user_timeout", _connect_timeout * 1000)
    _pg.setdefault("keepalives", 1)
    _pg.setdefault("keepalives_idle", 10)
    _pg.setdefault("keepalives_interval", 2)
    _pg.setdefault("keepalives_count", 3)
    # In the app server, a statement that waits on a lock or a stalled server is cancelled.
    # Management commands (a migration rewriting a table, a bulk load) get no limit unless set.
    _command = Path(sys.argv[0]).name in ("manage.py", "django-admin")
    _statement_timeout = envint("DJANGO_DB_STATEMENT_TIMEOUT_MS", 0 if _command else 2000)
    if _statement_timeout:
        _pg["options"] = f"{_pg.get('options', '')} -c statement_timeout={_statement_timeout}".strip()
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # Take SQLite's write lock when a transaction begins: a second writer then waits
    # for it (and a stale version gets its 409) instead of failing half-way with
    # "database is locked" when it tries to upgrade a read lock.
    _default_db.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
DATABASES = {"default": _default_db}

# Several app processes (or hosts) must share one cache, or each keeps its own API throttle and
# rate-limit counts (docs/deploy.md): redis://host:6379/0. Unset: each process's own memory.
_cache_url = os.environ.get("CLAIMDESK_CACHE_URL", "")
if _cache_url:
    if not _cache_url.startswith(("redis://", "rediss://", "unix://")):
        # The value is not echoed: it may hold the cache's password.
        raise ImproperlyConfigured("CLAIMDESK_CACHE_URL must be a redis://, rediss:// or unix:// URL.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Sign-in protection (issue 7; accounts/) ---
# django-axes checks every password sign-in (the site's and the admin's) before Django's own backend.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failures count per username *and* address together: an attacker locks only their own
# address out of one account, never every user, nor a user everywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = envint("CLAIMDESK_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("CLAIMDESK_SIGNIN_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lock-out; retrying meanwhile does not restart it, so the page can say how long.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "accounts.ip.client_ip"
# Sign-ins are recorded in the "claimdesk.auth" log; no table of every sign-in grows forever.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no start-up banner; accounts.signals logs who signed in from where
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# Addresses of our own reverse proxies (comma-separated). Only for requests from these is the
# client's address read from X-Forwarded-For; with none set, it is REMOTE_ADDR. Without it behind
# a proxy, every client has the proxy's address and shares one failure count per username.
CLAIMDESK_TRUSTED_PROXIES = envlist("CLAIMDESK_TRUSTED_PROXIES", [])
OTP_TOTP_ISSUER = "Claimdesk"
# Administrators manage devices in the admin but never read a secret key there.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "claims:dashboard"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Transport, cookies, sessions and headers (issue 7; see docs/deploy.md) ---
# HTTPS-only mode: on by default whenever debug is off. DJANGO_HTTPS=0 is for plain-HTTP runs
# on 127.0.0.1 only (tests, fuzzing, benchmarks); a browser would refuse the __Host- cookies there.
HTTPS = envbool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# A load balancer may poll the app server itself over plain HTTP; "ok" reveals nothing.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# __Host-: the browser only accepts the cookie from this exact host, over HTTPS, with Path=/ and no
# Domain, so a sibling subdomain cannot plant or overwrite it.
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "csrftoken"
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", 365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and envbool("DJANGO_HSTS_PRELOAD", True)
# Only behind a reverse proxy that sets X-Forwarded-Proto itself and strips it from clients:
# anywhere else a client could claim HTTPS and skip the redirect.
if envbool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Lax, not Strict: a link to a desk page from a mail or a chat must open signed in. Cross-site
# POSTs carry no cookie either way, and no GET changes anything.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A signed-in session ends after this long without a request, and this long after sign-in
# whatever happens (core.security.SessionTimeoutMiddleware); the cookie lives no longer.
SESSION_IDLE_TIMEOUT = envint("DJANGO_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = envint("DJANGO_SESSION_MAX_SECONDS", 12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Browsers report Content-Security-Policy violations here (core.csp); a report is logged, never stored.
CSP_REPORT_PATH = "/csp-report/"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        # claim_form.js fetches similar claims from the desk.
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "report-uri": [CSP_REPORT_PATH],
        "report-to": ["csp"],
    },
}

REST_FRAMEWORK = {
    # Token first, so a missing or dead token gets 401 with WWW-Authenticate rather than 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("CLAIMDESK_API_ANON_RATE", "120/minute")},
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Claimdesk API",
    "DESCRIPTION": (
        "Claims about coercion on the battlefield, traced to their origins. Anyone may read published and "
        "withdrawn claims; staff write with a session or a personal token and the same rules as the desk."
    ),
    "VERSION": "1.0.0",
    # Swagger UI and Redoc are served from our own host, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClaimStatusEnum": "claims.models.Status",
        "ClaimStateEnum": "claims.models.State",
    },
}

# Django's CSRF refusal page, plus the reason for the audit record.
CSRF_FAILURE_VIEW = "audit.views.csrf_failure"

# One handler, and its filter on every record: user text cannot forge a line (control
# characters escaped) and credentials never reach the log (core.logging). Django's own
# loggers propagate here instead of keeping handlers of their own without the filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"safe": {"()": "core.logging.SafeLogFilter"}},
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["safe"], "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

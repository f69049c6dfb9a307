"""Settings as production gets them: read in a fresh interpreter from production-like variables.

The test process itself runs with DJANGO_HTTPS=0 (pyproject.toml), so production values are never
read from django.conf.settings here.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "claims.example.org",
    "DATABASE_URL": "postgres://claimdesk@127.0.0.1:5432/claimdesk",
}
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "SESSION_IDLE_TIMEOUT",
    "SESSION_ABSOLUTE_TIMEOUT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
]


def outside_env(**env: str) -> dict[str, str]:
    """This process's environment without its Django variables, plus exactly these."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return {**clean, **env}


def security_settings(**env: str) -> dict:
    """The security settings a fresh interpreter gets from exactly these variables."""
    result = subprocess.run(  # noqa: S603 (this interpreter, our own code and setting names)
        [
            sys.executable,
            "-c",
            "import json, sys, config.settings as s; print(json.dumps({n: getattr(s, n, None) for n in sys.argv[1:]}))",
            *SECURITY_SETTINGS,
        ],
        cwd=ROOT,
        env=outside_env(**env),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)

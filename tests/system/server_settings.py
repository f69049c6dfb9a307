"""Settings of the gunicorn that the system tests start: production's, except static file storage.

Production serves files hashed by collectstatic; the tests do not run it, so pages would fail
looking up a manifest. Everything else (debug off, the database options, the error handlers,
the middleware) is exactly what production runs.
"""

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

import pytest
from django.core.cache import cache

from claims.tests.factories import make_user


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed files from a collectstatic manifest; tests render
    # templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Hashing is deliberately slow in production; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # The API's throttle counts anonymous requests in the cache; each test starts from none.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def reporter(db):
    return make_user("reporter", role="Reporters")


@pytest.fixture
def other_reporter(db):
    return make_user("reporter2", role="Reporters")


@pytest.fixture
def editor(db):
    return make_user("editor", role="Editors")

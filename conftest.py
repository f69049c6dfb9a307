import pytest
from django.core.cache import cache
from django.test.client import ClientMixin
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.tests.helpers import second_factor_for
from claims.tests.factories import make_user

_plain_force_login = ClientMixin.force_login


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


def _force_login_with_second_factor(self, user, backend=None):
    _plain_force_login(self, user, backend)
    device = second_factor_for(user)
    if device is not None:
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id  # what django_otp.login stores
        session.save()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """``client.force_login(editor)`` gives what a full sign-in gives: a verified second factor.

    Editors and administrators must sign in with one, and the suite's tests are about what
    signed-in people do, not about signing in. Tests of the unverified paths (accounts/tests)
    sign in through the real password form instead, which never verifies a session.
    """
    monkeypatch.setattr(ClientMixin, "force_login", _force_login_with_second_factor)


@pytest.fixture
def reporter(db):
    return make_user("reporter", role="Reporters")


@pytest.fixture
def other_reporter(db):
    return make_user("reporter2", role="Reporters")


@pytest.fixture
def editor(db):
    return make_user("editor", role="Editors")

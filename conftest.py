import pytest

from claims.tests.factories import make_user


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production serves hashed files from a collectstatic manifest; tests render
    # templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def reporter(db):
    return make_user("reporter", role="Reporters")


@pytest.fixture
def other_reporter(db):
    return make_user("reporter2", role="Reporters")


@pytest.fixture
def editor(db):
    return make_user("editor", role="Editors")

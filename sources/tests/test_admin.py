import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from sources.models import Actor, Article, sha256_hex
from sources.tests.factories import make_actor, make_article, make_group, make_outlet

SOURCE_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "sources"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("admin", "admin@claimdesk.example", "correct-horse-battery")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def sources(db):
    """One of each source record, so changelists render real rows."""
    outlet = make_outlet(name="Kyiv Post", country="UA")
    article = make_article(outlet=outlet, headline="Intercepts of blocking units", captured_text="Captured copy.")
    group = make_group(name="Ukrainian state")
    actor = make_actor(name="Real Name", is_protected=True, pseudonym="Wiretap specialist", independence_group=group)
    return {"outlet": outlet, "article": article, "group": group, "actor": actor}


def test_it_registers_every_source_model():
    # simple_history's Historical* models are browsed through their model's admin.
    models = apps.get_app_config("sources").get_models()
    assert {model for model in models if not model.__name__.startswith("Historical")} == set(SOURCE_MODELS)


@pytest.mark.parametrize("model", SOURCE_MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_changelist(superuser_client, sources, model):
    response = superuser_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", SOURCE_MODELS, ids=lambda model: model.__name__)
def test_it_applies_the_changelist_search(superuser_client, sources, model):
    response = superuser_client.get(admin_url(model, "changelist"), {"q": "matches-nothing"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize("model", SOURCE_MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_add_page(superuser_client, model):
    assert superuser_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", SOURCE_MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_change_page(superuser_client, sources, model):
    obj = model._default_manager.get()
    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_it_finds_articles_by_outlet_name(superuser_client, sources):
    make_article(outlet=make_outlet(name="Ziare"), headline="Relayed report")

    response = superuser_client.get(admin_url(Article, "changelist"), {"q": "kyiv post"})

    assert list(response.context["cl"].result_list) == [sources["article"]]


def test_it_finds_protected_actors_by_pseudonym(superuser_client, sources):
    make_actor(name="UK Ministry of Defence")

    response = superuser_client.get(admin_url(Actor, "changelist"), {"q": "wiretap"})

    assert list(response.context["cl"].result_list) == [sources["actor"]]
    assert "Wiretap specialist" in response.content.decode()


def test_it_shows_the_computed_hash_read_only(superuser_client, sources):
    article = sources["article"]

    response = superuser_client.get(admin_url(Article, "change", article.pk))

    content = response.content.decode()
    assert f'<div class="readonly">{sha256_hex("Captured copy.")}</div>' in content
    assert 'name="captured_sha256"' not in content
    assert 'name="version"' not in content


def test_it_ignores_a_posted_hash(superuser_client, sources):
    article = sources["article"]

    response = superuser_client.post(
        admin_url(Article, "change", article.pk),
        {
            "url": article.url,
            "headline": article.headline,
            "outlet": article.outlet_id,
            "language": "en",
            "captured_text": "Corrected copy.",
            "captured_sha256": "0" * 64,
            "captured_at": "2000-01-01 00:00:00",
            "version": "99",
        },
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.captured_text == "Corrected copy."
    assert article.captured_sha256 == sha256_hex("Corrected copy.")
    assert article.captured_at.year != 2000
    assert article.version == 1

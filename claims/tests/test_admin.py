import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Attribution, Claim, Corroboration, EvidenceItem, Region, ReviewEvent
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_topic
from sources.models import Actor, Article
from sources.tests.factories import make_actor, make_article

CLAIM_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "claims"),
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
def claim(db):
    """A published claim with one of every record that hangs off it."""
    claim = make_claim(statement="Blocking units fired on retreating soldiers.", state=Claim.State.PUBLISHED)
    claim.topics.add(make_topic())
    claim.regions.add(Region.objects.get(slug="kharkiv"))
    evidence = EvidenceItem.objects.create(
        title="Intercepted call", kind=EvidenceItem.Kind.AUDIO_INTERCEPT, published_by=make_actor(name="GUR")
    )
    claim.evidence.add(evidence)
    make_attribution(claim=claim)
    make_corroboration(claim=claim, evidence=evidence)
    ReviewEvent.objects.create(claim=claim, action=ReviewEvent.Action.SUBMIT, user=claim.created_by)
    return claim


def test_it_registers_every_claim_model():
    # simple_history's Historical* models are browsed through their model's admin.
    models = apps.get_app_config("claims").get_models()
    assert {model for model in models if not model.__name__.startswith("Historical")} == set(CLAIM_MODELS)


def test_it_lets_staff_see_the_history_of_every_tracked_model():
    tracked = [model for model in apps.get_models() if hasattr(model._meta, "simple_history_manager_attribute")]
    assert {Claim, Attribution, Corroboration, EvidenceItem, Article, Actor} <= set(tracked)
    for model in tracked:
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


def test_it_passes_the_admin_system_checks():
    # Among others: autocomplete fields need search_fields on the target's admin.
    assert admin.site.check(None) == []


@pytest.mark.parametrize("model", CLAIM_MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_changelist(superuser_client, claim, model):
    response = superuser_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", CLAIM_MODELS, ids=lambda model: model.__name__)
def test_it_applies_the_changelist_search(superuser_client, claim, model):
    response = superuser_client.get(admin_url(model, "changelist"), {"q": "matches-nothing"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "model", [model for model in CLAIM_MODELS if model is not ReviewEvent], ids=lambda model: model.__name__
)
def test_it_renders_the_add_page(superuser_client, model):
    assert superuser_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", CLAIM_MODELS, ids=lambda model: model.__name__)
def test_it_renders_the_change_page(superuser_client, claim, model):
    obj = model._default_manager.first()
    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_it_finds_claims_by_statement(superuser_client, claim):
    make_claim(statement="Conscripts will not be sent to the front.")

    response = superuser_client.get(admin_url(Claim, "changelist"), {"q": "blocking units"})

    assert list(response.context["cl"].result_list) == [claim]


def test_it_autocompletes_articles_for_attributions(superuser_client, claim):
    make_article(headline="Moscow calls the leaks fakes")

    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "attribution", "field_name": "article", "term": "fakes"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Moscow calls the leaks fakes"]


def make_claims(count: int, *, offset: int = 0) -> None:
    topic, article, actor = make_topic(name=f"Topic {offset}"), make_article(), make_actor()
    for number in range(offset, offset + count):
        author = User.objects.create(username=f"author{number}")
        claim = make_claim(statement=f"Claim {number}", created_by=author, state=Claim.State.PUBLISHED)
        claim.topics.add(topic)
        make_attribution(claim=claim, article=article, actor=actor)


def test_it_lists_claims_in_a_fixed_number_of_queries(superuser_client, django_assert_num_queries):
    url = admin_url(Claim, "changelist")
    make_claims(3)

    # session, user, the authenticator that verified the session (two-factor sign-in),
    # topics for the filter, count of the claims (once: no separate unfiltered count),
    # the page of claims joined to their authors.
    with django_assert_num_queries(6):
        response = superuser_client.get(url)
    assert len(response.context["cl"].result_list) == 3

    make_claims(27, offset=3)
    with django_assert_num_queries(6):
        response = superuser_client.get(url)
    assert len(response.context["cl"].result_list) == 30


def management_form(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_it_records_the_logged_in_user_as_author_of_a_new_claim(superuser_client, superuser):
    article, actor = make_article(), make_actor(name="GUR")
    someone_else = User.objects.create(username="someone-else")

    response = superuser_client.post(
        admin_url(Claim, "add"),
        {
            "statement": "Blocking units fired on retreating soldiers.",
            # Read-only in the admin: these must be ignored.
            "created_by": someone_else.pk,
            "state": Claim.State.PUBLISHED,
            "status": Claim.Status.CONFIRMED,
            **management_form("attributions", 1),
            "attributions-0-article": article.pk,
            "attributions-0-actor": actor.pk,
            "attributions-0-stance": Attribution.Stance.ASSERTS,
            "attributions-0-quote": "Our intercepts show it.",
            **management_form("corroborations", 1),
            "corroborations-0-method": Corroboration.Method.AUDIO_FORENSICS,
            "corroborations-0-finding": Corroboration.Finding.INCONCLUSIVE,
            "corroborations-0-created_by": someone_else.pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get()
    assert claim.created_by == superuser
    assert (claim.state, claim.status) == (Claim.State.DRAFT, Claim.Status.UNVERIFIED)
    attribution = claim.attributions.get()
    assert (attribution.article, attribution.actor) == (article, actor)
    assert claim.corroborations.get().created_by == superuser
    assert claim.history.get().history_user == superuser


def test_it_records_the_logged_in_user_as_author_of_a_new_corroboration(superuser_client, superuser, claim):
    response = superuser_client.post(
        admin_url(Corroboration, "add"),
        {
            "claim": claim.pk,
            "method": Corroboration.Method.IDENTITY_RELATIVES,
            "finding": Corroboration.Finding.SUPPORTS,
            "created_by": claim.created_by.pk,
        },
    )

    assert response.status_code == 302
    assert claim.corroborations.latest("id").created_by == superuser


def test_it_keeps_the_author_when_another_user_edits_a_claim(superuser_client, claim):
    author = claim.created_by

    response = superuser_client.post(
        admin_url(Claim, "change", claim.pk),
        {
            "statement": "Blocking units fired on retreating soldiers near Kharkiv.",
            **management_form("attributions", 0),
            **management_form("corroborations", 0),
        },
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement.endswith("near Kharkiv.")
    assert claim.created_by == author


def test_it_shows_who_changed_a_claim_in_its_history(superuser_client, superuser, claim):
    superuser_client.post(
        admin_url(Claim, "change", claim.pk),
        {"statement": "Edited.", **management_form("attributions", 0), **management_form("corroborations", 0)},
    )

    response = superuser_client.get(admin_url(Claim, "history", claim.pk))

    assert response.status_code == 200
    newest = response.context["page_obj"][0]
    assert (newest.history_type, newest.history_user) == ("~", superuser)


def test_it_refuses_to_add_review_events(superuser_client, claim):
    url = admin_url(ReviewEvent, "add")

    assert superuser_client.get(url).status_code == 403
    assert superuser_client.post(url, {"claim": claim.pk, "action": "submit"}).status_code == 403
    assert claim.review_events.count() == 1


def test_it_refuses_to_change_review_events(superuser_client, claim):
    event = claim.review_events.get()

    response = superuser_client.post(admin_url(ReviewEvent, "change", event.pk), {"action": "publish"})

    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action == ReviewEvent.Action.SUBMIT


def test_it_refuses_to_delete_review_events(superuser_client, claim):
    event = claim.review_events.get()

    assert superuser_client.post(admin_url(ReviewEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    response = superuser_client.post(
        admin_url(ReviewEvent, "changelist"), {"action": "delete_selected", "_selected_action": [event.pk]}
    )

    assert response.status_code == 200  # Unknown action: the changelist is shown again.
    assert ReviewEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("role", [None, "reporter", "editor"])
@pytest.mark.parametrize("url_name", ["admin:index", "admin:claims_claim_changelist"])
def test_it_sends_non_staff_to_the_admin_login(request, client, role, url_name):
    if role:
        client.force_login(request.getfixturevalue(role))
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

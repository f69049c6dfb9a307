"""Two people working on one claim: the second save, made on a stale copy, is refused, not applied."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from claims.models import Claim, ReviewEvent
from claims.tests.factories import make_attribution, make_claim, make_user
from claims.tests.pages import form_values

pytestmark = pytest.mark.django_db

STATEMENT = "Blocking units fired on retreating soldiers near Avdiivka."
FIRST = "Blocking units fired on retreating soldiers near Bakhmut."
SECOND = "Barrier troops shot at soldiers who left their positions near Bakhmut."


@pytest.fixture
def first_editor(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def second_editor():
    client = Client()
    client.force_login(make_user("editor2", role="Editors"))
    return client


@pytest.fixture
def claim(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter, state=Claim.State.IN_REVIEW)
    make_attribution(claim=claim, quote="They fired at our backs.")
    return claim


def test_it_refuses_the_second_of_two_edits_made_on_the_same_version(first_editor, second_editor, claim):
    url = reverse("claims:claim_edit", args=[claim.pk])
    first = form_values(first_editor.get(url))
    second = form_values(second_editor.get(url))
    assert first["version"] == second["version"] == ["1"]
    first["statement"] = [FIRST]
    second["statement"] = [SECOND]
    second["attributions-0-quote"] = ["They fired at the backs of those who retreated."]

    first_response = first_editor.post(url, first)
    second_response = second_editor.post(url, second)

    assert first_response.status_code == 302
    assert second_response.status_code == 409
    content = second_response.content.decode()
    assert "Someone else saved this claim first" in content
    assert SECOND in content  # what the second editor typed, so it is not lost
    assert "They fired at the backs of those who retreated." in content
    assert FIRST in content  # what is saved now
    assert reverse("claims:claim_edit", args=[claim.pk]) in content
    claim.refresh_from_db()
    assert claim.statement == FIRST
    assert claim.version == 2
    assert claim.attributions.get().quote == "They fired at our backs."


def test_it_saves_the_second_edit_once_made_on_the_current_version(first_editor, second_editor, claim):
    url = reverse("claims:claim_edit", args=[claim.pk])
    first = form_values(first_editor.get(url))
    first["statement"] = [FIRST]
    assert first_editor.post(url, first).status_code == 302

    second = form_values(second_editor.get(url))
    second["statement"] = [SECOND]

    assert second_editor.post(url, second).status_code == 302
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == (SECOND, 3)


def test_it_refuses_an_edit_made_before_an_editorial_act(first_editor, second_editor, claim):
    # Acts and edits share the version: a statement edited on the copy an editor
    # saw before a colleague published it must not slip into the published claim.
    url = reverse("claims:claim_edit", args=[claim.pk])
    edit = form_values(first_editor.get(url))
    edit["statement"] = [FIRST]
    second_editor.post(reverse("claims:claim_act", args=[claim.pk, "publish"]), {"version": 1})

    response = first_editor.post(url, edit)

    # Now a correction, the page first asks for its note; given, the stale version is refused.
    assert response.status_code == 200
    assert "correction_note" in form_values(response)
    edit["correction_note"] = ["The town was Bakhmut."]
    assert first_editor.post(url, edit).status_code == 409
    claim.refresh_from_db()
    assert (claim.statement, claim.state, claim.version) == (STATEMENT, Claim.State.PUBLISHED, 2)
    assert not ReviewEvent.objects.filter(action=ReviewEvent.Action.CORRECT).exists()


def test_it_refuses_an_edit_that_does_not_say_which_version_it_was_made_on(first_editor, claim):
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(first_editor.get(url))
    data["statement"] = [FIRST]
    del data["version"]

    assert first_editor.post(url, data).status_code == 409
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == (STATEMENT, 1)


def test_it_refuses_an_act_made_on_a_stale_version(first_editor, second_editor, claim):
    # Both load the claim at version 1; the second editor changes its status first.
    detail = reverse("claims:claim_detail", args=[claim.pk])
    assert 'name="version" value="1"' in first_editor.get(detail).content.decode()
    second_editor.post(
        reverse("claims:claim_act", args=[claim.pk, "set-status"]),
        {"version": 1, "status": "disputed", "note": "The outlet retracted."},
    )

    response = first_editor.post(reverse("claims:claim_act", args=[claim.pk, "publish"]), {"version": 1})

    assert response.status_code == 302
    assert response.url == detail
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["Someone changed this claim while you were looking at it. Review it and try again."]
    claim.refresh_from_db()
    assert (claim.state, claim.status, claim.version) == (Claim.State.IN_REVIEW, "disputed", 2)
    assert list(ReviewEvent.objects.values_list("action", flat=True)) == ["set_status"]
    # The page it lands on shows the message and the version to act on now.
    content = first_editor.get(detail).content.decode()
    assert 'name="version" value="2"' in content


@pytest.mark.parametrize(
    ("state", "action", "data"),
    [
        (Claim.State.DRAFT, "submit", {}),
        (Claim.State.IN_REVIEW, "send-back", {"note": "Which unit?"}),
        (Claim.State.IN_REVIEW, "set-status", {"status": "disputed", "note": "Retracted."}),
        (Claim.State.IN_REVIEW, "publish", {}),
        (Claim.State.PUBLISHED, "withdraw", {"note": "Staged."}),
    ],
)
def test_it_refuses_every_act_on_a_stale_version(first_editor, state, action, data):
    claim = make_claim(state=state, version=3)

    response = first_editor.post(reverse("claims:claim_act", args=[claim.pk, action]), {"version": 2, **data})

    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    claim.refresh_from_db()
    assert (claim.state, claim.status, claim.version) == (state, "unverified", 3)
    assert not ReviewEvent.objects.exists()


def test_it_refuses_a_second_publication_of_the_same_claim(first_editor, second_editor, claim):
    # Two editors press Publish on the same page: one publication, one event.
    first = first_editor.post(reverse("claims:claim_act", args=[claim.pk, "publish"]), {"version": 1})
    second = second_editor.post(reverse("claims:claim_act", args=[claim.pk, "publish"]), {"version": 1})

    assert first.status_code == 302
    assert second.status_code == 403  # it is published now: nothing left to publish
    claim.refresh_from_db()
    assert (claim.state, claim.version) == (Claim.State.PUBLISHED, 2)
    assert ReviewEvent.objects.filter(action=ReviewEvent.Action.PUBLISH).count() == 1

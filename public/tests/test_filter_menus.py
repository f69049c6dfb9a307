"""The list's filter menus come from a per-process cache; it never shows a name readers may
not see, even when the change that hid it was made by another process."""

import html

import pytest
from django.urls import reverse

from claims.models import Claim
from claims.tests.factories import make_attribution, make_claim, make_topic
from public.tests.helpers import body
from sources.models import Actor
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db


@pytest.fixture
def cited():
    claim = make_claim(state=Claim.State.PUBLISHED)
    actor = make_actor(name="Olena Realsurname")
    make_attribution(claim=claim, actor=actor, article=make_article(outlet=make_outlet(name="Ziare")))
    return actor


def menu(client, params=None) -> str:
    return html.unescape(body(client.get(reverse("home"), params)))


def test_a_newly_protected_actor_leaves_the_menu_at_once_even_without_signals(client, cited):
    assert f'<option value="{cited.pk}">Olena Realsurname</option>' in menu(client)

    # As another process (or a bulk update) would do it: no signal here, no new update time.
    Actor.objects.filter(pk=cited.pk).update(is_protected=True, pseudonym="Maria")

    assert "Olena Realsurname" not in menu(client)
    assert "Maria" not in menu(client)


def test_an_actor_renamed_in_another_process_is_renamed_in_the_menu(client, cited):
    menu(client)
    Actor.objects.filter(pk=cited.pk).update(name="Olena Newname", updated_at=cited.updated_at.replace(year=2030))

    assert "Olena Newname" in menu(client)
    assert "Olena Realsurname" not in menu(client)


def test_what_this_process_saves_shows_at_once(client, cited):
    menu(client)
    make_topic(name="Penal units")
    claim = make_claim(state=Claim.State.PUBLISHED)
    make_attribution(claim=claim, actor=make_actor(name="AP"), article=make_article(outlet=make_outlet(name="Wire")))

    content = menu(client)
    assert ">Penal units</option>" in content
    assert ">AP</option>" in content
    assert ">Wire</option>" in content


def test_a_chosen_actor_and_outlet_are_marked_selected(client, cited):
    outlet = cited.attributions.get().article.outlet
    content = menu(client, {"actor": cited.pk, "outlet": outlet.pk})

    assert f'<option value="{cited.pk}" selected>Olena Realsurname</option>' in content
    assert f'<option value="{outlet.pk}" selected>Ziare</option>' in content
    assert '<option value="" selected>Any topic</option>' in content


def test_cited_actors_and_outlets_work_inside_another_query(cited):
    # They are also used as subqueries (actor__in=...), where the outer table gets an alias.
    from claims.filters import cited_actors, cited_outlets
    from claims.models import Attribution

    draft_only = make_actor(name="Drafted Only")
    make_attribution(claim=make_claim(), actor=draft_only)
    assert list(Attribution.objects.filter(actor__in=cited_actors()).values_list("actor", flat=True)) == [cited.pk]
    outlets = Attribution.objects.filter(article__outlet__in=cited_outlets()).values_list(
        "article__outlet__name", flat=True
    )
    assert list(outlets) == ["Ziare"]

import pytest

from glossary.models import Entry, expand, normalise

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["500", "500s", "refusers", "Refusing to fight", "отказники", '"500s"'])
def test_it_widens_a_search_for_the_500_code_to_all_its_spellings(query):
    terms = expand(query)
    assert {"500", "500s", "refusers", "отказник"} <= set(terms)
    assert terms[0] == normalise(query)


def test_it_widens_barrier_troops_to_blocking_and_barrage_units():
    terms = expand("blocking units near Bakhmut")
    assert "barrage units" in terms
    assert "заградотряды" in terms


def test_it_matches_whole_words_only():
    # "1500" is not the 500 code, "barriers" is not barrier troops.
    assert expand("1500 barriers") == ["1500 barriers"]


def test_it_leaves_unknown_words_alone():
    assert expand("drone video") == ["drone video"]


def test_an_empty_query_expands_to_nothing():
    assert expand("  ") == []


def test_editors_can_add_spellings():
    entry = Entry.objects.get(slug="code-500")
    entry.terms += "\nпятисотник"
    entry.save()
    assert "500" in expand("пятисотник")

"""The claim form, through the views: what it refuses, and that a refusal saves nothing."""

import html

import pytest
from django.urls import reverse

from claims.models import Attribution, Claim, Corroboration, ReviewEvent
from claims.tests.factories import make_attribution, make_claim, make_corroboration, make_user
from claims.tests.pages import first_blank_row, form_values, row_index
from sources.tests.factories import make_actor, make_article

pytestmark = pytest.mark.django_db

STATEMENT = "Blocking units fired on retreating soldiers near Avdiivka."

DANGEROUS_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "  javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


def counts():
    return (Claim.objects.count(), Attribution.objects.count(), Corroboration.objects.count())


def field_errors(response, name):
    """The messages shown under one field (see claims/_field.html)."""
    content = response.content.decode()
    marker = f'id="id_{name}_error">'
    errors = []
    start = content.find(marker)
    while start != -1:
        end = content.index("</p>", start)
        errors.append(html.unescape(content[start + len(marker) : end]))
        start = content.find(marker, end)
    return errors


@pytest.fixture
def article():
    return make_article(url="https://news.example/blocking-units", headline="Blocking units")


@pytest.fixture
def actor():
    return make_actor(name="GUR")


def new_claim_data(client, *, statement=STATEMENT, article=None, actor=None):
    data = form_values(client.get(reverse("claims:claim_create")))
    data["statement"] = [statement]
    if article is not None:
        row = first_blank_row(data, "attributions")
        data[f"attributions-{row}-article"] = [article.url]
        data[f"attributions-{row}-actor"] = [str(actor.pk)]
        data[f"attributions-{row}-stance"] = ["asserts"]
    return data


def test_it_saves_a_new_claim_with_its_report_and_corroboration(client, reporter, article, actor):
    client.force_login(reporter)
    data = new_claim_data(client, article=article, actor=actor)
    data["corroborations-0-method"] = ["geolocation"]
    data["corroborations-0-finding"] = ["supports"]
    data["corroborations-0-evidence_url"] = ["https://archive.example/video"]

    response = client.post(reverse("claims:claim_create"), data)

    claim = Claim.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("claims:claim_detail", args=[claim.pk])
    assert (claim.statement, claim.state, claim.created_by) == (STATEMENT, "draft", reporter)
    assert claim.attributions.get().actor == actor
    assert claim.corroborations.get().created_by == reporter


def test_it_saves_an_unchanged_edit_form_without_changing_anything_but_the_version(client, reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter, notes="Seen by two units.")
    report = make_attribution(claim=claim, quote="They shot at us.")
    make_corroboration(claim=claim, notes="Geolocated.")
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])

    response = client.post(url, form_values(client.get(url)))

    assert response.status_code == 302
    claim.refresh_from_db()
    report.refresh_from_db()
    assert (claim.statement, claim.notes, claim.version) == (STATEMENT, "Seen by two units.", 2)
    assert report.quote == "They shot at us."
    assert counts() == (1, 1, 1)


@pytest.mark.parametrize("url", DANGEROUS_URLS)
def test_it_refuses_a_script_url_as_the_article_of_a_report(client, reporter, actor, url):
    client.force_login(reporter)
    data = new_claim_data(client, article=make_article(), actor=actor)
    data["attributions-0-article"] = [url]
    before = counts()

    response = client.post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    assert field_errors(response, "attributions-0-article") == ["Only http:// and https:// addresses are accepted."]
    assert "Nothing was saved" in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize("url", DANGEROUS_URLS)
def test_it_refuses_a_script_url_as_evidence_link(client, reporter, url):
    client.force_login(reporter)
    data = new_claim_data(client)
    data["corroborations-0-method"] = ["geolocation"]
    data["corroborations-0-finding"] = ["supports"]
    data["corroborations-0-evidence_url"] = [url]
    before = counts()

    response = client.post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    assert field_errors(response, "corroborations-0-evidence_url") in (
        ["Enter a valid URL."],
        ["Only http:// and https:// addresses are accepted."],
    )
    assert counts() == before


def test_it_refuses_a_script_url_as_evidence_link_when_editing(client, reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    corroboration = make_corroboration(claim=claim, evidence_url="https://archive.example/video")
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data["corroborations-0-evidence_url"] = ["javascript:alert(1)"]

    response = client.post(url, data)

    assert response.status_code == 200
    assert field_errors(response, "corroborations-0-evidence_url")
    corroboration.refresh_from_db()
    assert corroboration.evidence_url == "https://archive.example/video"


def test_it_refuses_a_relay_loop_and_changes_nothing(client, reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    origin = make_attribution(claim=claim)
    relay = make_attribution(claim=claim, via=origin)
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data[f"attributions-{row_index(data, 'attributions', origin.pk)}-via"] = [str(relay.pk)]
    data["statement"] = ["Blocking units fired on retreating soldiers near Bakhmut."]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "This would make a loop" in response.content.decode()
    origin.refresh_from_db()
    relay.refresh_from_db()
    claim.refresh_from_db()
    assert (origin.via, relay.via) == (None, origin)
    assert (claim.statement, claim.version) == (STATEMENT, 1)


def test_it_refuses_a_relay_loop_made_across_two_rows_at_once_and_saves_nothing(client, reporter):
    # Each row is valid against the database as it stands; only together do they loop,
    # which shows once the rows are saved. The whole save must be rolled back.
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    first = make_attribution(claim=claim, quote="First.")
    second = make_attribution(claim=claim, quote="Second.")
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data[f"attributions-{row_index(data, 'attributions', first.pk)}-via"] = [str(second.pk)]
    data[f"attributions-{row_index(data, 'attributions', second.pk)}-via"] = [str(first.pk)]
    data[f"attributions-{row_index(data, 'attributions', first.pk)}-quote"] = ["Changed."]
    data["statement"] = ["Blocking units fired on retreating soldiers near Bakhmut."]

    response = client.post(url, data)

    assert response.status_code == 200
    assert "This would make a loop" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    claim.refresh_from_db()
    assert (first.via, second.via, first.quote) == (None, None, "First.")
    assert (claim.statement, claim.version) == (STATEMENT, 1)
    # The page still carries the version that was loaded, so fixing the loop and saving works.
    data[f"attributions-{row_index(data, 'attributions', second.pk)}-via"] = [""]
    assert client.post(url, data).status_code == 302
    first.refresh_from_db()
    assert first.via == second


def test_it_saves_nothing_when_one_row_of_an_edit_is_invalid(client, reporter, actor):
    claim = make_claim(statement=STATEMENT, created_by=reporter, notes="Old notes.")
    report = make_attribution(claim=claim, quote="Old quote.")
    corroboration = make_corroboration(claim=claim, notes="Old finding.")
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data["statement"] = ["Blocking units fired on retreating soldiers near Bakhmut."]
    data["notes"] = ["New notes."]
    data["attributions-0-quote"] = ["New quote."]  # a valid change to an existing row
    data["corroborations-0-notes"] = ["New finding."]  # another valid change
    row = first_blank_row(data, "attributions")  # and one invalid new row
    data[f"attributions-{row}-article"] = ["javascript:alert(1)"]
    data[f"attributions-{row}-actor"] = [str(actor.pk)]
    data[f"attributions-{row}-stance"] = ["asserts"]
    before = counts()

    response = client.post(url, data)

    assert response.status_code == 200
    assert field_errors(response, f"attributions-{row}-article")
    claim.refresh_from_db()
    report.refresh_from_db()
    corroboration.refresh_from_db()
    assert (claim.statement, claim.notes, claim.version) == (STATEMENT, "Old notes.", 1)
    assert report.quote == "Old quote."
    assert corroboration.notes == "Old finding."
    assert counts() == before


def test_it_refuses_a_status_change_without_a_reason(client, editor):
    claim = make_claim(state=Claim.State.IN_REVIEW)
    client.force_login(editor)

    response = client.post(
        reverse("claims:claim_act", args=[claim.pk, "set-status"]),
        {"version": claim.version, "status": "corroborated", "note": "  ", "public": "on"},
    )

    assert response.status_code == 400
    assert "Give the reason for this status" in response.content.decode()
    claim.refresh_from_db()
    assert (claim.status, claim.version) == ("unverified", 1)
    assert not ReviewEvent.objects.exists()


def test_it_changes_the_status_with_a_reason(client, editor):
    claim = make_claim(state=Claim.State.IN_REVIEW)
    client.force_login(editor)

    response = client.post(
        reverse("claims:claim_act", args=[claim.pk, "set-status"]),
        {"version": claim.version, "status": "corroborated", "note": "Two independent origins."},
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "corroborated"
    event = ReviewEvent.objects.get()
    assert (event.from_status, event.to_status, event.is_public) == ("unverified", "corroborated", False)


@pytest.mark.parametrize("action", ["send-back", "withdraw"])
def test_it_refuses_a_send_back_or_withdrawal_without_a_note(client, editor, action):
    state = Claim.State.IN_REVIEW if action == "send-back" else Claim.State.PUBLISHED
    claim = make_claim(state=state)
    client.force_login(editor)

    response = client.post(reverse("claims:claim_act", args=[claim.pk, action]), {"version": 1, "note": ""})

    assert response.status_code == 400
    claim.refresh_from_db()
    assert (claim.state, claim.version) == (state, 1)
    assert not ReviewEvent.objects.exists()


def test_it_refuses_an_act_without_a_version(client, editor):
    claim = make_claim(state=Claim.State.IN_REVIEW)
    client.force_login(editor)

    response = client.post(reverse("claims:claim_act", args=[claim.pk, "publish"]), {"note": ""})

    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.state == Claim.State.IN_REVIEW


@pytest.fixture
def published(reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter, state=Claim.State.PUBLISHED)
    make_attribution(claim=claim)
    return claim


def test_it_refuses_a_correction_without_a_note(client, editor, published):
    client.force_login(editor)
    url = reverse("claims:claim_edit", args=[published.pk])
    data = form_values(client.get(url))
    data["statement"] = ["Blocking units fired on retreating soldiers near Bakhmut."]
    data["correction_note"] = [" "]

    response = client.post(url, data)

    assert response.status_code == 200
    assert field_errors(response, "correction_note") == ["This field is required."]
    published.refresh_from_db()
    assert (published.statement, published.version) == (STATEMENT, 1)
    assert not ReviewEvent.objects.exists()


def test_it_publishes_a_correction_with_its_note(client, editor, published):
    first_published_at = published.published_at
    client.force_login(editor)
    url = reverse("claims:claim_edit", args=[published.pk])
    data = form_values(client.get(url))
    data["statement"] = ["Blocking units fired on retreating soldiers near Bakhmut."]
    data["correction_note"] = ["The town was Bakhmut, not Avdiivka."]

    response = client.post(url, data)

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.statement.endswith("Bakhmut.")
    assert (published.state, published.version, published.published_at) == ("published", 2, first_published_at)
    event = ReviewEvent.objects.get()
    assert (event.action, event.note, event.is_public, event.user) == (
        ReviewEvent.Action.CORRECT,
        "The town was Bakhmut, not Avdiivka.",
        True,
        editor,
    )


def test_it_does_not_ask_for_a_correction_note_before_publication(client, reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    assert "correction_note" not in data
    data["statement"] = ["Blocking units fired on retreating soldiers near Bakhmut."]

    assert client.post(url, data).status_code == 302
    assert not ReviewEvent.objects.exists()


SIMILAR = "Blocking units fired on retreating soldiers near Avdiivka in October."


def test_it_points_to_a_similar_claim_before_saving_a_new_one(client, reporter, other_reporter):
    existing = make_claim(statement=STATEMENT, created_by=other_reporter, state=Claim.State.PUBLISHED)
    client.force_login(reporter)
    data = new_claim_data(client, statement=SIMILAR)

    response = client.post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert f'href="{reverse("claims:claim_detail", args=[existing.pk])}"' in content
    assert 'name="confirm_new"' in content
    assert Claim.objects.count() == 1

    data["confirm_new"] = ["1"]
    response = client.post(reverse("claims:claim_create"), data)

    assert response.status_code == 302
    assert Claim.objects.count() == 2
    assert Claim.objects.filter(created_by=reporter, statement=SIMILAR).exists()


def test_it_saves_a_new_claim_without_asking_when_nothing_similar_exists(client, reporter):
    make_claim(statement="Commanders threatened deserters' families with prosecution.", state="published")
    client.force_login(reporter)

    response = client.post(reverse("claims:claim_create"), new_claim_data(client))

    assert response.status_code == 302
    assert Claim.objects.count() == 2


def test_it_does_not_reveal_another_reporters_draft_as_a_similar_claim(client, reporter, other_reporter):
    hidden = make_claim(statement=STATEMENT, created_by=other_reporter)
    client.force_login(reporter)

    response = client.post(reverse("claims:claim_create"), new_claim_data(client, statement=SIMILAR))

    assert response.status_code == 302
    assert reverse("claims:claim_detail", args=[hidden.pk]) not in response.content.decode()
    assert Claim.objects.count() == 2


def similar(client, q, **params):
    return client.get(reverse("claims:claim_similar"), {"q": q, **params}).content.decode()


def test_it_suggests_similar_claims_the_user_may_open(client, reporter, other_reporter):
    mine = make_claim(statement=STATEMENT, created_by=reporter)
    theirs = make_claim(statement=STATEMENT, created_by=other_reporter, state=Claim.State.IN_REVIEW)
    unrelated = make_claim(statement="Commanders threatened deserters' families.", state=Claim.State.PUBLISHED)
    client.force_login(reporter)

    content = similar(client, SIMILAR)

    assert reverse("claims:claim_detail", args=[mine.pk]) in content
    assert reverse("claims:claim_detail", args=[theirs.pk]) in content
    assert reverse("claims:claim_detail", args=[unrelated.pk]) not in content


@pytest.mark.parametrize("state", [Claim.State.DRAFT, Claim.State.SENT_BACK])
def test_it_never_suggests_another_reporters_draft(client, reporter, other_reporter, state):
    hidden = make_claim(statement=STATEMENT, created_by=other_reporter, state=state)
    client.force_login(reporter)

    content = similar(client, SIMILAR)

    assert reverse("claims:claim_detail", args=[hidden.pk]) not in content
    assert STATEMENT not in content
    # An editor, who may open it, is shown it.
    client.force_login(make_user("editor2", role="Editors"))
    assert reverse("claims:claim_detail", args=[hidden.pk]) in similar(client, SIMILAR)


def test_it_leaves_the_claim_being_edited_out_of_the_suggestions(client, reporter):
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    client.force_login(reporter)

    assert reverse("claims:claim_detail", args=[claim.pk]) in similar(client, SIMILAR)
    assert reverse("claims:claim_detail", args=[claim.pk]) not in similar(client, SIMILAR, exclude=claim.pk)
    assert similar(client, SIMILAR, exclude="not-a-number").count("<li>") == 1


def test_it_suggests_nothing_for_a_query_without_meaningful_words(client, reporter):
    make_claim(statement=STATEMENT, created_by=reporter)
    client.force_login(reporter)
    assert similar(client, "").strip() == ""
    assert similar(client, "the of and").strip() == ""


def test_it_prefills_the_article_when_logging_a_claim_from_it(client, reporter, article):
    client.force_login(reporter)

    data = form_values(client.get(reverse("claims:claim_create"), {"article": article.pk}))

    assert data["attributions-0-article"] == [article.url]


@pytest.mark.parametrize("article", ["not-a-number", "999999", "99999999999999999999999", "", "-1"])
def test_it_ignores_a_bad_article_parameter(client, reporter, article):
    client.force_login(reporter)
    response = client.get(reverse("claims:claim_create"), {"article": article})
    assert response.status_code == 200
    assert form_values(response)["attributions-0-article"] == [""]


@pytest.fixture
def relayed(reporter):
    """A claim with an origin report and a report that relays it."""
    claim = make_claim(statement=STATEMENT, created_by=reporter)
    origin = make_attribution(claim=claim)
    relay = make_attribution(claim=claim, via=origin)
    return claim, origin, relay


def test_it_refuses_to_remove_a_report_that_another_report_relays(client, reporter, relayed):
    claim, origin, relay = relayed
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data[f"attributions-{row_index(data, 'attributions', origin.pk)}-DELETE"] = ["on"]

    response = client.post(url, data)

    assert response.status_code == 200
    row = row_index(data, "attributions", relay.pk)
    assert field_errors(response, f"attributions-{row}-via") == [
        "This report relays one you are removing: choose what it relays instead."
    ]
    assert list(claim.attributions.order_by("pk")) == [origin, relay]
    claim.refresh_from_db()
    assert claim.version == 1


def test_it_removes_a_report_once_the_report_relaying_it_no_longer_does(client, reporter, relayed):
    claim, origin, relay = relayed
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data[f"attributions-{row_index(data, 'attributions', origin.pk)}-DELETE"] = ["on"]
    data[f"attributions-{row_index(data, 'attributions', relay.pk)}-via"] = [""]

    response = client.post(url, data)

    assert response.status_code == 302
    assert list(claim.attributions.all()) == [relay]
    relay.refresh_from_db()
    assert relay.via is None


def test_it_removes_a_report_together_with_the_report_relaying_it(client, reporter, relayed):
    claim, origin, relay = relayed
    client.force_login(reporter)
    url = reverse("claims:claim_edit", args=[claim.pk])
    data = form_values(client.get(url))
    data[f"attributions-{row_index(data, 'attributions', origin.pk)}-DELETE"] = ["on"]
    data[f"attributions-{row_index(data, 'attributions', relay.pk)}-DELETE"] = ["on"]

    response = client.post(url, data)

    assert response.status_code == 302
    assert not claim.attributions.exists()


def test_it_refuses_two_reports_of_one_actor_in_one_article(client, reporter, article, actor):
    client.force_login(reporter)
    data = new_claim_data(client, article=article, actor=actor)
    for name in ("article", "actor", "stance"):
        data[f"attributions-1-{name}"] = data[f"attributions-0-{name}"]
    before = counts()

    response = client.post(reverse("claims:claim_create"), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for article and actor" in response.content.decode()
    assert counts() == before


def test_a_suggestion_leads_straight_to_adding_the_article_to_the_existing_claim(client, reporter):
    from sources.tests.factories import make_article

    existing = make_claim(
        statement="Russian commanders deploy blocking units behind the Bakhmut front", created_by=reporter
    )
    article = make_article(url="https://ziare.example/relay")
    client.force_login(reporter)

    suggestion = client.get(
        reverse("claims:claim_similar"),
        {"q": "Blocking units deployed behind the Bakhmut front by Russian commanders", "article_url": article.url},
    ).content.decode()
    edit_link = f"{reverse('claims:claim_edit', args=[existing.pk])}?article={article.pk}"
    assert edit_link in suggestion

    edit_page = client.get(edit_link).content.decode()
    assert f'value="{article.url}"' in edit_page


def test_the_edit_form_shows_each_reports_saved_relay_chain(client, reporter):
    from claims.tests.factories import make_attribution
    from sources.tests.factories import make_actor, make_article, make_outlet

    claim = make_claim(created_by=reporter)
    gur = make_actor(name="GUR")
    origin = make_attribution(claim=claim, actor=gur, article=make_article(outlet=make_outlet(name="GUR site")))
    make_attribution(claim=claim, actor=gur, article=make_article(outlet=make_outlet(name="Ziare")), via=origin)
    client.force_login(reporter)

    page = client.get(reverse("claims:claim_edit", args=[claim.pk])).content.decode()

    assert page.count('class="chain"') == 1
    chain = page[page.index('class="chain"') :]
    assert chain.index("Ziare") < chain.index("GUR site") < chain.index("origin</strong>")

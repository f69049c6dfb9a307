"""manage.py import_claims: claims with their reports from CSV or JSON, all or nothing."""

import csv
import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.models import Attribution, Claim, Region
from claims.tests.factories import make_claim, make_topic, make_user
from sources.models import Article, Outlet
from sources.tests.factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db

COLUMNS = [
    "statement",
    "topics",
    "regions",
    "event_start",
    "event_end",
    "notes",
    "article_url",
    "article_headline",
    "article_outlet",
    "article_published_on",
    "actor",
    "stance",
    "quote",
]
BARRIER = "Barrier troops fired on soldiers retreating from Avdiivka."
CODE_500 = "Commanders used the code '500' for soldiers who refused to fight."


@pytest.fixture
def desk(reporter):
    """What the imported rows refer to: topics, actors, an outlet and an article already logged."""
    make_topic(name="Barrier units", slug="barrier-units")
    make_topic(name="Refusals", slug="refusals")
    assert Region.objects.filter(slug="donetsk").exists()  # the regions come with the migrations
    make_actor(name="GUR")
    make_actor(name="General Staff")
    outlet = make_outlet(name="Kyiv Post")
    return {"article": make_article(url="https://www.kyivpost.com/post/1", outlet=outlet, headline="Logged already")}


def csv_row(**values) -> dict:
    return {column: values.get(column, "") for column in COLUMNS}


def good_csv_rows() -> list[dict]:
    return [
        csv_row(
            statement=BARRIER,
            topics="barrier-units; refusals",
            regions="donetsk",
            event_start="2024-02-01",
            event_end="2024-02-15",
            notes="<p>From an intercept.</p>",
            # The article already logged, in another spelling.
            article_url="HTTPS://www.kyivpost.com/post/1?utm_source=telegram",
            actor="GUR",
            stance="asserts",
            quote="They were shot in the back.",
        ),
        csv_row(
            statement=BARRIER,
            article_url="https://ziare.com/ukraine/1234",
            article_headline="Intercept: barrier troops at Avdiivka",
            article_outlet="Ziare",
            article_published_on="2024-02-20",
            actor="GUR",
            stance="asserts",
        ),
        csv_row(
            statement=CODE_500,
            topics="refusals",
            article_url="https://www.kyivpost.com/post/1",
            actor="General Staff",
            stance="denies",
        ),
    ]


def write_csv(path, rows, columns=COLUMNS):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def good_json_records() -> list[dict]:
    return [
        {
            "statement": BARRIER,
            "topics": ["barrier-units"],
            "regions": ["donetsk"],
            "event_start": "2024-02-01",
            "notes": "",
            "attributions": [
                {
                    "article_url": "https://ziare.com/ukraine/1234",
                    "headline": "Intercept: barrier troops at Avdiivka",
                    "outlet": "Kyiv Post",
                    "published_on": "2024-02-20",
                    "actor": "GUR",
                    "stance": "asserts",
                    "quote": "They were shot in the back.",
                    "estimative_term": "",
                },
                {
                    "article_url": "https://www.kyivpost.com/post/1",
                    "actor": "General Staff",
                    "stance": "assesses",
                    "estimative_term": "likely",
                },
            ],
        },
        {"statement": CODE_500, "topics": [], "attributions": []},
    ]


def write_json(path, records):
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def run(path, username="reporter") -> str:
    out = StringIO()
    call_command("import_claims", str(path), "--as", username, stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    return (Claim.objects.count(), Attribution.objects.count(), Article.objects.count(), Outlet.objects.count())


def import_fails(path, username="reporter") -> str:
    before = snapshot()
    with pytest.raises(CommandError) as error:
        run(path, username)
    assert snapshot() == before, "a failed import left something behind"
    return str(error.value)


# ---------------------------------------------------------------------------
# Good files
# ---------------------------------------------------------------------------


def test_it_imports_a_csv_file_one_claim_per_statement(tmp_path, desk, reporter):
    output = run(write_csv(tmp_path / "claims.csv", good_csv_rows()))

    barrier, code = Claim.objects.get(statement=BARRIER), Claim.objects.get(statement=CODE_500)
    assert {(c.state, c.created_by) for c in (barrier, code)} == {("draft", reporter)}
    assert sorted(barrier.topics.values_list("slug", flat=True)) == ["barrier-units", "refusals"]
    assert list(barrier.regions.values_list("slug", flat=True)) == ["donetsk"]
    assert (barrier.event_start, barrier.event_end) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 15))
    assert barrier.notes == "<p>From an intercept.</p>"
    reports = list(barrier.attributions.order_by("pk").values_list("article__url", "actor__name", "stance", "quote"))
    assert reports == [
        (desk["article"].url, "GUR", "asserts", "They were shot in the back."),
        ("https://ziare.com/ukraine/1234", "GUR", "asserts", ""),
    ]
    ziare = Article.objects.get(url="https://ziare.com/ukraine/1234")
    assert (ziare.headline, ziare.outlet.name, ziare.published_on) == (
        "Intercept: barrier troops at Avdiivka",
        "Ziare",
        datetime.date(2024, 2, 20),
    )
    assert list(code.attributions.values_list("article", "actor__name", "stance")) == [
        (desk["article"].pk, "General Staff", "denies")
    ]
    # The stored evidence summary follows, as for any other write.
    barrier.refresh_from_db()
    assert (barrier.report_count, barrier.first_reported_on) == (2, datetime.date(2024, 2, 20))
    assert output.strip() == (
        "Imported 2 claim(s) as drafts of reporter, with 3 report(s); 1 new article(s), 1 new outlet(s)."
    )


def test_it_imports_a_json_file(tmp_path, desk, reporter):
    output = run(write_json(tmp_path / "claims.json", good_json_records()))

    barrier = Claim.objects.get(statement=BARRIER)
    assert barrier.created_by == reporter and barrier.state == "draft"
    assert list(barrier.attributions.order_by("pk").values_list("actor__name", "stance", "estimative_term")) == [
        ("GUR", "asserts", ""),
        ("General Staff", "assesses", "likely"),
    ]
    # An existing outlet is found by name, not added again.
    assert Article.objects.get(url="https://ziare.com/ukraine/1234").outlet == desk["article"].outlet
    assert Claim.objects.get(statement=CODE_500).attributions.count() == 0
    assert "Imported 2 claim(s)" in output
    assert "0 new outlet(s)" in output


def test_it_keeps_the_importer_in_the_history(tmp_path, desk, reporter):
    run(write_json(tmp_path / "claims.json", good_json_records()))

    claim = Claim.objects.get(statement=BARRIER)
    article = Article.objects.get(url="https://ziare.com/ukraine/1234")
    for record in (claim, article, claim.attributions.first()):
        assert {entry.history_user for entry in record.history.all()} == {reporter}


# ---------------------------------------------------------------------------
# One bad row: nothing is imported, and the row and field are named
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"stance": "insinuates"}, "row 2, field stance: Value 'insinuates' is not a valid choice."),
        ({"article_url": "javascript:alert(1)"}, "row 2, field article_url: Only http:// and https://"),
        ({"article_url": "https://exa mple.com/x"}, "row 2, field article_url: Enter a valid URL."),
        ({"article_url": ""}, "row 2, field article_url: This field cannot be blank."),
        ({"actor": "Nobody Known"}, "row 2, field actor: No actor is named 'Nobody Known'"),
        ({"article_outlet": ""}, "row 2, field article_outlet: A new article needs its outlet."),
        ({"article_headline": ""}, "row 2, field article_headline: This field cannot be blank."),
        ({"article_published_on": "20/02/2024"}, "row 2, field article_published_on: "),
        ({"statement": ""}, "row 2, field statement: This field cannot be blank."),
        ({"statement": "Another claim.", "topics": "no-such-topic"}, "row 2, field topics: There is no topic"),
        ({"statement": "Another claim.", "regions": "atlantis"}, "row 2, field regions: There is no region"),
        ({"statement": "Another claim.", "event_start": "last spring"}, "row 2, field event_start: "),
        (
            {"statement": "Another claim.", "event_start": "2024-03-01", "event_end": "2024-02-01"},
            "row 2, field event_end: The end of the range is before its start.",
        ),
        ({"statement": BARRIER, "topics": "refusals"}, "row 2, field topics: Differs from row 1"),
    ],
)
def test_it_imports_nothing_from_a_csv_file_with_one_bad_row(tmp_path, desk, change, expected):
    rows = good_csv_rows()
    rows[1].update(change)

    message = import_fails(write_csv(tmp_path / "claims.csv", rows))

    assert "Nothing was imported" in message
    assert expected in message
    assert problem_rows(message) == {2}


def problem_rows(message: str) -> set[int]:
    return {int(line.split(",")[0].split()[-1]) for line in message.splitlines()[1:]}


def test_it_reports_a_new_article_with_a_problem_once_at_the_row_that_adds_it(tmp_path, desk):
    rows = good_csv_rows()
    rows[1]["article_headline"] = ""
    rows[2]["article_url"] = rows[1]["article_url"]  # the same new article, cited again

    message = import_fails(write_csv(tmp_path / "claims.csv", rows))

    assert message.splitlines()[1:] == ["  row 2, field article_headline: This field cannot be blank."]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"stance": "insinuates"}, "row 1, field attributions[2].stance: Value 'insinuates' is not a valid choice."),
        ({"estimative_term": "perhaps"}, "row 1, field attributions[2].estimative_term: Value 'perhaps'"),
        ({"article_url": "ftp://ziare.com/x"}, "row 1, field attributions[2].article_url: Only http:// and https://"),
        ({"actor": "Nobody Known"}, "row 1, field attributions[2].actor: No actor is named 'Nobody Known'"),
        ({"actor": "GUR", "article_url": "https://ziare.com/ukraine/1234"}, "row 1, field attributions[2].actor: "),
        ({"quote": 42}, "row 1, field attributions[2].quote: Must be text."),
        ({"speaker": "GUR"}, "row 1, field attributions[2].speaker: Unknown field."),
    ],
)
def test_it_imports_nothing_from_a_json_file_with_one_bad_attribution(tmp_path, desk, change, expected):
    records = good_json_records()
    records[0]["attributions"][1].update(change)

    message = import_fails(write_json(tmp_path / "claims.json", records))

    assert expected in message
    assert problem_rows(message) == {1}
    assert len(message.splitlines()) == 2


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"statement": ""}, "row 2, field statement: This field cannot be blank."),
        ({"topics": ["barrier-units", "nope"]}, "row 2, field topics: There is no topic with the slug 'nope'."),
        ({"topics": "refusals"}, "row 2, field topics: Must be a list of slugs."),
        ({"event_end": "2024-01-01"}, "row 2, field event_start: Give the start of the range"),
        ({"statement": BARRIER}, "row 2, field statement: The same statement as row 1."),
        ({"summary": "x"}, "row 2, field summary: Unknown field."),
    ],
)
def test_it_imports_nothing_from_a_json_file_with_one_bad_claim(tmp_path, desk, change, expected):
    records = good_json_records()
    records[1].update(change)

    message = import_fails(write_json(tmp_path / "claims.json", records))

    assert expected in message


def test_it_reports_every_problem_not_just_the_first(tmp_path, desk):
    rows = good_csv_rows()
    rows[0]["stance"] = "insinuates"
    rows[2]["actor"] = "Nobody Known"
    rows[2]["topics"] = "nope"

    message = import_fails(write_csv(tmp_path / "claims.csv", rows))

    assert message.splitlines()[1:] == [
        "  row 1, field stance: Value 'insinuates' is not a valid choice.",
        "  row 3, field topics: There is no topic with the slug 'nope'.",
        "  row 3, field actor: No actor is named 'Nobody Known': add it on the desk first.",
    ]


def test_it_refuses_a_statement_already_in_the_database(tmp_path, desk):
    existing = make_claim(statement=CODE_500, state="published")

    message = import_fails(write_csv(tmp_path / "claims.csv", good_csv_rows()))

    assert f"row 3, field statement: A claim with this statement is already logged (id {existing.pk})." in message


def test_it_refuses_a_csv_file_with_unknown_or_missing_columns(tmp_path, desk):
    columns = [c if c != "stance" else "stnace" for c in COLUMNS]
    rows = [{("stnace" if k == "stance" else k): v for k, v in row.items()} for row in good_csv_rows()]

    message = import_fails(write_csv(tmp_path / "claims.csv", rows, columns=columns))

    assert "Unknown: stnace." in message
    assert "Missing: stance." in message


def test_it_refuses_a_file_it_cannot_read(tmp_path, desk):
    (tmp_path / "claims.txt").write_text("statement\n")
    (tmp_path / "broken.json").write_text("[{")
    (tmp_path / "object.json").write_text('{"statement": "x"}')

    assert "neither .csv nor .json" in import_fails(tmp_path / "claims.txt")
    assert "not valid JSON" in import_fails(tmp_path / "broken.json")
    assert "must hold a list" in import_fails(tmp_path / "object.json")
    assert "There is no file" in import_fails(tmp_path / "missing.csv")


# ---------------------------------------------------------------------------
# Who may import
# ---------------------------------------------------------------------------


def test_it_refuses_an_unknown_user(tmp_path, desk):
    message = import_fails(write_json(tmp_path / "claims.json", good_json_records()), username="nobody")

    assert message == "No user is called 'nobody'."


def test_it_refuses_a_user_who_may_not_add_claims(tmp_path, desk):
    make_user("reader")

    message = import_fails(write_json(tmp_path / "claims.json", good_json_records()), username="reader")

    assert "reader may not add claims" in message


def test_it_lets_an_editor_import(tmp_path, desk, editor):
    run(write_json(tmp_path / "claims.json", good_json_records()), username="editor")

    assert set(Claim.objects.values_list("created_by__username", flat=True)) == {"editor"}


def test_it_requires_the_user_to_be_named(tmp_path, desk):
    with pytest.raises(CommandError, match="--as"):
        call_command("import_claims", str(write_json(tmp_path / "claims.json", good_json_records())))
    assert not Claim.objects.exists()

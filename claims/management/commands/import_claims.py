"""Import claims with their reports from a CSV or JSON file: all of it, or nothing."""

from __future__ import annotations

import csv
import json
from argparse import RawDescriptionHelpFormatter
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.db import transaction

from claims.models import Attribution, Claim, Region, Topic
from sources.models import Actor, Article, Outlet
from sources.urlnorm import InvalidURL, normalize_url

HELP = """Import claims, with the reports that attribute them, as drafts of one user.

The file is CSV or JSON, told apart by its extension. One record per claim:

  statement    the claim in the desk's words (required; a claim already in the
               database with the same statement is refused)
  topics       topic slugs; regions: region slugs (both must exist)
  event_start, event_end   YYYY-MM-DD, both optional
  notes        context for readers

and its reports. In JSON, a list of objects, each with an "attributions" list of
objects with article_url, headline, outlet, published_on, actor, stance, quote and
estimative_term; topics and regions are lists of slugs. In CSV, one row per report
with the columns statement, topics, regions, event_start, event_end, notes,
article_url, article_headline, article_outlet, article_published_on, actor, stance,
quote (and optionally estimative_term); topics and regions are separated by
semicolons, and the rows with the same statement form one claim (its other claim
columns may be left empty after its first row). A row with no report columns is a
claim without reports.

An article is found by its normalised URL or created with its headline, outlet
(found by name or created) and publication date; an actor must already exist,
under its exact name. stance is one of asserts, assesses, denies, disputes.

Every row is checked with the same validation as the desk's forms, and every
problem is reported as "row N, field F: message", N counting data rows from 1 (the
CSV header is not a row; in JSON, the Nth object, and attributions[K] its Kth
attribution). If there is any problem, nothing is imported."""

CLAIM_FIELDS = ["statement", "topics", "regions", "event_start", "event_end", "notes"]
# A report's fields, and the CSV columns that hold them.
CSV_REPORT_COLUMNS = {
    "article_url": "article_url",
    "headline": "article_headline",
    "outlet": "article_outlet",
    "published_on": "article_published_on",
    "actor": "actor",
    "stance": "stance",
    "quote": "quote",
    "estimative_term": "estimative_term",
}
OPTIONAL_CSV_COLUMNS = {"estimative_term"}
REPORT_FIELDS = list(CSV_REPORT_COLUMNS)
# Which report field a model's error belongs to.
ARTICLE_ERRORS = {"url": "article_url", "headline": "headline", "published_on": "published_on"}
ATTRIBUTION_ERRORS = {"stance": "stance", "quote": "quote", "estimative_term": "estimative_term", "actor": "actor"}


@dataclass
class Report:
    row: int
    data: dict[str, str]
    names: dict[str, str]  # report field -> what the file calls it


@dataclass
class Record:
    row: int
    data: dict
    reports: list[Report] = field(default_factory=list)


class Problems:
    """Every problem found, as "row N, field F: message"."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, row: int, name: str, message: str) -> None:
        self.lines.append(f"row {row}, field {name}: {message}")

    def add_validation_error(self, row: int, exc: ValidationError, names: dict[str, str]) -> None:
        for model_field, messages in exc.message_dict.items():
            name = names.get(model_field, names[NON_FIELD_ERRORS])
            for message in messages:
                self.add(row, name, message)


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's help layout, keeping the line breaks of the description above."""


class Command(BaseCommand):
    help = HELP

    def create_parser(self, *args, **kwargs):
        parser = super().create_parser(*args, **kwargs)
        parser.formatter_class = HelpFormatter
        return parser

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A .csv or .json file.")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            metavar="USERNAME",
            help="Who logs the claims: an existing user allowed to add claims.",
        )

    def handle(self, *args, file: Path, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        if not user.has_perm("claims.add_claim"):
            raise CommandError(f"{username} may not add claims: give them the Reporters or Editors role first.")
        problems = Problems()
        records = read_records(file, problems)
        self.counts: Counter[str] = Counter()
        with transaction.atomic():
            if records:
                self.save_records(records, user, problems)
            if problems.lines:
                # Leaving the block with an exception rolls back whatever was saved.
                raise CommandError(
                    f"Nothing was imported: {len(problems.lines)} problem(s) to fix first.\n"
                    + "\n".join(f"  {line}" for line in problems.lines)
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {self.counts['claims']} claim(s) as drafts of {username}, with "
                f"{self.counts['reports']} report(s); {self.counts['articles']} new article(s), "
                f"{self.counts['outlets']} new outlet(s)."
            )
        )

    # Saving, with every problem noted. Nothing is kept unless there are none.

    def save_records(self, records: list[Record], user, problems: Problems) -> None:
        self.user = user
        self.problems = problems
        self.topics = {topic.slug: topic for topic in Topic.objects.all()}
        self.regions = {region.slug: region for region in Region.objects.all()}
        self.articles: dict[str, Article] = {}
        self.unusable_urls: set[str] = set()
        self.outlets: dict[str, Outlet] = {}
        statements: dict[str, int] = {}
        for record in records:
            claim = self.save_claim(record, statements)
            for report in record.reports:
                self.save_report(report, claim)

    def save_claim(self, record: Record, statements: dict[str, int]) -> Claim | None:
        data, row = record.data, record.row
        problems_before = len(self.problems.lines)
        statement = data["statement"]
        claim = Claim(
            statement=statement,
            notes=data["notes"],
            event_start=self.date(row, "event_start", Claim, data["event_start"]),
            event_end=self.date(row, "event_end", Claim, data["event_end"]),
            created_by=self.user,
            state=Claim.State.DRAFT,
        )
        try:
            claim.full_clean()
        except ValidationError as exc:
            names = {name: name for name in CLAIM_FIELDS} | {NON_FIELD_ERRORS: "statement"}
            self.problems.add_validation_error(row, exc, names)
        if statement:
            existing = Claim.objects.filter(statement=statement).first()
            if statement in statements:
                self.problems.add(row, "statement", f"The same statement as row {statements[statement]}.")
            elif existing is not None:
                self.problems.add(
                    row, "statement", f"A claim with this statement is already logged (id {existing.pk})."
                )
            statements.setdefault(statement, row)
        topics = self.lookup(row, "topics", data["topics"], self.topics, "topic")
        regions = self.lookup(row, "regions", data["regions"], self.regions, "region")
        if len(self.problems.lines) > problems_before:
            return None
        claim._history_user = self.user
        claim.save()
        claim.topics.set(topics)
        claim.regions.set(regions)
        self.counts["claims"] += 1
        return claim

    def date(self, row: int, name: str, model, value: str, *, label: str = ""):
        """The date in ``value``, or None (noting the problem): Claim.clean compares the two
        event dates, which it cannot do with one still a string."""
        try:
            return model._meta.get_field(name).to_python(value or None)
        except ValidationError as exc:
            for message in exc.messages:
                self.problems.add(row, label or name, message)
            return None

    def lookup(self, row: int, name: str, slugs: list[str], known: dict, what: str) -> list:
        unknown = [slug for slug in slugs if slug not in known]
        for slug in unknown:
            self.problems.add(row, name, f"There is no {what} with the slug {slug!r}.")
        return [known[slug] for slug in slugs if slug in known]

    def save_report(self, report: Report, claim: Claim | None) -> None:
        problems_before = len(self.problems.lines)
        names = report.names
        article = self.find_or_add_article(report)
        actor_name = report.data["actor"]
        actor = Actor.objects.filter(name=actor_name).first() if actor_name else None
        if not actor_name:
            self.problems.add(report.row, names["actor"], "This field cannot be blank.")
        elif actor is None:
            self.problems.add(
                report.row, names["actor"], f"No actor is named {actor_name!r}: add it on the desk first."
            )
        attribution = Attribution(
            claim=claim,
            article=article,
            actor=actor,
            stance=report.data["stance"],
            quote=report.data["quote"],
            estimative_term=report.data["estimative_term"],
        )
        missing = [name for name, obj in [("claim", claim), ("article", article), ("actor", actor)] if obj is None]
        try:
            attribution.full_clean(exclude=missing)
        except ValidationError as exc:
            error_names = {key: names[value] for key, value in ATTRIBUTION_ERRORS.items()}
            self.problems.add_validation_error(
                report.row, exc, error_names | {"article": names["article_url"], NON_FIELD_ERRORS: names["actor"]}
            )
        if None in (claim, article, actor) or len(self.problems.lines) > problems_before:
            return
        attribution._history_user = self.user
        attribution.save()
        self.counts["reports"] += 1

    def find_or_add_article(self, report: Report) -> Article | None:
        data, names, row = report.data, report.names, report.row
        if not data["article_url"]:
            self.problems.add(row, names["article_url"], "This field cannot be blank.")
            return None
        try:
            url = normalize_url(data["article_url"])
        except InvalidURL as exc:
            self.problems.add(row, names["article_url"], str(exc))
            return None
        if url in self.unusable_urls:
            return None  # a new article an earlier row could not add: that row's problems say why
        article = self.articles.get(url) or Article.objects.filter(url=url).first()
        if article is not None:
            self.articles[url] = article
            return article
        problems_before = len(self.problems.lines)
        outlet = self.find_or_add_outlet(report)
        published_on = self.date(row, "published_on", Article, data["published_on"], label=names["published_on"])
        article = Article(url=url, headline=data["headline"], outlet=outlet, published_on=published_on)
        try:
            article.full_clean(exclude=["outlet"] if outlet is None else [])
        except ValidationError as exc:
            error_names = {key: names[value] for key, value in ARTICLE_ERRORS.items()}
            self.problems.add_validation_error(row, exc, error_names | {NON_FIELD_ERRORS: names["article_url"]})
        if len(self.problems.lines) > problems_before:
            self.unusable_urls.add(url)
            return None
        article._history_user = self.user
        article.save()
        self.articles[url] = article
        self.counts["articles"] += 1
        return article

    def find_or_add_outlet(self, report: Report) -> Outlet | None:
        name = report.data["outlet"]
        if not name:
            self.problems.add(report.row, report.names["outlet"], "A new article needs its outlet.")
            return None
        if name not in self.outlets:
            outlet = Outlet.objects.filter(name=name).first()
            if outlet is None:
                outlet = Outlet(name=name)
                try:
                    outlet.full_clean()
                except ValidationError as exc:
                    names = {"name": report.names["outlet"], NON_FIELD_ERRORS: report.names["outlet"]}
                    self.problems.add_validation_error(report.row, exc, names)
                    return None
                outlet.save()
                self.counts["outlets"] += 1
            self.outlets[name] = outlet
        return self.outlets[name]


# ---------------------------------------------------------------------------
# Reading the file into records, noting what cannot be read
# ---------------------------------------------------------------------------


def read_records(path: Path, problems: Problems) -> list[Record]:
    if not path.is_file():
        raise CommandError(f"There is no file {path}.")
    kind = path.suffix.lower()
    try:
        if kind == ".csv":
            return read_csv(path, problems)
        if kind == ".json":
            return read_json(path, problems)
    except UnicodeDecodeError:
        raise CommandError(f"{path} is not UTF-8 text.") from None
    raise CommandError(f"{path} is neither .csv nor .json: the extension says which it is.")


def split_slugs(value: str) -> list[str]:
    return [slug.strip() for slug in value.split(";") if slug.strip()]


def read_csv(path: Path, problems: Problems) -> list[Record]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        known = set(CLAIM_FIELDS) | set(CSV_REPORT_COLUMNS.values())
        unknown = [column for column in columns if column not in known]
        missing = [column for column in sorted(known - OPTIONAL_CSV_COLUMNS) if column not in columns]
        if unknown or missing:
            raise CommandError(
                f"{path} does not have the expected columns."
                + (f" Unknown: {', '.join(unknown)}." if unknown else "")
                + (f" Missing: {', '.join(missing)}." if missing else "")
            )
        records: dict[str, Record] = {}
        for row, values in enumerate(reader, start=1):
            if None in values:
                problems.add(row, "-", "This row has more values than the header has columns.")
                continue
            values = {column: (value or "").strip() for column, value in values.items()}
            data = {
                "statement": values["statement"],
                "notes": values["notes"],
                "event_start": values["event_start"],
                "event_end": values["event_end"],
                "topics": split_slugs(values["topics"]),
                "regions": split_slugs(values["regions"]),
            }
            record = records.get(data["statement"]) if data["statement"] else None
            if record is None:
                record = Record(row=row, data=data)
                records[data["statement"] or f"#{row}"] = record
            else:
                for name in CLAIM_FIELDS[1:]:
                    if data[name] and data[name] != record.data[name]:
                        problems.add(row, name, f"Differs from row {record.row}, the first row of this claim.")
            report = {name: values.get(column, "") for name, column in CSV_REPORT_COLUMNS.items()}
            if any(report.values()):
                record.reports.append(Report(row=row, data=report, names=CSV_REPORT_COLUMNS))
        return list(records.values())


def read_json(path: Path, problems: Problems) -> list[Record]:
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not valid JSON: {exc}.") from None
    if not isinstance(items, list):
        raise CommandError(f"{path} must hold a list of claims, one object each.")
    records = []
    for row, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.add(row, "-", "Each claim must be an object.")
            continue
        for key in item:
            if key not in [*CLAIM_FIELDS, "attributions"]:
                problems.add(row, key, "Unknown field.")
        data = {
            name: json_text(item, name, row, problems) for name in ["statement", "notes", "event_start", "event_end"]
        }
        data["topics"] = json_slugs(item, "topics", row, problems)
        data["regions"] = json_slugs(item, "regions", row, problems)
        record = Record(row=row, data=data)
        attributions = item.get("attributions") or []
        if not isinstance(attributions, list):
            problems.add(row, "attributions", "Must be a list of objects.")
            attributions = []
        for number, attribution in enumerate(attributions, start=1):
            names = {name: f"attributions[{number}].{name}" for name in REPORT_FIELDS}
            if not isinstance(attribution, dict):
                problems.add(row, f"attributions[{number}]", "Must be an object.")
                continue
            for key in attribution:
                if key not in REPORT_FIELDS:
                    problems.add(row, f"attributions[{number}].{key}", "Unknown field.")
            report = {name: json_text(attribution, name, row, problems, label=names[name]) for name in REPORT_FIELDS}
            record.reports.append(Report(row=row, data=report, names=names))
        records.append(record)
    return records


def json_text(item: dict, name: str, row: int, problems: Problems, *, label: str = "") -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(row, label or name, "Must be text.")
        return ""
    return value.strip()


def json_slugs(item: dict, name: str, row: int, problems: Problems) -> list[str]:
    value = item.get(name) or []
    if not isinstance(value, list) or not all(isinstance(slug, str) for slug in value):
        problems.add(row, name, "Must be a list of slugs.")
        return []
    return [slug.strip() for slug in value if slug.strip()]

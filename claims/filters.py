"""The public claims filter: one FilterSet for the HTML list, the CSV export and the API."""

import hashlib
from collections.abc import Callable

import django_filters
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims.models import Attribution, Claim, Region, Topic
from claims.search import glossary_for, search_claims
from core.widgets import PlainDateInput, PlainNumberInput, PlainSelect, PlainTextInput, render_options
from sources.models import Actor, Article, Outlet

SORTS = {
    "newest": ("-published_at", "-id"),
    "updated": ("-updated_at", "-id"),
    "origins": ("-independent_origin_count", "-published_at", "-id"),
}


def _probed(exists: Exists) -> Case:
    """``exists`` as a per-row probe PostgreSQL cannot turn into a semi-join.

    At a million claims the semi-join hashed all seven million attributions (3.7 s for the
    actors' menu, past the app server's statement timeout). Inside a CASE the EXISTS stays a
    probe that reads one index entry per actor or outlet and stops: 30 ms and 6 ms.
    """
    return Case(When(exists, then=Value(True)), default=Value(False), output_field=BooleanField())


def cited_actors():
    """Actors readers may see: unprotected and cited by a public claim.

    An actor or outlet that only drafts cite would tell readers what the desk
    is working on, so neither the filters nor the public pages name them.
    """
    cited = Exists(Claim.objects.public().filter(attributions__actor=OuterRef("pk")))
    return Actor.objects.public().alias(cited=_probed(cited)).filter(cited=True)


def cited_outlets():
    """Outlets with an article cited by a public claim (see cited_actors)."""
    cited = Exists(Claim.objects.public().filter(attributions__article__outlet=OuterRef("pk")))
    return Outlet.objects.alias(cited=_probed(cited)).filter(cited=True)


# The filter form's topic, region, actor and outlet choices. Finding the cited actors and outlets
# probes the attributions once per actor and outlet, which at a million claims costs more than the
# rest of the list page, so each process keeps the lists for CHOICES_SECONDS.
#
# A stale list must never show what readers may not see. The only way a listed name becomes
# secret is its actor becoming protected (public claims stay public: withdrawn ones included),
# so the cache key carries a stamp of the actors table, read fresh on every request (one small
# query): any saved actor, and any change to the set of protected ones even by a bulk update,
# gives every process a new key at once. What else can go stale (a topic just added, an outlet
# just cited) only misses from the menu until the list is rebuilt; saves in this process rebuild
# it at once (see _forget_choices). The filters themselves always validate against the database.
CHOICES_SECONDS = 60
CHOICE_KINDS = ("topic", "region", "actor", "outlet")
_choices_generation = 0


class FilterChoices:
    """The four choice lists, each as rendered <option>s (what most pages need) and as rows
    (for a page that must mark one selected), each under its own cache key: unpickling a few
    thousand actors costs more than a page should, so a page reads only the parts it uses."""

    def __init__(self, key: str):
        self.key = key
        self._built: dict | None = None

    def rows(self, kind: str) -> list[tuple[str, str]]:
        return self._part(f"rows:{kind}")

    def html(self, kind: str) -> SafeString:
        return self._part(f"html:{kind}")

    def cached(self, name: str, build: Callable[[], SafeString]) -> SafeString:
        """Something rendered from these choices alone (the form with no filter chosen), kept
        under the same key, so it is never older than they are."""
        key = f"{self.key}:{name}"
        value = cache.get(key)
        if value is None:
            value = build()
            cache.set(key, value, CHOICES_SECONDS)
        return value

    def _part(self, part: str):
        value = cache.get(f"{self.key}:{part}")
        return self._build()[part] if value is None else value

    def _build(self) -> dict:
        if self._built is None:
            parts = {}
            for kind, rows in _load_choices().items():
                parts[f"rows:{kind}"] = rows
                parts[f"html:{kind}"] = render_options(rows)
            cache.set_many({f"{self.key}:{part}": value for part, value in parts.items()}, CHOICES_SECONDS)
            self._built = parts
        return self._built


# Every saved actor moves the latest update time; protecting or unprotecting any actor, even
# by a bulk update that leaves the time alone, changes how many are protected or the sum of
# their ids. Both are read from small indexes (claims migration 0007).
ACTORS_STAMP_SQL = """
    SELECT (SELECT MAX(updated_at) FROM sources_actor), COUNT(*), SUM(id)
    FROM sources_actor WHERE is_protected
"""


def filter_choices() -> FilterChoices:
    # Plain SQL: through the ORM this small aggregate cost twenty times as much, on every list page.
    with connection.cursor() as cursor:
        cursor.execute(ACTORS_STAMP_SQL)
        stamp = cursor.fetchone()
    digest = hashlib.sha256(repr((_choices_generation, *stamp)).encode()).hexdigest()
    return FilterChoices(f"claims:filter-choices:{digest}")


def _load_choices() -> dict[str, list[tuple[str, str]]]:
    """All four choice lists in one query, each in name order."""

    def rows(queryset, kind: str, key):
        named = {"choice_kind": Value(kind, output_field=CharField()), "choice_key": key, "choice_name": F("name")}
        # Unordered: SQLite allows no ORDER BY inside a UNION (the union is ordered as a whole).
        return queryset.order_by().annotate(**named).values_list(*named)

    as_text = Cast("pk", CharField())
    union = rows(Topic.objects.all(), "topic", F("slug")).union(
        rows(Region.objects.all(), "region", F("slug")),
        rows(cited_actors(), "actor", as_text),
        rows(cited_outlets(), "outlet", as_text),
        all=True,
    )
    choices = {kind: [] for kind in CHOICE_KINDS}
    for kind, key, name in union.order_by("choice_kind", "choice_name"):
        choices[kind].append((key, name))
    return choices


def _forget_choices(**kwargs) -> None:
    global _choices_generation
    _choices_generation += 1


for _model in (Topic, Region, Actor, Outlet, Article, Attribution, Claim):
    post_save.connect(_forget_choices, sender=_model, dispatch_uid=f"claims.filters.choices.save.{_model.__name__}")
    post_delete.connect(_forget_choices, sender=_model, dispatch_uid=f"claims.filters.choices.delete.{_model.__name__}")


DATE_INPUT = PlainDateInput(attrs={"type": "date"})


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """One row chosen by its id; typed for the OpenAPI schema, which cannot infer it
    from a filter that works through a method."""


class ClaimFilter(django_filters.FilterSet):
    # Querysets are given as functions: every request deep-copies the filters, and a deep copy of
    # a queryset (the cited-actors one most of all) cost more than a list page's rendering.
    q = django_filters.CharFilter(label="Search", method="filter_search", widget=PlainTextInput)
    # A claim has a topic (and a region) at most once, so the join needs no DISTINCT, which would
    # stop PostgreSQL from reading the list in index order.
    topic = django_filters.ModelChoiceFilter(
        field_name="topics",
        to_field_name="slug",
        queryset=lambda request: Topic.objects.all(),
        label="Topic",
        empty_label="Any topic",
        distinct=False,
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(
        choices=Claim.Status.choices, label="Status", empty_label="Any status", widget=PlainSelect
    )
    # Public actors only: filtering by a protected actor would tie a pseudonym to a list of claims it
    # could be unmasked from; their claims are still found through other filters and search.
    actor = IdChoiceFilter(
        queryset=lambda request: cited_actors(),
        method="filter_actor",
        label="Actor",
        empty_label="Any actor",
        widget=PlainSelect,
    )
    outlet = IdChoiceFilter(
        queryset=lambda request: cited_outlets(),
        method="filter_outlet",
        label="Outlet",
        empty_label="Any outlet",
        widget=PlainSelect,
    )
    region = django_filters.ModelChoiceFilter(
        field_name="regions",
        to_field_name="slug",
        queryset=lambda request: Region.objects.all(),
        label="Region",
        empty_label="Any region",
        distinct=False,
        widget=PlainSelect,
    )
    event_after = django_filters.DateFilter(method="filter_event_after", label="Events from", widget=DATE_INPUT)
    event_before = django_filters.DateFilter(
        field_name="event_start", lookup_expr="lte", label="Events until", widget=DATE_INPUT
    )
    reported_after = django_filters.DateFilter(
        field_name="first_reported_on", lookup_expr="gte", label="First reported from", widget=DATE_INPUT
    )
    reported_before = django_filters.DateFilter(
        field_name="first_reported_on", lookup_expr="lte", label="First reported until", widget=DATE_INPUT
    )
    # A choice rather than django-filter's lenient boolean, so "has_denial=perhaps" is a 400, not ignored.
    has_denial = django_filters.ChoiceFilter(
        choices=[("true", "Yes"), ("false", "No")],
        method="filter_has_denial",
        label="Denied by someone",
        empty_label="Either",
        widget=PlainSelect,
    )
    min_origins = django_filters.NumberFilter(
        field_name="independent_origin_count",
        lookup_expr="gte",
        min_value=0,
        label="At least N independent origins",
        widget=PlainNumberInput,
    )
    sort = django_filters.ChoiceFilter(
        choices=[("newest", "Newest"), ("updated", "Recently updated"), ("origins", "Most independent origins")],
        method="filter_sort",
        label="Sort by",
        empty_label=None,
        widget=PlainSelect,
    )

    class Meta:
        model = Claim
        fields = []

    def get_form_class(self):
        # django-filter builds a new form class, with new fields, for every request; ours never
        # changes, so it is built once per process (each form still gets its own copies of the fields).
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    # What the glossary made of the search: the entries it explains and the terms searched for,
    # kept for the list page (see public.views).
    glossary_entries: list = []
    search_terms: list[str] = []

    @property
    def sort_name(self) -> str:
        """The sort asked for, if it is a valid one (other fields may not be); newest first otherwise."""
        if not self.is_bound:
            return "newest"
        self.form.is_valid()  # fills cleaned_data with the valid fields, as the filtering uses
        return self.form.cleaned_data.get("sort") or "newest"

    def filter_queryset(self, queryset):
        # Matching only: the order is the sort's (searches rank in the list view, bounded).
        return super().filter_queryset(queryset).order_by(*SORTS[self.sort_name])

    def filter_search(self, queryset, name, value):
        self.glossary_entries, self.search_terms = glossary_for(value)
        return search_claims(queryset, value, terms=self.search_terms)

    def use_choices(self, choices: FilterChoices) -> None:
        """Offer these topic, region, actor and outlet choices (see filter_choices) instead of
        querying for them when the form is rendered. Submitted values are still checked
        against the database."""
        for name in CHOICE_KINDS:
            widget = self.form.fields[name].widget
            empty = [("", self.form.fields[name].empty_label)]
            if self.data.get(name):
                widget.choices = empty + choices.rows(name)
            else:
                widget.unselected_html = render_options(empty, {""}) + choices.html(name)

    def filter_sort(self, queryset, name, value):
        return queryset  # applied by filter_queryset, after every filter

    def filter_actor(self, queryset, name, actor):
        return queryset.filter(Exists(Attribution.objects.filter(claim=OuterRef("pk"), actor=actor)))

    def filter_outlet(self, queryset, name, outlet):
        return queryset.filter(Exists(Attribution.objects.filter(claim=OuterRef("pk"), article__outlet=outlet)))

    def filter_has_denial(self, queryset, name, value):
        return queryset.filter(has_denial=value == "true")

    def filter_event_after(self, queryset, name, value):
        # A range that ends on or after the date, or a single date on or after it.
        return queryset.filter(Q(event_end__gte=value) | Q(event_end__isnull=True, event_start__gte=value))

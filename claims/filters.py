"""The public claims filter: one FilterSet for the HTML list, the CSV export and the API."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from claims.models import Attribution, Claim, Region, Topic
from claims.search import search_claims
from sources.models import Actor, Outlet

SORTS = {
    "newest": ("-published_at", "-id"),
    "updated": ("-updated_at", "-id"),
    "origins": ("-independent_origin_count", "-published_at", "-id"),
}


def cited_actors():
    """Actors readers may see: unprotected and cited by a public claim.

    An actor or outlet that only drafts cite would tell readers what the desk
    is working on, so neither the filters nor the public pages name them.
    """
    return Actor.objects.public().filter(
        Exists(Attribution.objects.filter(actor=OuterRef("pk"), claim__in=Claim.objects.public()))
    )


def cited_outlets():
    """Outlets with an article cited by a public claim (see cited_actors)."""
    return Outlet.objects.filter(
        Exists(Attribution.objects.filter(article__outlet=OuterRef("pk"), claim__in=Claim.objects.public()))
    )


DATE_INPUT = forms.DateInput(attrs={"type": "date"})


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """One row chosen by its id; typed for the OpenAPI schema, which cannot infer it
    from a filter that works through a method."""


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search")
    topic = django_filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), label="Topic", empty_label="Any topic"
    )
    status = django_filters.ChoiceFilter(choices=Claim.Status.choices, label="Status", empty_label="Any status")
    # Public actors only: filtering by a protected actor would tie a pseudonym to a list of claims it
    # could be unmasked from; their claims are still found through other filters and search.
    actor = IdChoiceFilter(queryset=cited_actors(), method="filter_actor", label="Actor", empty_label="Any actor")
    outlet = IdChoiceFilter(queryset=cited_outlets(), method="filter_outlet", label="Outlet", empty_label="Any outlet")
    region = django_filters.ModelChoiceFilter(
        field_name="regions",
        to_field_name="slug",
        queryset=Region.objects.all(),
        label="Region",
        empty_label="Any region",
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
    )
    min_origins = django_filters.NumberFilter(
        field_name="independent_origin_count", lookup_expr="gte", min_value=0, label="At least N independent origins"
    )
    sort = django_filters.ChoiceFilter(
        choices=[("newest", "Newest"), ("updated", "Recently updated"), ("origins", "Most independent origins")],
        method="filter_sort",
        label="Sort by",
        empty_label=None,
    )

    class Meta:
        model = Claim
        fields = []

    def filter_queryset(self, queryset):
        # Newest first unless a search (ranked) or an explicit sort says otherwise.
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort") and not self.form.cleaned_data.get("q"):
            queryset = queryset.order_by(*SORTS["newest"])
        return queryset

    def filter_search(self, queryset, name, value):
        return search_claims(queryset, value)

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value]) if value in SORTS else queryset

    def filter_actor(self, queryset, name, actor):
        return queryset.filter(Exists(Attribution.objects.filter(claim=OuterRef("pk"), actor=actor)))

    def filter_outlet(self, queryset, name, outlet):
        return queryset.filter(Exists(Attribution.objects.filter(claim=OuterRef("pk"), article__outlet=outlet)))

    def filter_has_denial(self, queryset, name, value):
        return queryset.filter(has_denial=value == "true")

    def filter_event_after(self, queryset, name, value):
        # A range that ends on or after the date, or a single date on or after it.
        return queryset.filter(Q(event_end__gte=value) | Q(event_end__isnull=True, event_start__gte=value))

"""What readers see. Every query here starts from Claim.objects.public(), or
from the actors and outlets public claims cite (claims.filters), so drafts,
internal notes and protected identities cannot reach a page, a count or an
export."""

import csv

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from claims import provenance
from claims.filters import ClaimFilter, cited_actors, cited_outlets
from claims.models import Attribution, Claim, ReviewEvent, Topic
from core.sanitize import json_ld_script
from glossary.models import Entry
from public.jsonld import claim_review
from sources.models import Actor

CLAIMS_PER_PAGE = 50
RELATED_LIMIT = 5


def _list_rows(claims):
    """What a claim row shows: stored counts on the claim, topics and regions prefetched."""
    return claims.prefetch_related("topics", "regions").only(
        "id",
        "statement",
        "status",
        "state",
        "published_at",
        "updated_at",
        "report_count",
        "independent_origin_count",
        "has_denial",
    )


def _active_filters(claim_filter: ClaimFilter, request: HttpRequest) -> list[tuple[str, str, str]]:
    """(label, shown value, URL without this filter) for each filter in use."""
    active = []
    data = claim_filter.form.cleaned_data if claim_filter.form.is_valid() else {}
    for name, value in data.items():
        if value in (None, "") or name == "sort":
            continue
        remaining = request.GET.copy()
        remaining.pop(name, None)
        remaining.pop("page", None)
        field = claim_filter.form.fields[name]
        # Plain choices (status, "denied") show their label; model choices show the object.
        shown = dict(field.choices).get(value, value) if isinstance(value, str) and hasattr(field, "choices") else value
        active.append((str(field.label), str(shown), "?" + remaining.urlencode()))
    return active


def claim_list(request: HttpRequest) -> HttpResponse:
    claim_filter = ClaimFilter(request.GET or None, queryset=Claim.objects.public())
    claims = claim_filter.qs if claim_filter.is_bound else claim_filter.queryset.order_by("-published_at", "-id")
    page = Paginator(_list_rows(claims), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "public/claim_list.html",
        {
            "filter": claim_filter,
            "page": page,
            "active_filters": _active_filters(claim_filter, request),
            "query_string": query.urlencode(),
            "glossary_hits": Entry.objects.matching(request.GET.get("q", "")) if request.GET.get("q") else [],
        },
        status=400 if claim_filter.is_bound and not claim_filter.form.is_valid() else 200,
    )


def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = Claim.objects.public().filter(pk=pk).first()
    if claim is None:
        raise Http404("No published claim has this number.")
    attributions = list(claim.attributions.select_related("actor", "article__outlet"))
    corroborations = list(claim.corroborations.select_related("performed_by"))
    summary = provenance.summarise(attributions, corroborations)
    topics = list(claim.topics.all())
    related = (
        Claim.objects.public().filter(topics__in=topics).exclude(pk=claim.pk).distinct().order_by("-published_at")
    )[:RELATED_LIMIT]
    review = claim_review(claim, attributions, base_url=request.build_absolute_uri("/").rstrip("/"))
    return render(
        request,
        "public/claim_detail.html",
        {
            "claim": claim,
            "summary": summary,
            "tree": provenance.build_tree(attributions),
            "corroborations": corroborations,
            "changes": claim.review_events.filter(is_public=True).select_related("user"),
            "topics": topics,
            "regions": claim.regions.all(),
            "related": related,
            "claim_review": json_ld_script(review) if review else "",
        },
    )


def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Protected actors, and actors only hidden claims cite, have no public page: 404 like an unknown id.
    actor = get_object_or_404(cited_actors(), pk=pk)
    claims = Claim.objects.public().filter(attributions__actor=actor).distinct().order_by("-published_at", "-id")
    page = Paginator(_list_rows(claims), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "public/actor_detail.html", {"actor": actor, "page": page})


def outlet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(cited_outlets(), pk=pk)
    claims = (
        Claim.objects.public().filter(attributions__article__outlet=outlet).distinct().order_by("-published_at", "-id")
    )
    page = Paginator(_list_rows(claims), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "public/outlet_detail.html", {"outlet": outlet, "page": page})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    claims = Claim.objects.public().filter(topics=topic).order_by("-published_at", "-id")
    page = Paginator(_list_rows(claims), CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "public/topic_detail.html", {"topic": topic, "page": page})


def methodology(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/methodology.html",
        {
            "statuses": Claim.Status.choices,
            "reliability": Actor.Reliability.choices,
            "credibility": Attribution.Credibility.choices,
            "estimative": Attribution.Estimative.choices,
            "glossary": Entry.objects.all(),
        },
    )


CSV_COLUMNS = [
    "id",
    "url",
    "statement",
    "status",
    "withdrawn",
    "topics",
    "regions",
    "reports",
    "independent_origins",
    "denied",
    "first_reported_on",
    "published_at",
    "updated_at",
]


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula is quoted with '."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def claims_csv(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    """The filtered list as CSV, streamed row by row so 100,000 claims never sit in memory."""
    claim_filter = ClaimFilter(request.GET or None, queryset=Claim.objects.public())
    if claim_filter.is_bound and not claim_filter.form.is_valid():
        return HttpResponse(
            "Bad filter: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in claim_filter.form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    claims = claim_filter.qs if claim_filter.is_bound else claim_filter.queryset.order_by("-published_at", "-id")
    base = request.build_absolute_uri("/").rstrip("/")
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        for claim in _list_rows(claims).iterator(chunk_size=1000):
            yield writer.writerow(
                [
                    claim.pk,
                    base + reverse("public:claim_detail", args=[claim.pk]),
                    _cell(claim.statement),
                    claim.get_status_display(),
                    "yes" if claim.state == Claim.State.WITHDRAWN else "no",
                    "; ".join(t.name for t in claim.topics.all()),
                    "; ".join(r.name for r in claim.regions.all()),
                    claim.report_count,
                    claim.independent_origin_count,
                    "yes" if claim.has_denial else "no",
                    claim.first_reported_on.isoformat() if claim.first_reported_on else "",
                    claim.published_at.isoformat() if claim.published_at else "",
                    claim.updated_at.isoformat(),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="claimdesk-claims.csv"'
    return response


def public_changes():
    """Public review events on public claims: what feeds announce."""
    return ReviewEvent.objects.filter(is_public=True, claim__state__in=Claim.PUBLIC_STATES).filter(
        ~Q(action=ReviewEvent.Action.SUBMIT)
    )

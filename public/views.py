"""What readers see. Every query here starts from Claim.objects.public(), or
from the actors and outlets public claims cite (claims.filters), so drafts,
internal notes and protected identities cannot reach a page, a count or an
export."""

import csv
import hashlib
from urllib.parse import urlencode

from django.db.models import CharField, Exists, FloatField, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse

from claims import provenance
from claims.filters import SORTS, ClaimFilter, cited_actors, cited_outlets, filter_choices
from claims.listing import ROW_FIELDS, links_by_claim, list_rows, public_rows_by_id
from claims.models import Attribution, Claim, ReviewEvent, Topic
from claims.search import RANKED_AMONG, can_rank, rank_newest_matches
from core.pagination import BadCursor, KeysetPaginator, SortedRowsPaginator, capped_count
from core.sanitize import json_ld_script
from glossary.models import Entry
from public.jsonld import claim_review
from public.rows import claim_rows
from sources.models import Actor

CLAIMS_PER_PAGE = 50
# Lists say "more than 1,000 claims" rather than count every matching row.
COUNT_UP_TO = 1000
RELATED_LIMIT = 5
CURSOR = "cursor"
RANKED_KEYS = ["rank", "published", "id"]
RANKED_FIELDS = {"rank": FloatField(), "published": CharField(), "id": Claim._meta.pk}
BAD_CURSOR = "This page link is damaged or out of date, so here is the first page instead."


def _sort_keys(sort: str) -> list[str]:
    return [key.lstrip("-") for key in SORTS[sort]]


def _claim_page(request: HttpRequest, paginator: KeysetPaginator, load=None):
    """The page the request's cursor points to, its rows rendered: (page, cursor error).
    ``load`` turns the paginator's rows into list rows, if they are not already."""
    try:
        page = paginator.page(request.GET.get(CURSOR))
        error = ""
    except BadCursor:
        page, error = paginator.page(None), BAD_CURSOR
    if load is not None:
        page.object_list = load(page.object_list)
    page.rows_html = claim_rows(page.object_list)
    return page, error


def _keyset(claims, sort: str, name: str = "") -> KeysetPaginator:
    """Pages of ``claims`` in ``sort`` order; ``name`` tells this list's cursors from other lists'."""
    return KeysetPaginator(list_rows(claims), _sort_keys(sort), CLAIMS_PER_PAGE, name=name or sort)


def _rows_of_ranked(ranked: list[dict]) -> list[dict]:
    return public_rows_by_id([row["id"] for row in ranked])


def _query_string(request: HttpRequest, *drop: str) -> str:
    query = request.GET.copy()
    for name in (CURSOR, "page", *drop):
        query.pop(name, None)
    return query.urlencode()


def _active_filters(claim_filter: ClaimFilter, request: HttpRequest) -> list[tuple[str, str, str]]:
    """(label, shown value, URL without this filter) for each filter in use."""
    active = []
    data = claim_filter.form.cleaned_data if claim_filter.form.is_valid() else {}
    for name, value in data.items():
        if value in (None, "") or name == "sort":
            continue
        field = claim_filter.form.fields[name]
        # Plain choices (status, "denied") show their label; model choices show the object.
        shown = dict(field.choices).get(value, value) if isinstance(value, str) and hasattr(field, "choices") else value
        active.append((str(field.label), str(shown), "?" + _query_string(request, name)))
    return active


def claim_list(request: HttpRequest) -> HttpResponse:
    choices = filter_choices()
    # The cursor only says where in the list a page starts: a deep page of the whole list is unfiltered.
    params = request.GET.copy()
    for name in (CURSOR, "page"):
        params.pop(name, None)
    if params:
        claim_filter = ClaimFilter(params, queryset=Claim.objects.public())
        claims, sort, terms = claim_filter.qs, claim_filter.sort_name, claim_filter.search_terms
        active_filters = _active_filters(claim_filter, request)
        invalid = not claim_filter.form.is_valid()
        filter_form = None
        if invalid:
            claim_filter.use_choices(choices)  # rendered with its errors, below
        else:
            # A valid form shows only what was asked and the menus: the same for all who ask the same.
            asked = hashlib.sha256(urlencode(sorted(params.lists()), doseq=True).encode()).hexdigest()
            filter_form = choices.cached(
                f"form:{asked}", lambda: _filter_form(claim_filter, choices, opened=bool(active_filters))
            )
    else:
        # The usual first visit: no filter to apply or check, and the form as every such reader sees it.
        claim_filter, invalid, active_filters = None, False, []
        claims, sort, terms = Claim.objects.public(), "newest", []
        filter_form = choices.cached(
            "unfiltered-form", lambda: _filter_form(ClaimFilter(None, queryset=claims), choices, opened=False)
        )
    # A search without an explicit sort lists the best matches first: ranked among the newest
    # RANKED_AMONG matches, so a word in half the archive costs what a rare one does.
    ranked = bool(terms) and not claim_filter.form.cleaned_data.get("sort") and can_rank()
    if ranked:
        matches, more = rank_newest_matches(claims, terms, among=RANKED_AMONG)
        paginator = SortedRowsPaginator(matches, RANKED_KEYS, CLAIMS_PER_PAGE, name="ranked", fields=RANKED_FIELDS)
        page, cursor_error = _claim_page(request, paginator, load=_rows_of_ranked)
        count = len(matches)
    else:
        page, cursor_error = _claim_page(request, _keyset(claims, sort))
        # The first page says how many claims match (up to a point); later pages need not count again.
        count, more = capped_count(claims, COUNT_UP_TO) if page.number == 1 else (None, None)
    return render(
        request,
        "public/claim_list.html",
        {
            "filter": claim_filter,
            "filter_form": filter_form,
            "page": page,
            "count": count,
            "count_label": f"{count:,}" if count is not None else "",
            "more": more,
            "by_rank": ranked or sort == "origins",
            "ranked": ranked,
            "cursor_error": cursor_error,
            "active_filters": active_filters,
            "query_string": _query_string(request),
            "glossary_hits": claim_filter.glossary_entries if claim_filter else [],
        },
        status=400 if invalid or cursor_error else 200,
    )


def _filter_form(claim_filter: ClaimFilter, choices, *, opened: bool) -> str:
    claim_filter.use_choices(choices)
    return render_to_string("public/_filter_form.html", {"filter": claim_filter, "active_filters": opened})


def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = Claim.objects.public().filter(pk=pk).first()
    if claim is None:
        raise Http404("No published claim has this number.")
    attributions = list(claim.attributions.select_related("actor", "article__outlet"))
    corroborations = list(claim.corroborations.select_related("performed_by"))
    summary = provenance.summarise(attributions, corroborations)
    links = links_by_claim([claim.pk])[claim.pk]
    topic_slugs = [slug for slug, _name in links["topics"]]
    related = []
    if topic_slugs:
        # Newest first through the publication index, each checked for a shared topic: a join
        # would gather every claim of a big topic before picking five.
        shares_topic = Exists(Claim.topics.through.objects.filter(claim_id=OuterRef("pk"), topic__slug__in=topic_slugs))
        others = Claim.objects.public().filter(shares_topic).exclude(pk=claim.pk).only("id", "statement", "status")
        related = others.order_by("-published_at", "-id")[:RELATED_LIMIT]
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
            "topics": links["topics"],
            "regions": links["regions"],
            "related": related,
            "claim_review": json_ld_script(review) if review else "",
        },
    )


def _newest_page(request: HttpRequest, template: str, claims, name: str, context: dict) -> HttpResponse:
    """An actor's, outlet's or topic's claims, newest first, a keyset page at a time."""
    page, cursor_error = _claim_page(request, _keyset(claims, "newest", name))
    context.update(page=page, cursor_error=cursor_error, query_string=_query_string(request))
    return render(request, template, context, status=400 if cursor_error else 200)


def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # Protected actors, and actors only hidden claims cite, have no public page: 404 like an unknown id.
    actor = get_object_or_404(cited_actors(), pk=pk)
    claims = Claim.objects.public().filter(Exists(Attribution.objects.filter(claim=OuterRef("pk"), actor=actor)))
    return _newest_page(request, "public/actor_detail.html", claims, "actor", {"actor": actor})


def outlet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    outlet = get_object_or_404(cited_outlets(), pk=pk)
    claims = Claim.objects.public().filter(
        Exists(Attribution.objects.filter(claim=OuterRef("pk"), article__outlet=outlet))
    )
    return _newest_page(request, "public/outlet_detail.html", claims, "outlet", {"outlet": outlet})


def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    claims = Claim.objects.public().filter(topics=topic)
    return _newest_page(request, "public/topic_detail.html", claims, "topic", {"topic": topic})


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
    claims = claim_filter.qs.order_by(*SORTS[claim_filter.sort_name])
    base = request.build_absolute_uri("/").rstrip("/")
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(CSV_COLUMNS)
        rows = claims.only(*ROW_FIELDS, "first_reported_on").prefetch_related("topics", "regions")
        for claim in rows.iterator(chunk_size=1000):
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

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from claims import provenance
from claims.forms import (
    ActionForm,
    AttributionFormSet,
    ClaimForm,
    CorrectionForm,
    CorroborationFormSet,
    StatusForm,
)
from claims.models import Attribution, Claim, ReviewEvent
from core.locking import EditConflict, take_next_version
from sources.models import Article
from sources.urlnorm import InvalidURL, normalize_url

CLAIMS_PER_PAGE = 25
DASHBOARD_LIMIT = 20


def get_claim_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Claim:
    """The claim, if this user may see it (and edit it, with ``write``); else 404.

    404 rather than 403: a refusal would confirm that a hidden draft exists.
    """
    claim = Claim.objects.select_related("created_by").filter(pk=pk).first()
    if claim is None or not claim.can_view(request.user):
        raise Http404("No such claim.")
    if write and not claim.can_edit(request.user):
        raise PermissionDenied("This claim cannot be edited by you in its current state.")
    return claim


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    mine = Claim.objects.filter(created_by=user).order_by("-updated_at")
    last_send_back = ReviewEvent.objects.filter(claim=OuterRef("pk"), action=ReviewEvent.Action.SEND_BACK).order_by(
        "-created_at"
    )
    context = {
        "drafts": mine.filter(state=Claim.State.DRAFT)[:DASHBOARD_LIMIT],
        "sent_back": mine.filter(state=Claim.State.SENT_BACK).annotate(
            send_back_note=Subquery(last_send_back.values("note")[:1]),
            send_back_by=Subquery(last_send_back.values("user__username")[:1]),
        )[:DASHBOARD_LIMIT],
        "in_review": mine.filter(state=Claim.State.IN_REVIEW)[:DASHBOARD_LIMIT],
        "recently_published": Claim.objects.published().order_by("-published_at")[:10],
        "is_editor": user.has_perm("claims.publish_claim"),
    }
    if context["is_editor"]:
        context["review_queue"] = (
            Claim.objects.in_review()
            .select_related("created_by")
            .annotate(submitted_at=Max("review_events__created_at", filter=Q(review_events__action="submit")))
            .order_by("submitted_at", "id")[:50]
        )
        context["recently_changed"] = Claim.objects.published().order_by("-updated_at")[:10]
        context["now"] = timezone.now()
    return render(request, "claims/dashboard.html", context)


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request, pk)
    attributions = list(claim.attributions.select_related("actor", "article__outlet", "via"))
    corroborations = list(claim.corroborations.select_related("performed_by", "created_by"))
    by_id = {a.pk: a for a in attributions}
    summary = provenance.summarise(attributions, corroborations)
    chains = {a.pk: provenance.via_chain(a, by_id.get) for a in attributions}
    history = list(claim.history.select_related("history_user").order_by("-history_date", "-history_id")[:30])
    _mark_changed_fields(history)
    user = request.user
    context = {
        "claim": claim,
        "attribution_rows": [(a, chains[a.pk]) for a in attributions],
        "corroborations": corroborations,
        "summary": summary,
        "events": claim.review_events.select_related("user"),
        "history": history,
        "topics": claim.topics.all(),
        "regions": claim.regions.all(),
        "can": {
            "edit": claim.can_edit(user),
            "submit": claim.can_submit(user),
            "send_back": claim.can_send_back(user),
            "set_status": claim.can_set_status(user),
            "publish": claim.can_publish(user),
            "withdraw": claim.can_withdraw(user),
        },
        "action_form": ActionForm(initial={"version": claim.version}),
        "status_form": StatusForm(initial={"version": claim.version, "status": claim.status}),
    }
    return render(request, "claims/claim_detail.html", context)


HISTORY_IGNORED_FIELDS = {"updated_at", "version"}


def _mark_changed_fields(history: list) -> None:
    """Name the fields each history record changed, comparing neighbours in memory
    (``diff_against`` would cost a query per record)."""
    fields = [f for f in Claim.history.model.tracked_fields if f.name not in HISTORY_IGNORED_FIELDS]
    for newer, older in zip(history, [*history[1:], None], strict=True):
        newer.changed_fields = (
            [str(f.verbose_name) for f in fields if getattr(newer, f.attname) != getattr(older, f.attname)]
            if older
            else []
        )


def _article_in_request(request: HttpRequest) -> Article | None:
    """The article a reporter is logging from: ?article=<id>, or the URL typed in the first report row."""
    article_pk = request.GET.get("article", "")
    if article_pk.isdigit():
        return Article.objects.filter(pk=article_pk).first()
    url = request.POST.get("attributions-0-article") or request.GET.get("article_url", "")
    try:
        return Article.objects.filter(url=normalize_url(url)).first() if url else None
    except InvalidURL:
        return None


def _similar_claims(request: HttpRequest, statement: str, *, exclude: int | None = None) -> list[Claim]:
    """Claims that look like ``statement`` which this user may see, each marked with
    whether the user can add a report to it straight away."""
    claims = Claim.objects.visible_to(request.user)
    if exclude:
        claims = claims.exclude(pk=exclude)
    similar = claims.similar_to(statement)
    for claim in similar:
        claim.user_can_edit = claim.can_edit(request.user)
    return similar


@login_required
@permission_required("claims.add_claim", raise_exception=True)
def claim_create(request: HttpRequest) -> HttpResponse:
    claim = Claim(created_by=request.user)
    initial_article = _article_in_request(request)
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=claim)
        attributions = AttributionFormSet(request.POST, instance=claim, prefix="attributions")
        corroborations = CorroborationFormSet(request.POST, instance=claim, prefix="corroborations")
        similar = _similar_claims(request, request.POST.get("statement", ""))
        confirmed_new = request.POST.get("confirm_new") == "1"
        if _all_valid(form, attributions, corroborations) and (confirmed_new or not similar):
            with transaction.atomic():
                _save_claim(request, form, attributions, corroborations)
            messages.success(request, "Claim saved as a draft. Set what each report relays, then submit it.")
            return redirect("claims:claim_detail", pk=claim.pk)
    else:
        form = ClaimForm(instance=claim)
        initial = [{"article": initial_article.url}] if initial_article else []
        attributions = AttributionFormSet(instance=claim, prefix="attributions", initial=initial)
        corroborations = CorroborationFormSet(instance=claim, prefix="corroborations")
        similar = []
    return render(
        request,
        "claims/claim_form.html",
        {
            "form": form,
            "attributions": attributions,
            "corroborations": corroborations,
            "similar": similar,
            "initial_article": initial_article,
        },
    )


@login_required
@permission_required("claims.change_claim", raise_exception=True)
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    claim = get_claim_for_user(request, pk, write=True)
    is_correction = claim.state == Claim.State.PUBLISHED
    if request.method == "POST":
        form = ClaimForm(request.POST, instance=claim)
        attributions = AttributionFormSet(request.POST, instance=claim, prefix="attributions")
        corroborations = CorroborationFormSet(request.POST, instance=claim, prefix="corroborations")
        correction = CorrectionForm(request.POST) if is_correction else None
        if _all_valid(form, attributions, corroborations, correction):
            try:
                with transaction.atomic():
                    take_next_version(claim, form.cleaned_data["version"] or 0)
                    _save_claim(request, form, attributions, corroborations)
                    if correction:
                        claim.record_correction(by=request.user, note=correction.cleaned_data["correction_note"])
            except EditConflict:
                return _conflict(request, claim, form, attributions, corroborations)
            except ValidationError as exc:
                # A relay chain that only turns into a loop once every row is saved.
                form.add_error(None, exc.messages)
            else:
                messages.success(request, "Correction published." if correction else "Claim saved.")
                return redirect("claims:claim_detail", pk=claim.pk)
    else:
        form = ClaimForm(instance=claim)
        # Arriving from a similar-claim suggestion: the new report's article is filled in.
        article = _article_in_request(request)
        initial = [{"article": article.url}] if article else []
        attributions = AttributionFormSet(instance=claim, prefix="attributions", initial=initial)
        corroborations = CorroborationFormSet(instance=claim, prefix="corroborations")
        correction = CorrectionForm() if is_correction else None
    return render(
        request,
        "claims/claim_form.html",
        {
            "chains": _saved_chains(claim),
            "claim": claim,
            "form": form,
            "attributions": attributions,
            "corroborations": corroborations,
            "correction": correction,
        },
    )


def _saved_chains(claim: Claim) -> dict[int, list]:
    """Each saved report's relay chain to its origin, shown beside its row in the form."""
    saved = list(claim.attributions.select_related("actor", "article__outlet"))
    by_id = {a.pk: a for a in saved}
    return {a.pk: provenance.via_chain(a, by_id.get) for a in saved}


def _all_valid(*forms) -> bool:
    # Evaluate every form so each shows its own errors, not only the first failing one.
    results = [f.is_valid() for f in forms if f is not None]
    return all(results)


def _save_claim(request: HttpRequest, form, attributions, corroborations) -> None:
    """Save the claim and its rows; runs inside the caller's transaction."""
    claim = form.save()
    attributions.instance = corroborations.instance = claim
    for attribution in attributions.save(commit=False):
        attribution.save()
    # Removed reports go once the others are saved, so a report that stopped relaying
    # one of them no longer holds it; their own links may point at each other.
    removed = Attribution.objects.filter(pk__in=[a.pk for a in attributions.deleted_objects])
    removed.update(via=None)
    removed.delete()
    for corroboration in corroborations.save(commit=False):
        if corroboration.pk is None:
            corroboration.created_by = request.user
        corroboration.save()
    for removed in corroborations.deleted_objects:
        removed.delete()
    # Via links are checked once every row exists, so a loop made across rows is caught too.
    for attribution in claim.attributions.all():
        attribution.full_clean()


def _conflict(request: HttpRequest, claim: Claim, form, attributions, corroborations) -> HttpResponse:
    current = Claim.objects.get(pk=claim.pk)
    submitted = [(form[name].label, request.POST.getlist(name)) for name in form.fields if name != "version"]
    rows = []
    for formset in (attributions, corroborations):
        for row in formset.forms:
            values = [(row[name].label, request.POST.getlist(row[name].html_name)) for name in row.fields]
            if any(v for _, vs in values for v in vs if v):
                rows.append(values)
    context = {
        "claim": current,
        "submitted": submitted,
        "submitted_rows": rows,
        "current_attributions": current.attributions.select_related("actor", "article__outlet"),
    }
    return render(request, "claims/claim_conflict.html", context, status=409)


ACTIONS = {
    "submit": "Submitted for review.",
    "send-back": "Sent back to the reporter.",
    "set-status": "Corroboration status changed.",
    "publish": "Published.",
    "withdraw": "Withdrawn. The claim stays public, marked as withdrawn.",
}


@login_required
@permission_required("claims.view_claim", raise_exception=True)
def claim_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    claim = get_claim_for_user(request, pk)
    form = (StatusForm if action == "set-status" else ActionForm)(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        by, version, note = request.user, data["version"], data["note"]
        try:
            if action == "submit":
                claim.submit(by=by, version=version, note=note)
            elif action == "send-back":
                claim.send_back(by=by, version=version, note=note)
            elif action == "set-status":
                claim.set_status(by=by, version=version, status=data["status"], reason=note, public=data["public"])
            elif action == "publish":
                claim.publish(by=by, version=version, note=note)
            elif action == "withdraw":
                claim.withdraw(by=by, version=version, note=note)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("note" if field == "note" else None, errors)
        except EditConflict:
            messages.error(request, "Someone changed this claim while you were looking at it. Review it and try again.")
            return redirect("claims:claim_detail", pk=claim.pk)
        else:
            messages.success(request, ACTIONS[action])
            return redirect("claims:claim_detail", pk=claim.pk)
    return render(request, "claims/claim_action.html", {"claim": claim, "form": form, "action": action}, status=400)


@login_required
@permission_required("claims.add_claim", raise_exception=True)
@require_GET
def claim_similar(request: HttpRequest) -> HttpResponse:
    """Suggestions while a reporter types a statement (fetched by claim_form.js)."""
    exclude = request.GET.get("exclude", "")
    similar = _similar_claims(request, request.GET.get("q", ""), exclude=int(exclude) if exclude.isdigit() else None)
    return render(
        request, "claims/_similar.html", {"similar": similar, "initial_article": _article_in_request(request)}
    )

"""Staff pages for articles and actors: log, edit (with optimistic locking), read."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from claims.models import Claim
from core.locking import EditConflict, take_next_version
from sources.forms import ActorForm, ArticleForm, RecordForm
from sources.models import Actor, Article

CITING_CLAIMS_SHOWN = 50
HISTORY_SHOWN = 20
# Bookkeeping columns that change on every save and say nothing to a reader of the history.
HISTORY_IGNORED_FIELDS = ["version", "updated_at"]


@dataclass
class HistoryRow:
    record: models.Model
    changed: list[str]


@dataclass
class ComparedField:
    label: str
    submitted: object
    current: object

    @property
    def differs(self) -> bool:
        return self.submitted != self.current


def history_rows(instance: models.Model, *, limit: int = HISTORY_SHOWN) -> list[HistoryRow]:
    """The latest ``limit`` history records, each with the names of the fields it changed.

    One query: the record before the oldest shown is fetched too, so every
    row is diffed against its predecessor in memory.
    """
    records = instance.history.select_related("history_user").order_by("-history_date", "-history_id")
    records = list(records[: limit + 1])
    rows = []
    for record, previous in zip(records[:limit], [*records[1:], None], strict=False):
        changed = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=HISTORY_IGNORED_FIELDS)
            changed = [str(instance._meta.get_field(name).verbose_name) for name in delta.changed_fields]
        rows.append(HistoryRow(record=record, changed=changed))
    return rows


def _display(field: forms.Field, value: object) -> object:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        return dict(field.choices).get(value, value) if value not in field.empty_values else ""
    return "" if value is None else value


def save_versioned(
    request: HttpRequest, form: RecordForm, *, current: models.QuerySet, app_model: str
) -> HttpResponse | None:
    """Save ``form`` on the version its writer loaded; if someone saved since, nothing
    is saved and the conflict page is returned instead."""
    pk = form.instance.pk
    try:
        with transaction.atomic():
            take_next_version(form.instance, form.cleaned_data["version"])
            form.save()
    except EditConflict:
        return render_conflict(
            request,
            form=form,
            current=current.get(pk=pk),
            edit_url=reverse(f"sources:{app_model}_edit", args=[pk]),
            detail_url=reverse(f"sources:{app_model}_detail", args=[pk]),
        )
    return None


def render_conflict(
    request: HttpRequest, *, form: RecordForm, current: models.Model, edit_url: str, detail_url: str
) -> HttpResponse:
    """Show a writer whose copy went stale what they typed beside what is saved now; save nothing."""
    fields = []
    for bound in form.visible_fields():
        submitted = _display(bound.field, form.cleaned_data.get(bound.name))
        if not hasattr(current, bound.name):  # a form-only field, such as a new outlet's name
            if submitted:
                fields.append(ComparedField(bound.label, submitted, ""))
            continue
        fields.append(ComparedField(bound.label, submitted, _display(bound.field, getattr(current, bound.name))))
    context = {
        "title": f"{current._meta.verbose_name.capitalize()} changed while you were editing",
        "record": current,
        "fields": fields,
        "edit_url": edit_url,
        "detail_url": detail_url,
    }
    return render(request, "sources/conflict.html", context, status=409)


def _citing_claims(request: HttpRequest, **lookup) -> models.QuerySet:
    # Only claims this user may open: a reporter must not learn of a colleague's draft here.
    claims = Claim.objects.visible_to(request.user).filter(**lookup).distinct().order_by("-id")
    return claims[:CITING_CLAIMS_SHOWN]


@login_required
@permission_required("sources.add_article", raise_exception=True)
def article_create(request: HttpRequest) -> HttpResponse:
    can_add_outlet = request.user.has_perm("sources.add_outlet")
    form = ArticleForm(request.POST or None, can_add_outlet=can_add_outlet)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                article = form.save()
        except IntegrityError:
            # Someone logged the same address (or outlet) between our checks and the insert:
            # validating again finds it; if not, say so rather than fail.
            form = ArticleForm(request.POST, can_add_outlet=can_add_outlet)
            if form.is_valid():
                form.add_error(None, "Someone saved a matching record at the same moment. Check and submit again.")
        else:
            messages.success(request, "Article logged.")
            return redirect("sources:article_detail", pk=article.pk)
    return render(request, "sources/article_form.html", {"form": form, "existing_article": form.duplicate_of})


@login_required
@permission_required("sources.change_article", raise_exception=True)
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    can_add_outlet = request.user.has_perm("sources.add_outlet")
    form = ArticleForm(request.POST or None, instance=article, can_add_outlet=can_add_outlet)
    if request.method == "POST" and form.is_valid():
        conflict = save_versioned(request, form, current=Article.objects.select_related("outlet"), app_model="article")
        if conflict:
            return conflict
        messages.success(request, "Article saved.")
        return redirect("sources:article_detail", pk=pk)
    context = {"form": form, "article": article, "existing_article": form.duplicate_of}
    return render(request, "sources/article_form.html", context)


@login_required
@permission_required("sources.view_article", raise_exception=True)
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    context = {
        "article": article,
        "claims": _citing_claims(request, attributions__article=article),
        "history": history_rows(article),
        "claims_limit": CITING_CLAIMS_SHOWN,
        "history_limit": HISTORY_SHOWN,
    }
    return render(request, "sources/article_detail.html", context)


@login_required
@permission_required("sources.add_actor", raise_exception=True)
def actor_create(request: HttpRequest) -> HttpResponse:
    form = ActorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = form.save()
        messages.success(request, "Actor added.")
        return redirect("sources:actor_detail", pk=actor.pk)
    return render(request, "sources/actor_form.html", {"form": form})


@login_required
@permission_required("sources.change_actor", raise_exception=True)
def actor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk)
    form = ActorForm(request.POST or None, instance=actor)
    if request.method == "POST" and form.is_valid():
        conflict = save_versioned(
            request, form, current=Actor.objects.select_related("independence_group"), app_model="actor"
        )
        if conflict:
            return conflict
        messages.success(request, "Actor saved.")
        return redirect("sources:actor_detail", pk=pk)
    return render(request, "sources/actor_form.html", {"form": form, "actor": actor})


@login_required
@permission_required("sources.view_actor", raise_exception=True)
def actor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor.objects.select_related("independence_group"), pk=pk)
    context = {
        "actor": actor,
        "claims": _citing_claims(request, attributions__actor=actor),
        "history": history_rows(actor),
        "claims_limit": CITING_CLAIMS_SHOWN,
        "history_limit": HISTORY_SHOWN,
    }
    return render(request, "sources/actor_detail.html", context)

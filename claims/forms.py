"""Staff forms: a claim with its attributions and corroborations on one page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import cached_property

from claims.models import Attribution, Claim, Corroboration
from sources.models import Actor, Article
from sources.urlnorm import InvalidURL, normalize_url


class ArticleByURLField(forms.CharField):
    """An article picked by pasting its address, as reporters have it in hand.

    A select of every logged article would not scale; a URL is what the
    reporter copies from the browser anyway.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("widget", forms.URLInput(attrs={"placeholder": "https://…"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return Article.objects.filter(pk=value).values_list("url", flat=True).first() or ""
        if isinstance(value, Article):
            return value.url
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            url = normalize_url(value)
        except InvalidURL as exc:
            raise ValidationError(str(exc)) from None
        article = Article.objects.filter(url=url).first()
        if article is None:
            raise ValidationError("This article is not logged yet. Log it first (New article), then come back.")
        return article


class ClaimForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Claim
        fields = ["statement", "topics", "regions", "event_start", "event_end", "notes"]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 3, "data-similar-source": "true"}),
            "topics": forms.CheckboxSelectMultiple,
            "regions": forms.SelectMultiple(attrs={"size": 8}),
            "event_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "event_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"event_start": "Events on (or from)", "event_end": "Events until"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_statement(self):
        statement = " ".join(self.cleaned_data["statement"].split())
        if len(statement) < 10:
            raise ValidationError("State the claim in a full sentence.")
        return statement


class CorrectionForm(forms.Form):
    """Required alongside the claim form when the claim is already published."""

    correction_note = forms.CharField(
        label="Correction note (public)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Readers see this in the claim's change log. Say what was wrong and what changed.",
    )


class AttributionForm(forms.ModelForm):
    article = ArticleByURLField(label="Article URL")

    class Meta:
        model = Attribution
        fields = ["article", "actor", "stance", "quote", "estimative_term", "credibility", "via"]
        widgets = {"quote": forms.Textarea(attrs={"rows": 2})}
        labels = {"via": "Relays (via)"}

    def __init__(self, *args, claim=None, choices: RowChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or RowChoices(claim)
        if self.instance.pk:
            # The formset fetched each row with its article: show its URL without a query per row.
            self.initial["article"] = self.instance.article.url
        self.fields["actor"].queryset = Actor.objects.order_by("name")
        # A report can only relay another report of the same claim.
        self.fields["via"].queryset = (
            claim.attributions.exclude(pk=self.instance.pk)
            if claim is not None and claim.pk
            else Attribution.objects.none()
        )
        # Rendered from lists fetched once per formset, not once per row; validation
        # still checks the submitted value against the querysets above.
        self.fields["actor"].choices = choices.actors
        self.fields["via"].choices = [(pk, label) for pk, label in choices.via if pk != self.instance.pk]


class RowChoices:
    """Actor and relay choices shared by every row of one claim's attribution formset."""

    def __init__(self, claim):
        actors = Actor.objects.order_by("name")
        self.actors = [("", "---------")] + [
            (actor.pk, f"{actor.name} (public: {actor.pseudonym})" if actor.is_protected else actor.name)
            for actor in actors
        ]
        siblings = (
            claim.attributions.select_related("actor", "article__outlet") if claim is not None and claim.pk else []
        )
        self.via = [("", "— nobody: this is the origin —")] + [
            (a.pk, f"{a.actor.public_name} in {a.article.outlet}") for a in siblings
        ]


class BaseAttributionFormSet(BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "claim": self.instance, "choices": self.row_choices}

    @cached_property
    def row_choices(self) -> RowChoices:
        return RowChoices(self.instance)

    def __init__(self, *args, **kwargs):
        # Each row shows its article's URL: fetch the articles with the rows.
        kwargs.setdefault("queryset", Attribution.objects.select_related("article"))
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        # A report that stays cannot relay one being removed: the link would dangle.
        removed = {form.instance.pk for form in self.forms if form.instance.pk and self._should_delete_form(form)}
        for form in self.forms:
            via = form.cleaned_data.get("via")
            if via is not None and via.pk in removed and not self._should_delete_form(form):
                form.add_error("via", "This report relays one you are removing: choose what it relays instead.")


AttributionFormSet = inlineformset_factory(
    Claim,
    Attribution,
    form=AttributionForm,
    formset=BaseAttributionFormSet,
    extra=3,
    can_delete=True,
)


class CorroborationForm(forms.ModelForm):
    class Meta:
        model = Corroboration
        fields = ["method", "performed_by", "finding", "performed_on", "notes", "evidence_url"]
        widgets = {
            "performed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "evidence_url": forms.URLInput(attrs={"placeholder": "https://…"}),
        }
        labels = {"performed_by": "Performed by (empty: our desk)", "evidence_url": "Evidence link"}

    def __init__(self, *args, choices: RowChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["performed_by"].queryset = Actor.objects.order_by("name")
        self.fields["performed_by"].choices = (choices or RowChoices(None)).actors
        self.fields["evidence_url"].assume_scheme = "https"

    def clean_evidence_url(self):
        url = self.cleaned_data["evidence_url"]
        if url:
            try:
                normalize_url(url)
            except InvalidURL as exc:
                raise ValidationError(str(exc)) from None
        return url


class BaseCorroborationFormSet(BaseInlineFormSet):
    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "choices": self.row_choices}

    @cached_property
    def row_choices(self) -> RowChoices:
        return RowChoices(None)


CorroborationFormSet = inlineformset_factory(
    Claim, Corroboration, form=CorroborationForm, formset=BaseCorroborationFormSet, extra=1, can_delete=True
)


class ActionForm(forms.Form):
    """An editorial act with a note (send back, publish, withdraw, submit)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StatusForm(ActionForm):
    status = forms.ChoiceField(choices=Claim.Status.choices, label="Corroboration status")
    public = forms.BooleanField(
        required=False, initial=True, label="Show the reason to readers in the claim's change log"
    )

"""Staff forms for articles and actors.

Validation that every entry path shares (URL schemes, the capture hash, a
protected actor's pseudonym) lives on the models; these forms add what only
a person at a form needs: a clear message per field, spotting a URL that is
already logged, and typing a new outlet's name instead of picking one.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from sources.models import Actor, Article, IndependenceGroup, Outlet
from sources.urlnorm import InvalidURL, normalize_url


class WebAddressField(forms.URLField):
    """An http(s) address. javascript:, data:, ftp: and the like are refused by name."""

    default_validators = [
        URLValidator(schemes=["http", "https"], message="Enter a full web address, such as https://example.org/page.")
    ]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("assume_scheme", "https")
        kwargs.setdefault("widget", forms.URLInput(attrs={"placeholder": "https://…"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value:
            try:
                normalize_url(value)
            except InvalidURL as exc:
                raise ValidationError(str(exc), code="invalid") from None
        return value


class RecordForm(forms.ModelForm):
    """Base for the staff forms of versioned records.

    Carries the version the person loaded, for optimistic locking on save.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True


class ArticleForm(RecordForm):
    url = WebAddressField(label="URL", help_text="Paste the address as you have it: tracking parameters are dropped.")
    new_outlet = forms.CharField(
        label="…or type a new outlet's name",
        max_length=200,
        required=False,
        help_text="Only if it is not in the list yet.",
    )
    archive_url = WebAddressField(
        label="Archive URL", required=False, help_text="A copy on an archive service, if you made one."
    )

    class Meta:
        model = Article
        fields = [
            "url",
            "outlet",
            "new_outlet",
            "headline",
            "byline",
            "published_on",
            "language",
            "captured_text",
            "archive_url",
        ]
        widgets = {
            "published_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "captured_text": forms.Textarea(attrs={"rows": 12}),
        }
        labels = {"published_on": "Publication date", "captured_text": "Captured text"}
        help_texts = {
            "captured_text": "Paste the article's text. Its SHA-256 and the capture time are recorded when you save.",
        }

    def __init__(self, *args, can_add_outlet: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        # Set by clean_url when the address is already logged, so the page can link to it.
        self.duplicate_of: Article | None = None
        self.fields["outlet"].required = False
        self.fields["outlet"].label = "Choose from the list"
        self.fields["outlet"].empty_label = "— choose an outlet —"
        # The capture is evidence: kept as pasted, surrounding whitespace included.
        self.fields["captured_text"].strip = False
        if not can_add_outlet:
            del self.fields["new_outlet"]

    def clean_url(self) -> str:
        url = normalize_url(self.cleaned_data["url"])
        existing = Article.objects.filter(url=url).exclude(pk=self.instance.pk).first()
        if existing is not None:
            self.duplicate_of = existing
            raise ValidationError("This article is already logged.", code="duplicate")
        return url

    def clean_captured_text(self) -> str:
        # Browsers send a textarea's line breaks as CRLF whatever was pasted; without
        # this, re-saving an unchanged capture made elsewhere would change its hash.
        text = self.cleaned_data["captured_text"].replace("\r\n", "\n")
        return text if text.strip() else ""

    def clean_new_outlet(self) -> str:
        return " ".join(self.cleaned_data["new_outlet"].split())

    def clean(self):
        cleaned = super().clean()
        if "outlet" in self.errors:
            return cleaned
        outlet, new_name = cleaned.get("outlet"), cleaned.get("new_outlet", "")
        if outlet and new_name:
            self.add_error("outlet", "Choose an outlet from the list or type a new one, not both.")
        elif not outlet and not new_name:
            message = "Choose the outlet that published the article"
            self.add_error("outlet", message + (", or type a new one." if "new_outlet" in self.fields else "."))
        elif new_name:
            # An outlet that exists under another spelling of the name is reused.
            cleaned["outlet"] = Outlet.objects.filter(name__iexact=new_name).first()
        return cleaned

    def save(self, commit: bool = True) -> Article:
        # Call inside transaction.atomic(), so that a new outlet and its article are saved together.
        new_name = self.cleaned_data.get("new_outlet")
        if self.instance.outlet_id is None and new_name:
            self.instance.outlet, _ = Outlet.objects.get_or_create(name__iexact=new_name, defaults={"name": new_name})
        return super().save(commit)


class ActorForm(RecordForm):
    class Meta:
        model = Actor
        fields = [
            "name",
            "kind",
            "side",
            "country",
            "is_party_to_conflict",
            "independence_group",
            "reliability",
            "is_protected",
            "pseudonym",
            "description",
        ]
        widgets = {
            "country": forms.TextInput(attrs={"size": 2, "autocapitalize": "characters", "placeholder": "UA"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "name": "Name",
            "is_party_to_conflict": "Party to the conflict",
            "reliability": "Source reliability (Admiralty scale)",
            "is_protected": "Protect this actor's identity",
        }
        help_texts = {"pseudonym": "Required for a protected actor: the public sees only this."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["independence_group"].queryset = IndependenceGroup.objects.order_by("name")
        self.fields["independence_group"].empty_label = "— none: the actor stands alone —"

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].strip().upper()
        if country and not (len(country) == 2 and country.isascii() and country.isalpha()):
            raise ValidationError("Use the two-letter ISO 3166 code, such as UA, RU or GB.")
        return country

"""Where claims come from: outlets, their articles, and the actors quoted in them."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.choices import check_choices
from sources.urlnorm import InvalidURL, normalize_url


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class OutletKind(models.TextChoices):
    NEWS = "news", "News organisation"
    WIRE = "wire", "Wire agency"
    AGGREGATOR = "aggregator", "Aggregator"
    GOVERNMENT = "government", "Government or military website"
    BLOG = "blog", "Blog or social media channel"
    OTHER = "other", "Other"


class Outlet(models.Model):
    """A publisher: a newspaper, a wire agency, an aggregator, a ministry's website."""

    Kind = OutletKind

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    website = models.URLField(blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 two-letter code.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [check_choices("kind", OutletKind, name="outlet_kind_valid")]

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    UKRAINIAN = "uk", "Ukrainian"
    RUSSIAN = "ru", "Russian"
    ROMANIAN = "ro", "Romanian"
    POLISH = "pl", "Polish"
    GERMAN = "de", "German"
    FRENCH = "fr", "French"
    OTHER = "other", "Other"


class Article(models.Model):
    """One source document, with a captured copy of its text as evidence."""

    Language = Language

    url = models.URLField(
        max_length=1000,
        unique=True,
        help_text="Normalised on save: lower-case host, no fragment, no tracking parameters.",
    )
    headline = models.CharField(max_length=500)
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    captured_text = models.TextField(blank=True)
    # Both derived from captured_text by capture(); never entered by a person.
    captured_at = models.DateTimeField(null=True, blank=True, editable=False)
    captured_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    archive_url = models.URLField(max_length=1000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["published_on"], name="article_published_on_idx")]
        constraints = [
            check_choices("language", Language, name="article_language_valid"),
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="article_url_http",
            ),
            models.CheckConstraint(
                condition=Q(archive_url="")
                | Q(archive_url__startswith="http://")
                | Q(archive_url__startswith="https://"),
                name="article_archive_url_http",
            ),
            # A capture is all or nothing: text, its hash and the time it was taken.
            models.CheckConstraint(
                condition=(Q(captured_text="") & Q(captured_sha256="") & Q(captured_at__isnull=True))
                | (~Q(captured_text="") & Q(captured_sha256__regex=r"^[0-9a-f]{64}$") & Q(captured_at__isnull=False)),
                name="article_capture_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs):
        # The URL's canonical form and the capture's hash are derived data: keeping
        # them in step here means no entry path (form, API, admin, shell) can skip it.
        self.url = normalize_url(self.url)
        self._sync_capture()
        super().save(*args, **kwargs)

    def clean(self):
        # An empty URL is already reported by field validation ("required").
        if self.url:
            try:
                self.url = normalize_url(self.url)
            except InvalidURL as exc:
                raise ValidationError({"url": str(exc)}) from None
        self._sync_capture()
        if self.archive_url:
            try:
                normalize_url(self.archive_url)
            except InvalidURL as exc:
                raise ValidationError({"archive_url": str(exc)}) from None

    def _sync_capture(self) -> None:
        if self.captured_sha256 != (sha256_hex(self.captured_text) if self.captured_text else ""):
            self.capture(self.captured_text)

    def capture(self, text: str, *, at=None) -> None:
        """Store ``text`` as the captured copy, with its SHA-256 and capture time."""
        self.captured_text = text or ""
        if self.captured_text:
            self.captured_sha256 = sha256_hex(self.captured_text)
            self.captured_at = at or timezone.now()
        else:
            self.captured_sha256 = ""
            self.captured_at = None


class IndependenceGroup(models.Model):
    """Actors that cannot corroborate each other, e.g. all organs of one state."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ActorQuerySet(models.QuerySet):
    def public(self):
        """Actors whose identity may be shown to readers."""
        return self.filter(is_protected=False)


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", "Government body"
    MILITARY_UNIT = "military_unit", "Military unit"
    MEDIA = "media", "Media organisation"
    ANALYST = "analyst", "Analyst or think tank"
    INDIVIDUAL = "individual", "Individual"
    OTHER = "other", "Other"


class Side(models.TextChoices):
    UKRAINE = "ukraine", "Ukraine"
    RUSSIA = "russia", "Russia"
    THIRD_PARTY = "third_party", "Third party"
    UNKNOWN = "unknown", "Unknown"


class Reliability(models.TextChoices):
    """Source reliability on the Admiralty (NATO) scale."""

    A = "A", "A – Completely reliable"
    B = "B", "B – Usually reliable"
    C = "C", "C – Fairly reliable"
    D = "D", "D – Not usually reliable"
    E = "E", "E – Unreliable"
    F = "F", "F – Reliability cannot be judged"


class Actor(models.Model):
    """Who asserts or denies something: a state body, a unit, a medium, a person."""

    Kind = ActorKind

    Side = Side

    Reliability = Reliability

    name = models.CharField(max_length=200, unique=True, help_text="Real name. Never shown to the public if protected.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    side = models.CharField(max_length=20, choices=Side.choices, default=Side.UNKNOWN)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166 two-letter code.")
    is_party_to_conflict = models.BooleanField(default=False)
    independence_group = models.ForeignKey(
        IndependenceGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        help_text="Actors in one group count as one origin. Leave empty if the actor stands alone.",
    )
    reliability = models.CharField(max_length=1, choices=Reliability.choices, blank=True)
    is_protected = models.BooleanField(
        default=False, help_text="Protected actors appear to the public only under their pseudonym."
    )
    pseudonym = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            check_choices("kind", ActorKind, name="actor_kind_valid"),
            check_choices("side", Side, name="actor_side_valid"),
            check_choices("reliability", Reliability, name="actor_reliability_valid", blank=True),
            models.CheckConstraint(
                condition=Q(is_protected=False) | ~Q(pseudonym=""),
                name="actor_protected_has_pseudonym",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.is_protected and not self.pseudonym.strip():
            raise ValidationError({"pseudonym": "A protected actor needs a pseudonym: it is all the public sees."})

    @property
    def public_name(self) -> str:
        return self.pseudonym if self.is_protected else self.name

    @property
    def independence_key(self) -> str:
        """Actors sharing this key are one independent origin."""
        if self.independence_group_id:
            return f"group:{self.independence_group_id}"
        return f"actor:{self.pk}"

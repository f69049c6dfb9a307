"""Claims, who makes them, how they were tested and how editors judged them."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.html import strip_tags
from simple_history.models import HistoricalRecords

from claims import provenance
from core.choices import check_choices
from core.locking import take_next_version
from sources.models import Actor, Article


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """An oblast or comparable region where alleged events took place."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    country = models.CharField(max_length=2, help_text="ISO 3166 two-letter code.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class EvidenceKind(models.TextChoices):
    AUDIO_INTERCEPT = "audio_intercept", "Audio intercept"
    VIDEO = "video", "Video"
    PHOTO = "photo", "Photograph"
    DOCUMENT = "document", "Document"
    COURT_RECORD = "court_record", "Court record"
    OTHER = "other", "Other"


class Authenticity(models.TextChoices):
    """The MediaReview categories, plus 'not assessed yet'."""

    NOT_ASSESSED = "not_assessed", "Not assessed yet"
    ORIGINAL = "original", "Original media"
    DECONTEXTUALISED = "decontextualised", "Decontextualised"
    EDITED = "edited", "Edited or cropped"
    TRANSFORMED = "transformed", "Transformed"
    STAGED = "staged", "Staged"
    SATIRE = "satire", "Satire or parody"


class EvidenceItem(models.Model):
    """Material a claim rests on: an intercept, a video, a document, a court record."""

    Kind = EvidenceKind

    Authenticity = Authenticity

    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True)
    published_by = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="published_evidence"
    )
    published_on = models.DateField(null=True, blank=True)
    recorded_on = models.DateField(null=True, blank=True, help_text="When it was allegedly recorded.")
    url = models.URLField(max_length=1000, blank=True)
    speakers = models.TextField(blank=True, help_text="Who is heard or seen, as described by the publisher.")
    speakers_identified = models.BooleanField(default=False)
    transcript = models.TextField(blank=True)
    translation = models.TextField(blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file as published.")
    authenticity = models.CharField(max_length=20, choices=Authenticity.choices, default=Authenticity.NOT_ASSESSED)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-id"]
        constraints = [
            check_choices("kind", EvidenceKind, name="evidence_kind_valid"),
            check_choices("authenticity", Authenticity, name="evidence_authenticity_valid"),
            models.CheckConstraint(
                condition=Q(file_sha256="") | Q(file_sha256__regex=r"^[0-9a-f]{64}$"),
                name="evidence_sha256_hex",
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="evidence_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.title


STOP_WORDS = frozenset(
    """a an and are as at be by for from has have in into is it its of on or that the their
    them they this to was were which who will with said says say not""".split()
)


def significant_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning, for the similarity fallback."""
    words = re.findall(r"\w+", (text or "").lower())
    return {w for w in words if len(w) > 2 and w not in STOP_WORDS} | {w for w in words if w.isdigit()}


class ClaimQuerySet(models.QuerySet):
    def public(self):
        """Claims readers may see: published, and withdrawn ones (marked as such)."""
        return self.filter(state__in=Claim.PUBLIC_STATES)

    def published(self):
        return self.filter(state=Claim.State.PUBLISHED)

    def in_review(self):
        return self.filter(state=Claim.State.IN_REVIEW)

    def similar_to(self, text: str, *, limit: int = 5):
        """Claims whose statement looks like ``text``, most alike first.

        PostgreSQL ranks by trigram word similarity (GIN-indexed); elsewhere a
        plain fallback keeps claims sharing the most significant words.
        """
        words = significant_words(text)
        if not words:
            return []
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramWordSimilarity

            return list(
                self.annotate(similarity=TrigramWordSimilarity(" ".join(words), "statement"))
                .filter(similarity__gte=0.3)
                .order_by("-similarity", "-id")[:limit]
            )
        matches = Q()
        for word in words:
            matches |= Q(statement__icontains=word)
        candidates = self.filter(matches).order_by("-id")[:200]
        scored = []
        for claim in candidates:
            shared = len(words & significant_words(claim.statement))
            if shared >= max(2, len(words) // 3):
                claim.similarity = shared / len(words)
                scored.append(claim)
        scored.sort(key=lambda c: (-c.similarity, -c.pk))
        return scored[:limit]

    def refresh_evidence(self) -> int:
        """Recompute the stored evidence summary and search text of these claims.

        Works in chunks with prefetching, so refreshing the thousands of claims
        that cite one actor costs a few queries per chunk, not per claim.
        """
        ids = list(self.values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            chunk = list(
                Claim.objects.filter(pk__in=ids[start : start + 500]).prefetch_related(
                    models.Prefetch(
                        "attributions", queryset=Attribution.objects.select_related("actor", "article__outlet")
                    ),
                    "corroborations",
                )
            )
            for claim in chunk:
                claim._fill_stored_summary()
            fields = ["report_count", "independent_origin_count", "has_denial", "first_reported_on", "search_document"]
            Claim.objects.bulk_update(chunk, fields)
            if connection.vendor == "postgresql":
                Claim.objects.filter(pk__in=[c.pk for c in chunk]).update(
                    search_vector=SearchVector("search_document", config="english")
                )
        return len(ids)

    def visible_to(self, user):
        """Claims a signed-in staff member may open: editors all, reporters
        their own and everything that has left the drafting stage."""
        if not user.is_authenticated or not user.has_perm("claims.view_claim"):
            return self.none()
        if user.has_perm("claims.publish_claim"):
            return self
        return self.filter(Q(created_by=user) | ~Q(state__in=Claim.DRAFTING_STATES))


class State(models.TextChoices):
    """Editorial state: where the claim is in the desk's workflow."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    SENT_BACK = "sent_back", "Sent back to reporter"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Status(models.TextChoices):
    """Corroboration status: the editor's verdict on the evidence."""

    UNVERIFIED = "unverified", "Unverified"
    SINGLE_ORIGIN = "single_origin", "Single origin"
    CORROBORATED = "corroborated", "Corroborated"
    CONFIRMED = "confirmed", "Confirmed"
    DISPUTED = "disputed", "Disputed"
    FALSE = "false", "False"


class Claim(models.Model):
    """One checkable statement, in the desk's own words."""

    State = State

    Status = Status

    PUBLIC_STATES = (State.PUBLISHED, State.WITHDRAWN)
    DRAFTING_STATES = (State.DRAFT, State.SENT_BACK)

    statement = models.TextField(help_text="The claim in the desk's own words: one checkable statement.")
    topics = models.ManyToManyField(Topic, related_name="claims", blank=True)
    regions = models.ManyToManyField(Region, related_name="claims", blank=True)
    event_start = models.DateField(null=True, blank=True, help_text="When the alleged events happened (or began).")
    event_end = models.DateField(null=True, blank=True, help_text="Leave empty for a single date.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UNVERIFIED)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    notes = models.TextField(blank=True, help_text="Context for readers. Paragraphs, emphasis, links and lists.")
    evidence = models.ManyToManyField(EvidenceItem, related_name="claims", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, help_text="First publication.")
    version = models.PositiveIntegerField(default=1, editable=False)

    # Stored evidence summary, so lists filter, sort and show it without
    # recomputing per row. Kept in step by claims.signals (refresh_evidence).
    report_count = models.PositiveIntegerField(default=0, editable=False)
    independent_origin_count = models.PositiveIntegerField(default=0, editable=False)
    has_denial = models.BooleanField(default=False, editable=False)
    first_reported_on = models.DateField(null=True, blank=True, editable=False)
    # Public text only (no protected names, no internal notes): what search reads.
    search_document = models.TextField(blank=True, editable=False)
    # PostgreSQL full-text vector of search_document (GIN-indexed there; unused on SQLite).
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[topics, regions],
        excluded_fields=[
            "report_count",
            "independent_origin_count",
            "has_denial",
            "first_reported_on",
            "search_document",
            "search_vector",
        ],
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_claim", "Can publish claims"),
            ("set_claim_status", "Can set the corroboration status of claims"),
            ("send_back_claim", "Can send claims back to the reporter"),
            ("correct_claim", "Can correct published claims"),
            ("withdraw_claim", "Can withdraw published claims"),
        ]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="claim_state_published_idx"),
            models.Index(fields=["state", "-updated_at"], name="claim_state_updated_idx"),
            models.Index(fields=["status"], name="claim_status_idx"),
            models.Index(fields=["event_start"], name="claim_event_start_idx"),
            models.Index(fields=["event_end"], name="claim_event_end_idx"),
            models.Index(fields=["created_by", "state"], name="claim_author_state_idx"),
            models.Index(fields=["state", "-independent_origin_count"], name="claim_state_origins_idx"),
            models.Index(fields=["first_reported_on"], name="claim_first_reported_idx"),
            models.Index(fields=["state", "has_denial"], name="claim_state_denial_idx"),
        ]
        constraints = [
            check_choices("state", State, name="claim_state_valid"),
            check_choices("status", Status, name="claim_status_valid"),
            models.CheckConstraint(
                condition=Q(event_end__isnull=True) | Q(event_start__isnull=False, event_end__gte=F("event_start")),
                name="claim_event_range_ordered",
            ),
            # Readers see published and withdrawn claims with their publication date.
            models.CheckConstraint(
                condition=~Q(state__in=["published", "withdrawn"]) | Q(published_at__isnull=False),
                name="claim_public_has_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.statement if len(self.statement) <= 80 else self.statement[:79] + "…"

    def clean(self):
        if self.event_end and not self.event_start:
            raise ValidationError({"event_start": "Give the start of the range, or only a single date."})
        if self.event_start and self.event_end and self.event_end < self.event_start:
            raise ValidationError({"event_end": "The end of the range is before its start."})

    @property
    def is_public(self) -> bool:
        return self.state in self.PUBLIC_STATES

    # Who may do what. The views, the API and the templates all ask these, so a
    # hidden button and a refused request always agree.

    def _is_editor(self, user) -> bool:
        return user.has_perm("claims.publish_claim")

    def can_view(self, user) -> bool:
        if not user.is_authenticated or not user.has_perm("claims.view_claim"):
            return False
        return self._is_editor(user) or self.created_by_id == user.pk or self.state not in self.DRAFTING_STATES

    def can_edit(self, user) -> bool:
        if not user.has_perm("claims.change_claim"):
            return False
        if self.state in self.DRAFTING_STATES:
            return self.created_by_id == user.pk or self._is_editor(user)
        if self.state == State.IN_REVIEW:
            return self._is_editor(user)
        return self.can_correct(user)

    def can_submit(self, user) -> bool:
        return self.state in self.DRAFTING_STATES and self.can_edit(user)

    def can_send_back(self, user) -> bool:
        return self.state == State.IN_REVIEW and user.has_perm("claims.send_back_claim")

    def can_set_status(self, user) -> bool:
        return self.state != State.WITHDRAWN and user.has_perm("claims.set_claim_status")

    def can_publish(self, user) -> bool:
        return self.state == State.IN_REVIEW and user.has_perm("claims.publish_claim")

    def can_correct(self, user) -> bool:
        return self.state == State.PUBLISHED and user.has_perm("claims.correct_claim")

    def can_withdraw(self, user) -> bool:
        return self.state == State.PUBLISHED and user.has_perm("claims.withdraw_claim")

    # Editorial acts. Each checks the rule above, changes the claim and writes
    # its review event in one transaction, on the version the user last saw.

    def submit(self, *, by, version: int, note: str = "") -> ReviewEvent:
        self._require(self.can_submit(by), "submit this claim for review")
        return self._act(by=by, version=version, action=ReviewAction.SUBMIT, to_state=State.IN_REVIEW, note=note)

    def send_back(self, *, by, version: int, note: str) -> ReviewEvent:
        self._require(self.can_send_back(by), "send this claim back")
        self._require_note(note, "Say what the reporter should change.")
        return self._act(by=by, version=version, action=ReviewAction.SEND_BACK, to_state=State.SENT_BACK, note=note)

    def set_status(self, *, by, version: int, status: str, reason: str, public: bool) -> ReviewEvent:
        self._require(self.can_set_status(by), "set the corroboration status")
        if status not in Status.values:
            raise ValidationError({"status": "Choose one of the listed statuses."})
        if status == self.status:
            raise ValidationError({"status": "The claim already has this status."})
        self._require_note(reason, "Give the reason for this status: readers and colleagues will audit it.")
        return self._act(
            by=by, version=version, action=ReviewAction.SET_STATUS, to_status=status, note=reason, public=public
        )

    def publish(self, *, by, version: int, note: str = "") -> ReviewEvent:
        self._require(self.can_publish(by), "publish this claim")
        if self.published_at is None:
            self.published_at = timezone.now()
        return self._act(
            by=by, version=version, action=ReviewAction.PUBLISH, to_state=State.PUBLISHED, note=note, public=True
        )

    def record_correction(self, *, by, note: str) -> ReviewEvent:
        """Log a correction; the corrected fields are saved by the caller, in the same transaction."""
        self._require(self.can_correct(by), "correct this claim")
        self._require_note(note, "A correction needs a note for readers saying what changed.")
        return self._event(by=by, action=ReviewAction.CORRECT, note=note, public=True)

    def withdraw(self, *, by, version: int, note: str) -> ReviewEvent:
        self._require(self.can_withdraw(by), "withdraw this claim")
        self._require_note(note, "Readers see why a claim was withdrawn: give the reason.")
        return self._act(
            by=by, version=version, action=ReviewAction.WITHDRAW, to_state=State.WITHDRAWN, note=note, public=True
        )

    @staticmethod
    def _require(allowed: bool, what: str) -> None:
        if not allowed:
            raise PermissionDenied(f"You cannot {what} in its current state.")

    @staticmethod
    def _require_note(note: str, message: str) -> None:
        if not (note or "").strip():
            raise ValidationError({"note": message})

    def _act(self, *, by, version: int, action, to_state="", to_status="", note="", public=False) -> ReviewEvent:
        with transaction.atomic():
            take_next_version(self, version)
            event = self._event(by=by, action=action, to_state=to_state, to_status=to_status, note=note, public=public)
            if to_state:
                self.state = to_state
            if to_status:
                self.status = to_status
            self._history_user = by
            self.save()
        return event

    def _event(self, *, by, action, to_state="", to_status="", note="", public=False) -> ReviewEvent:
        return ReviewEvent.objects.create(
            claim=self,
            action=action,
            user=by,
            from_state=self.state if to_state else "",
            to_state=to_state,
            from_status=self.status if to_status else "",
            to_status=to_status,
            note=note.strip(),
            is_public=public,
        )

    def evidence_summary(self) -> provenance.EvidenceSummary:
        """Supporting and denying reports, origins and findings: two queries at most.

        Uses prefetched attributions and corroborations when the caller has
        them, so a list of claims pays for its prefetches only.
        """
        cache = getattr(self, "_prefetched_objects_cache", {})
        attributions = (
            self.attributions.all()
            if "attributions" in cache
            else self.attributions.select_related("actor", "article__outlet")
        )
        corroborations = self.corroborations.all()
        return provenance.summarise(attributions, corroborations)

    def _fill_stored_summary(self) -> None:
        summary = self.evidence_summary()
        reports = summary.supporting + summary.denying
        dates = [a.article.published_on for a in reports if a.article.published_on]
        self.report_count = summary.report_count
        self.independent_origin_count = summary.independent_origin_count
        self.has_denial = bool(summary.denying)
        self.first_reported_on = min(dates) if dates else None
        self.search_document = "\n".join(
            [self.statement, strip_tags(self.notes)]
            + [a.quote for a in reports if a.quote]
            + sorted({a.actor.public_name for a in reports})
        )

    def refresh_evidence(self) -> None:
        """Recompute the stored summary and search document of this claim."""
        Claim.objects.filter(pk=self.pk).refresh_evidence()


class Stance(models.TextChoices):
    ASSERTS = "asserts", "Asserts"
    ASSESSES = "assesses", "Assesses"
    DENIES = "denies", "Denies"
    DISPUTES = "disputes", "Disputes"


class Estimative(models.TextChoices):
    """The UK probability yardstick."""

    REMOTE_CHANCE = "remote_chance", "Remote chance"
    HIGHLY_UNLIKELY = "highly_unlikely", "Highly unlikely"
    UNLIKELY = "unlikely", "Unlikely"
    REALISTIC_POSSIBILITY = "realistic_possibility", "Realistic possibility"
    LIKELY = "likely", "Likely or probably"
    HIGHLY_LIKELY = "highly_likely", "Highly likely"
    ALMOST_CERTAIN = "almost_certain", "Almost certain"


class Credibility(models.IntegerChoices):
    """Information credibility on the Admiralty (NATO) scale."""

    CONFIRMED = 1, "1 – Confirmed by other sources"
    PROBABLY_TRUE = 2, "2 – Probably true"
    POSSIBLY_TRUE = 3, "3 – Possibly true"
    DOUBTFUL = 4, "4 – Doubtful"
    IMPROBABLE = 5, "5 – Improbable"
    CANNOT_BE_JUDGED = 6, "6 – Truth cannot be judged"


class Attribution(models.Model):
    """An actor's stance on a claim, as reported in one article.

    ``via`` names the attribution this report relays (an aggregator citing
    Ziare citing GUR); following it back gives the report's origin.
    """

    Stance = Stance

    Estimative = Estimative

    Credibility = Credibility

    SUPPORTING_STANCES = (Stance.ASSERTS, Stance.ASSESSES)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="attributions")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="attributions")
    stance = models.CharField(max_length=20, choices=Stance.choices)
    quote = models.TextField(blank=True, help_text="The quote or a close paraphrase from the article.")
    estimative_term = models.CharField(max_length=30, choices=Estimative.choices, blank=True)
    credibility = models.PositiveSmallIntegerField(choices=Credibility.choices, null=True, blank=True)
    via = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relays",
        help_text="The report this one relays, if the article got it from another source.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["actor", "stance"], name="attribution_actor_stance_idx")]
        constraints = [
            check_choices("stance", Stance, name="attribution_stance_valid"),
            check_choices("estimative_term", Estimative, name="attribution_estimative_valid", blank=True),
            models.CheckConstraint(
                condition=Q(credibility__isnull=True) | Q(credibility__gte=1, credibility__lte=6),
                name="attribution_credibility_range",
            ),
            models.CheckConstraint(condition=~Q(via=F("pk")), name="attribution_not_via_itself"),
            models.UniqueConstraint(fields=["claim", "article", "actor"], name="attribution_unique_per_article"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_stance_display().lower()} (in {self.article})"

    @property
    def supports(self) -> bool:
        return self.stance in self.SUPPORTING_STANCES

    def clean(self):
        if self.via_id is None:
            return
        if self.pk is not None and self.via_id == self.pk:
            raise ValidationError({"via": "A report cannot relay itself."})
        via = Attribution.objects.filter(pk=self.via_id).first()
        if via is None:
            raise ValidationError({"via": "The relayed report does not exist."})
        if via.claim_id != self.claim_id:
            raise ValidationError({"via": "A report can only relay another report of the same claim."})
        if via.supports != self.supports:
            raise ValidationError({"via": "A relayed report keeps its stance: an assertion cannot relay a denial."})
        chain = provenance.via_chain(via, _fetch_attribution)
        if self.pk is not None and any(link.pk == self.pk for link in chain):
            raise ValidationError({"via": "This would make a loop: the chosen report already relays this one."})
        if len(chain) >= provenance.MAX_VIA_DEPTH:
            raise ValidationError({"via": f"Relay chains are limited to {provenance.MAX_VIA_DEPTH} links."})

    def via_chain(self) -> list[Attribution]:
        """This report, what it relays, and so on to the origin (one query per link)."""
        return provenance.via_chain(self, _fetch_attribution)

    @property
    def origin(self) -> Attribution:
        return self.via_chain()[-1]


def _fetch_attribution(pk: int) -> Attribution | None:
    return Attribution.objects.select_related("actor").filter(pk=pk).first()


class Method(models.TextChoices):
    IDENTITY_RELATIVES = "identity_relatives", "Identity verified through relatives or comrades"
    OPEN_SOURCE = "open_source", "Open-source research (e.g. phone-number records)"
    GEOLOCATION = "geolocation", "Geolocation of imagery"
    AUDIO_FORENSICS = "audio_forensics", "Audio forensics"
    COURT_RECORDS = "court_records", "Court records"
    EXPERT_INTERVIEW = "expert_interview", "Expert interview"
    OFFICIAL_CONFIRMATION = "official_confirmation", "Official confirmation"
    OTHER = "other", "Other"


class Finding(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class Corroboration(models.Model):
    """Work done to test a claim, by the desk or by someone it cites."""

    Method = Method

    Finding = Finding

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corroborations")
    method = models.CharField(max_length=30, choices=Method.choices)
    performed_by = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corroborations",
        help_text="Leave empty when the desk did the work itself.",
    )
    finding = models.CharField(max_length=20, choices=Finding.choices)
    performed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="Paragraphs, emphasis, links and lists.")
    evidence = models.ForeignKey(
        EvidenceItem, on_delete=models.PROTECT, null=True, blank=True, related_name="corroborations"
    )
    evidence_url = models.URLField(max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="corroborations")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["performed_on", "id"]
        constraints = [
            check_choices("method", Method, name="corroboration_method_valid"),
            check_choices("finding", Finding, name="corroboration_finding_valid"),
            models.CheckConstraint(
                condition=Q(evidence_url="")
                | Q(evidence_url__startswith="http://")
                | Q(evidence_url__startswith="https://"),
                name="corroboration_evidence_url_http",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {self.get_finding_display().lower()}"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", "Submitted for review"
    SEND_BACK = "send_back", "Sent back"
    SET_STATUS = "set_status", "Corroboration status changed"
    PUBLISH = "publish", "Published"
    CORRECT = "correct", "Corrected"
    WITHDRAW = "withdraw", "Withdrawn"


class ReviewEvent(models.Model):
    """One editorial act on a claim. Public ones form the corrections log."""

    Action = ReviewAction

    # Acts the public must be able to audit: they always carry a public reason.
    PUBLIC_ACTIONS = (Action.CORRECT, Action.WITHDRAW)
    ACTIONS_NEEDING_NOTE = (Action.SEND_BACK, Action.SET_STATUS, Action.CORRECT, Action.WITHDRAW)

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="review_events")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_events")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    from_state = models.CharField(max_length=20, choices=Claim.State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=Claim.State.choices, blank=True)
    from_status = models.CharField(max_length=20, choices=Claim.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Claim.Status.choices, blank=True)
    note = models.TextField(blank=True, help_text="Paragraphs, emphasis, links and lists.")
    is_public = models.BooleanField(default=False, help_text="Public notes appear in the claim's change log.")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["claim", "created_at"], name="review_claim_created_idx")]
        constraints = [
            check_choices("action", ReviewAction, name="review_action_valid"),
            check_choices("from_state", Claim.State, name="review_from_state_valid", blank=True),
            check_choices("to_state", Claim.State, name="review_to_state_valid", blank=True),
            check_choices("from_status", Claim.Status, name="review_from_status_valid", blank=True),
            check_choices("to_status", Claim.Status, name="review_to_status_valid", blank=True),
            models.CheckConstraint(
                condition=~Q(action__in=["send_back", "set_status", "correct", "withdraw"]) | ~Q(note=""),
                name="review_reason_required",
            ),
            models.CheckConstraint(
                condition=~Q(action__in=["correct", "withdraw"]) | Q(is_public=True),
                name="review_correction_public",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.user} on {self.created_at:%Y-%m-%d}"

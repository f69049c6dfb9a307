"""API representations of claims. Readers get what the public site shows;
staff writes go through the same model validation and editorial methods."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.listing import links_by_claim
from claims.models import Attribution, Claim, Corroboration, Region, ReviewEvent, Topic
from core.api import VersionedSerializer
from core.sanitize import clean_html
from sources.models import Actor, Article


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "description"]


class PublicActorSerializer(serializers.Serializer):
    """An actor as readers may see it: a protected actor is its pseudonym, with no id to follow."""

    id = serializers.SerializerMethodField()
    name = serializers.CharField(source="public_name")
    kind = serializers.CharField()
    side = serializers.CharField()
    is_protected = serializers.BooleanField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_id(self, actor: Actor) -> int | None:
        return None if actor.is_protected else actor.pk


class ArticleRefSerializer(serializers.ModelSerializer):
    outlet = serializers.CharField(source="outlet.name")

    class Meta:
        model = Article
        fields = ["id", "url", "headline", "outlet", "published_on", "archive_url", "captured_sha256"]


class AttributionSerializer(serializers.ModelSerializer):
    actor = PublicActorSerializer()
    article = ArticleRefSerializer()

    class Meta:
        model = Attribution
        fields = ["id", "article", "actor", "stance", "quote", "estimative_term", "credibility", "via"]


class CorroborationSerializer(serializers.ModelSerializer):
    performed_by = serializers.SerializerMethodField()
    notes_html = serializers.SerializerMethodField()

    class Meta:
        model = Corroboration
        fields = ["id", "method", "finding", "performed_by", "performed_on", "notes_html", "evidence_url"]

    @extend_schema_field(serializers.CharField())
    def get_performed_by(self, corroboration: Corroboration) -> str:
        return corroboration.performed_by.public_name if corroboration.performed_by else "Claimdesk"

    @extend_schema_field(serializers.CharField())
    def get_notes_html(self, corroboration: Corroboration) -> str:
        return str(clean_html(corroboration.notes))


class ReviewEventSerializer(serializers.ModelSerializer):
    note_html = serializers.SerializerMethodField()

    class Meta:
        model = ReviewEvent
        fields = ["id", "action", "created_at", "from_state", "to_state", "from_status", "to_status", "note_html"]

    @extend_schema_field(serializers.CharField())
    def get_note_html(self, event: ReviewEvent) -> str:
        return str(clean_html(event.note))


class OriginSerializer(serializers.Serializer):
    actor = PublicActorSerializer()
    reports = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField())
    def get_reports(self, origin) -> int:
        return len(origin.attributions)


class EvidenceSummarySerializer(serializers.Serializer):
    report_count = serializers.IntegerField()
    independent_origin_count = serializers.IntegerField()
    origins = OriginSerializer(many=True)
    denied_by = PublicActorSerializer(many=True)
    findings = serializers.DictField(child=serializers.IntegerField())


class ClaimListSerializer(serializers.ModelSerializer):
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    regions = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "statement",
            "state",
            "status",
            "topics",
            "regions",
            "event_start",
            "event_end",
            "report_count",
            "independent_origin_count",
            "has_denial",
            "first_reported_on",
            "published_at",
            "updated_at",
            "version",
        ]


# The list endpoint builds ClaimListSerializer's output from plain rows: DRF's field machinery
# costs more per row than the database does, and a list page has fifty rows. Dates are written
# as DRF writes them (ISO 8601 in the current time zone, UTC as "Z"); a test holds the two
# outputs equal.
LIST_COLUMNS = [name for name in ClaimListSerializer.Meta.fields if name not in ("topics", "regions")]


def claim_list_items(rows: list[dict]) -> list[dict]:
    """ClaimListSerializer's representation of ``rows`` (dicts of LIST_COLUMNS), topics and regions
    read in one query."""
    links = links_by_claim([row["id"] for row in rows])
    zone = timezone.get_current_timezone()

    def day(value) -> str | None:
        return None if value is None else value.isoformat()

    def moment(value) -> str | None:
        if value is None:
            return None
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    items = []
    for row in rows:
        claim_links = links[row["id"]]
        items.append(
            {
                "id": row["id"],
                "statement": row["statement"],
                "state": row["state"],
                "status": row["status"],
                "topics": [slug for slug, _name in claim_links["topics"]],
                "regions": [slug for slug, _name in claim_links["regions"]],
                "event_start": day(row["event_start"]),
                "event_end": day(row["event_end"]),
                "report_count": row["report_count"],
                "independent_origin_count": row["independent_origin_count"],
                "has_denial": row["has_denial"],
                "first_reported_on": day(row["first_reported_on"]),
                "published_at": moment(row["published_at"]),
                "updated_at": moment(row["updated_at"]),
                "version": row["version"],
            }
        )
    return items


class ClaimDetailSerializer(ClaimListSerializer):
    notes_html = serializers.SerializerMethodField()
    attributions = AttributionSerializer(many=True, read_only=True)
    corroborations = CorroborationSerializer(many=True, read_only=True)
    evidence_summary = serializers.SerializerMethodField()
    change_log = serializers.SerializerMethodField()

    class Meta(ClaimListSerializer.Meta):
        fields = [
            *ClaimListSerializer.Meta.fields,
            "notes_html",
            "attributions",
            "corroborations",
            "evidence_summary",
            "change_log",
        ]

    @extend_schema_field(serializers.CharField())
    def get_notes_html(self, claim: Claim) -> str:
        return str(clean_html(claim.notes))

    @extend_schema_field(EvidenceSummarySerializer)
    def get_evidence_summary(self, claim: Claim) -> dict:
        return EvidenceSummarySerializer(claim.evidence_summary()).data

    @extend_schema_field(ReviewEventSerializer(many=True))
    def get_change_log(self, claim: Claim) -> list:
        # Readers see the public log; staff who may open the claim see internal notes too.
        events = claim.review_events.all()
        request = self.context.get("request")
        if not (request and claim.can_view(request.user)):
            events = events.filter(is_public=True)
        return ReviewEventSerializer(events, many=True).data


class ReportIdField(serializers.IntegerField):
    """The id of another report of the same claim. Written as a bare id (the claim's reports may
    not exist yet when it is read, see ClaimWriteSerializer); shown as one too, in the browsable
    API's form, where the instance holds the report itself."""

    def to_representation(self, value):
        return super().to_representation(value.pk if isinstance(value, Attribution) else value)


class AttributionWriteSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    actor = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all())
    via = ReportIdField(required=False, allow_null=True, help_text="id of a report of the same claim")

    class Meta:
        model = Attribution
        fields = ["id", "article", "actor", "stance", "quote", "estimative_term", "credibility", "via"]
        validators = []  # uniqueness is checked by the model on save, per claim


class CorroborationWriteSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(required=False)
    performed_by = serializers.PrimaryKeyRelatedField(queryset=Actor.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Corroboration
        fields = ["id", "method", "finding", "performed_by", "performed_on", "notes", "evidence_url"]


class ClaimWriteSerializer(VersionedSerializer):
    """Create or update a claim with its reports and corroborations in one request.

    Nested rows with an ``id`` are updated, rows without one are added, and
    existing rows missing from the list are removed (when the list is sent).
    """

    topics = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Topic.objects.all(), required=False)
    regions = serializers.SlugRelatedField(slug_field="slug", many=True, queryset=Region.objects.all(), required=False)
    attributions = AttributionWriteSerializer(many=True, required=False)
    corroborations = CorroborationWriteSerializer(many=True, required=False)

    class Meta:
        model = Claim
        fields = [
            "id",
            "statement",
            "topics",
            "regions",
            "event_start",
            "event_end",
            "notes",
            "attributions",
            "corroborations",
            "version",
        ]
        read_only_fields = ["id"]

    def create(self, validated_data):
        return self._save(Claim(created_by=self.context["request"].user), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    @transaction.atomic
    def _save(self, claim: Claim, data: dict) -> Claim:
        data.pop("version", None)  # checked by the view, under a row lock
        attributions = data.pop("attributions", None)
        corroborations = data.pop("corroborations", None)
        topics = data.pop("topics", None)
        regions = data.pop("regions", None)
        for name, value in data.items():
            setattr(claim, name, value)
        _full_clean(claim, "")
        claim.save()
        if topics is not None:
            claim.topics.set(topics)
        if regions is not None:
            claim.regions.set(regions)
        if attributions is not None:
            self._save_attributions(claim, attributions)
        if corroborations is not None:
            self._save_rows(claim, Corroboration, corroborations, "corroborations")
        return claim

    def _save_attributions(self, claim: Claim, rows: list[dict]) -> None:
        # Two passes: every row exists before via links (which may point at new rows) are checked.
        vias = [row.pop("via", None) for row in rows]
        saved = self._save_rows(claim, Attribution, rows, "attributions")
        ids = {attribution.pk for attribution in saved}
        for index, (attribution, via) in enumerate(zip(saved, vias, strict=True)):
            if via is not None and via not in ids:
                raise serializers.ValidationError(
                    {"attributions": {index: {"via": ["Must be the id of another report of this claim."]}}}
                )
            attribution.via_id = via
            _full_clean(attribution, f"attributions.{index}")
            attribution.save()

    def _save_rows(self, claim: Claim, model, rows: list[dict], name: str) -> list:
        existing = {row.pk: row for row in model.objects.filter(claim=claim)}
        saved = []
        for index, row in enumerate(rows):
            pk = row.pop("id", None)
            if pk is not None and pk not in existing:
                raise serializers.ValidationError({name: {index: {"id": ["No such row on this claim."]}}})
            obj = existing.pop(pk) if pk is not None else model(claim=claim)
            if model is Corroboration and obj.pk is None:
                obj.created_by = self.context["request"].user
            for field, value in row.items():
                setattr(obj, field, value)
            _full_clean(obj, f"{name}.{index}", exclude=["via"])
            obj.save()
            saved.append(obj)
        # Relays first, so no remaining report points at a removed one.
        for obj in sorted(existing.values(), key=lambda o: getattr(o, "via_id", None) is None):
            if model is Attribution:
                model.objects.filter(via=obj).exclude(pk__in=[s.pk for s in saved]).update(via=None)
            obj.delete()
        return saved


def _full_clean(obj, prefix: str, exclude: list[str] | None = None) -> None:
    """Model validation, reported as DRF field errors under ``prefix``."""
    try:
        obj.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        if prefix:
            name, _, index = prefix.partition(".")
            raise serializers.ValidationError({name: {int(index): errors}}) from None
        raise serializers.ValidationError(errors) from None


class ActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you last read.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StatusActionSerializer(ActionSerializer):
    status = serializers.ChoiceField(choices=Claim.Status.choices)
    public = serializers.BooleanField(default=True)


class CorrectionSerializer(ActionSerializer):
    statement = serializers.CharField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    event_start = serializers.DateField(required=False, allow_null=True)
    event_end = serializers.DateField(required=False, allow_null=True)

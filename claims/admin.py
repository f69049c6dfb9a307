from django.contrib import admin
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from claims.models import Attribution, Claim, Corroboration, EvidenceItem, Region, ReviewEvent, Topic
from core.pagination import EstimatedCountPaginator


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "slug"]
    list_filter = ["country"]
    search_fields = ["name"]
    ordering = ["country", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(EvidenceItem)
class EvidenceItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "published_by", "published_on", "authenticity", "speakers_identified"]
    list_filter = ["kind", "authenticity", "speakers_identified"]
    list_select_related = ["published_by"]
    search_fields = ["title", "description", "speakers"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["published_by"]


class AttributionInline(admin.TabularInline):
    model = Attribution
    fk_name = "claim"
    extra = 1
    fields = ["article", "actor", "stance", "quote", "estimative_term", "credibility", "via"]
    autocomplete_fields = ["article", "actor", "via"]


class CorroborationInline(admin.StackedInline):
    model = Corroboration
    extra = 0
    fields = [
        "method",
        "finding",
        "performed_by",
        "performed_on",
        "notes",
        "evidence",
        "evidence_url",
        "created_by",
    ]
    autocomplete_fields = ["performed_by", "evidence"]
    readonly_fields = ["created_by"]


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["short_statement", "state", "status", "published_at", "updated_at", "created_by"]
    # A date filter rather than a date hierarchy: the hierarchy scans the whole
    # table for its dates on every page, the filter's choices are fixed.
    list_filter = ["state", "status", "topics", "published_at"]
    # Every column comes from the claim row or this join: no per-row queries.
    list_select_related = ["created_by"]
    search_fields = ["statement"]
    # Counting the whole table on every filtered page is wasted work at 100,000 claims,
    # and the unfiltered count comes from the table statistics.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    filter_horizontal = ["topics", "regions"]
    autocomplete_fields = ["evidence"]
    # State, status and publication date change through the review workflow,
    # which writes the review event (the audit log) alongside them.
    readonly_fields = ["state", "status", "published_at", "created_by", "version", "created_at", "updated_at"]
    inlines = [AttributionInline, CorroborationInline]

    @admin.display(description="statement", ordering="statement")
    def short_statement(self, claim: Claim) -> str:
        return Truncator(claim.statement).chars(100)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is Corroboration:
            for inline_form in formset.forms:
                if inline_form.instance.pk is None:
                    inline_form.instance.created_by = request.user
        super().save_formset(request, form, formset, change)


@admin.register(Attribution)
class AttributionAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "actor", "stance", "article", "estimative_term", "credibility"]
    list_filter = ["stance", "estimative_term", "credibility"]
    list_select_related = ["claim", "actor", "article"]
    search_fields = ["claim__statement", "actor__name", "actor__pseudonym", "article__headline", "quote"]
    autocomplete_fields = ["claim", "article", "actor", "via"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Corroboration)
class CorroborationAdmin(SimpleHistoryAdmin):
    list_display = ["claim", "method", "finding", "performed_by", "performed_on", "created_by"]
    list_filter = ["method", "finding"]
    list_select_related = ["claim", "performed_by", "created_by"]
    search_fields = ["claim__statement", "notes", "performed_by__name"]
    date_hierarchy = "performed_on"
    autocomplete_fields = ["claim", "performed_by", "evidence"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReviewEvent)
class ReviewEventAdmin(admin.ModelAdmin):
    """The audit log, written only by the review workflow: staff may read it, never edit it."""

    list_display = ["created_at", "claim", "action", "user", "from_state", "to_state", "to_status", "is_public"]
    list_filter = ["action", "is_public"]
    list_select_related = ["claim", "user"]
    search_fields = ["claim__statement", "note"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

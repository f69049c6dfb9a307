from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from sources.models import Actor, Article, IndependenceGroup, Outlet


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "website"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "website"]


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["headline", "outlet", "published_on", "language", "captured_at"]
    list_filter = ["language", "outlet__kind"]
    list_select_related = ["outlet"]
    search_fields = ["headline", "url", "byline", "outlet__name"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["outlet"]
    # The hash and capture time are derived from captured_text by the model.
    readonly_fields = ["captured_sha256", "captured_at", "version", "created_at", "updated_at"]


@admin.register(IndependenceGroup)
class IndependenceGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "actor_count"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(actor_count=Count("actors"))

    @admin.display(description="actors", ordering="actor_count")
    def actor_count(self, group: IndependenceGroup) -> int:
        return group.actor_count


@admin.register(Actor)
class ActorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "public_name", "kind", "side", "independence_group", "is_protected", "reliability"]
    list_filter = ["is_protected", "kind", "side", "independence_group"]
    list_select_related = ["independence_group"]
    search_fields = ["name", "pseudonym", "description"]
    readonly_fields = ["public_name", "version", "created_at", "updated_at"]

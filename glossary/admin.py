from django.contrib import admin

from glossary.models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title", "terms", "explanation"]
    prepopulated_fields = {"slug": ["title"]}

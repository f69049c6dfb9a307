from django.contrib import admin

from audit.models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: an audit trail that an administrator could edit would prove nothing."""

    list_display = ["created_at", "username", "method", "path", "status", "ip", "reason"]
    list_filter = ["method", "status"]
    search_fields = ["username", "path", "url_name", "ip", "reason"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in AuditRecord._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

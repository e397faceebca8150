"""The audit log in the Django admin: read only (append-only by design)."""

from django.contrib import admin

from .models import AuditAnchor, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "kind", "actor_label", "service", "subject_type", "subject_id", "where"]
    list_filter = ["kind", "service"]
    search_fields = ["where", "kind", "subject_type"]
    date_hierarchy = "at"


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    list_display = ["last_purged_seq", "purged_at"]

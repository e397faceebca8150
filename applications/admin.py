from django.contrib import admin

from .models import Application, ApplicationStatusChange


class ApplicationStatusChangeInline(admin.TabularInline):
    model = ApplicationStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "changed_by", "note", "at"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["candidate", "vacancy", "status", "cv_check", "created_at"]
    list_filter = ["status", "cv_check"]
    # A CV reaches employers only through the worker's check (applications.services): not set here.
    readonly_fields = ["cv", "cv_check", "cv_check_reason", "cv_check_requested_at", "cv_check_attempts"]
    list_select_related = ["candidate__user", "vacancy"]
    raw_id_fields = ["candidate", "vacancy"]
    inlines = [ApplicationStatusChangeInline]

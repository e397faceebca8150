from django.contrib import admin

from .models import SavedSearch, SentAlert


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "kind", "frequency", "language", "is_active", "created_at", "last_sent_at"]
    list_filter = ["kind", "frequency", "is_active", "language"]
    search_fields = ["name", "owner__email"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["created_at", "last_sent_at", "since"]


@admin.register(SentAlert)
class SentAlertAdmin(admin.ModelAdmin):
    list_display = ["saved_search", "vacancy", "candidate_id", "sent_at"]
    list_select_related = ["saved_search", "vacancy"]
    raw_id_fields = ["saved_search", "vacancy", "candidate"]

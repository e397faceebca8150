from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import Match, MatchDecision, MatchingWeights, PendingRematch, RebuildChunk, RebuildRun


class MatchDecisionInline(admin.TabularInline):
    model = MatchDecision
    extra = 0
    readonly_fields = ["decision", "reviewer", "reviewer_service", "reason", "note", "at"]
    can_delete = False


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["vacancy", "candidate", "score", "rank", "review_status", "candidate_response", "is_flagged"]
    list_filter = ["review_status", "candidate_response", "is_flagged"]
    list_select_related = ["vacancy", "candidate__user"]
    raw_id_fields = ["candidate", "vacancy", "reviewer"]
    readonly_fields = ["score", "factors", "explanation", "engine_version", "created_at", "updated_at"]
    inlines = [MatchDecisionInline]


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    """The factor weights of the engine: a portal admin tunes them here, no deploy needed.

    Versions are never edited: saving (a new row, or an old version's form) creates the next
    version through ``matching.services.weights_version_create``; the newest is in force."""

    list_display = [
        "__str__",
        "version",
        "occupation",
        "skills",
        "education",
        "commute",
        "languages",
        "stem",
        "hours_shift",
        "created_by",
        "created_at",
    ]
    readonly_fields = ["version", "created_by", "created_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import weights_version_create

        values = {name: getattr(obj, name) for name in MatchingWeights.FACTORS}
        created = weights_version_create(values=values, created_by=request.user)
        # The admin's redirect and message point at the new version.
        obj.pk, obj.version, obj._state.adding = created.pk, created.version, False


@admin.register(PendingRematch)
class PendingRematchAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "requested_at", "enqueued_at"]


class RebuildChunkInline(admin.TabularInline):
    model = RebuildChunk
    extra = 0
    fields = ["index", "status", "attempts", "updated_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RebuildRun)
class RebuildRunAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "status",
        "chunks_done",
        "chunks_total",
        "stalls",
        "chunks_resent",
        "finished_at",
        "alarm",
    ]
    readonly_fields = ["exclusions", "last_progress_at", "stalls", "chunks_resent", "alarm"]
    inlines = [RebuildChunkInline]

    @admin.display(description=_("Alarm"))
    def alarm(self, obj: RebuildRun) -> str:
        return obj.alarm

    def changelist_view(self, request, extra_context=None):
        # The watchdog's alarm (a stalled or failed latest run) where an admin looks first.
        latest = RebuildRun.objects.order_by("-started_at", "-pk").first()
        if latest is not None and latest.alarm:
            messages.error(request, latest.alarm)
        return super().changelist_view(request, extra_context)

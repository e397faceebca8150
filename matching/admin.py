from django.contrib import admin

from .models import Match, MatchDecision, MatchingWeights, PendingRematch, RebuildRun


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
    """The factor weights of the engine: a portal admin tunes them here, no deploy needed."""

    list_display = [
        "__str__",
        "occupation",
        "skills",
        "education",
        "commute",
        "languages",
        "stem",
        "hours_shift",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return not MatchingWeights.objects.exists()


@admin.register(PendingRematch)
class PendingRematchAdmin(admin.ModelAdmin):
    list_display = ["kind", "object_id", "requested_at", "enqueued_at"]


@admin.register(RebuildRun)
class RebuildRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "status", "chunks_done", "chunks_total", "finished_at"]
    readonly_fields = ["exclusions"]

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


@admin.register(RebuildRun)
class RebuildRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "status", "chunks_done", "chunks_total", "finished_at"]
    readonly_fields = ["exclusions"]

from django.contrib import admin

from .models import Candidate, CandidateDiploma, CandidateLanguage, ConsentEvent, Experience


class CandidateDiplomaInline(admin.TabularInline):
    model = CandidateDiploma
    extra = 0


class CandidateLanguageInline(admin.TabularInline):
    model = CandidateLanguage
    extra = 0


class ExperienceInline(admin.TabularInline):
    model = Experience
    extra = 0
    raw_id_fields = ["occupation"]


class ConsentEventInline(admin.TabularInline):
    model = ConsentEvent
    extra = 0
    readonly_fields = ["kind", "given", "at"]
    can_delete = False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "country",
        "home_place",
        "employment_service",
        "consent_matching_at",
        "consent_cross_border_at",
    ]
    list_filter = ["country", "employment_service"]
    search_fields = ["user__email", "user__last_name"]
    list_select_related = ["user", "home_place", "employment_service"]
    raw_id_fields = ["user", "home_place"]
    filter_horizontal = ["skills", "desired_occupations"]
    inlines = [CandidateDiplomaInline, CandidateLanguageInline, ExperienceInline, ConsentEventInline]
    # Consents are the jobseeker's to give: an admin sees them but cannot set them.
    # The profile's CV reaches employers only through the worker's check: not set by hand here.
    readonly_fields = ["cv", "cv_check", "cv_check_reason", "consent_matching_at", "consent_cross_border_at"]

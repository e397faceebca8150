from django.contrib import admin

from .models import Vacancy, VacancyLanguage


class VacancyLanguageInline(admin.TabularInline):
    model = VacancyLanguage
    extra = 0


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "place", "status", "is_stem", "published_at", "expires_at"]
    list_filter = ["status", "is_stem", "contract_type", "place__country"]
    search_fields = ["title", "reference", "employer__legal_name"]
    list_select_related = ["employer", "place"]
    raw_id_fields = ["employer", "occupation", "place"]
    filter_horizontal = ["essential_skills", "optional_skills"]
    inlines = [VacancyLanguageInline]
    # Status changes go through the services (refusing invalid transitions), not this form.
    readonly_fields = ["status", "published_at", "created_at", "updated_at"]

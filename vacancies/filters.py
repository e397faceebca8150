"""The vacancy search filters, shared by the search page and the API (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Country, EqfLevel, Language, Occupation, Place, Skill, TravelMode, TravelTime
from taxonomy.widgets import OccupationAutocomplete, SkillAutocomplete

from .models import ContractType, Vacancy, VacancyLanguage
from .search import search_vacancies


class VacancyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    occupation = django_filters.ModelChoiceFilter(
        queryset=Occupation.objects.all(), label=_("Occupation"), widget=OccupationAutocomplete
    )
    # Vacancies that require this skill (essential or nice-to-have).
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(), label=_("Skill"), method="filter_skill", widget=SkillAutocomplete
    )
    isco = django_filters.CharFilter(label=_("ISCO-08 code"), method="filter_isco")
    stem = django_filters.BooleanFilter(field_name="is_stem", label=_("STEM only"))
    country = django_filters.ChoiceFilter(field_name="place__country", choices=Country.choices, label=_("Country"))
    place = django_filters.ModelChoiceFilter(queryset=Place.objects.all(), label=_("Place of work"))
    # field_name tells the OpenAPI schema the value's type (a place id); filter_commute reads it.
    from_place = django_filters.ModelChoiceFilter(
        queryset=Place.objects.all(), label=_("From (home)"), field_name="place", method="filter_noop"
    )
    mode = django_filters.ChoiceFilter(choices=TravelMode.choices, label=_("By"), method="filter_noop")
    max_minutes = django_filters.NumberFilter(label=_("Maximum travel time (minutes)"), method="filter_commute")
    max_eqf = django_filters.ChoiceFilter(
        choices=EqfLevel.choices, label=_("My education level (EQF)"), method="filter_max_eqf"
    )
    contract_type = django_filters.ChoiceFilter(choices=ContractType.choices, label=_("Contract type"))
    min_hours = django_filters.NumberFilter(
        field_name="hours_per_week", lookup_expr="gte", label=_("At least hours/week")
    )
    max_hours = django_filters.NumberFilter(
        field_name="hours_per_week", lookup_expr="lte", label=_("At most hours/week")
    )
    language = django_filters.ChoiceFilter(choices=Language.choices, label=_("Language"), method="filter_language")
    ordering = django_filters.OrderingFilter(
        fields=(("published_at", "published"), ("hours_per_week", "hours"), ("title", "title")),
        label=_("Sort by"),
    )

    class Meta:
        model = Vacancy
        fields = ["q", "occupation", "skill", "stem", "country", "place", "contract_type"]

    def filter_noop(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset  # read by filter_commute

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word, in any of the three languages, over title, description, occupation and skills
        (vacancies/search.py); ranked unless the user chose an ordering."""
        value = value.strip()
        return search_vacancies(queryset, value) if value else queryset

    def filter_skill(self, queryset: QuerySet, name: str, value: Skill | None) -> QuerySet:
        if value is None:
            return queryset
        essential = Vacancy.essential_skills.through.objects.filter(vacancy_id=OuterRef("pk"), skill_id=value.pk)
        optional = Vacancy.optional_skills.through.objects.filter(vacancy_id=OuterRef("pk"), skill_id=value.pk)
        return queryset.filter(Exists(essential) | Exists(optional))

    def filter_isco(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(occupation__isco_group__code__startswith=value.strip())

    def filter_max_eqf(self, queryset: QuerySet, name: str, value) -> QuerySet:
        """Vacancies whose education requirement a holder of this EQF level meets."""
        return queryset.filter(Q(min_eqf_level__isnull=True) | Q(min_eqf_level__lte=int(value)))

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Vacancies that ask no language other than this one."""
        others = VacancyLanguage.objects.filter(vacancy=OuterRef("pk")).exclude(language=value)
        return queryset.exclude(Exists(others))

    def filter_commute(self, queryset: QuerySet, name: str, value) -> QuerySet:
        origin = self.form.cleaned_data.get("from_place")
        if origin is None or value is None:
            return queryset
        times = TravelTime.objects.filter(origin=origin, destination=OuterRef("place"), minutes__lte=value)
        mode = self.form.cleaned_data.get("mode")
        if mode:
            times = times.filter(mode=mode)
        return queryset.filter(Exists(times))

"""The vacancy search filters, shared by the search page and the API (django-filter)."""

import copy

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Country, EqfLevel, Language, Occupation, Place, Skill, TravelMode, TravelTime
from taxonomy.widgets import OccupationAutocomplete, SkillAutocomplete

from .models import ContractType, Vacancy, VacancyLanguage
from .search import search_vacancies


class LightFilterSet(django_filters.FilterSet):
    """A FilterSet that copies its filters shallowly and builds its form class once per language.

    django-filter deep-copies every filter (their querysets, choices and widgets) and builds a new
    form class with new fields on every request: a large share of the search page and the API
    list (issue 15, docs/performance.md). A filter's own state per request is only its ``parent``
    and ``model`` (set here on the copy) and its bound method; the form's fields are still
    deep-copied by each form (Django's ``BaseForm``), so a request's changes stay its own. The form
    class is kept per language: a label django-filter writes itself when it builds a field (for a
    filter without one) could be translated then. ``tests/vacancies/test_filters.py``.
    """

    _form_classes: dict[tuple[type, str | None], type] = {}

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django_filters.FilterSet.__init__ (django-filter 26.2) with copy.copy for its copy.deepcopy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.__dict__.pop("_field", None)
            if base.method is not None:
                filter_.method = base.method  # its FilterMethod bound to this copy, not to the base filter
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_

    def get_form_class(self):
        key = (type(self), get_language())
        form_class = self._form_classes.get(key)
        if form_class is None:
            form_class = self._form_classes[key] = super().get_form_class()
        return form_class


class VacancyFilter(LightFilterSet):
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

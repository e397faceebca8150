"""VacancyFilter's lighter construction (LightFilterSet, issue 15) filters, validates and labels
as django-filter's own did: each filterset its own filters and fields, the form class per language."""

import django_filters
import pytest
from django.http import QueryDict
from django.utils import translation

from tests.factories import VacancyFactory
from vacancies.filters import LightFilterSet, VacancyFilter
from vacancies.models import Vacancy, VacancyStatus

pytestmark = pytest.mark.django_db


def _plain_form(filterset: VacancyFilter):
    """The form django-filter would have built: a new class from new filters' fields."""
    form_class = django_filters.FilterSet.get_form_class(filterset)
    return form_class(filterset.data)


def test_two_filtersets_each_filter_by_their_own_data():
    published = {"status": VacancyStatus.PUBLISHED}
    welder = VacancyFactory(title="Lasser TIG", hours_per_week=24, **published)
    operator = VacancyFactory(title="Procesoperator", hours_per_week=40, **published)
    first = VacancyFilter(QueryDict("q=lasser&max_hours=30"), queryset=Vacancy.objects.all())
    second = VacancyFilter(QueryDict("q=procesoperator&min_hours=36"), queryset=Vacancy.objects.all())
    # Both built before either filters: a filter bound to the other (or the base) filterset would show.
    assert first.is_valid()
    assert second.is_valid()
    assert list(first.qs) == [welder]
    assert list(second.qs) == [operator]
    assert first.filters["q"].parent is first
    assert second.filters["q"].filter.method.__self__ is second
    assert not hasattr(VacancyFilter.base_filters["q"], "parent")


def test_the_form_fields_are_each_forms_own():
    first, second = VacancyFilter(QueryDict()), VacancyFilter(QueryDict())
    first.form.fields["q"].label = "changed"
    first.form.fields["stem"].widget.choices = [("x", "y")]
    assert str(second.form.fields["q"].label) == str(VacancyFilter.base_filters["q"].label)
    assert second.form.fields["q"].label != "changed"
    assert ("x", "y") not in second.form.fields["stem"].widget.choices
    assert type(first.form) is type(second.form)  # built once


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_labels_choices_and_errors_equal_django_filters_own(language):
    with translation.override(language):
        filterset = VacancyFilter(QueryDict("max_minutes=abc&country=XX&ordering=-nothing&place=0"))
        assert not filterset.is_valid()
        plain = _plain_form(filterset)
        assert not plain.is_valid()
        assert filterset.form.errors == plain.errors
        assert set(filterset.form.errors) == {"max_minutes", "country", "ordering", "place"}
        for name, field in filterset.form.fields.items():
            assert str(field.label) == str(plain.fields[name].label)
            choices = getattr(field, "choices", None)
            if choices is not None and name not in ("place", "from_place", "occupation", "skill"):
                assert [(v, str(label)) for v, label in choices] == [
                    (v, str(label)) for v, label in plain.fields[name].choices
                ]
    with translation.override("nl"):
        dutch = VacancyFilter(QueryDict()).form
        dutch_choices = [str(label) for _value, label in dutch.fields["ordering"].choices]
    with translation.override("en"):
        english = VacancyFilter(QueryDict()).form
        english_choices = [str(label) for _value, label in english.fields["ordering"].choices]
    assert type(dutch) is not type(english)
    assert dutch_choices != english_choices


def test_the_light_filterset_is_a_filterset():
    assert issubclass(VacancyFilter, LightFilterSet)
    assert VacancyFilter().queryset.model is Vacancy  # no queryset: the model's default manager, as before

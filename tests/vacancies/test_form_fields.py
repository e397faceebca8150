"""{% form_field %} (vacancies/templatetags/form_fields.py) with the Python widgets
(vacancies/fast_forms.py) writes what partials/field.html writes with Django's own renderer."""

import pytest
from django import forms
from django.template import Context, Template
from django.test import RequestFactory
from django.test.html import parse_html
from django.utils import translation

from vacancies.fast_forms import FAST_WIDGETS, FastWidgetRenderer
from vacancies.filters import VacancyFilter
from vacancies.selectors import vacancy_list_public
from vacancies.templatetags.form_fields import form_field
from vacancies.views_public import _search_form_tweaks
from workspace.forms import WorkQueueFilterForm

pytestmark = pytest.mark.django_db

PARTIAL = Template('{% include "partials/field.html" %}')


def _assert_same_html(make_form) -> int:
    """``make_form()`` twice: one rendered as before (the partial, Django's renderer), one fast."""
    django_form, fast_form = make_form(), make_form()
    fast_form.renderer = FAST_WIDGETS
    assert not isinstance(django_form.renderer, FastWidgetRenderer)
    compared = 0
    for name in django_form.fields:
        expected = PARTIAL.render(Context({"field": django_form[name]}))
        fast = form_field(fast_form[name])
        assert parse_html(fast) == parse_html(expected), name
        assert fast.count("<option") == expected.count("<option"), name
        compared += 1
    return compared


def _search_form(data: dict, fast: bool = False):
    filterset = VacancyFilter(data, queryset=vacancy_list_public(), request=RequestFactory().get("/vacancies/"))
    renderer = filterset.form.renderer
    _search_form_tweaks(filterset.form)  # the page's own tweaks, which choose the fast renderer
    assert filterset.form.renderer is FAST_WIDGETS
    if not fast:
        filterset.form.renderer = renderer
    filterset.is_valid()
    return filterset.form


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"q": "lasser <b>", "country": "NL", "max_minutes": "60", "ordering": "-published", "stem": "true"},
        {"max_minutes": "abc", "place": "999999", "country": "XX", "min_hours": "-", "language": "zz"},
    ],
)
def test_search_filters_render_as_the_partial(language, data):
    with translation.override(language):
        form = _search_form(data)
        assert _assert_same_html(lambda: _search_form(data)) == len(form.fields) == 16
        if data.get("country") == "XX":
            assert form.errors  # the error branch is compared too


def test_work_queue_filters_render_as_the_partial():
    for data in ({}, {"country": "BE", "stem": "yes"}, {"country": "XX", "place": "nope"}):

        def make_form(data=data):
            form = WorkQueueFilterForm(data or None)
            form.is_valid()
            return form

        assert _assert_same_html(make_form) == 4


class _OtherWidgets(forms.Form):
    agree = forms.BooleanField(label="I agree", help_text="Required to go on.")
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green")], widget=forms.RadioSelect, help_text="One.")
    secret = forms.CharField(widget=forms.HiddenInput)


class _Grouped(forms.Form):
    port = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("NL", [("vl", "Vlissingen & Terneuzen"), ("tz", 'Terneuzen "Oost"')]),
            ("BE", [("gt", "Gent")]),
        ],
        initial="tz",
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    when = forms.DateField(required=False)
    mail = forms.EmailField(required=False, widget=forms.EmailInput(attrs={"autocomplete": "email", "readonly": True}))


@pytest.mark.parametrize("data", [None, {"colour": "x"}])
def test_checkbox_fieldset_and_hidden_branches(data):
    def make_form():
        form = _OtherWidgets(data)
        form.is_valid()
        return form

    assert _assert_same_html(make_form) == 3
    form = make_form()
    assert "<fieldset" in form_field(form["colour"])
    assert 'type="hidden"' in form_field(form["secret"])


@pytest.mark.parametrize("data", [None, {"port": "vl", "many": ["a", "b"], "when": "2027-01-04", "mail": "a<b"}])
def test_optgroups_multiple_and_other_inputs(data):
    def make_form():
        form = _Grouped(data)
        form.is_valid()
        return form

    assert _assert_same_html(make_form) == 4

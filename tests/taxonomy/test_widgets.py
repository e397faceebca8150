"""PlaceSelect (taxonomy/widgets.py): every place as a plain <select>, its options rendered once per
process instead of one template per option, on the search page and the work queue."""

import re

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from taxonomy.models import Place
from taxonomy.widgets import PlaceSelect
from tests.factories import CaseworkerFactory, place, service

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


class PlaceForm(forms.Form):
    cached = forms.ModelChoiceField(Place.objects.order_by("name", "country"), required=False, widget=PlaceSelect)
    django = forms.ModelChoiceField(Place.objects.order_by("name", "country"), required=False)


def options(html: str) -> list[tuple[str, bool, str]]:
    return [(value, bool(selected), label) for value, selected, label in OPTION.findall(html)]


def test_it_renders_the_same_options_as_djangos_select_with_the_chosen_one_marked():
    zelzate = place("Zelzate")
    form = PlaceForm({"cached": zelzate.pk, "django": zelzate.pk})
    cached, plain = options(str(form["cached"])), options(str(form["django"]))
    assert len(cached) == Place.objects.count() + 1
    assert cached == plain
    assert [value for value, selected, _ in cached if selected] == [str(zelzate.pk)]
    nothing = options(str(PlaceForm()["cached"]))
    assert [value for value, selected, _ in nothing if selected] == [""]


def test_the_select_keeps_its_id_for_the_label_and_an_escaped_empty_label():
    html = str(PlaceForm()["cached"])
    assert html.startswith('<select name="cached" id="id_cached">')
    widget = PlaceSelect(empty_label="<All & any>")
    assert '<option value="" selected>&lt;All &amp; any&gt;</option>' in widget.render("p", None)


def test_a_second_render_is_one_small_query_and_a_new_place_shows_at_once():
    str(PlaceForm()["cached"])
    with CaptureQueriesContext(connection) as queries:
        first = str(PlaceForm()["cached"])
    assert len(queries) == 1  # the version check; the places are not read again
    new = Place.objects.create(
        geonames_id=999999001,
        name="Aaa-testdorp",
        municipality="Aaa-testdorp",
        country="NL",
        province="Zeeland",
        region="Zeeland",
        latitude=51.3,
        longitude=3.8,
    )
    second = str(PlaceForm()["cached"])
    assert f'<option value="{new.pk}">' not in first
    assert f'<option value="{new.pk}">Aaa-testdorp (NL)</option>' in second


def _option_templates(response) -> int:
    return sum(1 for t in response.templates if t.name == "django/forms/widgets/select_option.html")


def test_the_search_page_renders_no_template_per_place_and_marks_the_chosen_places(client):
    vlissingen, gent = place("Vlissingen"), place("Gent")
    with translation.override("nl"):
        address = reverse("vacancies:list")
    response = client.get(address, {"from_place": vlissingen.pk, "place": gent.pk, "max_minutes": 60})
    assert response.status_code == 200
    html = response.content.decode()
    assert _option_templates(response) < 50  # was one per place and select: ~470
    assert html.count(f'<option value="{vlissingen.pk}" selected>') == 1
    assert html.count(f'<option value="{gent.pk}" selected>') == 1
    assert 'for="id_from_place"' in html
    assert 'id="id_from_place"' in html


def test_the_work_queue_place_filter_renders_no_template_per_place(client):
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))
    zelzate = place("Zelzate")
    with translation.override("en"):
        address = reverse("workspace:work_queue")
    response = client.get(address, {"place": zelzate.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert _option_templates(response) < 50
    assert f'<option value="{zelzate.pk}" selected>' in html
    assert '<option value="">All places</option>' in html

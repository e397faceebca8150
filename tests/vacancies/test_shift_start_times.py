"""Shift start times of a vacancy: one rule (vacancies/shifts.py) for the form, the API and the model."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from taxonomy.models import Occupation
from tests.factories import EmployerFactory, EmployerUserFactory, place
from tests.vacancies.test_views_employer import vacancy_post
from tests.workspace_helpers import published_vacancy
from vacancies.models import Vacancy
from vacancies.shifts import shift_start_times_clean, shift_start_times_from_text

pytestmark = pytest.mark.django_db


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"vacancies:{name}", kwargs=kwargs or None)


@pytest.fixture
def employer_user(client):
    user = EmployerUserFactory(employer=EmployerFactory(is_verified=True))
    client.force_login(user)
    return user


# --- the rule ---------------------------------------------------------------------------------


def test_times_are_read_in_the_usual_notations_and_stored_sorted():
    assert shift_start_times_from_text("22:00, 6:00; 14.00") == ["06:00", "14:00", "22:00"]
    assert shift_start_times_from_text("  ") == []
    assert shift_start_times_clean(["23:59", "00:00", "7h30"]) == ["00:00", "07:30", "23:59"]


@pytest.mark.parametrize(
    ("values", "code"),
    [
        (["24:00"], "invalid_shift_start"),
        (["12:60"], "invalid_shift_start"),
        (["06"], "invalid_shift_start"),
        (["vroeg"], "invalid_shift_start"),
        ([6], "invalid_shift_start"),
        ("06:00", "invalid_shift_start"),
        (["00:00", "06:00", "12:00", "18:00", "22:00"], "too_many_shift_starts"),
        (["06:00", "6:00"], "duplicate_shift_start"),
    ],
)
def test_bad_times_are_refused_with_a_code(values, code):
    with pytest.raises(ValidationError) as error:
        shift_start_times_clean(values)
    assert error.value.code == code


def test_the_model_refuses_a_stored_list_that_is_not_clean():
    vacancy = published_vacancy(shift_start_times=["14:00", "06:00"])
    with pytest.raises(ValidationError) as error:
        vacancy.full_clean()
    assert "shift_start_times" in error.value.message_dict
    vacancy.shift_start_times = ["06:00", "14:00"]
    vacancy.full_clean()


# --- the employer's form and the vacancy page -------------------------------------------------------


def test_the_form_takes_the_times_as_text_and_the_page_shows_them(client, employer_user):
    response = client.post(url("employer_vacancy_create"), vacancy_post(shift_start_times="22:00, 06:00, 14:00"))
    assert response.status_code == 302
    vacancy = Vacancy.objects.get(employer=employer_user.employer)
    assert vacancy.shift_start_times == ["06:00", "14:00", "22:00"]
    own_page = client.get(url("employer_vacancy_detail", pk=vacancy.pk)).content.decode()
    assert "<dd data-shift-starts>06:00, 14:00, 22:00</dd>" in own_page
    edit = client.get(url("employer_vacancy_update", pk=vacancy.pk)).content.decode()
    assert 'value="06:00, 14:00, 22:00"' in edit
    page = client.get(url("detail", pk=vacancy.pk)).content.decode()
    assert "Ploegen beginnen om" in page
    assert "06:00, 14:00, 22:00" in page
    # Cleared on edit: none given.
    client.post(url("employer_vacancy_update", pk=vacancy.pk), vacancy_post(shift_start_times="", intent="save"))
    vacancy.refresh_from_db()
    assert vacancy.shift_start_times == []
    assert "Ploegen beginnen om" not in client.get(url("detail", pk=vacancy.pk)).content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("nl", "“25:00” is geen tijd tussen 00:00 en 23:59 (schrijf bv. 06:00)."),
        ("en", "“25:00” is not a time between 00:00 and 23:59 (write e.g. 06:00)."),
        ("fr", "« 25:00 » n’est pas une heure entre 00:00 et 23:59 (écrivez p. ex. 06:00)."),
    ],
)
def test_a_bad_time_is_a_field_error_in_the_users_language(client, employer_user, language, message):
    response = client.post(url("employer_vacancy_create", language), vacancy_post(shift_start_times="06:00, 25:00"))
    assert response.status_code == 200
    assert not Vacancy.objects.exists()
    assert "shift_start_times" in response.context["form"].errors
    html = response.content.decode()
    assert message in html
    assert 'value="06:00, 25:00"' in html  # nothing typed is lost


# --- the API ------------------------------------------------------------------------------------


def api_payload(**fields):
    occupation = Occupation.objects.order_by("uri").first()
    return {
        "title": "Procesoperator",
        "description": "Drieploegendienst in de Kanaalzone.",
        "occupation": occupation.pk,
        "place": place("Terneuzen").pk,
        "contract_type": "permanent",
        "hours_per_week": 38,
        "shift_work": True,
        **fields,
    }


def test_the_api_takes_a_list_stores_it_sorted_and_refuses_bad_times_with_the_field():
    user = EmployerUserFactory(employer=EmployerFactory(is_verified=True))
    api = APIClient()
    api.force_login(user)
    created = api.post("/api/v1/vacancies", api_payload(shift_start_times=["22:00", "06:00"]), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["shift_start_times"] == ["06:00", "22:00"]
    vacancy_id = created.json()["id"]
    assert Vacancy.objects.get(pk=vacancy_id).shift_start_times == ["06:00", "22:00"]

    refused = api.patch(
        f"/api/v1/vacancies/{vacancy_id}",
        {"shift_start_times": ["06:00", "06:00"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400
    body = refused.json()
    assert body["errors"]["shift_start_times"] == ["Give each shift start time once."]
    assert Vacancy.objects.get(pk=vacancy_id).shift_start_times == ["06:00", "22:00"]

    changed = api.patch(f"/api/v1/vacancies/{vacancy_id}", {"shift_start_times": []}, format="json")
    assert changed.status_code == 200
    assert changed.json()["shift_start_times"] == []

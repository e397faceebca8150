"""The vacancy lifecycle: sensible transitions pass, the others are refused clearly."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from taxonomy.models import Occupation
from tests.factories import EmployerFactory, VacancyFactory, place
from vacancies.models import ContractType, VacancyStatus
from vacancies.services import (
    InvalidTransition,
    vacancy_create,
    vacancy_moderate,
    vacancy_set_status,
    vacancy_submit,
    vacancy_update,
)

pytestmark = pytest.mark.django_db


def test_create_defaults_the_stem_flag_from_the_occupation():
    stem = Occupation.objects.filter(is_stem=True).first()
    non_stem = Occupation.objects.filter(is_stem=False).first()
    employer = EmployerFactory()
    common = {
        "employer": employer,
        "description": "x",
        "place": place("Gent"),
        "contract_type": ContractType.PERMANENT,
        "hours_per_week": 38,
    }
    assert vacancy_create(title="a", occupation=stem, **common).is_stem is True
    assert vacancy_create(title="b", occupation=non_stem, **common).is_stem is False
    assert vacancy_create(title="c", occupation=stem, is_stem=False, **common).is_stem is False


def test_create_refuses_bad_values_with_field_errors():
    with pytest.raises(ValidationError) as exc:
        vacancy_create(
            employer=EmployerFactory(),
            title="",
            description="x",
            occupation=Occupation.objects.first(),
            place=place("Gent"),
            contract_type="nonsense",
            hours_per_week=200,
        )
    assert {"title", "contract_type", "hours_per_week"} <= set(exc.value.message_dict)


def test_verified_employer_publishes_directly():
    vacancy = vacancy_submit(vacancy=VacancyFactory(employer=EmployerFactory(is_verified=True)))
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert vacancy.published_at is not None
    assert vacancy.expires_at > vacancy.published_at


def test_unverified_employer_goes_to_review_and_a_moderator_publishes(django_user_model):
    vacancy = vacancy_submit(vacancy=VacancyFactory(employer=EmployerFactory(is_verified=False)))
    assert vacancy.status == VacancyStatus.IN_REVIEW
    moderator = django_user_model.objects.create_user(email="mod@example.test", password="x", role="admin")
    vacancy = vacancy_moderate(vacancy=vacancy, approve=True, moderator=moderator)
    assert vacancy.status == VacancyStatus.PUBLISHED


def test_sending_back_needs_a_reason(django_user_model):
    vacancy = vacancy_submit(vacancy=VacancyFactory(employer=EmployerFactory(is_verified=False)))
    moderator = django_user_model.objects.create_user(email="mod2@example.test", password="x", role="admin")
    with pytest.raises(ValidationError):
        vacancy_moderate(vacancy=vacancy, approve=False, moderator=moderator, note=" ")
    vacancy = vacancy_moderate(vacancy=vacancy, approve=False, moderator=moderator, note="Salaris ontbreekt")
    assert vacancy.status == VacancyStatus.DRAFT


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (VacancyStatus.CLOSED, VacancyStatus.DRAFT),
        (VacancyStatus.CLOSED, VacancyStatus.PUBLISHED),
        (VacancyStatus.FILLED, VacancyStatus.DRAFT),
        (VacancyStatus.DRAFT, VacancyStatus.FILLED),
        (VacancyStatus.DRAFT, VacancyStatus.EXPIRED),
        (VacancyStatus.EXPIRED, VacancyStatus.DRAFT),
    ],
)
def test_senseless_transitions_are_refused_with_a_clear_error(start, target):
    vacancy = VacancyFactory(status=start)
    with translation.override("en"), pytest.raises(InvalidTransition) as exc:
        vacancy_set_status(vacancy=vacancy, status=target)
    assert exc.value.code == "invalid_transition"
    assert "cannot go from" in exc.value.messages[0]
    vacancy.refresh_from_db()
    assert vacancy.status == start


def test_published_vacancy_can_be_filled_then_closed():
    vacancy = vacancy_submit(vacancy=VacancyFactory())
    vacancy = vacancy_set_status(vacancy=vacancy, status=VacancyStatus.FILLED)
    vacancy = vacancy_set_status(vacancy=vacancy, status=VacancyStatus.CLOSED)
    assert vacancy.status == VacancyStatus.CLOSED


def test_closed_vacancy_cannot_be_edited():
    vacancy = VacancyFactory(status=VacancyStatus.CLOSED)
    with pytest.raises(ValidationError):
        vacancy_update(vacancy=vacancy, title="Nieuw")


def test_salary_range_must_be_ordered():
    with pytest.raises(ValidationError):
        vacancy_update(vacancy=VacancyFactory(), salary_min=4000, salary_max=3000)

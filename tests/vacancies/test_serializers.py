"""The API lists' fast path (VacancyListSerializer) gives exactly what VacancySerializer gives per row."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from rest_framework.test import APIRequestFactory

from accounts.models import Role
from taxonomy.models import Occupation, Skill
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, VacancyFactory
from vacancies.api import _with_lists
from vacancies.models import SalaryPeriod, Vacancy, VacancyLanguage, VacancyStatus
from vacancies.serializers import VacancyListSerializer, VacancySerializer

pytestmark = pytest.mark.django_db


def _vacancies() -> tuple[list[Vacancy], object]:
    occupation = Occupation.objects.filter(is_stem=True).order_by("uri").first()
    skills = list(Skill.objects.order_by("uri")[:3])
    employer = EmployerFactory(website="https://kanaalzone.example")
    full = VacancyFactory(
        employer=employer,
        occupation=occupation,
        reference="FULL-1",
        status=VacancyStatus.PUBLISHED,
        published_at=timezone.now(),
        expires_at=timezone.now() + datetime.timedelta(days=30),
        start_date=datetime.date(2027, 1, 4),
        salary_min=Decimal("2800.5"),
        salary_max=Decimal("3400"),
        salary_period=SalaryPeriod.MONTH,
        min_eqf_level=4,
        shift_work=True,
        shift_start_times=["06:00", "14:00"],
        moderation_note="Please add the hours.",
    )
    full.essential_skills.set(skills[:2])
    full.optional_skills.set(skills[2:])
    VacancyLanguage.objects.create(vacancy=full, language="nl", min_level=3)
    VacancyLanguage.objects.create(vacancy=full, language="en", min_level=2)
    bare = VacancyFactory(occupation=occupation, status=VacancyStatus.IN_REVIEW, moderation_note="Check it.")
    return list(_with_lists(Vacancy.objects.with_details()).filter(pk__in=[full.pk, bare.pk]).order_by("pk")), employer


@pytest.mark.parametrize("viewer", ["anonymous", "caseworker", "own employer", "other employer", "jobseeker"])
def test_list_rows_equal_the_serializer(viewer):
    vacancies, employer = _vacancies()
    request = APIRequestFactory().get("/api/v1/vacancies")
    request.user = {
        "anonymous": AnonymousUser,
        "caseworker": lambda: CaseworkerFactory(),
        "own employer": lambda: EmployerUserFactory(employer=employer),
        "other employer": lambda: EmployerUserFactory(),
        "jobseeker": lambda: UserFactory(role=Role.JOBSEEKER),
    }[viewer]()
    context = {"request": request}

    listed = VacancySerializer(vacancies, many=True, context=context)
    assert isinstance(listed, VacancyListSerializer)
    one_by_one = [VacancySerializer(vacancy, context=context).data for vacancy in vacancies]

    assert listed.data == one_by_one
    assert [list(row) for row in listed.data] == [list(row) for row in one_by_one]  # same key order
    full = listed.data[0]
    assert full["salary_min"] == "2800.50"
    assert {(row["language"], row["min_level"]) for row in full["languages"]} == {("nl", 3), ("en", 2)}
    assert len(full["essential_skills"]) == 2
    assert full["start_date"] == "2027-01-04"
    assert listed.data[1]["salary_min"] is None
    assert listed.data[1]["start_date"] is None
    note_shown = viewer in ("caseworker", "own employer")
    assert (full["moderation_note"] == "Please add the hours.") is note_shown


def test_api_list_pages_keep_the_order_of_the_one_query_listing(client):
    """The list's page is read as ids, then rows (VacancyViewSet.paginate_queryset): same rows, same order."""
    from vacancies.selectors import vacancy_list_public

    now = timezone.now()
    same_moment = now - datetime.timedelta(hours=1)
    for n in range(7):  # ties on published_at fall back to created_at, as in the ordering
        VacancyFactory(
            status=VacancyStatus.PUBLISHED,
            published_at=same_moment if n % 2 else now - datetime.timedelta(days=n),
            expires_at=now + datetime.timedelta(days=30),
        )
    expected = list(vacancy_list_public().values_list("pk", flat=True))
    seen = []
    for page in (1, 2, 3):
        response = client.get("/api/v1/vacancies", {"page": page, "page_size": 3}, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 7
        seen += [row["id"] for row in body["results"]]
    assert seen == expected


@pytest.mark.parametrize("language", ["nl", "en"])
def test_api_list_page_rows_equal_the_serializer_over_the_managers(client, language):
    """The page prefetches the lists as plain lists (to_attr, serializers.PREFETCHED_LISTS): each row
    still equals VacancySerializer over Django's prefetched managers, skills and languages in order."""
    from vacancies.selectors import vacancy_list_public

    vacancies, _employer = _vacancies()
    full = vacancies[0]
    more = VacancyFactory(status=VacancyStatus.PUBLISHED, published_at=timezone.now() - datetime.timedelta(days=1))
    more.optional_skills.set(Skill.objects.order_by("-uri")[:4])
    VacancyLanguage.objects.create(vacancy=more, language="fr", min_level=4)
    VacancyLanguage.objects.create(vacancy=more, language="de", min_level=1)
    response = client.get("/api/v1/vacancies", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [full.pk, more.pk]
    request = APIRequestFactory().get("/api/v1/vacancies")
    request.user = AnonymousUser()
    from django.utils import translation

    with translation.override(language):
        expected = [
            VacancySerializer(vacancy, context={"request": request}).data
            for vacancy in _with_lists(vacancy_list_public(), languages=False).order_by("-published_at")
        ]
    assert rows == [dict(row) for row in expected]
    assert [language["language"] for language in rows[1]["languages"]] == ["de", "fr"]
    assert len(rows[1]["optional_skills"]) == 4
    assert len(rows[0]["essential_skills"]) == 2

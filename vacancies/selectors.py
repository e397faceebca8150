"""Reads of vacancies, scoped to what the user may see."""
from django.db.models import Prefetch, QuerySet

from accounts.models import User

from .models import Vacancy, VacancyLanguage


def vacancy_list_public() -> QuerySet[Vacancy]:
    """Published, unexpired vacancies with what a result list shows, in a fixed number of queries."""
    return (
        Vacancy.objects.open_for_matching()
        .with_details()
        .prefetch_related(Prefetch("languages", queryset=VacancyLanguage.objects.order_by("language")))
    )


def vacancy_list_for_employer(*, user: User) -> QuerySet[Vacancy]:
    if not user.is_authenticated or user.employer_id is None:
        return Vacancy.objects.none()
    return Vacancy.objects.of_employer(user.employer_id).with_details()


def vacancy_get_public(*, pk: int) -> Vacancy:
    return (
        vacancy_list_public()
        .prefetch_related("essential_skills", "optional_skills")
        .get(pk=pk)
    )

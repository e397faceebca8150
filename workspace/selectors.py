"""Reads of the workspace: the work queue puts together what waits for a caseworker in the
apps below it (vacancies to moderate, companies to verify, shortlists to review)."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.models import Employer, User
from accounts.selectors import employer_list_unverified
from matching import selectors as matching_selectors
from vacancies.models import Vacancy
from vacancies.selectors import vacancy_list_in_review


@dataclass
class WorkQueue:
    vacancies_in_review: QuerySet[Vacancy]
    employers_to_verify: QuerySet[Employer]
    shortlists: QuerySet  # values() rows: vacancy, undecided, decidable, flagged, best, waiting_since
    # Open requests for human review of the candidates of the user's service (all for admins).
    review_requests: QuerySet | None = None


def _service_country(filters: dict[str, Any]) -> str | None:
    service = filters.get("service")
    return service.country if service is not None else None


def work_queue(*, user: User, filters: dict[str, Any]) -> WorkQueue:
    """What waits for a caseworker: vacancies to moderate, companies to verify, shortlists to review."""
    country = filters.get("country")
    service_country = _service_country(filters)

    vacancies = vacancy_list_in_review()
    employers = employer_list_unverified()
    if country:
        vacancies = vacancies.filter(place__country=country)
        employers = employers.filter(country=country)
    if service_country:
        vacancies = vacancies.filter(place__country=service_country)
        employers = employers.filter(country=service_country)
    if "stem" in filters:
        vacancies = vacancies.filter(is_stem=filters["stem"])
    if filters.get("place"):
        vacancies = vacancies.filter(place=filters["place"])
        employers = employers.filter(place=filters["place"])

    return WorkQueue(
        vacancies_in_review=vacancies,
        employers_to_verify=employers,
        shortlists=matching_selectors.shortlists_needing_review(user=user, filters=filters),
        review_requests=matching_selectors.review_requests_for_caseworker(user=user),
    )


def shortlist_rows_with_vacancies(rows: list[dict]) -> list[dict]:
    """Put the vacancy on each of the queue's shortlist rows (one query), with only the columns
    the row shows: title, STEM, company, place (issue 15: the whole vacancy with its occupation
    was a good part of the page's time)."""
    vacancies = (
        Vacancy.objects.select_related("employer", "place")
        .only("title", "is_stem", "employer__legal_name", "place__name", "place__country")
        .in_bulk([row["vacancy"] for row in rows])
    )
    return [{**row, "vacancy_obj": vacancies[row["vacancy"]]} for row in rows if row["vacancy"] in vacancies]


def vacancy_moderated_already(*, pk: int) -> Vacancy | None:
    """A vacancy that left review (published or sent back): a second "save" on its review page
    (double click, back button, a colleague was quicker) lands on the work queue, not a 404."""
    from vacancies.models import VacancyStatus

    return (
        Vacancy.objects.select_related("employer")
        .filter(pk=pk, status__in=[VacancyStatus.PUBLISHED, VacancyStatus.DRAFT])
        .first()
    )

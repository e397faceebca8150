"""Reads of the matching app for the caseworker's and the employer's pages.

Every function starts from a scoped queryset (``Match.objects.for_caseworker`` /
``for_employer``), so what a user may not see never reaches a page, and runs a fixed number
of queries whatever the number of rows (select_related / prefetch_related / aggregates).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, Count, Max, Min, Prefetch, Q, QuerySet, Value, When

from accounts.models import Employer, Role, User
from accounts.selectors import employer_list_unverified
from candidates.models import CandidateDiploma
from vacancies.models import Vacancy, VacancyStatus
from vacancies.selectors import vacancy_list_in_review

from .models import Match, MatchDecision, RebuildRun, ReviewStatus, ShortlistSummary

# Vacancies a caseworker may open a shortlist of: everything that has been public.
SHORTLIST_VACANCY_STATUSES = (
    VacancyStatus.PUBLISHED,
    VacancyStatus.FILLED,
    VacancyStatus.CLOSED,
    VacancyStatus.EXPIRED,
)

SHORTLIST_VIEWS = ("all", "proposed", "approved", "rejected", "flagged")


def decidable_q(user: User, prefix: str = "") -> Q:
    """``matching.permissions.can_decide`` as a database condition on matches (``prefix`` for joins).

    Kept next to the rule's Python form and tested against it row by row.
    """
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    if user.role != Role.CASEWORKER or user.employment_service_id is None:
        return Q(pk__in=[])
    service = user.employment_service
    return Q(**{f"{prefix}candidate__employment_service_id": user.employment_service_id}) | Q(
        **{
            f"{prefix}candidate__consent_cross_border_at__isnull": False,
            f"{prefix}vacancy__place__country": service.country,
        }
    )


def _with_decidable(matches: QuerySet[Match], user: User) -> QuerySet[Match]:
    condition = decidable_q(user)
    if not condition:  # admin: every row
        return matches.annotate(decidable=Value(True, output_field=BooleanField()))
    return matches.annotate(
        decidable=Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())
    )


# --- the work queue -----------------------------------------------------------------------------


@dataclass
class WorkQueue:
    vacancies_in_review: QuerySet[Vacancy]
    employers_to_verify: QuerySet[Employer]
    shortlists: QuerySet  # values() rows: vacancy, undecided, decidable, flagged, best, waiting_since


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
        shortlists=shortlists_needing_review(user=user, filters=filters),
    )


def shortlists_needing_review(*, user: User, filters: dict[str, Any]) -> QuerySet:
    """One row per open vacancy with undecided (or flagged approved) matches the user can see."""
    undecided = Q(review_status=ReviewStatus.PROPOSED)
    flagged = Q(review_status=ReviewStatus.APPROVED, is_flagged=True)
    matches = Match.objects.for_caseworker(user).filter(undecided | flagged, vacancy__status=VacancyStatus.PUBLISHED)
    if filters.get("service"):
        matches = matches.filter(candidate__employment_service=filters["service"])
    if filters.get("country"):
        matches = matches.filter(vacancy__place__country=filters["country"])
    if "stem" in filters:
        matches = matches.filter(vacancy__is_stem=filters["stem"])
    if filters.get("place"):
        matches = matches.filter(vacancy__place=filters["place"])
    decidable = decidable_q(user)
    return (
        matches.values("vacancy")
        .annotate(
            undecided=Count("pk", filter=undecided),
            decidable=Count("pk", filter=undecided & decidable),
            flagged=Count("pk", filter=flagged),
            best=Max("score", filter=undecided),
            waiting_since=Min("created_at", filter=undecided),
        )
        .order_by("waiting_since", "vacancy")
    )


def attach_vacancies(rows: list[dict]) -> list[dict]:
    """Put the Vacancy (with employer, place, occupation) on each work-queue row: one query."""
    vacancies = Vacancy.objects.with_details().in_bulk([row["vacancy"] for row in rows])
    return [{**row, "vacancy_obj": vacancies[row["vacancy"]]} for row in rows if row["vacancy"] in vacancies]


# --- the shortlist of a vacancy ---------------------------------------------------------------


def vacancy_for_shortlist(*, pk: int) -> Vacancy:
    return (
        Vacancy.objects.filter(status__in=SHORTLIST_VACANCY_STATUSES)
        .with_details()
        .prefetch_related("essential_skills", "optional_skills", "languages")
        .get(pk=pk)
    )


def _candidate_prefetches(prefix: str = "candidate__") -> list:
    return [
        Prefetch(f"{prefix}diplomas", queryset=CandidateDiploma.objects.select_related("diploma", "field")),
        f"{prefix}languages",
        f"{prefix}skills",
    ]


def shortlist_for_caseworker(*, user: User, vacancy: Vacancy, view: str = "all") -> QuerySet[Match]:
    """The vacancy's shortlist as this caseworker may see it, best first, with ``decidable``."""
    matches = (
        Match.objects.for_caseworker(user)
        .filter(vacancy=vacancy)
        .select_related(
            "vacancy__place",
            "candidate__user",
            "candidate__home_place",
            "candidate__employment_service",
            "reviewer__employment_service",
        )
        .prefetch_related(
            *_candidate_prefetches(),
            "candidate__desired_occupations",
            Prefetch("decisions", queryset=MatchDecision.objects.select_related("reviewer").order_by("at", "id")),
        )
    )
    if view == "flagged":
        matches = matches.filter(is_flagged=True)
    elif view in ("proposed", "approved", "rejected"):
        matches = matches.filter(review_status=view)
    return _with_decidable(matches, user).order_by("-score", "candidate_id")


def shortlist_counts(*, user: User, vacancy: Vacancy) -> dict[str, int]:
    """How many rows each tab of the shortlist has (one query)."""
    counts = (
        Match.objects.for_caseworker(user)
        .filter(vacancy=vacancy)
        .aggregate(
            all=Count("pk"),
            proposed=Count("pk", filter=Q(review_status=ReviewStatus.PROPOSED)),
            approved=Count("pk", filter=Q(review_status=ReviewStatus.APPROVED)),
            rejected=Count("pk", filter=Q(review_status=ReviewStatus.REJECTED)),
            flagged=Count("pk", filter=Q(is_flagged=True)),
        )
    )
    return counts


def shortlist_summary(*, vacancy: Vacancy) -> ShortlistSummary | None:
    """What the worker saw for this vacancy: candidates scored, eligible, left out per reason."""
    return ShortlistSummary.objects.filter(vacancy=vacancy).first()


def hidden_match_count(*, user: User, vacancy: Vacancy) -> int:
    """Matches on the shortlist this caseworker does not see (other services, no cross-border consent)."""
    everyone = Match.objects.filter(vacancy=vacancy)
    return everyone.count() - Match.objects.for_caseworker(user).filter(vacancy=vacancy).count()


def match_get_for_caseworker(*, user: User, pk: int) -> Match:
    match = (
        Match.objects.for_caseworker(user)
        .filter(vacancy__status__in=SHORTLIST_VACANCY_STATUSES)
        .select_related(
            "vacancy__place",
            "vacancy__employer",
            "vacancy__occupation",
            "candidate__user",
            "candidate__home_place",
            "candidate__employment_service",
            "reviewer",
        )
        .prefetch_related(
            *_candidate_prefetches(),
            "candidate__desired_occupations",
            "vacancy__essential_skills",
            "vacancy__optional_skills",
            "vacancy__languages",
            Prefetch("decisions", queryset=MatchDecision.objects.select_related("reviewer").order_by("at", "id")),
        )
    )
    return _with_decidable(match, user).get(pk=pk)


# --- the employer's shortlist -----------------------------------------------------------------


def shortlist_for_employer(*, employer_id: int | None, vacancy: Vacancy) -> QuerySet[Match]:
    """Approved by a caseworker AND accepted by the candidate: nothing about anyone else."""
    if employer_id is None:
        return Match.objects.none()
    return (
        Match.objects.for_employer(employer_id)
        .filter(vacancy=vacancy)
        .select_related("vacancy__place", "vacancy__occupation", "candidate__user", "candidate__home_place")
        .prefetch_related(*_candidate_prefetches())
        .order_by("-score", "candidate_id")
    )


def employer_vacancy_for_shortlist(*, employer_id: int | None, pk: int) -> Vacancy:
    if employer_id is None:
        raise Vacancy.DoesNotExist
    return Vacancy.objects.of_employer(employer_id).with_details().prefetch_related("essential_skills").get(pk=pk)


# --- rebuild progress -----------------------------------------------------------------------


def rebuild_latest() -> RebuildRun | None:
    return RebuildRun.objects.order_by("-started_at", "-pk").first()

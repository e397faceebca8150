"""Reads of accounts and organisations, scoped to who may see them."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Employer, EmploymentService, User


def employer_users(*, employer_id: int) -> QuerySet[User]:
    return User.objects.filter(employer_id=employer_id).order_by("last_name", "first_name", "email")


# The vacancies app's model through the relation: accounts does not import vacancies (layering).
_VACANCY = Employer._meta.get_field("vacancies").related_model


def employer_list_unverified() -> QuerySet[Employer]:
    """Companies waiting for verification, oldest first, with what the work queue shows."""
    # Counted per employer by correlated subqueries, so only the page's rows are counted and the
    # list's own count needs no grouping (issue 15: joining every user and vacancy of every
    # unverified employer, then grouping, was the work queue's slowest query).
    return (
        Employer.objects.filter(is_verified=False)
        .select_related("place")
        .annotate(
            user_count=_count_of(User.objects.filter(employer_id=OuterRef("pk")), "employer_id"),
            vacancies_in_review=_count_of(
                _VACANCY.objects.filter(employer_id=OuterRef("pk"), status="in_review"), "employer_id"
            ),
        )
        .order_by("created_at", "pk")
    )


def _count_of(rows: QuerySet, key: str) -> Coalesce:
    """How many ``rows`` there are, as a correlated subquery (0 when none)."""
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def employer_get_for_review(*, pk: int) -> Employer:
    """Any employer, for a caseworker or admin, with its users."""
    return (
        Employer.objects.select_related("place", "verified_by")
        .prefetch_related(Prefetch("users", queryset=User.objects.order_by("last_name", "first_name", "email")))
        .get(pk=pk)
    )


def service_list() -> list[EmploymentService]:
    """Every employment service by name (a handful): read once by a page that shows several of them."""
    return list(EmploymentService.objects.order_by("name"))


def service_names_by_country(services: list[EmploymentService] | None = None) -> dict[str, str]:
    """For each country the services that verify and moderate for it ("UWV, WSP Zeeuws-Vlaanderen"),
    shown to a caseworker of the other country as the reason a page is read-only. One query, or
    none given ``service_list()``."""
    pairs = (
        [(service.country, service.name) for service in services]
        if services is not None
        else EmploymentService.objects.order_by("name").values_list("country", "name")
    )
    names: dict[str, list[str]] = {}
    for country, name in pairs:
        names.setdefault(country, []).append(name)
    return {country: ", ".join(each) for country, each in names.items()}


def service_names_of_country(*, country: str) -> str:
    return service_names_by_country().get(country, "")

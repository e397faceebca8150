"""Reads of accounts and organisations, scoped to who may see them."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Employer, EmploymentService, User


def employer_users(*, employer_id: int) -> QuerySet[User]:
    return User.objects.filter(employer_id=employer_id).order_by("last_name", "first_name", "email")


def employer_list_unverified() -> QuerySet[Employer]:
    """Companies waiting for verification, oldest first, with what the work queue shows."""
    return (
        Employer.objects.filter(is_verified=False)
        .select_related("place")
        .annotate(
            user_count=Count("users", distinct=True),
            vacancies_in_review=Count("vacancies", filter=Q(vacancies__status="in_review"), distinct=True),
        )
        .order_by("created_at", "pk")
    )


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

"""Reads of applications, scoped to who may see them."""

from django.db.models import Prefetch, QuerySet

from accounts.roles import is_employer, is_jobseeker
from candidates.selectors import candidate_id_of

from .models import Application, ApplicationStatusChange


def applications_visible_to(*, user) -> QuerySet[Application]:
    """The applications a user may see over the API: their own (jobseeker) or those to their
    vacancies (employer); the same scopes as the pages (``of_candidate`` / ``of_employer``)."""
    if is_jobseeker(user):
        candidate_id = candidate_id_of(user)
        if candidate_id is None:
            return Application.objects.none()
        applications = Application.objects.of_candidate(candidate_id)
    elif is_employer(user):
        applications = Application.objects.of_employer(user.employer_id)
    else:
        return Application.objects.none()
    return (
        applications.select_related("vacancy__employer", "vacancy__place", "candidate__user", "candidate__home_place")
        .prefetch_related(Prefetch("history", queryset=ApplicationStatusChange.objects.order_by("at", "id")))
        .order_by("-created_at", "-id")
    )


def application_list_for_candidate(*, candidate_id: int | None) -> QuerySet[Application]:
    """A jobseeker's own applications with their vacancy and history, in a fixed number of queries."""
    if candidate_id is None:
        return Application.objects.none()
    return (
        Application.objects.of_candidate(candidate_id)
        .select_related("vacancy__employer", "vacancy__place", "vacancy__occupation")
        .prefetch_related(Prefetch("history", queryset=ApplicationStatusChange.objects.order_by("at", "id")))
        .order_by("-created_at", "-id")
    )


def application_get_for_candidate(*, candidate_id: int | None, pk: int) -> Application:
    """One of the jobseeker's own applications; anyone else's raises DoesNotExist (a 404)."""
    return application_list_for_candidate(candidate_id=candidate_id).get(pk=pk)


def application_vacancy_ids_for_candidate(*, candidate_id: int | None) -> set[int]:
    if candidate_id is None:
        return set()
    return set(Application.objects.of_candidate(candidate_id).values_list("vacancy_id", flat=True))


# --- the employer's side ----------------------------------------------------------------------


def application_list_for_employer(
    *, employer_id: int | None, vacancy_id: int, status: str | None = None
) -> QuerySet[Application]:
    """The applications to one of the employer's vacancies, with the candidates' profiles,
    in a fixed number of queries whatever the number of rows."""
    if employer_id is None:
        return Application.objects.none()
    applications = (
        Application.objects.of_employer(employer_id)
        .filter(vacancy_id=vacancy_id)
        .select_related("vacancy", "candidate__user", "candidate__home_place")
        .prefetch_related(
            "candidate__diplomas__diploma",
            "candidate__diplomas__field",
            "candidate__languages",
            "candidate__skills",
        )
        .order_by("-created_at", "-id")
    )
    if status:
        applications = applications.filter(status=status)
    return applications


def application_get_for_employer(*, employer_id: int | None, pk: int) -> Application:
    """One application to one of the employer's vacancies; anyone else's raises DoesNotExist."""
    if employer_id is None:
        raise Application.DoesNotExist
    return (
        Application.objects.of_employer(employer_id)
        .select_related("vacancy__employer", "candidate__user", "candidate__home_place")
        .prefetch_related(
            "candidate__diplomas__diploma",
            "candidate__diplomas__field",
            "candidate__languages",
            "candidate__skills",
            "candidate__experiences__occupation",
            Prefetch(
                "history", queryset=ApplicationStatusChange.objects.select_related("changed_by").order_by("at", "id")
            ),
        )
        .get(pk=pk)
    )


def application_stage_counts(*, employer_id: int, vacancy_id: int) -> dict[str, int]:
    from django.db.models import Count

    rows = (
        Application.objects.of_employer(employer_id)
        .filter(vacancy_id=vacancy_id)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}

"""Reads of vacancies, scoped to what the user may see."""

from django.db.models import Prefetch, QuerySet

from accounts.models import User
from accounts.roles import is_employer

from .models import Vacancy, VacancyLanguage

# The attribute holding a vacancy's languages as a plain list (Prefetch's to_attr): for the result
# rows of the search and home pages, which Django's prefetch into ``vacancy.languages`` cost a
# queryset per vacancy (issue 15).
LANGUAGES_LIST = "languages_prefetched"


def vacancy_list_public(*, for_rows: bool = False) -> QuerySet[Vacancy]:
    """Published, unexpired vacancies with what a result list shows, in a fixed number of queries.
    ``for_rows``: for the result rows of the search and home pages (templatetags/vacancy_items.py):
    the languages in ``LANGUAGES_LIST`` instead of ``vacancy.languages``, and without the
    occupation's ISCO group, which the rows do not show."""
    languages = VacancyLanguage.objects.order_by("language")
    vacancies = Vacancy.objects.open_for_matching().with_details()
    if for_rows:
        vacancies = vacancies.select_related(None).select_related("employer", "place", "occupation")
    return vacancies.prefetch_related(
        Prefetch("languages", queryset=languages, to_attr=LANGUAGES_LIST if for_rows else None)
    )


def vacancy_list_for_employer(*, user: User) -> QuerySet[Vacancy]:
    if not is_employer(user):
        return Vacancy.objects.none()
    return Vacancy.objects.of_employer(user.employer_id).with_details()


def vacancy_get_public(*, pk: int) -> Vacancy:
    return vacancy_list_public().prefetch_related("essential_skills", "optional_skills").get(pk=pk)


# --- the employer's and the moderator's pages ------------------------------------------------


def vacancy_list_for_employer_page(*, user: User, status: str | None = None) -> QuerySet[Vacancy]:
    """The employer's vacancies with the number of (not withdrawn) applications and of candidates
    on their shortlist (approved by a caseworker and accepted by the candidate), in one query."""
    from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    # The match model through the reverse relation: vacancies does not import matching (layering),
    # and matching's own rule (shared_with_employer) decides what the employer may count.
    match_model = Vacancy._meta.get_field("matches").related_model
    shortlisted = (
        match_model.objects.shared_with_employer()
        .filter(vacancy=OuterRef("pk"))
        .order_by()
        .values("vacancy")
        .annotate(n=Count("pk"))
        .values("n")
    )
    vacancies = vacancy_list_for_employer(user=user).annotate(
        application_count=Count("applications", filter=~Q(applications__status="withdrawn")),
        shortlist_count=Coalesce(Subquery(shortlisted, output_field=IntegerField()), 0),
    )
    if status:
        vacancies = vacancies.filter(status=status)
    return vacancies.order_by("-created_at", "-pk")


def vacancy_get_for_employer(*, user: User, pk: int) -> Vacancy:
    """One of the employer's own vacancies with its skills and languages; others raise DoesNotExist."""
    return (
        vacancy_list_for_employer(user=user)
        .prefetch_related("essential_skills", "optional_skills", "languages")
        .get(pk=pk)
    )


def vacancy_list_in_review() -> QuerySet[Vacancy]:
    """Vacancies waiting for a moderator (their employer is not verified yet), oldest first."""
    from .models import VacancyStatus

    return Vacancy.objects.filter(status=VacancyStatus.IN_REVIEW).with_details().order_by("updated_at", "pk")


def vacancy_get_in_review(*, pk: int) -> Vacancy:
    return vacancy_list_in_review().prefetch_related("essential_skills", "optional_skills", "languages").get(pk=pk)


# --- import jobs ----------------------------------------------------------------------------------


def import_jobs_for_employer(*, user: User):
    """The import jobs of the user's employer (colleagues share them); nobody else's. Without
    the uploaded file, which only the worker reads."""
    from .models import ImportJob

    if not is_employer(user):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(employer_id=user.employer_id).defer("content")

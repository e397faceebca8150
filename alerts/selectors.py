"""Reads of saved searches, scoped to their owner, and the vacancies a saved search finds.

The search itself is the public search page's (``vacancies.filters.VacancyFilter`` over
``vacancies.selectors.vacancy_list_public``): one home for what a search means.
"""

from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.urls import reverse

from accounts.models import User
from accounts.roles import is_caseworker, is_jobseeker
from candidates.models import Candidate
from candidates.selectors import caseworker_candidate_search
from vacancies.filters import VacancyFilter
from vacancies.models import Vacancy
from vacancies.selectors import vacancy_list_public

from .forms import CandidateSearchForm
from .models import SavedSearch, SearchKind, SentAlert


def saved_searches_of(*, user: User) -> QuerySet[SavedSearch]:
    """The user's own saved searches (nobody else's; none for other roles), newest first."""
    if not is_jobseeker(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.of_owner(user).filter(kind=SearchKind.VACANCIES)


def saved_search_get(*, user: User, pk: int) -> SavedSearch:
    """One of the user's own saved searches; another's raises DoesNotExist (a 404)."""
    return saved_searches_of(user=user).get(pk=pk)


def search_filterset(query: str, queryset: QuerySet[Vacancy] | None = None) -> VacancyFilter:
    """The search page's filters bound to a saved query string."""
    return VacancyFilter(QueryDict(query), queryset=queryset if queryset is not None else vacancy_list_public())


def saved_search_new_vacancies(saved_search: SavedSearch) -> QuerySet[Vacancy]:
    """Open vacancies matching the search, published since it was saved (or switched on), never
    sent for it before; oldest first, so a long backlog goes out in order."""
    filterset = search_filterset(saved_search.query)
    if not filterset.is_valid():  # a place or occupation removed from the reference data since
        return Vacancy.objects.none()
    sent = SentAlert.objects.filter(saved_search=saved_search).values("vacancy_id")
    return filterset.qs.filter(published_at__gte=saved_search.since).exclude(pk__in=sent).order_by("published_at", "pk")


def search_path(saved_search: SavedSearch) -> str:
    """The search page with the saved filters (in the current language)."""
    path = reverse("vacancies:list")
    return f"{path}?{saved_search.query}" if saved_search.query else path


def feed_path(saved_search: SavedSearch) -> str:
    """The RSS feed of the same search (the feeds take the search page's filters)."""
    path = reverse("api:feed-rss")
    return f"{path}?{saved_search.query}" if saved_search.query else path


# --- caseworkers' saved candidate searches ---------------------------------------------------


def candidate_searches_of(*, user: User) -> QuerySet[SavedSearch]:
    """A caseworker's own saved candidate searches (nobody else's; none for other roles)."""
    if not is_caseworker(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.of_owner(user).filter(kind=SearchKind.CANDIDATES)


def candidate_search_get(*, user: User, pk: int) -> SavedSearch:
    """One of the caseworker's own candidate searches; another's raises DoesNotExist (a 404)."""
    return candidate_searches_of(user=user).get(pk=pk)


def candidate_search_form(query: str) -> CandidateSearchForm:
    """The workspace page's filters bound to a saved query string."""
    return CandidateSearchForm(QueryDict(query))


def saved_search_new_candidates(saved_search: SavedSearch) -> QuerySet[Candidate]:
    """Candidates matching the search and in its owner's scope NOW (their service, consenting,
    active: a candidate who moved to another service or withdrew is not sent), registered or
    consenting to matching since the search was saved (or switched on), never sent for it."""
    form = candidate_search_form(saved_search.query)
    if not form.is_valid():  # an occupation or place removed from the reference data since
        return Candidate.objects.none()
    since = saved_search.since
    sent = SentAlert.objects.filter(saved_search=saved_search, candidate__isnull=False).values("candidate_id")
    return (
        caseworker_candidate_search(user=saved_search.owner, criteria=form.criteria())
        .filter(Q(created_at__gte=since) | Q(consent_matching_at__gte=since))
        .exclude(pk__in=sent)
    )


def candidate_search_path(saved_search: SavedSearch) -> str:
    """The workspace candidate search with the saved filters (in the current language)."""
    path = reverse("workspace:candidate_search")
    return f"{path}?{saved_search.query}" if saved_search.query else path

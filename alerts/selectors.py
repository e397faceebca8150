"""Reads of saved searches, scoped to their owner, and the vacancies a saved search finds.

The search itself is the public search page's (``vacancies.filters.VacancyFilter`` over
``vacancies.selectors.vacancy_list_public``): one home for what a search means.
"""

from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse

from accounts.models import User
from accounts.roles import is_jobseeker
from vacancies.filters import VacancyFilter
from vacancies.models import Vacancy
from vacancies.selectors import vacancy_list_public

from .models import SavedSearch, SentAlert


def saved_searches_of(*, user: User) -> QuerySet[SavedSearch]:
    """The user's own saved searches (nobody else's; none for other roles), newest first."""
    if not is_jobseeker(user):
        return SavedSearch.objects.none()
    return SavedSearch.objects.of_owner(user)


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

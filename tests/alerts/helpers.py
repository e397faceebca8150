"""Shared objects for the job alert tests."""

from datetime import timedelta

from django.utils import timezone

from alerts.models import SavedSearch
from alerts.services import saved_search_create
from tests.factories import UserFactory, VacancyFactory
from vacancies.models import VacancyStatus


def published(title: str, **fields):
    now = timezone.now()
    return VacancyFactory(
        title=title,
        status=VacancyStatus.PUBLISHED,
        published_at=fields.pop("published_at", now),
        expires_at=now + timedelta(days=30),
        **fields,
    )


def jobseeker(**fields):
    return UserFactory(**fields)


def saved(owner=None, *, query: str = "q=lasser", frequency: str = "daily", language: str = "nl", name="Lassen"):
    owner = owner or jobseeker()
    return saved_search_create(owner=owner, name=name, query=query, frequency=frequency, language=language)


def reload(saved_search: SavedSearch) -> SavedSearch:
    return SavedSearch.objects.get(pk=saved_search.pk)

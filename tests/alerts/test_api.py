"""``/api/v1/saved-searches``: a jobseeker's own saved searches; others' are a 404, other roles a
403, no login a 401; errors in the envelope; the same services as the pages."""

import pytest
from rest_framework.test import APIClient

from alerts.models import SavedSearch
from tests.factories import EmployerUserFactory

from .helpers import jobseeker, saved

pytestmark = pytest.mark.django_db

LIST = "/api/v1/saved-searches"


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def test_a_jobseeker_creates_reads_changes_and_deletes_their_saved_search(reference_data):
    owner = jobseeker()
    api = client_of(owner)
    created = api.post(
        LIST,
        {"name": "Lassen", "query": "q=lasser&page=4", "frequency": "immediately"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["query"], body["frequency"], body["language"], body["is_active"]) == (
        "q=lasser",
        "immediately",
        "fr",
        True,
    )
    assert body["feed_url"].endswith("/api/v1/feeds/vacancies.rss?q=lasser")
    assert "/fr/vacancies/?q=lasser" in body["search_url"]
    pk = body["id"]
    assert [row["id"] for row in api.get(LIST).json()["results"]] == [pk]
    changed = api.patch(f"{LIST}/{pk}", {"is_active": False, "name": "Lassen NL"}, format="json")
    assert changed.status_code == 200
    assert SavedSearch.objects.get(pk=pk).is_active is False
    assert api.delete(f"{LIST}/{pk}").status_code == 204
    assert not SavedSearch.objects.filter(pk=pk).exists()


def test_an_invalid_search_is_a_400_in_the_envelope(reference_data):
    response = client_of(jobseeker()).post(LIST, {"name": "X", "query": "place=999999999"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert "query" in body["errors"]


def test_nobody_else_reads_or_changes_a_saved_search(reference_data):
    search = saved()
    other = client_of(jobseeker())
    assert other.get(f"{LIST}/{search.pk}").status_code == 404
    assert other.patch(f"{LIST}/{search.pk}", {"name": "Gekaapt"}, format="json").status_code == 404
    assert other.delete(f"{LIST}/{search.pk}").status_code == 404
    assert other.get(LIST).json()["results"] == []
    employer = client_of(EmployerUserFactory())
    assert employer.get(LIST).status_code == 403
    assert employer.get(LIST).json()["status"] == 403
    assert client_of(None).get(LIST).status_code == 401
    assert SavedSearch.objects.get(pk=search.pk).name == "Lassen"


def test_the_page_and_the_api_save_a_search_through_the_same_service(client, reference_data):
    """One road (docs/architecture.md §2): both call alerts.services.saved_search_create."""
    from django.urls import reverse

    from alerts import api as alerts_api
    from alerts import services
    from alerts import views_jobseeker as alerts_pages
    from tests.test_one_road import spy

    owner = jobseeker()
    with spy(services.saved_search_create, (services, "saved_search_create")) as calls:
        client.force_login(owner)
        client.post(reverse("alerts:create"), {"query": "q=lasser", "name": "Pagina", "frequency": "daily"})
        client_of(owner).post(LIST, {"name": "API", "query": "q=lasser"}, format="json")
    assert [call["name"] for call in calls] == ["Pagina", "API"]
    assert alerts_pages.services is services
    assert alerts_api.services is services
    assert SavedSearch.objects.filter(owner=owner).count() == 2

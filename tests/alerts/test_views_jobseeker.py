"""The job alert pages: save a search from the results, list, change, delete (own only), and
unsubscribe from a mail's signed link without logging in."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from alerts.models import Frequency, SavedSearch
from alerts.services import unsubscribe_token
from tests.factories import EmployerUserFactory

from .helpers import jobseeker, reload, saved

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_the_search_page_offers_to_save_the_current_search(client, reference_data):
    client.force_login(jobseeker())
    page = client.get(url("vacancies:list") + "?q=lasser&page=1").content.decode()
    assert 'href="/alerts/new/?q=lasser"' in page


def test_saving_a_search_keeps_its_filters_and_the_page_language(client, reference_data):
    owner = jobseeker(preferred_language="nl")
    client.force_login(owner)
    form = client.get(url("alerts:create", "en") + "?q=lasser&country=BE&page=2")
    assert form.status_code == 200
    assert form.context["form"]["query"].value() == "q=lasser&country=BE"
    assert form.context["form"]["name"].value() == "lasser"
    response = client.post(
        url("alerts:create", "en"), {"query": "q=lasser&country=BE", "name": "Welding", "frequency": "weekly"}
    )
    assert response.status_code == 302
    created = SavedSearch.objects.get(owner=owner)
    assert (created.name, created.query, created.frequency, created.language) == (
        "Welding",
        "country=BE&q=lasser",
        Frequency.WEEKLY,
        "en",
    )


def test_an_invalid_search_re_renders_with_the_error_in_the_users_language(client, reference_data):
    client.force_login(jobseeker())
    response = client.post(url("alerts:create"), {"query": "max_hours=veel", "name": "X", "frequency": "daily"})
    assert response.status_code == 200
    assert "Deze zoekopdracht is niet geldig" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_the_list_links_each_search_to_its_results_and_its_feed(client, reference_data):
    search = saved(query="q=lasser")
    client.force_login(search.owner)
    page = client.get(url("alerts:list")).content.decode()
    assert 'href="/vacancies/?q=lasser"' in page
    assert 'href="/api/v1/feeds/vacancies.rss?q=lasser"' in page
    assert url("alerts:edit", pk=search.pk) in page


@pytest.mark.parametrize("rows", [1, 6])
def test_the_list_runs_a_fixed_number_of_queries(client, reference_data, django_assert_num_queries, rows):
    owner = jobseeker()
    for n in range(rows):
        saved(owner, name=f"Zoekopdracht {n}")
    client.force_login(owner)
    with django_assert_num_queries(3):  # session, user, the saved searches
        response = client.get(url("alerts:list"))
    assert len(response.context["rows"]) == rows


def test_another_jobseekers_search_is_a_404_and_stays_unchanged(client, reference_data):
    search = saved()
    client.force_login(jobseeker())
    assert client.get(url("alerts:edit", pk=search.pk)).status_code == 404
    assert client.post(url("alerts:edit", pk=search.pk), {"name": "Gekaapt", "frequency": "daily"}).status_code == 404
    assert client.post(url("alerts:delete", pk=search.pk)).status_code == 404
    assert reload(search).name == "Lassen"
    assert search.name not in client.get(url("alerts:list")).content.decode()


def test_the_owner_changes_and_deletes_a_search(client, reference_data):
    search = saved()
    client.force_login(search.owner)
    response = client.post(url("alerts:edit", pk=search.pk), {"name": "Lassen NL", "frequency": "immediately"})
    assert response.status_code == 302
    search = reload(search)
    assert (search.name, search.frequency, search.is_active) == ("Lassen NL", "immediately", False)
    assert client.post(url("alerts:delete", pk=search.pk)).status_code == 302
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_other_roles_are_refused(client, reference_data):
    assert client.get(url("alerts:list")).status_code == 302  # to the login page
    client.force_login(EmployerUserFactory())
    assert client.get(url("alerts:list")).status_code == 403
    assert client.get(url("alerts:create")).status_code == 403


def test_unsubscribe_works_without_login_and_asks_to_confirm(reference_data):
    search = saved()
    link = url("alerts:unsubscribe", "fr", token=unsubscribe_token(search))
    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(link)
    assert page.status_code == 200
    assert reload(search).is_active is True  # a GET (a mail scanner opening the link) changes nothing
    assert "Se désinscrire" in page.content.decode()
    # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click", without a CSRF token.
    done = anonymous.post(link, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200
    assert "Vous êtes désinscrit" in done.content.decode()
    assert reload(search).is_active is False


def test_a_forged_unsubscribe_link_says_so_clearly(client, reference_data):
    search = saved()
    forged = unsubscribe_token(search)[:-2] + "xx"
    response = client.post(url("alerts:unsubscribe", token=forged))
    assert response.status_code == 400
    assert "Deze afmeldlink is niet geldig" in response.content.decode()
    assert reload(search).is_active is True


def test_a_saved_searchs_feed_finds_its_vacancies_and_leads_back_to_the_search(client, reference_data):
    import xml.etree.ElementTree as ET

    from .helpers import published

    published("Lasser TIG")
    published("Heftruckchauffeur")
    search = saved(query="q=lasser")
    client.force_login(search.owner)
    feed_link = client.get(url("alerts:list")).context["rows"][0][2]
    channel = ET.fromstring(client.get(feed_link).content).find("channel")
    assert [item.findtext("title").split(" — ")[0] for item in channel.findall("item")] == ["Lasser TIG"]
    assert channel.findtext("link").endswith("/vacancies/?q=lasser")

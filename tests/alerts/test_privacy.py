"""Saved searches are personal data: in the data export, gone with the erasure (and with them
the record of which vacancies were sent)."""

import pytest

from alerts.models import SavedSearch, SentAlert
from alerts.services import saved_searches_send
from nsp_portal.privacy import account_erase, personal_data_export

from .helpers import published, saved

pytestmark = pytest.mark.django_db


def test_the_export_has_the_saved_searches_and_the_erasure_deletes_them(reference_data):
    search = saved(query="q=lasser", name="Lassen bij Terneuzen")
    vacancy = published("Lasser")
    saved_searches_send(frequency="daily")
    owner = search.owner

    exported = personal_data_export(user=owner)["saved_searches"]
    assert [(row["name"], row["search"], row["frequency"]) for row in exported] == [
        ("Lassen bij Terneuzen", "q=lasser", "daily")
    ]
    assert exported[0]["vacancies_sent"][0]["vacancy"] == vacancy.title

    account_erase(user=owner)
    assert not SavedSearch.objects.filter(owner=owner).exists()
    assert not SentAlert.objects.filter(saved_search_id=search.pk).exists()
    assert personal_data_export(user=owner)["saved_searches"] == []

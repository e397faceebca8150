"""Job alerts: what a digest carries (only new, never sent before, matching the filters), in
which language, with which unsubscribe link; saving validates the search like the search page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import OutgoingEmail
from alerts.models import SentAlert
from alerts.services import (
    saved_search_unsubscribe,
    saved_search_update,
    saved_searches_send,
    search_query_normalise,
    unsubscribe_token,
)
from tests.factories import EmployerUserFactory, place

from .helpers import jobseeker, published, reload, saved

pytestmark = pytest.mark.django_db


def alert_mails(user):
    return list(OutgoingEmail.objects.filter(user=user, key__startswith="saved-search-alert:").order_by("pk"))


def test_a_digest_carries_only_new_matching_vacancies_never_sent_before(reference_data):
    old = published("Lasser vroeger", published_at=timezone.now() - timedelta(days=2))
    search = saved(query="q=lasser&country=NL")
    new = published("Lasser TIG")
    published("Procesoperator")  # no match: other words
    published("Lasser Zelzate", place=place("Zelzate", "BE"))  # no match: other country

    assert saved_searches_send(frequency="daily") == {"mails": 1, "vacancies": 1, "candidates": 0, "failed": 0}
    [mail] = alert_mails(search.owner)
    assert "Lasser TIG" in mail.body
    assert "Procesoperator" not in mail.body
    assert "Zelzate" not in mail.body
    assert old.title not in mail.body  # published before the search was saved
    assert f"/vacancies/{new.pk}/" in mail.body
    assert set(SentAlert.objects.filter(saved_search=search).values_list("vacancy_id", flat=True)) == {new.pk}
    assert reload(search).last_sent_at is not None

    # Nothing new: no mail. One more: a mail with only that one.
    assert saved_searches_send(frequency="daily")["mails"] == 0
    newer = published("Lasser MIG")
    assert saved_searches_send(frequency="daily") == {"mails": 1, "vacancies": 1, "candidates": 0, "failed": 0}
    latest = alert_mails(search.owner)[-1]
    assert newer.title in latest.body
    assert "Lasser TIG" not in latest.body


def test_each_frequency_sends_only_its_own_searches(reference_data):
    daily = saved(frequency="daily")
    immediate = saved(frequency="immediately")
    published("Lasser")
    assert saved_searches_send(frequency="immediately")["mails"] == 1
    assert len(alert_mails(immediate.owner)) == 1
    assert alert_mails(daily.owner) == []
    assert saved_searches_send(frequency="weekly")["mails"] == 0


def test_the_mail_is_in_the_language_saved_with_links_with_its_prefix(reference_data, settings):
    settings.PORTAL_BASE_URL = "https://talent.example"
    owner = jobseeker(preferred_language="nl")
    search = saved(owner, language="fr", name="Soudure")
    vacancy = published("Lasser")
    saved_searches_send(frequency="daily")
    [mail] = alert_mails(owner)
    assert mail.language == "fr"
    assert mail.subject == "1 nouvelle offre d’emploi pour « Soudure »"
    assert "Bonjour" in mail.body
    assert f"https://talent.example/fr/vacancies/{vacancy.pk}/" in mail.body
    assert "https://talent.example/fr/alerts/" in mail.body
    assert "https://talent.example/api/v1/feeds/vacancies.rss?q=lasser" in mail.body
    token = unsubscribe_token(search)
    link = f"https://talent.example/fr/alerts/unsubscribe/{token}/"
    assert link in mail.body
    assert mail.headers["List-Unsubscribe"] == f"<{link}>"
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.headers["Content-Language"] == "fr"


def test_an_unsubscribed_or_inactive_search_sends_nothing(reference_data):
    search = saved()
    saved_search_unsubscribe(token=unsubscribe_token(search))
    assert reload(search).is_active is False
    published("Lasser")
    assert saved_searches_send(frequency="daily")["mails"] == 0
    assert alert_mails(search.owner) == []


def test_switched_on_again_it_alerts_only_what_is_published_from_then_on(reference_data):
    search = saved()
    saved_search_update(saved_search=search, is_active=False)
    published("Lasser tijdens de pauze", published_at=timezone.now())
    saved_search_update(saved_search=reload(search), is_active=True)
    later = published("Lasser daarna", published_at=timezone.now() + timedelta(seconds=1))
    saved_searches_send(frequency="daily")
    [mail] = alert_mails(search.owner)
    assert later.title in mail.body
    assert "pauze" not in mail.body


def test_a_tampered_unsubscribe_token_is_refused():
    with pytest.raises(ValidationError) as exc:
        saved_search_unsubscribe(token="1:forged-signature")
    assert exc.value.code == "bad_signature"


def test_the_search_is_validated_and_normalised_by_the_search_filters(reference_data):
    assert search_query_normalise("q=lasser&page=3&stem=&utm_source=x") == "q=lasser"
    with pytest.raises(ValidationError) as exc:
        search_query_normalise("place=999999999")
    assert "query" in exc.value.message_dict
    with pytest.raises(ValidationError):
        search_query_normalise("max_hours=many")


def test_only_a_jobseeker_saves_a_search(reference_data):
    with pytest.raises(ValidationError):
        saved(EmployerUserFactory())

"""Caseworkers' saved candidate searches: the workspace candidate search page (scoped to the
caseworker's service, audited, constant queries), saving it, and the digest of new candidates
(each once, in scope at send time, no names in the mail, one-click unsubscribe)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail
from alerts.models import SavedSearch, SearchKind, SentAlert
from alerts.services import (
    candidate_search_create,
    saved_search_unsubscribe,
    saved_searches_send,
    unsubscribe_token,
)
from audit.models import AuditEvent
from candidates.models import Candidate
from nsp_portal.privacy import account_erase, personal_data_export
from taxonomy.models import Occupation
from tests.factories import CandidateFactory, CaseworkerFactory, UserFactory, place, service

pytestmark = pytest.mark.django_db

PAGE = "workspace:candidate_search"


def caseworker(code="uwv", **fields):
    return CaseworkerFactory(employment_service=service(code), **fields)


def candidate(code="uwv", *, first_name="Noor", days_ago=0, **fields):
    made = CandidateFactory(
        employment_service=service(code), user=UserFactory(first_name=first_name, preferred_language="nl"), **fields
    )
    if days_ago:
        Candidate.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return made


def welder():
    return Occupation.objects.order_by("pk").first()


def shown_ids(response) -> set[int]:
    return {c.pk for c in response.context["page_obj"].object_list}


def digests(user):
    return list(OutgoingEmail.objects.filter(user=user, key__startswith="saved-search-alert:").order_by("pk"))


def saved_for(owner, query="", frequency="daily", language="nl", name="Lassers"):
    return candidate_search_create(owner=owner, name=name, query=query, frequency=frequency, language=language)


# --- the page ---------------------------------------------------------------------------------


def test_a_service_caseworker_sees_only_their_services_consenting_jobseekers(client, reference_data):
    own = candidate("uwv")
    other_service = candidate("vdab")
    withdrawn = candidate("uwv", consent_matching_at=None)
    user = caseworker("uwv")
    client.force_login(user)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    assert shown_ids(response) == {own.pk}
    assert other_service.pk not in shown_ids(response)
    assert withdrawn.pk not in shown_ids(response)
    html = response.content.decode()
    assert f"Kandidaat {own.pk}" in html
    assert own.user.email not in html  # no contact details on the page
    # Every candidate shown is in the audit log, with the page.
    assert list(
        AuditEvent.objects.filter(actor_id=user.pk, where="workspace:candidate_search").values_list(
            "subject_id", flat=True
        )
    ) == [own.pk]


def test_a_portal_admin_sees_every_service(client, reference_data):
    uwv, vdab = candidate("uwv"), candidate("vdab")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert shown_ids(client.get(reverse(PAGE))) >= {uwv.pk, vdab.pk}


def test_the_filters_narrow_the_results(client, reference_data):
    occupation = welder()
    fits = candidate("uwv")
    fits.desired_occupations.set([occupation])
    old = candidate("uwv", days_ago=30)
    old.desired_occupations.set([occupation])
    zelzate = candidate("uwv", home_place=place("Zelzate", "BE"))  # no occupation, other place
    client.force_login(caseworker("uwv"))
    response = client.get(reverse(PAGE), {"occupation": occupation.pk})
    assert shown_ids(response) == {fits.pk, old.pk}
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    response = client.get(reverse(PAGE), {"occupation": occupation.pk, "registered_since": since})
    assert shown_ids(response) == {fits.pk}
    response = client.get(reverse(PAGE), {"place": place("Zelzate", "BE").pk})
    assert shown_ids(response) == {zelzate.pk}
    # A bad filter: the form's error in the user's language, no results.
    response = client.get(reverse(PAGE), {"registered_since": "gisteren"})
    assert response.status_code == 200
    assert shown_ids(response) == set()
    assert "Voer een geldige datum in" in response.content.decode()


def _queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse(PAGE)).status_code == 200
    return len(captured)


def test_the_page_takes_the_same_number_of_queries_for_2_or_12_candidates(
    client, reference_data, django_assert_num_queries
):
    client.force_login(caseworker("uwv"))
    for _ in range(2):
        candidate("uwv").skills.set([])
    few = _queries_for_page(client)
    for _ in range(10):
        candidate("uwv")
    with django_assert_num_queries(few):
        response = client.get(reverse(PAGE))
    assert len(shown_ids(response)) == 12


def test_other_roles_are_refused(client, reference_data):
    assert client.get(reverse(PAGE)).status_code == 302  # to the login page
    client.force_login(candidate("uwv").user)
    assert client.get(reverse(PAGE)).status_code == 403


# --- saving -----------------------------------------------------------------------------------


def test_a_caseworker_saves_the_search_from_the_page(client, reference_data):
    user = caseworker("uwv")
    client.force_login(user)
    occupation = welder()
    response = client.get(reverse("alerts:candidate_create"), {"occupation": occupation.pk, "page": 2})
    assert response.status_code == 200
    assert response.context["form"]["query"].value() == f"occupation={occupation.pk}"
    response = client.post(
        reverse("alerts:candidate_create"),
        {"name": "Lassers", "frequency": "weekly", "query": f"occupation={occupation.pk}&language=&bogus=1"},
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(owner=user)
    assert (saved.kind, saved.query, saved.frequency, saved.language) == (
        SearchKind.CANDIDATES,
        f"occupation={occupation.pk}",
        "weekly",
        "nl",
    )
    listing = client.get(reverse("alerts:candidate_list"))
    assert "Lassers" in listing.content.decode()
    # An invalid search is refused with the form's message in Dutch.
    response = client.post(
        reverse("alerts:candidate_create"), {"name": "X", "frequency": "daily", "query": "occupation=999999999"}
    )
    assert response.status_code == 200
    assert "niet geldig" in response.content.decode()


def test_edit_and_delete_reach_only_the_own_searches(client, reference_data):
    mine = saved_for(caseworker("uwv"))
    colleague = caseworker("uwv")
    client.force_login(colleague)
    assert client.get(reverse("alerts:candidate_edit", kwargs={"pk": mine.pk})).status_code == 404
    assert client.post(reverse("alerts:candidate_delete", kwargs={"pk": mine.pk})).status_code == 404
    client.force_login(mine.owner)
    response = client.post(
        reverse("alerts:candidate_edit", kwargs={"pk": mine.pk}),
        {"name": "Lassers Gent", "frequency": "immediately", "is_active": ""},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.frequency, mine.is_active) == ("Lassers Gent", "immediately", False)
    assert client.post(reverse("alerts:candidate_delete", kwargs={"pk": mine.pk})).status_code == 302
    assert not SavedSearch.objects.filter(pk=mine.pk).exists()


def test_only_caseworkers_save_candidate_searches_and_jobseekers_pages_do_not_list_them(client, reference_data):
    jobseeker = candidate("uwv").user
    with pytest.raises(ValidationError):
        saved_for(jobseeker)
    saved_for(caseworker("uwv"))
    client.force_login(jobseeker)
    assert client.get(reverse("alerts:candidate_list")).status_code == 403
    assert client.get(reverse("alerts:list")).context["rows"] == []


# --- the digest -------------------------------------------------------------------------------


def test_the_digest_counts_new_in_scope_candidates_once_and_names_nobody(reference_data, settings):
    settings.PORTAL_BASE_URL = "https://talent.example"
    occupation = welder()
    before = candidate("uwv", first_name="Vroeger", days_ago=3)
    before.desired_occupations.set([occupation])
    user = caseworker("uwv", first_name="Els")
    search = saved_for(user, query=f"occupation={occupation.pk}")
    new = candidate("uwv", first_name="Noor")
    new.desired_occupations.set([occupation])
    elsewhere = candidate("vdab", first_name="Sofie")
    elsewhere.desired_occupations.set([occupation])
    candidate("uwv", first_name="Piet")  # in scope, but another occupation

    result = saved_searches_send(frequency="daily")
    assert result == {"mails": 1, "vacancies": 0, "candidates": 1, "failed": 0}
    [mail] = digests(user)
    assert mail.to == user.email
    assert mail.subject == "1 nieuwe kandidaat voor “Lassers”"
    for name in ("Noor", "Vroeger", "Sofie", "Piet", new.user.email):
        assert name not in mail.body
    assert f"https://talent.example/workspace/candidates/?occupation={occupation.pk}" in mail.body
    assert "https://talent.example/workspace/candidates/saved/" in mail.body
    link = f"https://talent.example/alerts/unsubscribe/{unsubscribe_token(search)}/"
    assert link in mail.body
    assert mail.headers["List-Unsubscribe"] == f"<{link}>"
    assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(SentAlert.objects.filter(saved_search=search).values_list("candidate_id", flat=True)) == {new.pk}

    # Nothing new: no mail. A new one: a mail counting only that one.
    assert saved_searches_send(frequency="daily")["mails"] == 0
    newer = candidate("uwv")
    newer.desired_occupations.set([occupation])
    assert saved_searches_send(frequency="daily")["candidates"] == 1
    assert len(digests(user)) == 2
    assert SentAlert.objects.filter(saved_search=search).count() == 2


def test_scope_is_read_at_send_time_moved_or_withdrawn_candidates_are_not_sent(reference_data):
    user = caseworker("uwv")
    saved_for(user)
    moved, withdrawn, stays = candidate("uwv"), candidate("uwv"), candidate("uwv")
    Candidate.objects.filter(pk=moved.pk).update(employment_service=service("vdab"))
    Candidate.objects.filter(pk=withdrawn.pk).update(consent_matching_at=None)
    saved_searches_send(frequency="daily")
    assert set(SentAlert.objects.filter(saved_search__owner=user).values_list("candidate_id", flat=True)) == {stays.pk}
    # A caseworker who left (deactivated) gets no more digests.
    user.is_active = False
    user.save(update_fields=["is_active"])
    candidate("uwv")
    assert saved_searches_send(frequency="daily")["mails"] == 0


def test_a_candidate_who_consents_later_is_sent_then(reference_data):
    user = caseworker("uwv")
    search = saved_for(user)
    late = candidate("uwv", days_ago=10, consent_matching_at=None)
    assert saved_searches_send(frequency="daily")["mails"] == 0
    Candidate.objects.filter(pk=late.pk).update(consent_matching_at=timezone.now())
    assert saved_searches_send(frequency="daily")["candidates"] == 1
    assert SentAlert.objects.filter(saved_search=search, candidate=late).exists()


def test_the_digest_is_in_the_saved_language(reference_data):
    user = caseworker("vdab")
    saved_for(user, language="fr", name="Soudeurs")
    candidate("vdab")
    candidate("vdab")
    saved_searches_send(frequency="daily")
    [mail] = digests(user)
    assert mail.language == "fr"
    assert mail.subject == "2 nouveaux candidats pour « Soudeurs »"
    assert "/fr/workspace/candidates/saved/" in mail.body


def test_unsubscribe_stops_the_digest(client, reference_data):
    user = caseworker("uwv")
    search = saved_for(user, frequency="immediately")
    token = unsubscribe_token(search)
    response = client.post(reverse("alerts:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 200
    search.refresh_from_db()
    assert search.is_active is False
    assert saved_search_unsubscribe(token=token).is_active is False  # idempotent
    candidate("uwv")
    assert saved_searches_send(frequency="immediately")["mails"] == 0
    assert digests(user) == []


# --- export and erasure -----------------------------------------------------------------------


def test_the_caseworkers_export_has_the_searches_and_counts_not_the_candidates(reference_data):
    user = caseworker("uwv")
    saved_for(user, name="Lassers")
    shown = candidate("uwv")
    saved_searches_send(frequency="daily")
    [row] = personal_data_export(user=user)["saved_searches"]
    assert (row["name"], row["kind"], row["candidates_sent"], row["vacancies_sent"]) == (
        "Lassers",
        "candidates",
        1,
        [],
    )
    # Who was sent is not exported: no list names the candidate, and nothing identifies them.
    listed = [item for value in row.values() if isinstance(value, list) for item in value]
    assert shown.pk not in listed
    assert shown.user.email not in str(row)


def test_a_candidates_erasure_deletes_the_digest_rows_naming_them(reference_data):
    user = caseworker("uwv")
    search = saved_for(user)
    erased, kept = candidate("uwv"), candidate("uwv")
    saved_searches_send(frequency="daily")
    account_erase(user=erased.user)
    assert set(SentAlert.objects.filter(saved_search=search).values_list("candidate_id", flat=True)) == {kept.pk}

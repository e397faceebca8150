import pytest

from audit.models import AuditEvent
from candidates.models import ConsentKind
from candidates.services import candidate_set_consent
from talent.models import CandidateInvitation, InvitationStatus
from talent.services import invitation_respond, invitation_send
from tests.talent.helpers import candidate, employer_user, open_vacancy, url

pytestmark = pytest.mark.django_db


def test_the_search_shows_anonymised_cards_of_opted_in_candidates_only(client, reference_data):
    employer = employer_user()
    shown = candidate(first_name="Zichtbaar", last_name="Persoon")
    hidden = candidate(findable=False, first_name="Verborgen", last_name="Iemand")
    client.force_login(employer)
    response = client.get(url("talent:candidate_search"))
    assert response.status_code == 200
    ids = [c.pk for c in response.context["page_obj"]]
    assert shown.pk in ids
    assert hidden.pk not in ids
    html = response.content.decode()
    assert "Zichtbaar" not in html
    assert shown.user.email not in html
    assert "Terneuzen" in html  # the home town at most
    logged = AuditEvent.objects.filter(kind="talent_card_view", actor_id=employer.pk)
    assert set(logged.values_list("subject_id", flat=True)) == {shown.pk}


def test_withdrawing_the_consent_removes_the_card_at_once(client, reference_data):
    employer = employer_user()
    someone = candidate()
    client.force_login(employer)
    assert client.get(url("talent:candidate_card", pk=someone.pk)).status_code == 200
    candidate_set_consent(candidate=someone, kind=ConsentKind.FINDABLE, given=False)
    assert client.get(url("talent:candidate_card", pk=someone.pk)).status_code == 404
    assert someone.pk not in [c.pk for c in client.get(url("talent:candidate_search")).context["page_obj"]]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_unverified_employer_gets_a_clear_refusal(client, reference_data, language):
    someone = candidate()
    client.force_login(employer_user(verified=False))
    response = client.get(url("talent:candidate_search", language))
    assert response.status_code == 403
    expected = "Alleen geverifieerde werkgevers" if language == "nl" else "Only verified employers"
    assert expected in response.content.decode()
    assert client.get(url("talent:candidate_card", language, pk=someone.pk)).status_code == 403


def test_a_bad_filter_rerenders_with_an_error_in_the_users_language(client, reference_data):
    client.force_login(employer_user())
    response = client.get(url("talent:candidate_search"), {"max_minutes": "30"})
    assert response.status_code == 200
    assert "vacature" in str(response.context["form"].errors["vacancy"]).lower()


def test_inviting_from_the_card_then_seeing_the_full_profile_after_acceptance(client, reference_data):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer, title="Kraanmachinist")
    someone = candidate(first_name="Marieke", phone="+31612345678", driving_licences=["BE"])
    client.force_login(employer)
    response = client.post(
        url("talent:candidate_card", pk=someone.pk), {"vacancy": vacancy.pk, "message": "Interesse?"}
    )
    assert response.status_code == 302
    invitation = CandidateInvitation.objects.get(candidate=someone, vacancy=vacancy)
    assert client.get(url("talent:candidate_profile", pk=someone.pk)).status_code == 404
    invitation_respond(invitation=invitation, accept=True)
    response = client.get(url("talent:candidate_profile", pk=someone.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Marieke" in html
    assert someone.user.email in html
    assert 'href="tel:+31612345678"' in html  # phone and licences, as on an application
    assert "BE" in html
    assert AuditEvent.objects.filter(kind="personal_data_view", subject_id=someone.pk, actor_id=employer.pk).exists()


def test_another_companys_vacancy_cannot_be_chosen(client, reference_data):
    employer = employer_user()
    foreign = open_vacancy(employer_user().employer)
    someone = candidate()
    client.force_login(employer)
    response = client.post(url("talent:candidate_card", pk=someone.pk), {"vacancy": foreign.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["vacancy"]
    assert not CandidateInvitation.objects.exists()


def test_the_card_views_are_rate_limited_per_user_and_hour(client, reference_data, settings):
    settings.PERSONAL_DATA_LIMIT_PER_HOUR = 2
    settings.PERSONAL_DATA_ALERT_PER_HOUR = 100
    from django.core.cache import cache

    cache.clear()
    someone = candidate()
    client.force_login(employer_user())
    assert client.get(url("talent:candidate_card", pk=someone.pk)).status_code == 200
    assert client.get(url("talent:candidate_search")).status_code == 200
    assert client.get(url("talent:candidate_card", pk=someone.pk)).status_code == 429


def test_the_invitation_list_shows_only_the_companys_own(client, reference_data):
    employer = employer_user()
    other = employer_user()
    someone = candidate()
    mine = invitation_send(user=employer, candidate=someone, vacancy=open_vacancy(employer.employer))
    invitation_send(user=other, candidate=someone, vacancy=open_vacancy(other.employer))
    client.force_login(employer)
    response = client.get(url("talent:employer_invitation_list"))
    assert [i.pk for i in response.context["page_obj"]] == [mine.pk]


@pytest.mark.parametrize("rows", [1, 5])
def test_the_search_runs_a_fixed_number_of_queries(client, reference_data, django_assert_num_queries, rows):
    employer = employer_user()
    for _ in range(rows):
        candidate(skills=[], languages=[("nl", 6)])
    client.force_login(employer)
    # session, user with their employer, count, page, skills, languages, occupations, the audit chain (lock, head, insert),
    # the vacancy choices
    with django_assert_num_queries(QUERIES_SEARCH):
        response = client.get(url("talent:candidate_search"))
    assert len(response.context["page_obj"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_the_invitation_list_runs_a_fixed_number_of_queries(client, reference_data, django_assert_num_queries, rows):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer)
    for _ in range(rows):
        invitation_send(user=employer, candidate=candidate(), vacancy=vacancy)
    client.force_login(employer)
    with django_assert_num_queries(QUERIES_INVITATIONS):
        response = client.get(url("talent:employer_invitation_list"))
    assert len(response.context["page_obj"]) == rows
    assert {i.status for i in response.context["page_obj"]} == {InvitationStatus.PENDING}


QUERIES_SEARCH = 11  # the same for 1 and 5 cards: no query per card
QUERIES_INVITATIONS = 4  # session, user, count, the page (vacancy and candidate joined)

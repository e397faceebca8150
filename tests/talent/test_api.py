"""``/api/v1/talent/...``: the same search, scopes and answers as the pages."""

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from audit.models import AuditEvent
from candidates.models import ConsentKind
from candidates.services import candidate_set_consent
from talent.models import CandidateInvitation, InvitationStatus
from tests.talent.helpers import candidate, employer_user, open_vacancy

pytestmark = pytest.mark.django_db

CANDIDATES = "/api/v1/talent/candidates"
INVITATIONS = "/api/v1/talent/invitations"


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_search_finds_only_opted_in_candidates_as_anonymised_cards(reference_data):
    employer = employer_user()
    shown = candidate(languages=[("fr", 4)])
    hidden = candidate(findable=False)
    api = client_of(employer)
    response = api.get(CANDIDATES)
    assert shown.pk in ids(response)
    assert hidden.pk not in ids(response)
    card = next(row for row in response.json()["results"] if row["id"] == shown.pk)
    assert card["home_town"] == "Terneuzen"
    assert not {"name", "email", "first_name", "last_name", "phone"} & set(card)
    assert shown.user.email not in response.content.decode()
    assert api.get(f"{CANDIDATES}/{hidden.pk}").status_code == 404
    assert ids(api.get(CANDIDATES, {"language": "fr"})) == [shown.pk]
    assert AuditEvent.objects.filter(kind="talent_card_view", actor_id=employer.pk, subject_id=shown.pk).exists()


def test_a_withdrawal_removes_the_candidate_at_once(reference_data):
    employer = employer_user()
    someone = candidate()
    api = client_of(employer)
    assert someone.pk in ids(api.get(CANDIDATES))
    candidate_set_consent(candidate=someone, kind=ConsentKind.FINDABLE, given=False)
    assert someone.pk not in ids(api.get(CANDIDATES))


def test_an_unverified_employer_gets_a_403_saying_why(reference_data):
    candidate()
    response = client_of(employer_user(verified=False)).get(CANDIDATES)
    assert response.status_code == 403
    assert "verified" in response.content.decode().lower() or "geverifieerd" in response.content.decode()


def test_bad_filters_are_a_400_in_the_envelope(reference_data):
    response = client_of(employer_user()).get(CANDIDATES, {"max_minutes": "30"})
    assert response.status_code == 400
    assert "vacancy" in response.content.decode()


def test_invite_accept_and_the_employer_then_sees_the_contact(reference_data):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer)
    someone = candidate(first_name="Lotte")
    api = client_of(employer)
    created = api.post(INVITATIONS, {"candidate": someone.pk, "vacancy": vacancy.pk, "message": "Hallo"}, format="json")
    assert created.status_code == 201, created.content
    invitation_id = created.json()["id"]
    assert created.json()["candidate_contact"] is None
    again = api.post(INVITATIONS, {"candidate": someone.pk, "vacancy": vacancy.pk}, format="json")
    assert again.status_code == 400

    mine = client_of(someone.user)
    assert [row["id"] for row in mine.get(INVITATIONS).json()["results"]] == [invitation_id]
    assert client_of(candidate().user).post(f"{INVITATIONS}/{invitation_id}/accept").status_code == 404
    accepted = mine.post(f"{INVITATIONS}/{invitation_id}/accept")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == InvitationStatus.ACCEPTED
    assert accepted.json()["candidate_contact"] is None  # the candidate's own view
    seen = api.get(f"{INVITATIONS}/{invitation_id}").json()
    assert seen["candidate_contact"] == {"name": someone.user.get_full_name(), "email": someone.user.email}
    assert client_of(employer_user()).get(f"{INVITATIONS}/{invitation_id}").status_code == 404


def test_the_employer_sees_the_card_until_acceptance_then_the_full_profile(reference_data):
    from datetime import date

    from candidates.models import Experience
    from taxonomy.models import Occupation

    employer = employer_user()
    vacancy = open_vacancy(employer.employer)
    accepting = candidate(first_name="Lotte", phone="+31612345678", driving_licences=["B"])
    Experience.objects.create(
        candidate=accepting,
        occupation=Occupation.objects.order_by("pk").first(),
        employer_name="Damen Shipyards",
        started_on=date(2019, 3, 1),
        description="Lassen aan rompen",
    )
    declining = candidate(first_name="Griet")
    waiting = candidate(first_name="Bram")
    api = client_of(employer)
    made = {
        who.pk: api.post(INVITATIONS, {"candidate": who.pk, "vacancy": vacancy.pk}, format="json").json()["id"]
        for who in (accepting, declining, waiting)
    }
    assert client_of(accepting.user).post(f"{INVITATIONS}/{made[accepting.pk]}/accept").status_code == 200
    assert client_of(declining.user).post(f"{INVITATIONS}/{made[declining.pk]}/decline").status_code == 200

    rows = {row["candidate"]: row for row in api.get(INVITATIONS).json()["results"]}
    profile = rows[accepting.pk]["candidate_profile"]
    assert rows[accepting.pk]["candidate_card"] is None
    assert profile["name"] == accepting.user.get_full_name()
    assert profile["email"] == accepting.user.email
    assert profile["phone"] == "+31612345678"
    assert profile["driving_licences"] == ["B"]
    assert [job["employer_name"] for job in profile["experience"]] == ["Damen Shipyards"]
    assert api.get(f"{INVITATIONS}/{made[accepting.pk]}").json()["candidate_profile"]["id"] == accepting.pk
    assert AuditEvent.objects.filter(
        actor_id=employer.pk, subject_id=accepting.pk, where="api:talent.invitations"
    ).exists()
    for other in (declining, waiting):
        row = rows[other.pk]
        assert row["candidate_profile"] is None
        assert row["candidate_contact"] is None
        assert row["candidate_card"]["id"] == other.pk
        assert row["candidate_card"]["home_town"] == "Terneuzen"
        assert "name" not in row["candidate_card"]
        assert "email" not in row["candidate_card"]
        assert other.user.first_name not in str(row)
    # The candidate's own view carries neither.
    own = client_of(accepting.user).get(f"{INVITATIONS}/{made[accepting.pk]}").json()
    assert own["candidate_profile"] is None
    assert own["candidate_card"] is None


def test_a_candidate_who_did_not_opt_in_cannot_be_invited(reference_data):
    employer = employer_user()
    response = client_of(employer).post(
        INVITATIONS,
        {"candidate": candidate(findable=False).pk, "vacancy": open_vacancy(employer.employer).pk},
        format="json",
    )
    assert response.status_code == 404
    assert not CandidateInvitation.objects.exists()


def test_tokens_are_refused(reference_data):
    employer = employer_user()
    _token, secret = api_token_issue(name="ATS", scopes=["vacancies:read"], employer=employer.employer)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get(CANDIDATES).status_code == 403
    assert api.get(INVITATIONS).status_code == 403


def test_the_jobseeker_opts_in_and_out_over_the_consents_api(reference_data):
    someone = candidate(findable=False)
    employer = client_of(employer_user())
    mine = client_of(someone.user)
    assert mine.get("/api/v1/candidates/me/consents").json()["findable"] is False
    assert mine.patch("/api/v1/candidates/me/consents", {"findable": True}, format="json").json()["findable"] is True
    assert someone.pk in ids(employer.get(CANDIDATES))
    mine.patch("/api/v1/candidates/me/consents", {"findable": False}, format="json")
    assert someone.pk not in ids(employer.get(CANDIDATES))


@pytest.mark.parametrize("rows", [1, 5])
def test_the_api_lists_run_a_fixed_number_of_queries(reference_data, django_assert_num_queries, rows):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer)
    seekers = [candidate(languages=[("nl", 6)]) for _ in range(rows)]
    from talent.services import invitation_send

    for seeker in seekers:
        invitation_send(user=employer, candidate=seeker, vacancy=vacancy)
    api = client_of(employer)
    with django_assert_num_queries(QUERIES_API_SEARCH):
        assert len(ids(api.get(CANDIDATES))) == rows
    with django_assert_num_queries(QUERIES_API_INVITATIONS):
        assert len(ids(api.get(INVITATIONS))) == rows


QUERIES_API_SEARCH = 10  # the same for 1 and 5 cards (the employer comes with the user)
# session, user, count, the page (vacancy, employer, candidate joined); the pending ones' cards:
# candidates, skills, languages, occupations wanted, experience, its occupations
QUERIES_API_INVITATIONS = 9

"""“My matches”: only approved matches of one's own profile; yes shares the profile, no does not."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from matching.models import CandidateResponse, Match, ReviewStatus
from tests.factories import CandidateFactory, CaseworkerFactory, EmployerFactory, EmployerUserFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def make_match(candidate, review_status=ReviewStatus.APPROVED, **fields) -> Match:
    fields.setdefault("vacancy", VacancyFactory(status="published"))
    return Match.objects.create(
        candidate=candidate,
        score=0.82,
        engine_version="test",
        review_status=review_status,
        reviewed_at=timezone.now() if review_status != ReviewStatus.PROPOSED else None,
        factors={"skills": 0.9, "commute": 0.7},
        explanation=[{"code": "unknown_code", "text": "Lives 20 minutes away by car"}],
        **fields,
    )


@pytest.fixture
def candidate(client):
    candidate = CandidateFactory()
    client.force_login(candidate.user)
    return candidate


def test_only_approved_matches_of_my_own_profile_are_listed(client, candidate):
    approved = make_match(candidate)
    make_match(candidate, review_status=ReviewStatus.PROPOSED)
    make_match(candidate, review_status=ReviewStatus.REJECTED)
    make_match(CandidateFactory())
    response = client.get(url("matching:my_matches"))
    assert response.status_code == 200
    assert [row["match"] for row in response.context["rows"]] == [approved]
    body = response.content.decode()
    assert "82%" in body
    assert "Lives 20 minutes away by car" in body


def test_yes_shares_my_profile_and_no_does_not(client, candidate):
    match = make_match(candidate)
    response = client.post(url("matching:match_respond", pk=match.pk), {"answer": "accept"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.candidate_response == CandidateResponse.ACCEPTED
    assert Match.objects.for_employer(match.vacancy.employer_id).filter(pk=match.pk).exists()
    client.post(url("matching:match_respond", pk=match.pk), {"answer": "decline"})
    match.refresh_from_db()
    assert match.candidate_response == CandidateResponse.DECLINED
    assert not Match.objects.for_employer(match.vacancy.employer_id).exists()


def test_a_bad_answer_is_explained(client, candidate):
    match = make_match(candidate)
    response = client.post(url("matching:match_respond", pk=match.pk), {"answer": "maybe"}, follow=True)
    assert response.status_code == 200
    assert "Choose yes or no" in response.content.decode()
    match.refresh_from_db()
    assert match.candidate_response == CandidateResponse.PENDING


def test_someone_elses_or_unapproved_match_is_404(client, candidate):
    other = make_match(CandidateFactory())
    proposed = make_match(candidate, review_status=ReviewStatus.PROPOSED)
    assert client.post(url("matching:match_respond", pk=other.pk), {"answer": "accept"}).status_code == 404
    assert client.post(url("matching:match_respond", pk=proposed.pk), {"answer": "accept"}).status_code == 404
    other.refresh_from_db()
    assert other.candidate_response == CandidateResponse.PENDING


def test_anonymous_goes_to_login_and_other_roles_get_403(client):
    assert client.get(url("matching:my_matches")).status_code == 302
    client.force_login(EmployerUserFactory())
    assert client.get(url("matching:my_matches")).status_code == 403
    client.force_login(CaseworkerFactory())
    assert client.get(url("matching:my_matches")).status_code == 403


def test_respond_is_post_only(client, candidate):
    match = make_match(candidate)
    assert client.get(url("matching:match_respond", pk=match.pk)).status_code == 405


@pytest.mark.parametrize("rows", [1, 5])
def test_my_matches_query_count_is_constant(client, candidate, django_assert_num_queries, rows):
    employer = EmployerFactory()
    for _ in range(rows):
        make_match(candidate, vacancy=VacancyFactory(status="published", employer=employer))
    # session, user, candidate id, count, rows, vacancy skills (2), desired occupations
    with django_assert_num_queries(8):
        response = client.get(url("matching:my_matches"))
    assert len(response.context["rows"]) == rows

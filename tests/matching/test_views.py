"""The caseworker's match pages (shortlist, decisions, rematch) and the employer's shortlist;
the rest of the back office is tested in tests/workspace/test_views_workspace.py."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from matching.models import CandidateResponse, Match, MatchDecision, ReviewStatus
from tests.factories import (
    CaseworkerFactory,
    EmployerUserFactory,
    place,
    service,
)
from tests.matching.conftest import make_candidate, make_vacancy
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy, queries_of
from vacancies.models import VacancyStatus

pytestmark = pytest.mark.django_db


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"matching:{name}", kwargs=kwargs or None)


@pytest.fixture
def uwv(client):
    user = CaseworkerFactory(employment_service=service("uwv"), first_name="Ria", last_name="Kok")
    client.force_login(user)
    return user


@pytest.fixture
def vacancy():
    return published_vacancy(place=place("Terneuzen"))


# --- shortlist ----------------------------------------------------------------------------------


def test_shortlist_ranks_explains_and_shows_the_rule(client, uwv, vacancy):
    best = make_match(
        vacancy=vacancy, candidate=candidate_with_profile(first_name="Anna", last_name="Best"), score=0.91
    )
    make_match(vacancy=vacancy, candidate=candidate_with_profile(first_name="Bert", last_name="Tweede"), score=0.75)
    response = client.get(url("shortlist", "en", pk=vacancy.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Anna Best") < html.index("Bert Tweede")
    assert "91%" in html
    assert "Who sees and decides what" in html
    # The explanation per factor, in the reader's language, with names from the database.
    assert f"Wants to work as {vacancy.occupation.label_en}." in html
    assert "25 min by car from Terneuzen to Terneuzen through the Westerscheldetunnel" in html
    assert "Education at EQF level 4, above the minimum EQF 3." in html
    assert "Dutch C1 (B2 required)" in html
    assert "an English reason the portal does not know yet" in html  # unknown code: the engine's text
    assert f'name="selected" value="{best.pk}"' in html


def test_shortlist_in_dutch(client, uwv, vacancy):
    make_match(vacancy=vacancy, candidate=candidate_with_profile())
    html = client.get(url("shortlist", "nl", pk=vacancy.pk)).content.decode()
    assert f"Wil werken als {vacancy.occupation.label_nl}." in html
    assert "Who sees and decides what" not in html


def test_other_services_candidates_are_hidden_or_read_only(client, uwv):
    vacancy_be = published_vacancy(place=place("Zelzate"))
    mine = make_match(vacancy=vacancy_be, candidate=candidate_with_profile(service_code="uwv"))
    theirs = make_match(
        vacancy=vacancy_be,
        candidate=candidate_with_profile(
            service_code="vdab", cross_border=True, home="Zelzate", country="BE", first_name="Vlaamse"
        ),
    )
    hidden = make_match(
        vacancy=vacancy_be,
        candidate=candidate_with_profile(service_code="vdab", home="Gent", country="BE", first_name="Verborgen"),
    )
    response = client.get(url("shortlist", "en", pk=vacancy_be.pk))
    html = response.content.decode()
    assert f'value="{mine.pk}"' in html
    assert f'value="{theirs.pk}"' not in html
    assert "Vlaamse" in html
    assert "Read-only: another service decides." in html
    assert "Verborgen" not in html
    assert "1 candidate of another employment service is not shown" in html
    # Deciding for the read-only row is refused, nothing changes.
    response = client.post(url("shortlist", "en", pk=vacancy_be.pk), {"selected": [theirs.pk], "decision": "approved"})
    assert response.status_code == 200
    assert "selected" in response.context["form"].errors
    theirs.refresh_from_db()
    assert theirs.review_status == ReviewStatus.PROPOSED
    assert client.get(url("match_detail", pk=hidden.pk)).status_code == 404
    assert client.post(url("match_detail", pk=theirs.pk), {"decision": "approved"}).status_code == 403


def test_approve_several_at_once_is_audited_and_the_jobseekers_are_told(
    client, uwv, vacancy, django_capture_on_commit_callbacks
):
    first = make_match(vacancy=vacancy, candidate=candidate_with_profile(language="en"))
    second = make_match(vacancy=vacancy, candidate=candidate_with_profile(language="nl"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("shortlist", pk=vacancy.pk),
            {"selected": [first.pk, second.pk], "decision": "approved", "note": "Sterk profiel"},
        )
    assert response.status_code == 302
    for match in (first, second):
        match.refresh_from_db()
        assert match.review_status == ReviewStatus.APPROVED
        assert match.reviewer == uwv
    decisions = MatchDecision.objects.filter(match__in=[first, second])
    assert decisions.count() == 2
    assert {d.reviewer_service for d in decisions} == {"uwv"}
    assert sorted(m.extra_headers["Content-Language"] for m in mail.outbox) == ["en", "nl"]
    # Who decided what and when stays visible.
    html = client.get(url("shortlist", pk=vacancy.pk)).content.decode()
    assert "Ria Kok" in html
    assert "Sterk profiel" in html


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Choose a reason for the rejection."),
        ("nl", None),
    ],
)
def test_reject_without_reason_is_refused_in_the_users_language(client, uwv, vacancy, language, message):
    match = make_match(vacancy=vacancy, candidate=candidate_with_profile())
    response = client.post(url("shortlist", language, pk=vacancy.pk), {"selected": [match.pk], "decision": "rejected"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    html = response.content.decode()
    if message:
        assert message in html
    else:
        assert "Choose a reason for the rejection." not in html
    assert f'value="{match.pk}" id="select-{match.pk}" checked' in html  # the ticks are kept
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.PROPOSED


def test_reject_with_other_needs_a_note_and_nothing_ticked_is_an_error(client, uwv, vacancy):
    match = make_match(vacancy=vacancy, candidate=candidate_with_profile())
    response = client.post(
        url("shortlist", "en", pk=vacancy.pk), {"selected": [match.pk], "decision": "rejected", "reason": "other"}
    )
    assert "note" in response.context["form"].errors
    response = client.post(url("shortlist", "en", pk=vacancy.pk), {"decision": "approved"})
    assert "Tick at least one candidate." in response.content.decode()
    response = client.post(url("shortlist", "en", pk=vacancy.pk), {"selected": ["abc"], "decision": "maybe"})
    assert response.status_code == 200
    client.post(
        url("shortlist", pk=vacancy.pk),
        {"selected": [match.pk], "decision": "rejected", "reason": "commute", "note": "Te ver zonder auto"},
    )
    match.refresh_from_db()
    assert (match.review_status, match.reason) == (ReviewStatus.REJECTED, "commute")


def test_flagged_matches_stand_out(client, uwv, vacancy):
    make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(),
        review_status=ReviewStatus.APPROVED,
        is_flagged=True,
        flag_reasons=["commute_too_far"],
        reviewer=uwv,
        reviewed_at=timezone.now(),
    )
    html = client.get(url("shortlist", "en", pk=vacancy.pk)).content.decode()
    assert "row--flagged" in html
    assert "the commute is longer than the candidate" in html
    html = client.get(url("shortlist", "en", pk=vacancy.pk), {"view": "flagged"}).content.decode()
    assert "row--flagged" in html


def test_shortlist_query_count_is_constant(client, uwv, vacancy, django_assert_num_queries):
    def add():
        match = make_match(vacancy=vacancy, candidate=candidate_with_profile())
        MatchDecision.objects.create(match=match, decision="approved", reviewer=uwv, reviewer_service="uwv")

    add()
    one = queries_of(lambda: client.get(url("shortlist", pk=vacancy.pk)))
    for _ in range(5):
        add()
    with django_assert_num_queries(one):
        response = client.get(url("shortlist", pk=vacancy.pk))
    assert len(response.context["rows"]) == 6


def test_a_draft_vacancy_has_no_shortlist_page(client, uwv):
    draft = published_vacancy(status=VacancyStatus.DRAFT, published_at=None)
    assert client.get(url("shortlist", pk=draft.pk)).status_code == 404


def test_match_detail_decides_one_match(client, uwv, vacancy):
    match = make_match(vacancy=vacancy, candidate=candidate_with_profile(first_name="Detail"))
    page = client.get(url("match_detail", "en", pk=match.pk))
    assert page.status_code == 200
    assert "Detail" in page.content.decode()
    response = client.post(url("match_detail", "en", pk=match.pk), {"decision": "rejected"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    response = client.post(url("match_detail", pk=match.pk), {"decision": "rejected", "reason": "skills"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.REJECTED


# --- rematch and rebuild with the real worker (tasks run eagerly in tests) ------------------------


def test_rematch_now_makes_the_shortlist_with_the_worker(
    client, uwv, occupation, occupation_skills, django_capture_on_commit_callbacks
):
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills, is_stem=True)
    candidate = make_candidate(occupation=occupation, skills=occupation_skills, service="uwv")
    Match.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("rematch", pk=vacancy.pk))
    assert response.status_code == 302
    match = Match.objects.get(vacancy=vacancy, candidate=candidate)
    assert match.review_status == ReviewStatus.PROPOSED
    assert match.explanation
    # Every reason the engine wrote renders as a translated sentence (no fallback to English).
    from matching.explanations import Lookup, render_explanation

    full = Match.objects.select_related("vacancy__occupation", "vacancy__place", "candidate__home_place").get(
        pk=match.pk
    )
    with translation.override("nl"):
        rendered = render_explanation(full.explanation, Lookup.for_match(full))
    assert rendered
    assert all(r.translated for r in rendered), [r.code for r in rendered if not r.translated]
    html = client.get(url("shortlist", "en", pk=vacancy.pk)).content.decode()
    assert candidate.user.email.split("@")[0] in html or candidate.user.get_full_name() in html


# --- the employer's shortlist -------------------------------------------------------------------


def test_the_employer_sees_only_shared_candidates_with_their_details(client, vacancy):
    user = EmployerUserFactory(employer=vacancy.employer)
    client.force_login(user)
    shared = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(first_name="Gedeeld"),
        review_status=ReviewStatus.APPROVED,
        candidate_response=CandidateResponse.ACCEPTED,
        responded_at=timezone.now(),
    )
    make_match(
        vacancy=vacancy, candidate=candidate_with_profile(first_name="Wachtend"), review_status=ReviewStatus.APPROVED
    )
    make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(first_name="Geweigerd"),
        review_status=ReviewStatus.APPROVED,
        candidate_response=CandidateResponse.DECLINED,
    )
    make_match(vacancy=vacancy, candidate=candidate_with_profile(first_name="Voorgesteld"))
    html = client.get(url("employer_shortlist", pk=vacancy.pk)).content.decode()
    assert "Gedeeld" in html
    assert shared.candidate.user.email in html
    for name in ("Wachtend", "Geweigerd", "Voorgesteld"):
        assert name not in html
    csv = client.get(url("employer_shortlist_export", pk=vacancy.pk)).content.decode("utf-8-sig")
    assert shared.candidate.user.email in csv
    assert "Wachtend" not in csv


def test_another_employer_gets_404_and_caseworkers_403(client, vacancy):
    client.force_login(EmployerUserFactory())
    assert client.get(url("employer_shortlist", pk=vacancy.pk)).status_code == 404
    assert client.get(url("employer_shortlist_export", pk=vacancy.pk)).status_code == 404
    client.force_login(CaseworkerFactory())
    assert client.get(url("employer_shortlist", pk=vacancy.pk)).status_code == 403


def test_employer_shortlist_query_count_is_constant(client, vacancy, django_assert_num_queries):
    client.force_login(EmployerUserFactory(employer=vacancy.employer))

    def add():
        make_match(
            vacancy=vacancy,
            candidate=candidate_with_profile(),
            review_status=ReviewStatus.APPROVED,
            candidate_response=CandidateResponse.ACCEPTED,
        )

    add()
    one = queries_of(lambda: client.get(url("employer_shortlist", pk=vacancy.pk)))
    for _ in range(4):
        add()
    with django_assert_num_queries(one):
        response = client.get(url("employer_shortlist", pk=vacancy.pk))
    assert len(response.context["matches"]) == 5

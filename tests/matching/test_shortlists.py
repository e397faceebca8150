"""The worker's services on a real PostgreSQL: shortlists persist, decisions survive, reruns
change nothing. Tasks run eagerly here; tests/matching/test_worker.py runs a real worker."""

import pytest

from candidates.services import candidate_set_consent, candidate_update
from matching import shortlists
from matching.models import Match, NearMiss, ReviewStatus, ShortlistSummary
from matching.rebuild import rebuild_start
from matching.services import match_decide
from tests.factories import CaseworkerFactory, place, service
from tests.matching.conftest import make_candidate, make_vacancy
from vacancies.models import VacancyStatus
from vacancies.services import vacancy_set_status, vacancy_submit

pytestmark = pytest.mark.django_db


def shortlist_rows(vacancy):
    return list(
        Match.objects.filter(vacancy=vacancy)
        .order_by("rank", "candidate_id")
        .values_list("candidate_id", "rank", "score", "review_status", "is_flagged")
    )


def test_publishing_a_vacancy_builds_its_explained_shortlist(
    occupation, occupation_skills, django_capture_on_commit_callbacks
):
    near = make_candidate(occupation=occupation, skills=occupation_skills, home="Terneuzen")
    far = make_candidate(occupation=occupation, skills=occupation_skills[:1], home="Axel")
    no_consent = make_candidate(occupation=occupation, skills=occupation_skills, consent_matching_at=None)
    vacancy = make_vacancy(
        occupation=occupation,
        skills=occupation_skills[:1],  # essential skills are a hard filter: far has this one
        optional=occupation_skills[1:],
        status=VacancyStatus.DRAFT,
        published_at=None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_submit(vacancy=vacancy)
    rows = shortlist_rows(vacancy)
    assert [r[0] for r in rows] == [near.pk, far.pk]
    assert rows[0][1] == 1
    assert rows[0][2] > rows[1][2]
    match = Match.objects.get(vacancy=vacancy, candidate=near)
    codes = {reason["code"] for reason in match.explanation}
    assert {"occupation", "skills_met", "education", "commute"} <= codes
    skills = next(r for r in match.explanation if r["code"] == "skills_met")
    assert skills["met"] == skills["required"] == 1
    assert skills["optional_met"] == skills["optional_total"] == len(occupation_skills) - 1
    summary = ShortlistSummary.objects.get(vacancy=vacancy)
    assert summary.exclusions["no_consent_matching"] >= 1
    assert not Match.objects.filter(candidate=no_consent).exists()


def test_rematch_twice_gives_the_same_rows(occupation, occupation_skills):
    for home in ("Terneuzen", "Sluiskil", "Axel", "Hulst"):
        make_candidate(occupation=occupation, skills=occupation_skills, home=home)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    first = shortlist_rows(vacancy)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert shortlist_rows(vacancy) == first
    assert len(first) == 4


def test_a_decision_survives_a_full_rebuild_and_a_filter_failure_flags_it(occupation, occupation_skills):
    candidate = make_candidate(occupation=occupation, skills=occupation_skills, service="uwv", max_commute_minutes=30)
    other = make_candidate(occupation=occupation, skills=occupation_skills, service="uwv")
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    match_decide(
        match=Match.objects.get(vacancy=vacancy, candidate=candidate),
        reviewer=caseworker,
        decision=ReviewStatus.APPROVED,
    )
    match_decide(
        match=Match.objects.get(vacancy=vacancy, candidate=other),
        reviewer=caseworker,
        decision=ReviewStatus.REJECTED,
        reason="skills",
    )

    # The approved candidate moves far away: no longer passes the commute filter.
    candidate.home_place = place("Gent", "BE")
    candidate.country = "BE"
    candidate.save()
    rebuild_start()

    approved = Match.objects.get(vacancy=vacancy, candidate=candidate)
    assert approved.review_status == ReviewStatus.APPROVED
    assert approved.reviewer == caseworker
    assert approved.is_flagged
    assert "commute_too_far" in approved.flag_reasons
    assert approved.rank is None
    rejected = Match.objects.get(vacancy=vacancy, candidate=other)
    assert rejected.review_status == ReviewStatus.REJECTED
    assert rejected.reason == "skills"
    assert not rejected.is_flagged


def test_a_proposal_that_no_longer_passes_leaves_the_shortlist(
    occupation, occupation_skills, django_capture_on_commit_callbacks
):
    candidate = make_candidate(occupation=occupation, skills=occupation_skills)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert Match.objects.filter(candidate=candidate).exists()
    with django_capture_on_commit_callbacks(execute=True):
        candidate_set_consent(candidate=candidate, kind="matching", given=False)
    assert not Match.objects.filter(candidate=candidate).exists()


def test_a_changed_candidate_enters_the_shortlists_they_now_fit(
    occupation, occupation_skills, django_capture_on_commit_callbacks
):
    candidate = make_candidate(occupation=occupation, skills=occupation_skills, max_commute_minutes=10, home="Hulst")
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills, where="Terneuzen")
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert not Match.objects.filter(candidate=candidate).exists()
    with django_capture_on_commit_callbacks(execute=True):
        candidate_update(candidate=candidate, max_commute_minutes=90)
    match = Match.objects.get(candidate=candidate, vacancy=vacancy)
    assert match.rank == 1
    assert match.review_status == ReviewStatus.PROPOSED


def test_closing_a_vacancy_drops_its_proposals_but_keeps_decisions(
    occupation, occupation_skills, django_capture_on_commit_callbacks
):
    a = make_candidate(occupation=occupation, skills=occupation_skills)
    b = make_candidate(occupation=occupation, skills=occupation_skills)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    match_decide(
        match=Match.objects.get(vacancy=vacancy, candidate=a),
        reviewer=CaseworkerFactory(employment_service=service("uwv")),
        decision=ReviewStatus.APPROVED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_set_status(vacancy=vacancy, status=VacancyStatus.CLOSED)
    assert list(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == [a.pk]
    assert not Match.objects.filter(candidate=b).exists()


def test_explanations_store_database_ids(occupation, occupation_skills):
    candidate = make_candidate(occupation=occupation, skills=occupation_skills)
    lacking = make_candidate(occupation=occupation, skills=occupation_skills[:2])  # a near miss
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    match = Match.objects.get(candidate=candidate, vacancy=vacancy)
    near = NearMiss.objects.get(candidate=lacking, vacancy=vacancy)
    skills = next(r for r in near.explanation if r["code"] == "skills_met")
    assert set(skills["missing"]) == {s.pk for s in occupation_skills[2:]}
    commute = next(r for r in match.explanation if r["code"] == "commute")
    assert commute["from_place"] == candidate.home_place_id
    assert commute["to_place"] == vacancy.place_id
    occupation_reason = next(r for r in match.explanation if r["code"] == "occupation")
    assert occupation_reason["vacancy_occupation"] == occupation.pk


def test_cross_border_match_says_so(occupation, occupation_skills):
    dutch = make_candidate(occupation=occupation, skills=occupation_skills, home="Terneuzen", cross_border=True)
    make_candidate(occupation=occupation, skills=occupation_skills, home="Sluiskil", cross_border=False)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills, where="Zelzate", country="BE")
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert list(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == [dutch.pk]
    reason = next(r for r in Match.objects.get(vacancy=vacancy).explanation if r["code"] == "cross_border")
    assert (reason["resident_country"], reason["job_country"]) == ("NL", "BE")
    assert ShortlistSummary.objects.get(vacancy=vacancy).exclusions["no_consent_cross_border"] == 1

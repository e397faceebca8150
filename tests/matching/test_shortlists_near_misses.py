"""Near misses persist with the shortlist (PostgreSQL): replaced with it on every rematch, their
missing skills as rows, the gap in database ids, the count on the summary, gone with the
candidate."""

import json

import pytest
from django.core.management import call_command

from candidates.models import CandidateLanguage
from candidates.services import candidate_set_skills
from matching import shortlists
from matching.models import Match, NearMiss, NearMissSkill, ShortlistSummary
from matching.rebuild import rebuild_start
from tests.matching.conftest import make_candidate, make_vacancy
from vacancies.models import VacancyStatus
from vacancies.services import vacancy_set_status

pytestmark = pytest.mark.django_db


def near_rows(vacancy):
    return list(NearMiss.objects.filter(vacancy=vacancy).order_by("rank").values_list("candidate_id", "rank", "kind"))


def test_a_vacancy_rematch_stores_its_near_misses_with_skill_rows_and_db_ids(occupation, occupation_skills):
    full = make_candidate(occupation=occupation, skills=occupation_skills)
    lacking_one = make_candidate(occupation=occupation, skills=occupation_skills[:-1])
    lacking_three = make_candidate(occupation=occupation, skills=occupation_skills[:1])
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)

    assert list(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == [full.pk]
    assert near_rows(vacancy) == [(lacking_one.pk, 1, "skills")]
    near = NearMiss.objects.get(vacancy=vacancy)
    missing = occupation_skills[-1]
    assert near.gap == {"kind": "skills", "skills": [missing.pk], "language": None, "education": None}
    assert list(NearMissSkill.objects.filter(near_miss=near).values_list("skill_id", flat=True)) == [missing.pk]
    assert 0 < near.score <= 1
    gap_reason = near.explanation[-1]
    assert gap_reason["code"] == "near_miss_gap"
    assert gap_reason["skills"] == [missing.pk]
    summary = ShortlistSummary.objects.get(vacancy=vacancy)
    assert summary.near_misses == 1
    assert summary.exclusions["missing_essential_skills"] == 2
    assert not NearMiss.objects.filter(candidate=lacking_three).exists()

    # Replaced, not added to: the candidate learns the skill and joins the shortlist.
    candidate_set_skills(candidate=lacking_one, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert near_rows(vacancy) == []
    assert ShortlistSummary.objects.get(vacancy=vacancy).near_misses == 0
    assert Match.objects.filter(vacancy=vacancy, candidate=lacking_one).exists()
    assert not NearMissSkill.objects.exists()


def test_language_and_education_gaps_are_stored_with_their_levels(occupation, occupation_skills):
    b1_for_b1 = make_candidate(occupation=occupation, skills=occupation_skills)
    a2 = make_candidate(occupation=occupation, skills=occupation_skills)
    CandidateLanguage.objects.filter(candidate=a2).update(level=2)  # A2 where B1 is required
    eqf3 = make_candidate(occupation=occupation, skills=occupation_skills, diploma="nl-mbo-3")
    eqf2 = make_candidate(occupation=occupation, skills=occupation_skills, diploma="nl-mbo-2")
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills, min_eqf_level=4)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    gaps = {n.candidate_id: n.gap for n in NearMiss.objects.filter(vacancy=vacancy)}
    assert gaps[a2.pk]["language"] == {"code": "nl", "required": 3, "has": 2}
    assert gaps[a2.pk]["kind"] == "language"
    assert b1_for_b1.pk not in gaps  # meets everything: on the shortlist
    assert gaps[eqf3.pk] == {
        "kind": "education",
        "skills": [],
        "language": None,
        "education": {"required": 4, "has": 3},
    }
    assert eqf2.pk not in gaps  # two levels below


def test_a_full_rebuild_and_a_candidate_rematch_keep_the_near_misses_up_to_date(
    occupation, occupation_skills, django_capture_on_commit_callbacks
):
    make_candidate(occupation=occupation, skills=occupation_skills)
    lacking = make_candidate(occupation=occupation, skills=occupation_skills[:-1])
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    other = make_vacancy(occupation=occupation, skills=occupation_skills[:-1])  # lacking fits this one
    with django_capture_on_commit_callbacks(execute=True):
        rebuild_start()
    assert near_rows(vacancy) == [(lacking.pk, 1, "skills")]
    assert near_rows(other) == []
    assert ShortlistSummary.objects.get(vacancy=vacancy).near_misses == 1

    # The candidate loses a second skill: still a near miss (two missing), then a third: not.
    candidate_set_skills(candidate=lacking, skills=occupation_skills[:-2])
    shortlists.candidate_rematch(candidate_id=lacking.pk)
    near = NearMiss.objects.get(vacancy=vacancy, candidate=lacking)
    assert sorted(near.gap["skills"]) == sorted(s.pk for s in occupation_skills[-2:])
    assert NearMissSkill.objects.filter(near_miss=near).count() == 2
    assert near_rows(other) == [(lacking.pk, 1, "skills")]
    assert ShortlistSummary.objects.get(vacancy=other).near_misses == 1

    candidate_set_skills(candidate=lacking, skills=occupation_skills[:1])
    shortlists.candidate_rematch(candidate_id=lacking.pk)
    assert near_rows(vacancy) == []  # three of four missing
    assert ShortlistSummary.objects.get(vacancy=vacancy).near_misses == 0
    assert near_rows(other) == [(lacking.pk, 1, "skills")]  # two of three missing

    # A closed vacancy keeps no near misses.
    candidate_set_skills(candidate=lacking, skills=occupation_skills[:-1])
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert near_rows(vacancy)
    vacancy_set_status(vacancy=vacancy, status=VacancyStatus.CLOSED)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert near_rows(vacancy) == []


def test_a_deleted_candidate_takes_their_near_misses_along(occupation, occupation_skills):
    lacking = make_candidate(occupation=occupation, skills=occupation_skills[:-1])
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert NearMissSkill.objects.count() == 1
    lacking.delete()
    assert not NearMiss.objects.exists()
    assert not NearMissSkill.objects.exists()


def test_the_shortlist_command_prints_the_near_misses_with_their_gaps(occupation, occupation_skills, capsys):
    lacking = make_candidate(occupation=occupation, skills=occupation_skills[:-1])
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    call_command("shortlist", vacancy.pk, "--json")
    data = json.loads(capsys.readouterr().out)
    missing = occupation_skills[-1]
    assert data["summary"]["near_misses"] == 1
    [near] = data["near_misses"]
    assert near["candidate_id"] == lacking.pk
    assert near["kind"] == "skills"
    assert near["rank"] == 1
    assert near["gap"]["skills"] == [{"id": missing.pk, "label": missing.label_en}]
    assert near["gap"]["language"] is None
    call_command("shortlist", vacancy.pk)
    text = capsys.readouterr().out
    assert "Near misses" in text
    assert f"candidate {lacking.pk}" in text
    assert missing.label_en in text

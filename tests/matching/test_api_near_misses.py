"""The read-only near-miss API: caseworkers see the candidates they may see on matches (the same
rule), a jobseeker their own, employers nothing; the gap with skill ids and labels; a fixed
number of queries; errors in the JSON envelope."""

import pytest

from matching.models import GapKind, NearMiss, NearMissSkill
from tests.api.conftest import build_world, published
from tests.factories import CandidateFactory, VacancyFactory, service
from tests.workspace_helpers import queries_of

pytestmark = pytest.mark.django_db


def near_miss(vacancy, candidate, kind=GapKind.SKILLS, skills=(), rank=1):
    gap = {
        "kind": kind,
        "skills": [s.pk for s in skills],
        "language": {"code": "nl", "required": 4, "has": 3} if kind == GapKind.LANGUAGE else None,
        "education": {"required": 4, "has": 3} if kind == GapKind.EDUCATION else None,
    }
    row = NearMiss.objects.create(
        vacancy=vacancy, candidate=candidate, score=0.7, rank=rank, kind=kind, gap=gap, engine_version="test"
    )
    NearMissSkill.objects.bulk_create([NearMissSkill(near_miss=row, skill=s) for s in skills])
    return row


@pytest.fixture
def world():
    w = build_world()
    skills = w["skills"]
    w.objects.update(
        nm1=near_miss(w["va_pub"], w["js1"], skills=skills[:2]),  # UWV candidate, no cross-border consent
        nm2=near_miss(w["vb_pub"], w["js2"], GapKind.LANGUAGE),  # VDAB candidate, cross-border consent
        nm3=near_miss(w["va_pub"], w["js2"], GapKind.EDUCATION, rank=2),
        nm_draft=near_miss(w["va_draft"], w["js1"]),  # a vacancy without a shortlist
    )
    return w


def ids(world, role, query=""):
    response = world.client(role).get(f"/api/v1/near-misses{query}")
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def test_caseworkers_see_the_candidates_they_see_on_matches(world):
    for role in ("caseworker_uwv", "caseworker_vdab", "caseworker_wsp", "admin", "token_service"):
        matches = world.client(role).get("/api/v1/matches").json()["results"]
        near_misses = world.client(role).get("/api/v1/near-misses").json()["results"]
        assert {r["candidate"]["id"] for r in near_misses} == {r["candidate"]["id"] for r in matches}, role
    assert ids(world, "caseworker_uwv") == {world["nm1"].pk, world["nm2"].pk, world["nm3"].pk}
    assert ids(world, "caseworker_vdab") == {world["nm2"].pk, world["nm3"].pk}
    assert ids(world, "caseworker_uwv", f"?vacancy={world['va_pub'].pk}") == {world["nm1"].pk, world["nm3"].pk}
    assert ids(world, "caseworker_uwv", "?kind=language") == {world["nm2"].pk}


def test_a_jobseeker_sees_their_own_without_their_profile(world):
    assert ids(world, "jobseeker") == {world["nm1"].pk}  # not the draft vacancy's
    assert ids(world, "jobseeker_other") == {world["nm2"].pk, world["nm3"].pk}
    row = world.client("jobseeker").get(f"/api/v1/near-misses/{world['nm1'].pk}").json()
    assert row["candidate"] is None
    assert world.client("jobseeker").get(f"/api/v1/near-misses/{world['nm2'].pk}").status_code == 404


@pytest.mark.parametrize("role", ["employer", "employer_other", "token_employer"])
def test_employers_never_see_near_misses(world, role):
    response = world.client(role).get("/api/v1/near-misses")
    assert response.status_code == 403
    assert response.json()["status"] == 403


def test_the_gap_has_skill_ids_labels_language_and_education(world):
    client = world.client("caseworker_uwv")
    skills = world["skills"][:2]
    row = client.get(f"/api/v1/near-misses/{world['nm1'].pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert row["kind"] == "skills"
    assert row["gap"] == {
        "kind": "skills",
        "skills": [{"id": s.pk, "label": s.label_en} for s in skills],
        "language": None,
        "education": None,
    }
    assert row["candidate"]["id"] == world["js1"].pk
    assert row["vacancy"]["id"] == world["va_pub"].pk
    language = client.get(f"/api/v1/near-misses/{world['nm2'].pk}").json()["gap"]
    assert language["language"] == {"code": "nl", "required": 4, "has": 3}
    assert language["skills"] == []
    education = client.get(f"/api/v1/near-misses/{world['nm3'].pk}").json()["gap"]
    assert education["education"] == {"required": 4, "has": 3}


def test_bad_filters_and_unseen_rows_give_the_envelope(world):
    client = world.client("caseworker_vdab")
    for query in ("?vacancy=abc", "?kind=nonsense"):
        response = client.get(f"/api/v1/near-misses{query}")
        assert response.status_code == 400
        assert set(response.json()) >= {"status", "code", "detail"}
    response = client.get(f"/api/v1/near-misses/{world['nm1'].pk}")  # a UWV candidate without consent
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert world.client("anonymous").get("/api/v1/near-misses").status_code == 401


def test_the_list_runs_the_same_queries_for_more_rows(world, django_assert_num_queries):
    caseworker = world.client("caseworker_vdab")
    jobseeker = world.client("jobseeker_other")
    vacancy = world["vb_pub"]
    path = f"/api/v1/near-misses?vacancy={vacancy.pk}"
    caseworker_queries = queries_of(lambda: caseworker.get(path))
    jobseeker_queries = queries_of(lambda: jobseeker.get("/api/v1/near-misses"))
    for rank in range(2, 6):
        candidate = CandidateFactory(employment_service=service("vdab"))
        near_miss(vacancy, candidate, skills=world["skills"][:2], rank=rank)
    third = VacancyFactory(employer=world["employer_a"], occupation=world["occupation"], **published())
    near_miss(third, world["js2"], skills=world["skills"][:1])  # the jobseeker's third
    with django_assert_num_queries(caseworker_queries):
        assert len(caseworker.get(path).json()["results"]) == 5
    with django_assert_num_queries(jobseeker_queries):
        assert len(jobseeker.get("/api/v1/near-misses").json()["results"]) == 3

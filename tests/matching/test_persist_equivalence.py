"""Persistence built per column (issue 15) stores exactly what the former per-match path stored.

The reference is the former code, kept here: one engine Match object per pair, ``round`` per
factor, ``reasons_for_db`` per reason.  The rows a full rebuild stores for a seeded region (score,
rank, factors, explanation, flags; near misses with their gap and skill rows) must be equal, as
parsed JSON, to what the reference builds from the same engine on the same data."""

import json

import numpy as np
import pytest
from django.db import connection

from demo.services import demo_region_seed
from matching import shortlists
from matching.models import Match, NearMiss, NearMissSkill
from matching.pause import frozen_candidate_ids
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

FIELDS = ("score", "rank", "factors", "explanation", "is_flagged", "flag_reasons")


def reference_row(match, index) -> dict:
    """The former ``shortlists._row``."""
    return {
        "candidate_id": match.candidate_id,
        "vacancy_id": match.vacancy_id,
        "score": min(1.0, max(0.0, match.score)),
        "rank": match.rank,
        "factors": {k: round(v, 4) for k, v in match.factors.items()},
        "explanation": shortlists.reasons_for_db(match.reasons, index),
        "is_flagged": match.flagged,
        "flag_reasons": list(match.failed_filters),
    }


@pytest.fixture
def region():
    demo_region_seed(candidates=1500, vacancies=50, employers=5, seed=3)
    open_ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("pk", flat=True))
    shortlists.vacancies_rematch(vacancy_ids=open_ids)
    inputs = shortlists.engine_inputs()
    return open_ids, inputs, shortlists.rebuild_engine(inputs)


def test_a_rebuild_stores_what_the_former_per_match_path_stored(region):
    open_ids, inputs, engine = region
    frozen = frozen_candidate_ids()
    expected = {
        (m.candidate_id, m.vacancy_id): reference_row(m, inputs.index)
        for results in engine.run_chunks(open_ids)
        for result in results
        for m in result.matches
        if m.candidate_id not in frozen
    }
    stored = {
        (row["candidate_id"], row["vacancy_id"]): row
        for row in Match.objects.values("candidate_id", "vacancy_id", *FIELDS)
    }
    assert len(expected) > 200  # a real region: many explained matches
    assert stored.keys() == expected.keys()
    for key, row in expected.items():
        assert {f: stored[key][f] for f in FIELDS} == {f: row[f] for f in FIELDS}, key
    codes = {reason["code"] for row in expected.values() for reason in row["explanation"]}
    assert {"occupation", "skills_met", "education", "commute"} <= codes


def test_stored_rows_of_failing_pairs_equal_the_reference(region):
    """Pairs off the shortlists (decided matches are re-scored this way): flags, missing skills,
    commutes without a place, every branch the shortlist rarely shows."""
    _, inputs, engine = region
    rng = np.random.default_rng(5)
    cands = rng.choice(engine.candidates.ids, 600).tolist()
    vacs = rng.choice(engine.vacancies.ids, 600).tolist()
    results = engine.evaluate_pairs(cands, vacs)
    built = results.stored_rows(shortlists._db_ids(inputs.index))
    reference = [reference_row(results.match(p), inputs.index) for p in range(len(cands))]
    assert sum(row["is_flagged"] for row in reference) > 100
    assert any(r["code"] == "skills_met" and r["missing"] for row in reference for r in row["explanation"])
    assert built == reference


def test_near_misses_are_stored_as_before(region):
    open_ids, inputs, engine = region
    _, skill_ids, _ = inputs.index.id_lists
    frozen = frozen_candidate_ids()
    expected, expected_skills = {}, set()
    for results in engine.run_chunks(open_ids):
        for result in results:
            rank = 0
            for near in result.near_misses:
                if near.candidate_id in frozen:
                    continue
                rank += 1
                gap = {**near.gap, "skills": [skill_ids[s] for s in near.gap["skills"]]}
                expected[(near.candidate_id, near.vacancy_id)] = {
                    "score": min(1.0, max(0.0, near.score)),
                    "rank": rank,
                    "kind": gap["kind"],
                    "gap": gap,
                    "explanation": shortlists.reasons_for_db(near.reasons, inputs.index),
                }
                expected_skills |= {(near.candidate_id, near.vacancy_id, s) for s in gap["skills"]}
    stored = {
        (row.pop("candidate_id"), row.pop("vacancy_id")): row
        for row in NearMiss.objects.values("candidate_id", "vacancy_id", "score", "rank", "kind", "gap", "explanation")
    }
    assert expected  # the region has near misses
    assert stored == expected
    assert (
        set(NearMissSkill.objects.values_list("near_miss__candidate_id", "near_miss__vacancy_id", "skill_id"))
        == expected_skills
    )
    # a second rebuild replaces them with the same rows (no duplicates, no leftovers)
    shortlists.vacancies_rematch(vacancy_ids=open_ids)
    assert NearMiss.objects.count() == len(expected)
    assert NearMissSkill.objects.count() == len(expected_skills)


def test_copy_keeps_backslashes_tabs_newlines_and_quotes_in_json():
    tricky = 'line "B\\12"\tvia\nGent \\N é'
    rows = [
        {
            "candidate_id": 1,
            "vacancy_id": 2,
            "score": 0.1 + 0.2,
            "rank": None,
            "factors": {"skills": 0.1235},
            "explanation": [{"code": "commute", "line": tricky}],
            "is_flagged": True,
            "flag_reasons": ["too_far"],
        }
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS match_upsert (candidate_id bigint, vacancy_id bigint, score double precision,"
            " rank integer, factors jsonb, explanation jsonb, is_flagged boolean, flag_reasons jsonb)"
        )
        cursor.execute("TRUNCATE match_upsert")
        shortlists._copy_rows(cursor, rows)
        cursor.execute("SELECT score, rank, factors, explanation, is_flagged, flag_reasons FROM match_upsert")
        score, rank, factors, explanation, flagged, reasons = cursor.fetchone()
        cursor.execute("TRUNCATE match_upsert")
    parse = lambda v: json.loads(v) if isinstance(v, str) else v  # noqa: E731 (Django may hand jsonb over as text)
    stored = [(score, rank, parse(factors), parse(explanation), flagged, parse(reasons))]
    assert stored == [(0.1 + 0.2, None, {"skills": 0.1235}, [{"code": "commute", "line": tricky}], True, ["too_far"])]

"""Persistence built per column (issue 15) stores exactly what the former per-match path stored.

The reference is the former code, kept here: one engine Match object per pair, ``round`` per
factor, ``reasons_for_db`` per reason.  The rows a full rebuild stores for a seeded region (score,
rank, factors, explanation, flags; near misses with their gap and skill rows) must be equal, as
parsed JSON, to what the reference builds from the same engine on the same data."""

import json

import numpy as np
import pytest
from django.db import IntegrityError, connection, transaction

from demo.services import demo_region_seed
from matching import shortlists
from matching.models import Match, NearMiss, NearMissSkill, ShortlistCount, ShortlistSummary
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


# --- the writer thread (a rebuild in autocommit: worker, benchmark) ---------------------------------


def _stored() -> dict:
    """Everything a rebuild leaves, as comparable values."""
    return {
        "matches": sorted(
            Match.objects.values_list("candidate_id", "vacancy_id", "score", "rank", "is_flagged", "engine_version")
        ),
        "match_json": {
            (c, v): (factors, explanation, reasons)
            for c, v, factors, explanation, reasons in Match.objects.values_list(
                "candidate_id", "vacancy_id", "factors", "explanation", "flag_reasons"
            )
        },
        "near_misses": sorted(
            NearMiss.objects.values_list("candidate_id", "vacancy_id", "score", "rank", "kind", "gap", "explanation")
        ),
        "near_miss_skills": sorted(
            NearMissSkill.objects.values_list("near_miss__candidate_id", "near_miss__vacancy_id", "skill_id")
        ),
        "summaries": sorted(
            ShortlistSummary.objects.values_list(
                "vacancy_id", "candidates_total", "eligible", "exclusions", "near_misses"
            )
        ),
        "counts": sorted(ShortlistCount.objects.values_list(*_count_fields())),
    }


def _count_fields() -> list[str]:
    # not waiting_since: the time the proposals were created
    return ["vacancy_id", "employment_service_id", "cross_border", "proposed", "approved", "rejected", "flagged"]


def _forget() -> None:
    Match.objects.all().delete()
    NearMiss.objects.all().delete()
    ShortlistSummary.objects.all().delete()


@pytest.fixture
def small_batches(settings):
    """Several engine batches per rebuild chunk (the writer thread gets a queue to work through);
    the engine cache is dropped so that it is built with this batch size."""
    settings.MATCHING_ENGINE_CHUNK = 4
    shortlists._cache.clear()
    yield
    shortlists._cache.clear()


@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_stores_what_the_inline_path_stores(small_batches):
    demo_region_seed(candidates=800, vacancies=30, employers=4, seed=5)
    open_ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("pk", flat=True))
    assert shortlists._writer_thread_usable()  # autocommit: the rebuild writes through the thread
    written = shortlists.vacancies_rematch(vacancy_ids=open_ids)
    threaded = _stored()
    assert written == len(threaded["matches"]) > 100
    assert threaded["near_misses"]
    assert threaded["near_miss_skills"]
    assert len(threaded["summaries"]) == len(open_ids)

    _forget()
    with transaction.atomic():  # inside a transaction: written in this thread, on this connection
        assert not shortlists._writer_thread_usable()
        assert shortlists.vacancies_rematch(vacancy_ids=open_ids) == written
    assert _stored() == threaded

    # run again over its own rows (upsert path, near misses replaced): nothing moves
    assert shortlists.vacancies_rematch(vacancy_ids=open_ids) == written
    assert _stored() == threaded


@pytest.mark.django_db(transaction=True)
def test_a_failing_write_in_the_writer_thread_rolls_its_batch_back_and_raises(small_batches):
    demo_region_seed(candidates=600, vacancies=16, employers=3, seed=2)
    open_ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("pk", flat=True))
    inputs = shortlists.engine_inputs()
    engine = shortlists.rebuild_engine(inputs)
    assert shortlists._writer_thread_usable()
    batches = [results for results in engine.run_chunks(open_ids) if any(r.matches for r in results)]
    assert len(batches) >= 3
    # The second batch names a vacancy deleted after the ranking: its rows break a foreign key
    # (checked at the batch's commit, in the writer thread).
    gone = batches[1][0].vacancy_id
    Vacancy.objects.filter(pk=gone).delete()
    with pytest.raises(IntegrityError):
        shortlists.rebuild_results_persist(
            results_chunks=iter(batches),
            engine=engine,
            index=inputs.index,
            started=0.0,
            run_id=None,
            vacancy_ids=open_ids,
            open_ids=open_ids,
        )
    stored_vacancies = set(Match.objects.values_list("vacancy_id", flat=True))
    assert stored_vacancies == {r.vacancy_id for r in batches[0] if r.matches}  # the first batch committed
    assert not NearMiss.objects.filter(vacancy_id__in=[r.vacancy_id for r in batches[1]]).exists()
    assert not ShortlistSummary.objects.exclude(vacancy_id__in=[r.vacancy_id for r in batches[0]]).exists()
    # the writer's connection is gone with its thread; this one still works
    assert Match.objects.count() > 0

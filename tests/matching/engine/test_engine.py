"""The bulk engine: shortlists, ties, exclusion counts, incremental APIs, threads and chunks."""

import json

import numpy as np
import pytest

from matching.engine import (
    COUNTRY_BE,
    ENGINE_VERSION,
    REASONS,
    EngineConfig,
    MatchingEngine,
    Weights,
    floor_chunk,
    floor_run,
)
from matching.engine.synthetic import SyntheticWorld

from .helpers import PIPE_WELDER, PLANT_OPERATOR, P, candidates, engine, vacancies

JOB = {"essential": (0, 1, 2, 3), "optional": (4,), "place": P["Terneuzen"], "min_eqf": 3}


def test_shortlist_is_ranked_and_ties_go_to_the_lower_id():
    cands = candidates(
        {"id": 50, "skills": (0, 1, 2, 3)},
        {"id": 40, "skills": (0, 1, 2, 3, 4)},  # best
        {"id": 30, "skills": (0, 1, 2, 3)},  # ties with 50 and 10
        {"id": 10, "skills": (0, 1, 2, 3)},
        {"id": 20, "skills": (0, 1, 2, 3, 4), "eqf": 1},  # excluded: below the minimum EQF
    )
    result = engine(cands, vacancies(JOB)).match_vacancy(1001)
    assert result.candidate_ids.tolist() == [40, 10, 30, 50]
    assert result.scores[0] > result.scores[1] == result.scores[2] == result.scores[3]
    assert [m.rank for m in result.matches] == [1, 2, 3, 4]
    assert result.eligible == 4
    assert result.candidates_total == 5
    assert result.exclusions["education_below_minimum"] == 1
    assert set(result.exclusions) == set(REASONS)


def test_top_k_cuts_the_list_deterministically():
    cands = candidates(*[{"id": 100 - i, "skills": (0, 1, 2, 3)} for i in range(10)])
    result = engine(cands, vacancies(JOB), Weights(top_k=3)).match_vacancy(1001)
    assert result.candidate_ids.tolist() == [91, 92, 93]
    assert result.eligible == 10


def test_exclusions_are_counted_per_reason_and_candidates_never_silently_dropped():
    # Everyone but the twelfth has the job's essential skills: each candidate fails one filter.
    cands = candidates(
        *[
            {**spec, "skills": (0, 1, 2, 3)} if i != 11 else spec
            for i, spec in enumerate(
                [
                    {},
                    {"consent_matching": False},
                    {"country": COUNTRY_BE, "consent_cross_border": False, "place": P["Zelzate"]},
                    {"place": -1},
                    {"commute_modes": 0, "max_commute_minutes": 0},
                    {"place": P["Goes"], "max_commute_minutes": 10},
                    {"eqf": 0, "has_min_secondary": False},
                    {"eqf": 2},
                    {"languages": (0, 0, 0, 0)},
                    {"languages": (2, 0, 0, 0)},
                    {"available_from": 20_100},
                    {"skills": (0, 1, 2)},  # lacks an essential skill (a hard filter since issue 12)
                    {},
                ]
            )
        ]
    )
    job = {**JOB, "languages": (3, 0, 0, 0), "start_day": 20_050}
    result = engine(cands, vacancies(job)).match_vacancy(1001)
    ex = result.exclusions
    assert ex["no_consent_matching"] == 1
    assert ex["no_consent_cross_border"] == 1
    assert ex["missing_home_place"] == 1
    assert ex["missing_commute_modes"] == 1
    assert ex["missing_max_commute"] == 1
    assert ex["commute_too_far"] == 1
    assert ex["missing_diploma"] == 1
    assert ex["education_below_minimum"] == 1
    assert ex["missing_languages"] == 1
    assert ex["language_below_required"] == 1
    assert ex["not_available_in_time"] == 1
    assert ex["missing_essential_skills"] == 1
    assert result.eligible == 2
    assert sorted(result.candidate_ids.tolist()) == [1, 13]
    # Every candidate is either eligible or counted (one candidate failed two commute-data filters).
    assert result.eligible + sum(ex.values()) - 1 == cands.n


def test_evaluate_pairs_flags_matches_that_fail_filters():
    cands = candidates(
        {"skills": (0, 1, 2, 3)}, {"skills": (0, 1, 2, 3), "place": P["Goes"], "max_commute_minutes": 15}
    )
    eng = engine(cands, vacancies(JOB, {**JOB, "country": COUNTRY_BE, "place": P["Zelzate"]}))
    results = eng.evaluate_pairs([1, 2, 1], [1001, 1001, 1002])
    assert results.eligible.tolist() == [True, False, True]
    assert results.failed_filters(1) == ("commute_too_far",)
    flagged = results.match(1)
    assert flagged.flagged
    assert flagged.rank is None
    assert 0 <= flagged.score <= 1
    assert results.scores[0] > results.scores[1]
    assert [m.candidate_id for m in results.matches(only_eligible=True)] == [1, 1]
    with pytest.raises(KeyError):
        eng.evaluate_pairs([99], [1001])
    with pytest.raises(ValueError):
        eng.evaluate_pairs([1, 2], [1001])


def test_score_candidate_against_all_vacancies_agrees_with_the_shortlists():
    world = SyntheticWorld.build(n_places=40, n_occupations=30, n_skills=120, seed=5)
    cands, vacs = world.candidates(400, seed=5), world.vacancies(30, seed=5)
    eng = MatchingEngine(
        world.places, world.taxonomy, cands, vacs, Weights(top_k=400), config=EngineConfig(n_threads=1)
    )
    shortlists = {r.vacancy_id: dict(zip(r.candidate_ids.tolist(), r.scores.tolist())) for r in eng.run()}
    for cid in cands.ids[:25].tolist():
        scored = eng.score_candidate(cid)
        assert scored.vacancy_ids.tolist() == vacs.ids.tolist()
        for vid, score, ok in zip(scored.vacancy_ids.tolist(), scored.scores.tolist(), scored.eligible.tolist()):
            assert (cid in shortlists[vid]) == ok
            if ok:
                assert shortlists[vid][cid] == score


def test_results_do_not_depend_on_threads_or_chunk_size():
    world = SyntheticWorld.build(n_places=40, n_occupations=30, n_skills=120, seed=7)
    cands, vacs = world.candidates(3000, seed=7), world.vacancies(70, seed=7)

    def shortlists(**config):
        eng = MatchingEngine(
            world.places, world.taxonomy, cands, vacs, Weights(top_k=15), config=EngineConfig(**config)
        )
        return {
            r.vacancy_id: (r.candidate_ids.tolist(), r.scores.tolist(), r.eligible, r.exclusions) for r in eng.run()
        }

    reference = shortlists(n_threads=1, chunk_size=128)
    assert len(reference) == 70
    assert shortlists(n_threads=2, chunk_size=7) == reference
    assert shortlists(n_threads=3, chunk_size=1) == reference


def test_run_a_subset_streams_chunks_and_match_vacancy_agrees():
    world = SyntheticWorld.build(n_places=40, n_occupations=30, n_skills=120, seed=9)
    cands, vacs = world.candidates(500, seed=9), world.vacancies(40, seed=9)
    eng = MatchingEngine(world.places, world.taxonomy, cands, vacs, config=EngineConfig(chunk_size=8, n_threads=2))
    subset = vacs.ids[::3].tolist()
    chunks = list(eng.run_chunks(subset, explain=True))
    assert all(len(c) <= 8 for c in chunks)
    got = {r.vacancy_id: r for c in chunks for r in c}
    assert set(got) == set(subset)
    assert eng.n_chunks() == 5
    for vid in subset[:5]:
        one = eng.match_vacancy(vid)
        assert one.candidate_ids.tolist() == got[vid].candidate_ids.tolist()
        assert one.exclusions == got[vid].exclusions
    with pytest.raises(KeyError):
        list(eng.run([123456789]))


def test_matches_are_json_ready_and_explained():
    cands = candidates(
        {
            "skills": (0, 1, 2, 3),
            "place": P["Vlissingen"],
            "max_commute_minutes": 60,
            "desired": (PLANT_OPERATOR, PIPE_WELDER),
        }
    )
    match = engine(cands, vacancies(JOB)).match_vacancy(1001).matches[0]
    data = match.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["engine_version"] == ENGINE_VERSION
    assert data["rank"] == 1
    codes = [r["code"] for r in data["explanation"]]
    assert codes == ["occupation", "skills_met", "education", "commute", "workplace_language", "stem"]
    assert all(isinstance(r["text"], str) and r["text"] for r in data["explanation"])
    assert "4 of 4 essential skills" in match.text
    assert "by car via the Westerscheldetunnel" in match.text
    assert set(data["factors"]) == {"occupation", "skills", "education", "commute", "languages", "stem"}
    assert sum(data["contributions"].values()) == pytest.approx(data["score"])


def test_reason_text_can_be_left_out():
    cands = candidates({"skills": (0, 1, 2, 3)})
    match = engine(cands, vacancies(JOB), reason_text=False).match_vacancy(1001).matches[0]
    assert all("text" not in r for r in match.reasons)
    assert "4 of 4 essential skills" in match.text  # still available, rendered on demand


def test_cross_border_match_says_so():
    cands = candidates({"skills": (0, 1, 2, 3), "place": P["Sluiskil"], "consent_cross_border": True})
    result = engine(cands, vacancies({**JOB, "country": COUNTRY_BE, "place": P["Zelzate"]})).match_vacancy(1001)
    cross = result.matches[0].reasons[0]
    assert cross["code"] == "cross_border"
    assert (cross["resident_country"], cross["job_country"]) == ("NL", "BE")
    assert cross["text"].startswith("cross-border: NL resident, BE job")


def test_edge_cases_empty_and_degenerate_inputs():
    # Nobody consents: empty shortlists, everyone counted.
    eng = engine(candidates({"consent_matching": False}, {"consent_matching": False}), vacancies(JOB))
    result = eng.match_vacancy(1001)
    assert result.candidate_ids.size == 0
    assert result.eligible == 0
    assert result.exclusions["no_consent_matching"] == 2
    # No vacancy lists any skill, and one has neither place nor occupation.
    eng = engine(candidates({}, {"skills": (1,)}), vacancies({}, {"place": -1, "occupation": -1}))
    results = {r.vacancy_id: r for r in eng.run()}
    assert results[1002].eligible == 2
    assert results[1001].eligible == 2
    assert "skills" not in results[1001].matches[0].factors
    # No vacancies at all.
    assert list(engine(candidates({}), vacancies({}).take([])).run()) == []


def test_inputs_are_validated():
    cands = candidates({})
    with pytest.raises(ValueError):
        engine(cands, vacancies({"place": 99}))
    with pytest.raises(ValueError):
        engine(cands, vacancies({"occupation": 99}))
    with pytest.raises(ValueError):
        candidates({"id": 1}, {"id": 1})
    with pytest.raises(ValueError):
        candidates({"eqf": 9})


def test_floor_gives_the_same_shortlists_as_the_engine_on_bench_data():
    """The floor is honest: the cheapest way to the same answer, not a different computation."""
    world = SyntheticWorld.build(seed=0)  # the bench's world
    cands, vacs = world.candidates(6000, seed=0), world.vacancies(300, seed=0)
    eng = MatchingEngine(world.places, world.taxonomy, cands, vacs, config=EngineConfig(n_threads=1))
    engine_lists = {r.vacancy_id: r.candidate_ids.tolist() for r in eng.run()}
    data = eng.floor_data()
    floor_lists = [data.ids[top].tolist() for top in floor_chunk(data, 0, 128) + floor_chunk(data, 128, 300)]
    assert floor_lists == [engine_lists[vid] for vid in vacs.ids[data.order].tolist()]
    # Real shortlists, not empty ones (about 28 of 50 on average since essential skills filter).
    assert sum(len(x) for x in floor_lists) > 300 * 20
    assert floor_run(data, chunk_size=64, n_threads=2) == sum(len(x) for x in floor_lists)


def test_synthetic_scale_smoke():
    world = SyntheticWorld.build(seed=11)
    cands, vacs = world.candidates(30_000, seed=11), world.vacancies(40, seed=11)
    eng = MatchingEngine(world.places, world.taxonomy, cands, vacs, config=EngineConfig(n_threads=2))
    results = list(eng.run())
    assert len(results) == 40
    for r in results:
        assert len(r.candidate_ids) == min(50, r.eligible)
        assert np.all(np.diff(r.scores) <= 0)
        assert np.all((r.scores >= 0) & (r.scores <= 1))
        assert r.eligible + r.exclusions["no_consent_matching"] <= r.candidates_total


@pytest.mark.parametrize("seed", [4, 8])
def test_single_vacancy_rematch_through_the_inverted_index_equals_the_full_run(seed):
    world = SyntheticWorld.build(n_places=40, n_occupations=30, n_skills=120, seed=seed)
    cands, vacs = world.candidates(4000, seed=seed), world.vacancies(80, seed=seed)
    eng = MatchingEngine(world.places, world.taxonomy, cands, vacs, Weights(top_k=20), config=EngineConfig(n_threads=1))
    full = {r.vacancy_id: r for r in eng.run()}
    narrowed = 0
    for vid in vacs.ids.tolist():
        one, expected = eng.match_vacancy(vid), full[vid]
        assert one.candidate_ids.tolist() == expected.candidate_ids.tolist()
        assert one.scores.tolist() == expected.scores.tolist()
        np.testing.assert_array_equal(one.factor_scores, expected.factor_scores)
        # eligible counts the candidates the index let through: exactly those passing every filter
        assert one.eligible == expected.eligible
        assert one.exclusions == expected.exclusions
        assert [m.to_dict() for m in one.matches] == [m.to_dict() for m in expected.matches]
        narrowed += one.eligible < cands.n // 2
    assert narrowed > 10  # most vacancies' filters leave a minority to score


def test_single_vacancy_rematch_edge_cases():
    # Nobody passes; no filter at all; availability is the most selective filter.
    cands = candidates({"skills": (0, 1)}, {"skills": (0,), "available_from": 20_100}, {"eqf": 0})
    vacs = vacancies({**JOB, "min_eqf": 8}, {"place": -1, "essential": (0,)}, {"start_day": 20_050, "essential": (0,)})
    eng = engine(cands, vacs)
    full = {r.vacancy_id: r for r in eng.run()}
    for vid in (1001, 1002, 1003):
        one = eng.match_vacancy(vid)
        assert one.candidate_ids.tolist() == full[vid].candidate_ids.tolist()
        assert (one.eligible, one.exclusions) == (full[vid].eligible, full[vid].exclusions)
    assert eng.match_vacancy(1001).eligible == 0
    assert eng.match_vacancy(1003).exclusions["not_available_in_time"] == 1

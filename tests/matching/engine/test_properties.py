"""Property tests: the engine ranks exactly like the naive per-pair scorer, and scores behave.

ENGINE_PROPERTY_EXAMPLES=1000 runs each property on more examples (default 60).
"""

import os
from collections import Counter

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from matching.engine import EngineConfig, MatchingEngine, Weights
from matching.engine.commute import build_commute_model
from matching.engine.naive import naive_candidates, naive_context, naive_vacancies, rank_vacancy_naive, score_pair_naive
from matching.engine.synthetic import SyntheticWorld

from .helpers import N_SKILLS, PLACES, TAXONOMY, candidates, engine, vacancies

MODEL = build_commute_model(PLACES)
EXAMPLES = int(os.environ.get("ENGINE_PROPERTY_EXAMPLES", "60"))
PROPERTY_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

skill_set = st.frozensets(st.integers(0, N_SKILLS - 1), max_size=6).map(lambda s: tuple(sorted(s)))
candidate_spec = st.fixed_dictionaries(
    {
        "country": st.sampled_from([0, 1, 2]),
        "place": st.integers(-1, PLACES.n - 1),
        "commute_modes": st.integers(0, 7),
        "max_commute_minutes": st.sampled_from([0, 10, 20, 30, 45, 60, 90, 150]),
        "eqf": st.integers(0, 8),
        "has_min_secondary": st.booleans(),
        "stem_background": st.booleans(),
        "languages": st.tuples(*[st.integers(0, 6)] * 4),
        "skills": skill_set,
        "desired": st.frozensets(st.integers(0, TAXONOMY.n_occupations - 1), max_size=3).map(
            lambda s: tuple(sorted(s))
        ),
        "available_from": st.sampled_from([-1, 19_990, 20_000, 20_010]),
        "hours_wanted": st.sampled_from([0, 16, 24, 32, 36, 38, 40]),
        "accepts_shift_work": st.booleans(),
        "consent_matching": st.booleans(),
        "consent_cross_border": st.booleans(),
    }
)
vacancy_spec = st.fixed_dictionaries(
    {
        "country": st.sampled_from([0, 1]),
        "place": st.integers(-1, PLACES.n - 1),
        "occupation": st.integers(-1, TAXONOMY.n_occupations - 1),
        "is_stem": st.booleans(),
        "min_eqf": st.sampled_from([0, 0, 2, 3, 4, 6]),
        "requires_min_secondary": st.booleans(),
        "languages": st.tuples(*[st.sampled_from([0, 0, 0, 2, 3, 4])] * 4),
        "essential": skill_set,
        "optional": skill_set,
        "start_day": st.sampled_from([-1, 19_995, 20_005]),
        "hours_per_week": st.sampled_from([0, 24, 36, 38, 40]),
        "shift_work": st.booleans(),
    }
)
weights_strategy = st.builds(
    Weights,
    occupation=st.floats(0, 1),
    skills=st.floats(0, 1),
    education=st.floats(0, 1),
    commute=st.floats(0, 1),
    languages=st.floats(0, 1),
    stem=st.floats(0, 1),
    hours_shift=st.floats(0.01, 1),
    essential_skill_weight=st.floats(0.01, 3),
    optional_skill_weight=st.floats(0, 3),
    top_k=st.integers(1, 12),
)


def naive_exclusions(cands, vac, ctx) -> tuple[int, Counter]:
    """(eligible, counts per reason) as the engine defines them."""
    eligible, counts = 0, Counter()
    for cand in cands:
        failed = score_pair_naive(cand, vac, ctx).failed
        if "no_consent_matching" in failed:
            counts["no_consent_matching"] += 1
            continue
        counts.update(failed)
        eligible += not failed
    return eligible, counts


def assert_engine_equals_naive(eng: MatchingEngine) -> None:
    ctx = naive_context(eng.taxonomy, eng.commute, eng.weights)
    cands = naive_candidates(eng.candidates)
    by_id = {v.id: v for v in naive_vacancies(eng.vacancies)}
    seen = 0
    for result in eng.run():
        seen += 1
        vac = by_id[result.vacancy_id]
        expected = rank_vacancy_naive(cands, vac, ctx, eng.weights.top_k)
        assert list(zip(result.candidate_ids.tolist(), result.scores.tolist())) == expected
        eligible, counts = naive_exclusions(cands, vac, ctx)
        assert result.eligible == eligible
        assert {k: v for k, v in result.exclusions.items() if v} == dict(counts)
    assert seen == eng.vacancies.n


@PROPERTY_SETTINGS
@given(
    st.lists(candidate_spec, min_size=1, max_size=25),
    st.lists(vacancy_spec, min_size=1, max_size=4),
    weights_strategy,
    st.integers(1, 3),
    st.integers(0, 3),
)
def test_engine_ranking_equals_naive_on_arbitrary_profiles(cand_specs, vac_specs, weights, chunk, duplicates):
    cand_specs = cand_specs + cand_specs[:duplicates]  # identical profiles: exact ties, broken by id
    assert_engine_equals_naive(engine(candidates(*cand_specs), vacancies(*vac_specs), weights, chunk_size=chunk))


@settings(max_examples=max(EXAMPLES // 4, 5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.integers(20, 400), st.integers(1, 12), st.integers(1, 30), st.integers(1, 2))
def test_engine_ranking_equals_naive_on_synthetic_data(seed, n, m, top_k, threads):
    world = SyntheticWorld.build(n_places=25, n_occupations=25, n_skills=80, seed=seed)
    cands = world.candidates(n, seed=seed)
    rows = np.concatenate([np.arange(n), np.arange(0, n, 7)])  # duplicates with new ids: ties
    cands = cands.take(rows, ids=np.arange(rows.size)[::-1] * 3 + 5)
    eng = MatchingEngine(
        world.places,
        world.taxonomy,
        cands,
        world.vacancies(m, seed=seed),
        Weights(top_k=top_k),
        config=EngineConfig(chunk_size=5, n_threads=threads),
    )
    assert_engine_equals_naive(eng)


@PROPERTY_SETTINGS
@given(candidate_spec, vacancy_spec)
def test_pair_scores_lie_in_the_unit_interval_and_match_naive(cand, vac):
    eng = engine(candidates(cand), vacancies(vac))
    match = eng.evaluate_pairs([1], [1001]).match(0)
    assert 0.0 <= match.score <= 1.0
    assert all(0.0 <= s <= 1.0 for s in match.factors.values())
    assert abs(sum(match.contributions.values()) - match.score) < 1e-9
    ctx = naive_context(TAXONOMY, eng.commute, eng.weights)
    naive = score_pair_naive(naive_candidates(eng.candidates)[0], naive_vacancies(eng.vacancies)[0], ctx)
    assert naive.total == match.score
    assert naive.failed == match.failed_filters
    assert {k: v for k, v in naive.factors.items() if v is not None} == match.factors


@PROPERTY_SETTINGS
@given(candidate_spec, vacancy_spec, st.data())
def test_adding_a_required_skill_never_lowers_the_score(cand, vac, data):
    listed = sorted(set(vac["essential"]) | set(vac["optional"]))
    missing = [s for s in listed if s not in cand["skills"]]
    assume(missing)
    extra = data.draw(st.sampled_from(missing))
    better = {**cand, "skills": tuple(sorted(cand["skills"] + (extra,)))}
    eng = engine(candidates(cand, better), vacancies(vac))
    before, after = eng.evaluate_pairs([1, 2], [1001, 1001]).matches()
    assert after.score >= before.score
    assert after.factors["skills"] > before.factors["skills"]
    # The skill can only lift the essential-skills filter, never add a failure.
    assert set(after.failed_filters) <= set(before.failed_filters)
    assert set(before.failed_filters) - set(after.failed_filters) <= {"missing_essential_skills"}


@PROPERTY_SETTINGS
@given(candidate_spec, vacancy_spec, st.integers(0, PLACES.n - 1))
def test_moving_closer_never_lowers_the_score(cand, vac, other_place):
    assume(cand["place"] >= 0 and cand["commute_modes"] and cand["max_commute_minutes"] and vac["place"] >= 0)

    def best(place: int) -> int:
        return MODEL.best(place, vac["place"], cand["commute_modes"])[0]

    near, far = sorted([cand["place"], other_place], key=best)
    assume(best(near) < best(far))
    eng = engine(candidates({**cand, "place": far}, {**cand, "place": near}), vacancies(vac))
    at_far, at_near = eng.evaluate_pairs([1, 2], [1001, 1001]).matches()
    assert at_near.score >= at_far.score
    assert set(at_near.failed_filters) <= set(at_far.failed_filters)

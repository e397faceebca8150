"""Sharded ranking: shards ranked apart and merged give exactly the unsharded shortlists."""

import numpy as np
import pytest

from matching.engine import EngineConfig, MatchingEngine, Weights
from matching.engine.shards import merge, partial_from_results, partition, rank_shard, run_sharded, shard_of
from matching.engine.synthetic import SyntheticWorld

WORLD = SyntheticWorld.build(n_places=40, n_occupations=30, n_skills=120, seed=3)
CANDS = WORLD.candidates(1500, seed=3)
VACS = WORLD.vacancies(60, seed=3)
WEIGHTS = Weights(top_k=12)
CONFIG = EngineConfig(n_threads=1, chunk_size=16)


def _unsharded():
    engine = MatchingEngine(WORLD.places, WORLD.taxonomy, CANDS, VACS, WEIGHTS, config=CONFIG)
    return partial_from_results(engine.run(), CANDS.n)


def _assert_same(got, expected):
    assert got.vacancy_ids.tolist() == expected.vacancy_ids.tolist()
    assert got.offsets.tolist() == expected.offsets.tolist()
    assert got.candidate_ids.tolist() == expected.candidate_ids.tolist()
    assert got.scores.tolist() == expected.scores.tolist()  # bit for bit
    assert got.eligible.tolist() == expected.eligible.tolist()
    assert got.exclusions.tolist() == expected.exclusions.tolist()
    assert got.candidates_total == expected.candidates_total


@pytest.mark.parametrize("n_shards", [1, 2, 3, 7])
def test_sharded_equals_unsharded_for_several_shard_counts(n_shards):
    expected = _unsharded()
    assert expected.candidate_ids.size > 60 * 6  # real shortlists
    shards = partition(CANDS, n_shards)
    assert sum(s.n for s in shards) == CANDS.n
    assert all((shard_of(s.ids, n_shards) == i).all() for i, s in enumerate(shards))
    partials = [rank_shard(WORLD.places, WORLD.taxonomy, s, VACS, WEIGHTS, config=CONFIG) for s in shards]
    _assert_same(merge(partials, WEIGHTS.top_k), expected)


def test_ties_across_shards_go_to_the_lower_id():
    # Identical profiles under different ids: every score ties, so only the ids decide.
    twins = CANDS.take(np.zeros(40, dtype=np.int64), ids=np.arange(1000, 1040))
    partials = [rank_shard(WORLD.places, WORLD.taxonomy, s, VACS, WEIGHTS, config=CONFIG) for s in partition(twins, 3)]
    merged = merge(partials, WEIGHTS.top_k)
    open_to_them = np.flatnonzero(merged.eligible == 40)
    assert open_to_them.size > 0
    for v in open_to_them.tolist():
        ids, scores = merged.shortlist(int(merged.vacancy_ids[v]))
        assert ids.tolist() == list(range(1000, 1012))
        assert len(set(scores.tolist())) == 1
    assert merged.candidates_total == 40


def test_a_vacancy_chunk_of_a_shard_and_an_empty_shard():
    chunk = VACS.ids[:10].tolist()
    shards = partition(CANDS.take(np.arange(5)), 8)  # some shards hold nobody
    assert any(s.n == 0 for s in shards)
    partials = [
        rank_shard(WORLD.places, WORLD.taxonomy, s, VACS, WEIGHTS, vacancy_ids=chunk, config=CONFIG) for s in shards
    ]
    engine = MatchingEngine(WORLD.places, WORLD.taxonomy, CANDS.take(np.arange(5)), VACS, WEIGHTS, config=CONFIG)
    _assert_same(merge(partials, WEIGHTS.top_k), partial_from_results(engine.run(chunk), 5))
    with pytest.raises(ValueError):
        merge([partials[0], rank_shard(WORLD.places, WORLD.taxonomy, shards[0], VACS, WEIGHTS, config=CONFIG)], 12)


@pytest.mark.integration
def test_run_sharded_in_two_processes_equals_unsharded():
    merged, figures = run_sharded(
        WORLD.places, WORLD.taxonomy, CANDS, VACS, WEIGHTS, n_shards=2, n_workers=2, config=CONFIG
    )
    _assert_same(merged, _unsharded())
    assert len(figures["worker_peak_rss_mb"]) == 2
    assert all(mb > 0 for mb in figures["worker_peak_rss_mb"])


@pytest.mark.integration
def test_synthetic_register_run_generates_each_shard_in_its_own_process():
    from matching.engine.shards import _synthetic_task, run_synthetic

    merged, figures = run_synthetic(3000, 20, 3, 2, seed=1)
    assert merged.candidates_total == 3000
    assert merged.vacancy_ids.size == 20
    assert len(figures["worker_peak_rss_mb"]) == 3
    in_process = merge([_synthetic_task((s, 3, 3000, 20, 1, {}))[0] for s in range(3)], 50)
    _assert_same(merged, in_process)
    assert set(shard_of(merged.candidate_ids, 3).tolist()) == {0, 1, 2}

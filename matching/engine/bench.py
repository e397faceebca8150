"""Time the engine against the floor and the naive scorer on synthetic data.

    python -m matching.engine.bench --candidates 100000 --vacancies 10000 --threads 2

All figures come from one run on the same arrays:

* setup: MatchingEngine construction and its precomputation (sparse CSR skills, class indexes).
* ranking: every shortlist as arrays (scores, ids, exclusion counts) without building Match
  objects.
* everything: setup + ranking + every explained Match built (``run(explain=True)``, what the
  Django side persists).
* floor: the cheapest known way to the engine's shortlists, on the engine's own arrays with the
  same chunks and threads (``engine.floor_chunk``): the sparse skill product, the vectorised
  filters and factors (per-class rows), the block-maximum top-K and the exact re-score of the
  few kept; no exclusion counts, no result objects.  A test checks it gives the engine's
  shortlists.  floor_product is the sparse product alone.  engine_over_floor = (setup +
  ranking) / floor.
* naive: ``score_pair_naive`` timed on a sample of pairs, extrapolated to all pairs.

Wall times are what counts on an idle machine; CPU times (all threads) help on a shared one.
It also checks a few shortlists against the naive ranking (exit status 1 on a mismatch).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np

from .data import EngineConfig, Weights
from .engine import MatchingEngine, floor_run
from .naive import naive_candidates, naive_context, naive_vacancies, rank_vacancy_naive, score_pair_naive
from .synthetic import SyntheticWorld


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@contextmanager
def _timed(figures: dict, name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    figures[f"{name}_s"] = time.perf_counter() - wall
    figures[f"{name}_cpu_s"] = time.process_time() - cpu


def run(
    n_candidates: int, n_vacancies: int, threads: int, chunk_size: int, naive_pairs: int, check: int, seed: int = 0
) -> dict[str, float]:
    world = SyntheticWorld.build(seed=seed)
    candidates = world.candidates(n_candidates, seed=seed)
    vacancies = world.vacancies(n_vacancies, seed=seed)
    weights = Weights()
    config = EngineConfig(chunk_size=chunk_size, n_threads=threads)
    figures: dict[str, float] = {"pairs": n_candidates * n_vacancies, "threads": threads}
    figures["rss_after_data_mb"] = _peak_rss_mb()

    with _timed(figures, "setup"):
        engine = MatchingEngine(world.places, world.taxonomy, candidates, vacancies, weights, config=config)
        engine.prepare()
    with _timed(figures, "ranking"):
        shortlisted = sum(len(r.candidate_ids) for r in engine.run())
    figures["shortlisted"] = shortlisted

    del engine  # measure the second engine's memory alone
    with _timed(figures, "everything"):
        engine = MatchingEngine(world.places, world.taxonomy, candidates, vacancies, weights, config=config)
        n_matches = sum(len(r.matches) for r in engine.run(explain=True))
    figures["matches"] = n_matches
    figures["explain_us_per_match"] = (
        (figures["everything_s"] - figures["setup_s"] - figures["ranking_s"]) / max(n_matches, 1) * 1e6
    )
    figures["peak_rss_engine_mb"] = _peak_rss_mb()

    with _timed(figures, "floor"):
        data = engine.floor_data()
        floor_run(data, chunk_size=chunk_size, n_threads=threads)
    m = data.vw.shape[0]
    with _timed(figures, "floor_product"), ThreadPoolExecutor(threads) as pool:
        for _ in pool.map(lambda s: (data.vw[s : s + chunk_size] @ data.xt).toarray().shape, range(0, m, chunk_size)):
            pass

    ctx = naive_context(world.taxonomy, engine.commute, weights)
    rng = np.random.default_rng(seed)
    cands = naive_candidates(candidates.take(np.unique(rng.integers(0, n_candidates, min(naive_pairs, 5000)))))
    vacs = naive_vacancies(vacancies.take(np.unique(rng.integers(0, n_vacancies, min(naive_pairs, 500)))))
    pick_c = rng.integers(0, len(cands), naive_pairs).tolist()
    pick_v = rng.integers(0, len(vacs), naive_pairs).tolist()
    t = time.perf_counter()
    for a, b in zip(pick_c, pick_v):
        score_pair_naive(cands[a], vacs[b], ctx)
    per_pair = (time.perf_counter() - t) / max(naive_pairs, 1)
    figures["naive_us_per_pair"] = per_pair * 1e6
    figures["naive_extrapolated_s"] = per_pair * figures["pairs"]

    mismatches = 0
    if check:
        all_cands = naive_candidates(candidates)
        all_vacs = {v.id: v for v in naive_vacancies(vacancies)}
        ids = vacancies.ids[rng.choice(n_vacancies, min(check, n_vacancies), replace=False)]
        for result in engine.run(ids):
            expected = rank_vacancy_naive(all_cands, all_vacs[result.vacancy_id], ctx, weights.top_k)
            mismatches += list(zip(result.candidate_ids.tolist(), result.scores.tolist())) != expected
    figures["checked_vacancies"] = check
    figures["naive_mismatches"] = mismatches
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["ratio_ranking_vs_floor"] = (figures["setup_s"] + figures["ranking_s"]) / figures["floor_s"]
    figures["engine_over_floor"] = figures["ratio_ranking_vs_floor"]
    # CPU seconds of all threads: what a shared machine does not stretch
    figures["engine_over_floor_cpu"] = (figures["setup_cpu_s"] + figures["ranking_cpu_s"]) / figures["floor_cpu_s"]
    figures["ratio_everything_vs_floor"] = figures["everything_s"] / figures["floor_s"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--vacancies", type=int, default=1_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=128)
    parser.add_argument("--naive-pairs", type=int, default=20_000)
    parser.add_argument("--check", type=int, default=3, help="vacancies to compare with the naive ranking")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    figures = run(
        args.candidates, args.vacancies, args.threads, args.chunk_size, args.naive_pairs, args.check, args.seed
    )
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:,.3f}" if isinstance(value, float) else f"{key:<{width}}  {value:,}")
    return 1 if figures["naive_mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())

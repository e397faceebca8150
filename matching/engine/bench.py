"""Time the engine against the floor and the naive scorer on synthetic data.

    python -m matching.engine.bench --candidates 20000 --vacancies 1000 --threads 2

Prints, side by side from one run: engine setup, ranking (shortlists as arrays), explanations
(building every Match), the floor (sparse skill product + top-K argpartition per vacancy, on the
engine's own arrays, same threads and chunks), the naive per-pair scorer (timed on a sample and
extrapolated), and the peak RSS.  It also checks a few shortlists against the naive ranking.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np

from .data import EngineConfig, Weights
from .engine import MatchingEngine, floor_run
from .naive import naive_candidates, naive_context, naive_vacancies, rank_vacancy_naive, score_pair_naive
from .synthetic import SyntheticWorld


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def run(n_candidates: int, n_vacancies: int, threads: int, chunk_size: int, naive_pairs: int, check: int,
        seed: int = 0, explanations: bool = True) -> dict[str, float]:
    world = SyntheticWorld.build(seed=seed)
    candidates = world.candidates(n_candidates, seed=seed)
    vacancies = world.vacancies(n_vacancies, seed=seed)
    weights = Weights()
    config = EngineConfig(chunk_size=chunk_size, n_threads=threads)
    pairs = n_candidates * n_vacancies
    figures: dict[str, float] = {"pairs": pairs}
    rss_data = _peak_rss_mb()

    t = time.perf_counter()
    engine = MatchingEngine(world.places, world.taxonomy, candidates, vacancies, weights, config=config)
    engine.bulk  # noqa: B018 (prepare now, so it is timed here)
    figures["setup_s"] = time.perf_counter() - t

    # Consumed as the Django side would: each shortlist's matches are built, used, then dropped.
    t = time.perf_counter()
    explaining = 0.0
    n_matches = 0
    for result in engine.run():
        if explanations:
            t_explain = time.perf_counter()
            n_matches += len(result.matches)
            explaining += time.perf_counter() - t_explain
        else:
            n_matches += len(result.candidate_ids)
    figures["ranking_s"] = time.perf_counter() - t - explaining
    figures["matches"] = n_matches
    if explanations:
        figures["explanations_s"] = explaining
    figures["engine_total_s"] = figures["setup_s"] + figures["ranking_s"] + figures.get("explanations_s", 0.0)
    figures["peak_rss_engine_mb"] = _peak_rss_mb()

    data = engine.floor_data()
    t = time.perf_counter()
    floor_run(data, chunk_size=chunk_size, n_threads=threads)
    figures["floor_s"] = time.perf_counter() - t

    ctx = naive_context(world.taxonomy, engine.commute, weights)
    rng = np.random.default_rng(seed)
    sample_c = rng.integers(0, n_candidates, naive_pairs)
    sample_v = rng.integers(0, n_vacancies, naive_pairs)
    cands = naive_candidates(candidates.take(np.unique(sample_c)))
    vacs = naive_vacancies(vacancies.take(np.unique(sample_v)))
    t = time.perf_counter()
    for a, b in zip(rng.integers(0, len(cands), naive_pairs).tolist(), rng.integers(0, len(vacs), naive_pairs).tolist()):
        score_pair_naive(cands[a], vacs[b], ctx)
    per_pair = (time.perf_counter() - t) / max(naive_pairs, 1)
    figures["naive_us_per_pair"] = per_pair * 1e6
    figures["naive_extrapolated_s"] = per_pair * pairs

    mismatches = 0
    if check:
        all_cands = naive_candidates(candidates)
        all_vacs = naive_vacancies(vacancies)
        ids = vacancies.ids[rng.choice(n_vacancies, min(check, n_vacancies), replace=False)]
        for result in engine.run(ids):
            j = int(np.flatnonzero(vacancies.ids == result.vacancy_id)[0])
            expected = rank_vacancy_naive(all_cands, all_vacs[j], ctx, weights.top_k)
            got = list(zip(result.candidate_ids.tolist(), result.scores.tolist()))
            mismatches += got != expected
    figures["checked_vacancies"] = check
    figures["naive_mismatches"] = mismatches
    figures["peak_rss_mb"] = _peak_rss_mb()
    figures["rss_after_data_mb"] = rss_data
    engine_rank = figures["setup_s"] + figures["ranking_s"]
    figures["ratio_ranking_vs_floor"] = engine_rank / figures["floor_s"]
    figures["ratio_total_vs_floor"] = figures["engine_total_s"] / figures["floor_s"]
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=20_000)
    parser.add_argument("--vacancies", type=int, default=1_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=128)
    parser.add_argument("--naive-pairs", type=int, default=20_000)
    parser.add_argument("--check", type=int, default=3, help="vacancies to compare with the naive ranking")
    parser.add_argument("--no-explanations", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    figures = run(args.candidates, args.vacancies, args.threads, args.chunk_size, args.naive_pairs, args.check,
                  args.seed, explanations=not args.no_explanations)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:,.3f}" if isinstance(value, float) else f"{key:<{width}}  {value:,}")
    return 1 if figures["naive_mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""Sharded ranking: candidates split into shards, each shard ranked by an engine that holds only its
own candidates, and the partial top-K lists merged per vacancy.

Why the merge is exact: a pair's score (float64, pairs.py) depends only on the candidate and the
vacancy, and shortlists are ordered by the total order (score desc, candidate id asc).  So the
candidates of a shard that belong to a vacancy's global top K are among that shard's top K, and
the K best of the concatenated partial lists, in the same order, are the global top K: same
scores, same order, same tie-breaks.  Eligible counts and exclusion counts are sums over shards.

* ``shard_of(ids, n_shards)`` / ``partition(candidates, n_shards)``: shard = candidate id modulo
  the number of shards (stable as candidates come and go; balanced for sequential ids).
* ``rank_shard(...)``: one (vacancy chunk x candidate shard) task: an engine over the shard's
  candidates only, returning ``PartialShortlists`` (compact arrays, cheap to pickle).
* ``merge(partials, k)``: the global shortlists (and near misses).
* ``run_sharded(...)``: every shard in a process pool (each process receives and builds only its
  shard), merged; with wall time and peak memory per worker process.

``python -m matching.engine.shards --candidates 1000000 --vacancies 50000 --shards 8 --workers 2``
ranks a synthetic register that way, each process generating its own shard (docs/performance.md).
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from .commute import CommuteModel
from .data import CandidateProfiles, EngineConfig, Places, Taxonomy, VacancyProfiles, Weights
from .engine import MatchingEngine
from .results import VacancyResult
from .rules import REASONS


@dataclass(frozen=True, eq=False)
class PartialShortlists:
    """Shortlists of V vacancies over some candidates (a shard, or all after ``merge``).

    vacancy_ids: int64 (V,) ascending.  offsets: int64 (V + 1,): the list of vacancy v is
    ``[offsets[v], offsets[v + 1])`` of candidate_ids / scores (best first: score desc, id asc).
    eligible: int64 (V,) candidates passing every hard filter.  exclusions: int64 (V, len(REASONS))
    per-reason counts in REASONS order.  candidates_total: candidates these lists were drawn from.
    near_offsets, near_candidate_ids, near_scores: the near misses the same way (best first: score
    as if closed desc, id asc); merged like the shortlists, for the same reason (a pair's closed
    score depends only on the pair).
    """

    vacancy_ids: np.ndarray
    offsets: np.ndarray
    candidate_ids: np.ndarray
    scores: np.ndarray
    eligible: np.ndarray
    exclusions: np.ndarray
    candidates_total: int
    near_offsets: np.ndarray
    near_candidate_ids: np.ndarray
    near_scores: np.ndarray

    def near_misses(self, vacancy_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(candidate ids, scores as if closed) of one vacancy's near misses."""
        v = int(np.searchsorted(self.vacancy_ids, vacancy_id))
        if v >= self.vacancy_ids.size or self.vacancy_ids[v] != vacancy_id:
            raise KeyError(f"unknown vacancy id: {vacancy_id}")
        part = slice(int(self.near_offsets[v]), int(self.near_offsets[v + 1]))
        return self.near_candidate_ids[part], self.near_scores[part]

    def shortlist(self, vacancy_id: int) -> tuple[np.ndarray, np.ndarray]:
        """(candidate ids, scores) of one vacancy."""
        v = int(np.searchsorted(self.vacancy_ids, vacancy_id))
        if v >= self.vacancy_ids.size or self.vacancy_ids[v] != vacancy_id:
            raise KeyError(f"unknown vacancy id: {vacancy_id}")
        part = slice(int(self.offsets[v]), int(self.offsets[v + 1]))
        return self.candidate_ids[part], self.scores[part]

    def exclusions_of(self, vacancy_id: int) -> dict[str, int]:
        v = int(np.searchsorted(self.vacancy_ids, vacancy_id))
        return dict(zip(REASONS, self.exclusions[v].tolist()))


def shard_of(candidate_ids: np.ndarray, n_shards: int) -> np.ndarray:
    """The shard of each candidate id."""
    if n_shards < 1:
        raise ValueError("n_shards must be >= 1")
    return np.asarray(candidate_ids, dtype=np.int64) % n_shards


def partition(candidates: CandidateProfiles, n_shards: int) -> list[CandidateProfiles]:
    """The candidates of each shard (shard s at index s)."""
    shard = shard_of(candidates.ids, n_shards)
    return [candidates.take(shard == s) for s in range(n_shards)]


def partial_from_results(results: Iterable[VacancyResult], candidates_total: int) -> PartialShortlists:
    """Pack engine results (any order) as PartialShortlists, keeping only their arrays (streamed:
    a result's explanation data is dropped as soon as it has been read)."""
    vacancy_ids, lengths, ids, scores, eligible, exclusions = [], [], [], [], [], []
    near_lengths, near_ids, near_scores = [], [], []
    for r in results:
        near_lengths.append(len(r.near_miss_ids))
        near_ids.append(np.asarray(r.near_miss_ids, dtype=np.int64))
        near_scores.append(np.asarray(r.near_miss_scores, dtype=np.float64))
        vacancy_ids.append(r.vacancy_id)
        lengths.append(len(r.candidate_ids))
        ids.append(np.asarray(r.candidate_ids, dtype=np.int64))
        scores.append(np.asarray(r.scores, dtype=np.float64))
        eligible.append(r.eligible)
        exclusions.append([r.exclusions.get(x, 0) for x in REASONS])
    order = np.argsort(np.array(vacancy_ids, dtype=np.int64), kind="stable")
    counts = np.array(lengths, dtype=np.int64)[order]
    near_counts = np.array(near_lengths, dtype=np.int64)[order]
    pick = lambda parts, dtype: (  # noqa: E731
        np.concatenate([parts[i] for i in order.tolist()]) if parts else np.zeros(0, dtype)
    )
    return PartialShortlists(
        vacancy_ids=np.array(vacancy_ids, dtype=np.int64)[order],
        offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        candidate_ids=pick(ids, np.int64),
        scores=pick(scores, np.float64),
        eligible=np.array(eligible, dtype=np.int64)[order],
        exclusions=np.array(exclusions, dtype=np.int64).reshape(len(vacancy_ids), len(REASONS))[order],
        candidates_total=int(candidates_total),
        near_offsets=np.concatenate([[0], np.cumsum(near_counts)]).astype(np.int64),
        near_candidate_ids=pick(near_ids, np.int64),
        near_scores=pick(near_scores, np.float64),
    )


def rank_shard(
    places: Places,
    taxonomy: Taxonomy,
    candidates: CandidateProfiles,
    vacancies: VacancyProfiles,
    weights: Weights | None = None,
    *,
    vacancy_ids: Iterable[int] | None = None,
    commute: CommuteModel | None = None,
    config: EngineConfig | None = None,
) -> PartialShortlists:
    """Rank one (vacancy chunk x candidate shard): ``candidates`` are the shard's candidates only."""
    engine = MatchingEngine(places, taxonomy, candidates, vacancies, weights, commute=commute, config=config)
    return partial_from_results(engine.run(vacancy_ids), candidates.n)


def _merge_lists(
    n_vacancies: int, offsets: list[np.ndarray], ids: list[np.ndarray], scores: list[np.ndarray], k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(offsets, candidate ids, scores): the k best per vacancy (score desc, id asc) of the lists."""
    owner = np.concatenate([np.repeat(np.arange(n_vacancies), np.diff(o)) for o in offsets])
    cand, score = np.concatenate(ids), np.concatenate(scores)
    order = np.lexsort((cand, -score, owner))
    owner, cand, score = owner[order], cand[order], score[order]
    starts = np.searchsorted(owner, np.arange(n_vacancies))
    keep = np.arange(owner.size) - starts[owner] < k
    counts = np.bincount(owner[keep], minlength=n_vacancies)
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64), cand[keep], score[keep]


def merge(partials: Sequence[PartialShortlists], k: int, near_k: int | None = None) -> PartialShortlists:
    """The top k per vacancy over all partial lists (every partial covers the same vacancies), and
    the best near_k near misses (default: EngineConfig().near_miss_k)."""
    near_k = EngineConfig().near_miss_k if near_k is None else near_k
    if not partials:
        raise ValueError("nothing to merge")
    vacancy_ids = partials[0].vacancy_ids
    for p in partials[1:]:
        if not np.array_equal(p.vacancy_ids, vacancy_ids):
            raise ValueError("partial shortlists cover different vacancies")
    owner = np.concatenate([np.repeat(np.arange(vacancy_ids.size), np.diff(p.offsets)) for p in partials])
    cand = np.concatenate([p.candidate_ids for p in partials])
    score = np.concatenate([p.scores for p in partials])
    order = np.lexsort((cand, -score, owner))  # per vacancy: score desc, then candidate id asc
    owner, cand, score = owner[order], cand[order], score[order]
    starts = np.searchsorted(owner, np.arange(vacancy_ids.size))
    rank = np.arange(owner.size) - starts[owner]
    keep = rank < k
    counts = np.bincount(owner[keep], minlength=vacancy_ids.size)
    near_offsets, near_ids, near_scores = _merge_lists(
        vacancy_ids.size,
        [p.near_offsets for p in partials],
        [p.near_candidate_ids for p in partials],
        [p.near_scores for p in partials],
        near_k,
    )
    return PartialShortlists(
        vacancy_ids=vacancy_ids,
        offsets=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        candidate_ids=cand[keep],
        scores=score[keep],
        eligible=np.sum([p.eligible for p in partials], axis=0),
        exclusions=np.sum([p.exclusions for p in partials], axis=0),
        candidates_total=sum(p.candidates_total for p in partials),
        near_offsets=near_offsets,
        near_candidate_ids=near_ids,
        near_scores=near_scores,
    )


# --- processes -----------------------------------------------------------------------------------
def _peak_rss_mb() -> float:
    """Peak resident memory of this process's own image, in MB.

    VmHWM, not ru_maxrss: a spawned worker's ru_maxrss starts at its parent's RSS at fork time
    (Linux keeps the maximum across exec), which would hide the worker's own memory.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _shard_task(args: tuple) -> tuple[PartialShortlists, float, float, float]:
    """In a worker process: rank a shard; returns (partials, seconds, peak RSS of this process, CPU s)."""
    start, cpu = time.perf_counter(), time.process_time()
    partial = rank_shard(*args[:5], commute=args[5], config=args[6])
    return partial, time.perf_counter() - start, _peak_rss_mb(), time.process_time() - cpu


def _pool(n_workers: int) -> ProcessPoolExecutor:
    # spawn: a worker starts empty and holds only what it is sent (fork would share the parent's
    # pages, every candidate included, and blur the memory per worker).
    return ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("spawn"))


def run_sharded(
    places: Places,
    taxonomy: Taxonomy,
    candidates: CandidateProfiles,
    vacancies: VacancyProfiles,
    weights: Weights,
    *,
    n_shards: int,
    n_workers: int,
    commute: CommuteModel | None = None,
    config: EngineConfig | None = None,
) -> tuple[PartialShortlists, dict]:
    """Rank every shard in ``n_workers`` processes (each receives only its shard) and merge.

    ``config.row_cache_mb`` is the budget for all candidates: each shard gets its share.  A
    shard's rows are shorter in the same proportion, so as many rows fit and the cache hits as
    often, while memory per worker follows the shard's size.

    Returns (merged shortlists, figures: wall seconds, merge seconds, per-task wall and CPU
    seconds and the peak RSS in MB of the worker process that ran each task).
    """
    config = config or EngineConfig(n_threads=1)
    start = time.perf_counter()
    shards = partition(candidates, n_shards)
    share = lambda shard: max(1, round(config.row_cache_mb * shard.n / max(candidates.n, 1)))  # noqa: E731
    with _pool(n_workers) as pool:
        args = [
            (places, taxonomy, shard, vacancies, weights, commute, replace(config, row_cache_mb=share(shard)))
            for shard in shards
        ]
        done = list(pool.map(_shard_task, args))
    merge_start = time.perf_counter()
    merged = merge([d[0] for d in done], weights.top_k, config.near_miss_k)
    end = time.perf_counter()
    return merged, {
        "wall_s": end - start,
        "merge_s": end - merge_start,
        "task_s": [d[1] for d in done],
        "worker_peak_rss_mb": [d[2] for d in done],
        "task_cpu_s": [d[3] for d in done],
    }


def _synthetic_task(args: tuple) -> tuple[PartialShortlists, float, float, float]:
    """In a worker process: generate one shard of a synthetic register and rank it."""
    from .synthetic import SyntheticWorld

    shard, n_shards, n_candidates, n_vacancies, seed, world_kwargs = args
    start, cpu = time.perf_counter(), time.process_time()
    world = SyntheticWorld.build(seed=seed, **world_kwargs)
    size = n_candidates // n_shards + (shard < n_candidates % n_shards)
    people = world.candidates(size, seed=seed * 1000 + shard)
    people = people.take(slice(None), ids=(np.arange(size, dtype=np.int64) + 1) * n_shards + shard)  # id % n = shard
    jobs = world.vacancies(n_vacancies, seed=seed)
    partial = rank_shard(world.places, world.taxonomy, people, jobs, Weights(), config=EngineConfig(n_threads=1))
    return partial, time.perf_counter() - start, _peak_rss_mb(), time.process_time() - cpu


def run_synthetic(
    n_candidates: int, n_vacancies: int, n_shards: int, n_workers: int, seed: int = 0, **world_kwargs
) -> tuple[PartialShortlists, dict]:
    """A synthetic register ranked shard by shard; each process generates only its own shard."""
    start = time.perf_counter()
    with _pool(n_workers) as pool:
        args = [(s, n_shards, n_candidates, n_vacancies, seed, world_kwargs) for s in range(n_shards)]
        done = list(pool.map(_synthetic_task, args))
    merge_start = time.perf_counter()
    merged = merge([d[0] for d in done], Weights().top_k)
    end = time.perf_counter()
    return merged, {
        "wall_s": end - start,
        "merge_s": end - merge_start,
        "task_s": [d[1] for d in done],
        "worker_peak_rss_mb": [d[2] for d in done],
        "task_cpu_s": [d[3] for d in done],
        "parent_peak_rss_mb": _peak_rss_mb(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--vacancies", type=int, default=50_000)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skills", type=int, default=600, help="vocabulary size (the full ESCO: 13900)")
    parser.add_argument("--occupations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    merged, figures = run_synthetic(
        args.candidates,
        args.vacancies,
        args.shards,
        args.workers,
        args.seed,
        n_skills=args.skills,
        n_occupations=args.occupations,
    )
    print(f"candidates x vacancies  {merged.candidates_total:,} x {merged.vacancy_ids.size:,}")
    print(f"shards / workers        {args.shards} / {args.workers}")
    print(f"wall time               {figures['wall_s']:,.1f} s (merge {figures['merge_s']:.2f} s)")
    print(f"task time per shard     {', '.join(f'{t:.1f}' for t in figures['task_s'])} s")
    print(f"task CPU per shard      {', '.join(f'{t:.1f}' for t in figures['task_cpu_s'])} s")
    print(f"peak RSS per worker     {max(figures['worker_peak_rss_mb']):,.0f} MB (max over tasks)")
    print(f"peak RSS of the parent  {figures['parent_peak_rss_mb']:,.0f} MB")
    print(f"shortlisted             {merged.candidate_ids.size:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Sharded rebuilds (MATCHING_SHARDS > 1): each rebuild part is ranked shard by shard by workers
that hold only their shard's candidates, and the partial shortlists are merged exactly.

* A shard is the candidates with ``id % N == s`` (engine.shards.shard_of, chosen in SQL by
  profiles.candidates_of_shard); its parts go to the queue ``matching.shard.<s>``.
* ``shard_part_rank``: the worker's engine over its shard (cached per process, like
  shortlists.engine_inputs) ranks the part's vacancies; the partial lists (ids and scores only)
  are stored in the part's RebuildShardPart row with the number of candidates the engine held.
* ``shard_part_merge``: the shard that completes a part last (row locks on the part's shard rows:
  exactly once) merges the partials with engine.shards.merge, the exact top K and near misses.
  The stored matches need explanations (factors, reasons, gaps), which the partials do not carry:
  the merging worker builds an engine over just the part's winners (its shortlisted candidates,
  its near misses and the candidates of the part's stored matches, whose decisions are refreshed)
  and runs the part again over them.  A pair's score depends only on the pair, so that engine
  finds the same lists (checked: a difference raises); the counts (eligible, exclusions, total)
  come from the merge, summed over the shards.  The result is persisted by the same code as an
  unsharded part (shortlists.rebuild_results_persist).  Memory of the merge: chunk size x (K +
  near misses) candidates at most, whatever the register's size.
"""

import io
import os
import threading
import time
from dataclasses import fields, replace

import numpy as np
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from candidates.models import Candidate
from vacancies.models import Vacancy

from .engine.shards import PartialShortlists, merge, partial_from_results
from .models import Match, MatchingState, MatchingWeights, RebuildRun, RebuildShardPart, RebuildStatus
from .profiles import candidate_profiles_build, candidates_of_shard, reference_index_build, weights_versioned
from .shortlists import EngineInputs, build_engine, engine_config, open_vacancies_keep, rebuild_results_persist
from .travel import commute_model_build

_cache: dict = {}
_cache_lock = threading.Lock()


def shard_queue(shard: int) -> str:
    return f"matching.shard.{shard}"


def _reference(reference_version: int):
    """(reference index, commute model), cached per process until the reference data changes."""
    cached = _cache.get("reference")
    if cached is None or cached[0] != reference_version:
        index = reference_index_build()
        cached = (reference_version, index, commute_model_build(index.places))
        _cache["reference"] = cached
    return cached[1], cached[2]


def shard_inputs(shard: int, n_shards: int) -> EngineInputs:
    """The shard's candidates only, as engine profiles, cached per process until they change."""
    state = MatchingState.current()
    seen = candidates_of_shard(shard, n_shards).aggregate(
        n=Count("id"), last_id=Max("id"), last_change=Max("updated_at")
    )
    key = (shard, n_shards, state.candidates_version, state.reference_version, *seen.values())
    with _cache_lock:
        cached = _cache.get(("inputs", shard, n_shards))
        if cached is not None and cached.key == key:
            return cached
        _cache.pop(("inputs", shard, n_shards), None)
        _cache.pop(("engine", shard, n_shards), None)
        index, commute = _reference(state.reference_version)
        inputs = EngineInputs(
            key=key,
            index=index,
            commute=commute,
            candidates=candidate_profiles_build(index=index, candidates=candidates_of_shard(shard, n_shards)),
        )
        _cache[("inputs", shard, n_shards)] = inputs
        return inputs


def _shard_engine(inputs: EngineInputs, shard: int, n_shards: int):
    """One engine over the shard x every open vacancy, reused by the parts this process ranks."""
    seen = Vacancy.objects.aggregate(n=Count("id"), last_id=Max("id"), last_change=Max("updated_at"))
    key = (*inputs.key, *seen.values(), MatchingWeights.objects.aggregate(v=Max("version"))["v"])
    with _cache_lock:
        cached = _cache.get(("engine", shard, n_shards))
        if cached is not None and cached[0] == key:
            return cached[1]
        _cache.pop(("engine", shard, n_shards), None)
        engine = build_engine(inputs=inputs)
        _cache[("engine", shard, n_shards)] = (key, engine)
        return engine


# --- partial lists as bytes ------------------------------------------------------------------------
def partial_pack(partial: PartialShortlists) -> bytes:
    buffer = io.BytesIO()
    arrays = {f.name: getattr(partial, f.name) for f in fields(partial) if f.name != "candidates_total"}
    np.savez(buffer, candidates_total=np.int64(partial.candidates_total), **arrays)
    return buffer.getvalue()


def partial_unpack(data: bytes) -> PartialShortlists:
    with np.load(io.BytesIO(bytes(data))) as stored:
        values = {name: stored[name] for name in stored.files}
    return PartialShortlists(**{**values, "candidates_total": int(values["candidates_total"])})


def partial_restrict(partial: PartialShortlists, vacancy_ids: list[int]) -> PartialShortlists:
    """The lists of these vacancies only (a vacancy closed or opened while the shards ranked)."""
    keep = np.isin(partial.vacancy_ids, np.asarray(vacancy_ids, dtype=np.int64))

    def pick(offsets, *values):
        rows = np.repeat(keep, np.diff(offsets))
        counts = np.diff(offsets)[keep]
        return (np.concatenate([[0], np.cumsum(counts)]).astype(np.int64), *(v[rows] for v in values))

    offsets, ids, scores = pick(partial.offsets, partial.candidate_ids, partial.scores)
    near_offsets, near_ids, near_scores = pick(partial.near_offsets, partial.near_candidate_ids, partial.near_scores)
    return replace(
        partial,
        vacancy_ids=partial.vacancy_ids[keep],
        offsets=offsets,
        candidate_ids=ids,
        scores=scores,
        eligible=partial.eligible[keep],
        exclusions=partial.exclusions[keep],
        near_offsets=near_offsets,
        near_candidate_ids=near_ids,
        near_scores=near_scores,
    )


# --- the two steps of a shard part ---------------------------------------------------------------
def shard_part_rank(*, run_id: int, index: int, shard: int, n_shards: int, vacancy_ids: list[int]) -> bool:
    """Rank a part's open vacancies over this shard and store the partial lists. Returns whether it ran."""
    if not RebuildRun.objects.filter(pk=run_id, status=RebuildStatus.RUNNING).exists():
        return False  # a late copy of a part of a run that finished, failed or was superseded
    inputs = shard_inputs(shard, n_shards)
    open_ids = list(Vacancy.objects.open_for_matching().filter(pk__in=vacancy_ids).values_list("pk", flat=True))
    engine = _shard_engine(inputs, shard, n_shards)
    if not set(open_ids) <= set(engine.vacancies.ids.tolist()):  # opened after the engine was built
        engine = build_engine(inputs=inputs, vacancies=Vacancy.objects.filter(pk__in=open_ids))
    results = engine.run(open_ids) if open_ids else []
    partial = partial_from_results(results, inputs.candidates.n)
    RebuildShardPart.objects.filter(run_id=run_id, index=index, shard=shard).update(
        partial=partial_pack(partial), candidates_held=inputs.candidates.n, pid=os.getpid(), updated_at=timezone.now()
    )
    return True


def shard_part_merge(*, run_id: int, index: int, vacancy_ids: list[int]) -> bool:
    """Merge and persist the part if every shard has ranked it (once: the shard rows are locked and
    shard 0's row is marked). Returns whether the part is merged (now or before)."""
    started = time.monotonic()
    with transaction.atomic():
        parts = list(RebuildShardPart.objects.select_for_update().filter(run_id=run_id, index=index).order_by("shard"))
        if not parts:
            return False
        if parts[0].merged_at is not None:
            return True
        if any(part.partial is None for part in parts):
            return False  # another shard's worker merges it when it is done
        open_ids = open_vacancies_keep(vacancy_ids)
        if open_ids:
            partials = [partial_restrict(partial_unpack(part.partial), open_ids) for part in parts]
            common = set.intersection(*(set(p.vacancy_ids.tolist()) for p in partials))
            if common != set(open_ids):  # opened while the shards ranked: its next rematch lists it
                open_ids = sorted(common)
                partials = [partial_restrict(p, open_ids) for p in partials]
        if open_ids:
            _merged_persist(partials, run_id=run_id, vacancy_ids=vacancy_ids, open_ids=open_ids, started=started)
        RebuildShardPart.objects.filter(pk=parts[0].pk).update(merged_at=timezone.now())
        # The partial lists have served; the rows keep who ranked what (candidates held, pid).
        RebuildShardPart.objects.filter(run_id=run_id, index=index).update(partial=None)
    return True


def _merged_persist(
    partials: list[PartialShortlists], *, run_id: int, vacancy_ids: list[int], open_ids: list[int], started: float
) -> int:
    state = MatchingState.current()
    index, commute = _reference(state.reference_version)
    config = engine_config()
    # The candidates whose pairs are stored: the merged winners and those of the stored matches.
    stored = Match.objects.filter(vacancy_id__in=open_ids).values_list("candidate_id", flat=True)
    weights, _ = weights_versioned()  # the shards ranked with the same weights
    merged = merge(partials, weights.top_k, config.near_miss_k)
    winners = set(merged.candidate_ids.tolist()) | set(merged.near_candidate_ids.tolist()) | set(stored)
    inputs = EngineInputs(
        key=None,
        index=index,
        commute=commute,
        candidates=candidate_profiles_build(index=index, candidates=Candidate.objects.filter(pk__in=winners)),
    )
    engine = build_engine(inputs=inputs, vacancies=Vacancy.objects.filter(pk__in=open_ids))
    results = []
    for result in engine.run(open_ids):
        ids, _ = merged.shortlist(result.vacancy_id)
        near_ids, _ = merged.near_misses(result.vacancy_id)
        if not (np.array_equal(result.candidate_ids, ids) and np.array_equal(result.near_miss_ids, near_ids)):
            raise RuntimeError(f"merged shortlist of vacancy {result.vacancy_id} differs from its winners' ranking")
        v = int(np.searchsorted(merged.vacancy_ids, result.vacancy_id))
        results.append(
            replace(
                result,
                candidates_total=merged.candidates_total,
                eligible=int(merged.eligible[v]),
                exclusions=merged.exclusions_of(result.vacancy_id),
            )
        )
    return rebuild_results_persist(
        results_chunks=[results],
        engine=engine,
        index=index,
        started=started,
        run_id=run_id,
        vacancy_ids=vacancy_ids,
        open_ids=open_ids,
        extra={"shards": len(partials), "candidates_merged": merged.candidates_total},
    )

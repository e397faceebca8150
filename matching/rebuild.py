"""The full rebuild: every open vacancy against every candidate, split into parts (chunks)
that several workers share, with progress readable from RebuildRun.

A rebuild must finish even when a worker dies under it (docs/operations.md, "Rebuilds: the
watchdog"). Each part is recorded (RebuildChunk) before its task is sent; the part that
marks itself done last finishes the run (under a row lock, so exactly once); and a watchdog
on beat sends again the parts of a run that made no progress for a while, and fails the run
after a few attempts. Running a part twice is harmless: ``vacancies_rematch`` upserts.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from candidates.models import Candidate
from vacancies.models import Vacancy

from . import runlog, sharding
from .engine.rules import candidate_gaps
from .models import (
    REBUILD_SUPERSEDED,
    Match,
    RebuildChunk,
    RebuildChunkStatus,
    RebuildRun,
    RebuildShardPart,
    RebuildStatus,
)
from .shortlists import engine_inputs, removable_proposals, vacancies_rematch

logger = logging.getLogger(__name__)


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def rebuild_start(*, chunk_size: int | None = None) -> RebuildRun:
    """Create the run and its parts, drop proposals of vacancies that closed, and queue one
    task per part."""
    # A run still "running" was interrupted (a worker died): this one supersedes it.
    RebuildRun.objects.filter(status=RebuildStatus.RUNNING).update(
        status=RebuildStatus.FAILED, finished_at=timezone.now(), error=REBUILD_SUPERSEDED
    )
    vacancy_ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("id", flat=True))
    chunks = _chunks(vacancy_ids, chunk_size or settings.MATCHING_CHUNK_VACANCIES)
    with transaction.atomic():
        run = RebuildRun.objects.create(
            chunks_total=len(chunks),
            vacancies_total=len(vacancy_ids),
            candidates_total=Candidate.objects.count(),
            last_progress_at=timezone.now(),
        )
        RebuildChunk.objects.bulk_create(
            RebuildChunk(run=run, index=index, vacancy_ids=ids, attempts=1) for index, ids in enumerate(chunks)
        )
        n_shards = settings.MATCHING_SHARDS
        if n_shards > 1:  # each part ranked per shard, then merged (matching/sharding.py)
            RebuildShardPart.objects.bulk_create(
                RebuildShardPart(run=run, index=index, shard=shard, n_shards=n_shards)
                for index in range(len(chunks))
                for shard in range(n_shards)
            )
    removable_proposals(Match.objects.exclude(vacancy_id__in=vacancy_ids)).delete()
    if not chunks:
        rebuild_finish(run_id=run.pk)
    for index, ids in enumerate(chunks):
        _send_chunk(run_id=run.pk, index=index, vacancy_ids=ids)
    run.refresh_from_db()
    return run


def _send_chunk(*, run_id: int, index: int, vacancy_ids: list[int]) -> None:
    """Send a part: one task, or in a sharded run one task per shard still to rank it, each to
    its shard's queue (all ranked but not merged: the merging worker died; shard 0 ranks again
    and merges)."""
    from . import tasks

    parts = RebuildShardPart.objects.filter(run_id=run_id, index=index).order_by("shard")
    shards = list(parts.values_list("shard", "n_shards"))
    if not shards:
        tasks.rebuild_chunk.delay(run_id, vacancy_ids, index)
        return
    missing = list(parts.filter(partial__isnull=True).values_list("shard", "n_shards")) or shards[:1]
    for shard, n_shards in missing:
        tasks.rebuild_shard_part.apply_async(
            (run_id, vacancy_ids, index, shard, n_shards), queue=sharding.shard_queue(shard)
        )


def rebuild_chunk(*, run_id: int, vacancy_ids: list[int], index: int | None = None) -> int:
    """Rematch one part; the part done last finishes the run. ``index`` is None for a part
    queued before parts were recorded (the old chord): it only counts."""
    if index is not None and not RebuildRun.objects.filter(pk=run_id, status=RebuildStatus.RUNNING).exists():
        return 0  # a late copy of a part of a run that finished, failed or was superseded
    written = vacancies_rematch(vacancy_ids=vacancy_ids, run_id=run_id)
    if index is None:
        RebuildRun.objects.filter(pk=run_id).update(chunks_done=F("chunks_done") + 1)
        return written
    rebuild_chunk_done(run_id=run_id, index=index)
    return written


def rebuild_shard_part(*, run_id: int, vacancy_ids: list[int], index: int, shard: int, n_shards: int) -> bool:
    """Rank a part over one shard; the shard that completes the part merges and persists it.
    The run is finished on the default queue: its audit record digests every candidate, which a
    shard's worker does not hold."""
    if not sharding.shard_part_rank(
        run_id=run_id, index=index, shard=shard, n_shards=n_shards, vacancy_ids=vacancy_ids
    ):
        return False
    if not sharding.shard_part_merge(run_id=run_id, index=index, vacancy_ids=vacancy_ids):
        return False
    rebuild_chunk_done(run_id=run_id, index=index, finish_elsewhere=True)
    return True


def rebuild_chunk_done(*, run_id: int, index: int, finish_elsewhere: bool = False) -> None:
    """Mark a part done (counted once, however often it ran) and finish the run if it was the last
    (``finish_elsewhere``: by a task on the default queue)."""
    now = timezone.now()
    with transaction.atomic():
        # The run's row first, then the part's: the order the watchdog locks them in (no deadlock).
        list(RebuildRun.objects.select_for_update().filter(pk=run_id).values_list("pk", flat=True))
        marked = RebuildChunk.objects.filter(run_id=run_id, index=index, status=RebuildChunkStatus.PENDING).update(
            status=RebuildChunkStatus.DONE, updated_at=now
        )
        if marked:
            RebuildRun.objects.filter(pk=run_id).update(chunks_done=F("chunks_done") + 1, last_progress_at=now)
    if not RebuildChunk.objects.filter(run_id=run_id, status=RebuildChunkStatus.PENDING).exists():
        if finish_elsewhere:
            from . import tasks

            transaction.on_commit(lambda: tasks.rebuild_finish.delay([], run_id))
        else:
            rebuild_finish(run_id=run_id)


def rebuild_finish(*, run_id: int) -> bool:
    """Finish a running run whose parts are all done: exactly once, whoever calls it (the last
    part, the watchdog, an old chord's callback). Returns whether this call finished it."""
    if not RebuildRun.objects.filter(pk=run_id, status=RebuildStatus.RUNNING).exists():
        return False
    # The candidates' gaps load every profile: computed before taking the lock, so that the
    # other parts finishing at the same moment wait only for the short write below.
    inputs = engine_inputs()
    counts = candidate_gaps(inputs.candidates).counts
    with transaction.atomic():
        run = RebuildRun.objects.select_for_update().filter(pk=run_id, status=RebuildStatus.RUNNING).first()
        if run is None or run.chunks.filter(status=RebuildChunkStatus.PENDING).exists():
            return False
        finished = timezone.now()
        RebuildRun.objects.filter(pk=run_id).update(
            status=RebuildStatus.DONE,
            finished_at=finished,
            exclusions=counts,
            chunks_done=F("chunks_total"),
            last_progress_at=finished,
        )
        run.refresh_from_db()
        runlog.rebuild_run_record(run=run, inputs=inputs)
    if run.stalls:
        logger.warning(
            "Rebuild %s finished after %s stall(s); %s part(s) re-sent", run_id, run.stalls, run.chunks_resent
        )
    return True


def rebuild_fail(*, run_id: int, error: str) -> None:
    logger.error("Rebuild %s failed: %s", run_id, error)
    RebuildRun.objects.filter(pk=run_id).update(
        status=RebuildStatus.FAILED, finished_at=timezone.now(), error=error[:5000]
    )


def rebuild_watchdog(*, now=None) -> list[tuple[int, str]]:
    """Look after running runs without progress for MATCHING_REBUILD_STALL_SECONDS: finish
    them if every part is done, else send their missing parts again, or fail them once a
    part was sent MATCHING_REBUILD_MAX_ATTEMPTS times. Returns (run id, what was done)."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.MATCHING_REBUILD_STALL_SECONDS)
    stalled = (
        RebuildRun.objects.filter(status=RebuildStatus.RUNNING)
        .annotate(progress_at=Coalesce("last_progress_at", "started_at"))
        .filter(progress_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [(run_id, _watch(run_id=run_id, cutoff=cutoff, now=now)) for run_id in stalled]


def _watch(*, run_id: int, cutoff, now) -> str:
    max_attempts = settings.MATCHING_REBUILD_MAX_ATTEMPTS
    with transaction.atomic():
        # skip_locked: a part finishing the run right now holds the lock; nothing to do then.
        run = (
            RebuildRun.objects.select_for_update(skip_locked=True)
            .filter(pk=run_id, status=RebuildStatus.RUNNING)
            .first()
        )
        if run is None or (run.last_progress_at or run.started_at) >= cutoff:
            return "moving"
        recorded = run.chunks.count()
        pending = list(run.chunks.select_for_update().filter(status=RebuildChunkStatus.PENDING).order_by("index"))
        if recorded < run.chunks_total:  # started before parts were recorded: nothing to re-send
            error = "Interrupted: its parts were not recorded, so they cannot be sent again. Start a new rebuild."
        elif pending and max(chunk.attempts for chunk in pending) >= max_attempts:
            error = (
                f"No progress after {max_attempts} attempt(s): {len(pending)} of {run.chunks_total} part(s) "
                "never finished. See the worker log, then start a new rebuild."
            )
        else:
            error = ""
        if error:
            rebuild_fail(run_id=run_id, error=error)
            return "failed"
        if pending:
            for chunk in pending:
                chunk.attempts += 1
            RebuildChunk.objects.bulk_update(pending, ["attempts"])
            RebuildRun.objects.filter(pk=run_id).update(
                stalls=F("stalls") + 1, chunks_resent=F("chunks_resent") + len(pending), last_progress_at=now
            )
            logger.error(
                "Rebuild %s stalled: no progress for %s s; re-sent %s part(s) (attempt %s of %s)",
                run_id,
                settings.MATCHING_REBUILD_STALL_SECONDS,
                len(pending),
                max(chunk.attempts for chunk in pending),
                max_attempts,
            )
            for chunk in pending:
                transaction.on_commit(
                    lambda c=chunk: _send_chunk(run_id=run_id, index=c.index, vacancy_ids=c.vacancy_ids)
                )
            return "resent"
    # Every part is done but the run is not: the worker died between its last part and the finish.
    return "finished" if rebuild_finish(run_id=run_id) else "moving"


def rebuild_latest() -> RebuildRun | None:
    return RebuildRun.objects.order_by("-started_at").first()

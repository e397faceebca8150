"""Celery tasks of the matching worker: thin wrappers that take ids and call services.

Every service they call is idempotent (bulk upserts keyed on candidate+vacancy), so
``acks_late`` with ``task_reject_on_worker_lost`` (settings) may safely run a task twice.
"""

import gc
import logging

from celery import shared_task
from celery.signals import worker_process_init
from django.utils import timezone

from . import outbox, rebuild, requirements, shortlists
from .models import RematchKind
from .pause import portal_pause

logger = logging.getLogger(__name__)


@worker_process_init.connect
def tune_garbage_collector(**kwargs) -> None:
    # A rebuild allocates millions of small explanation dicts that live on; the default
    # thresholds make the collector rescan them over and over (measured: ~40% of the time).
    gc.set_threshold(50_000, 20, 100)


RETRY = {
    "autoretry_for": (Exception,),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
}


def _paused(what: str) -> bool:
    """The stop button: while the portal is paused a task does nothing and leaves its outbox
    row, so that the resume (matching.services.matching_resume) catches up."""
    pause = portal_pause()
    if pause is None:
        return False
    logger.info("Matching paused since %s (pause %s): %s not run", pause.paused_at, pause.pk, what)
    return True


@shared_task(name="matching.tasks.rematch_vacancy", **RETRY)
def rematch_vacancy(vacancy_id: int) -> dict:
    if _paused(f"rematch of vacancy {vacancy_id}"):
        return {"vacancy": vacancy_id, "paused": True}
    started = timezone.now()
    result = shortlists.vacancy_rematch(vacancy_id=vacancy_id)
    outbox.done(kind=RematchKind.VACANCY, object_id=vacancy_id, started_at=started)
    return result


@shared_task(name="matching.tasks.rematch_candidate", **RETRY)
def rematch_candidate(candidate_id: int) -> dict:
    if _paused(f"rematch of candidate {candidate_id}"):
        return {"candidate": candidate_id, "paused": True}
    started = timezone.now()
    result = shortlists.candidate_rematch(candidate_id=candidate_id)
    outbox.done(kind=RematchKind.CANDIDATE, object_id=candidate_id, started_at=started)
    return result


@shared_task(name="matching.tasks.rebuild_all", **RETRY)
def rebuild_all() -> int:
    """Start a full rebuild: split the open vacancies into chunks shared by the workers."""
    if _paused("full rebuild"):
        return 0
    started = timezone.now()
    run = rebuild.rebuild_start()
    outbox.done(kind=RematchKind.ALL, object_id=None, started_at=started)
    return run.pk


@shared_task(name="matching.tasks.rebuild_chunk", **RETRY)
def rebuild_chunk(run_id: int, vacancy_ids: list[int], index: int | None = None) -> int:
    if _paused(f"chunk of rebuild {run_id}"):
        return 0  # a pause during a rebuild: the remaining chunks change nothing
    return rebuild.rebuild_chunk(run_id=run_id, vacancy_ids=vacancy_ids, index=index)


@shared_task(name="matching.tasks.rebuild_shard_part", **RETRY)
def rebuild_shard_part(run_id: int, vacancy_ids: list[int], index: int, shard: int, n_shards: int) -> bool:
    """One shard of a rebuild part, on the queue matching.shard.<shard> (MATCHING_SHARDS > 1)."""
    if _paused(f"shard {shard} of a chunk of rebuild {run_id}"):
        return False
    return rebuild.rebuild_shard_part(
        run_id=run_id, vacancy_ids=vacancy_ids, index=index, shard=shard, n_shards=n_shards
    )


# rebuild_finish and rebuild_failed were the callbacks of the chord that rebuilds used to be;
# kept for messages still queued from before. An unsharded run finishes with its last part; a
# sharded run's last part sends rebuild_finish to the default queue (matching/rebuild.py).
@shared_task(name="matching.tasks.rebuild_finish", **RETRY)
def rebuild_finish(results: list, run_id: int) -> None:
    rebuild.rebuild_finish(run_id=run_id)


@shared_task(name="matching.tasks.rebuild_failed")
def rebuild_failed(run_id: int) -> None:
    rebuild.rebuild_fail(run_id=run_id, error="A chunk failed after its retries; see the worker log.")


@shared_task(name="matching.tasks.rebuild_watchdog")
def rebuild_watchdog() -> list:
    """On beat: re-send the lost parts of a stalled rebuild, or fail it (matching.rebuild)."""
    if _paused("rebuild watchdog"):
        return []  # no part runs during a pause: that is no stall (the resume starts a new rebuild)
    return rebuild.rebuild_watchdog()


@shared_task(name="matching.tasks.sweep_pending_rematches")
def sweep_pending_rematches() -> int:
    """Re-send rematch requests that never reached the broker (it was down)."""
    return outbox.sweep()


@shared_task(name="matching.tasks.requirement_costs_compute", **RETRY)
def requirement_costs_compute(vacancy_id: int) -> dict:
    """The requirement panel of one vacancy, asked for from its page (matching.requirements)."""
    if _paused(f"requirement panel of vacancy {vacancy_id}"):
        return {"vacancy": vacancy_id, "paused": True}
    panel = requirements.requirement_costs_refresh(vacancy_id=vacancy_id)
    return {"vacancy": vacancy_id, "open": panel is not None}

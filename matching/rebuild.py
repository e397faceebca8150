"""The full rebuild: every open vacancy against every candidate, split into chunks that
several workers share (a Celery chord), with progress readable from RebuildRun."""

import logging

from celery import chord
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from candidates.models import Candidate
from vacancies.models import Vacancy

from . import runlog
from .engine.rules import candidate_gaps
from .models import Match, RebuildRun, RebuildStatus
from .shortlists import engine_inputs, removable_proposals, vacancies_rematch

logger = logging.getLogger(__name__)


def _chunks(ids: list[int], size: int) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def rebuild_start(*, chunk_size: int | None = None) -> RebuildRun:
    """Create the run, drop proposals of vacancies that closed, and queue one task per chunk."""
    from . import tasks

    # A run still "running" was interrupted (a worker died): this one supersedes it.
    RebuildRun.objects.filter(status=RebuildStatus.RUNNING).update(
        status=RebuildStatus.FAILED, finished_at=timezone.now(), error="Superseded by a newer rebuild."
    )
    vacancy_ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("id", flat=True))
    chunks = _chunks(vacancy_ids, chunk_size or settings.MATCHING_CHUNK_VACANCIES)
    run = RebuildRun.objects.create(
        chunks_total=len(chunks), vacancies_total=len(vacancy_ids), candidates_total=Candidate.objects.count()
    )
    removable_proposals(Match.objects.exclude(vacancy_id__in=vacancy_ids)).delete()
    if not chunks:
        rebuild_finish(run_id=run.pk)
        return run
    header = [tasks.rebuild_chunk.s(run.pk, ids) for ids in chunks]
    callback = tasks.rebuild_finish.s(run.pk).on_error(tasks.rebuild_failed.si(run.pk))
    chord(header)(callback)
    return run


def rebuild_chunk(*, run_id: int, vacancy_ids: list[int]) -> int:
    written = vacancies_rematch(vacancy_ids=vacancy_ids, run_id=run_id)
    RebuildRun.objects.filter(pk=run_id).update(chunks_done=F("chunks_done") + 1)
    return written


def rebuild_finish(*, run_id: int) -> None:
    inputs = engine_inputs()
    counts = candidate_gaps(inputs.candidates).counts
    finished = timezone.now()
    RebuildRun.objects.filter(pk=run_id).update(
        status=RebuildStatus.DONE, finished_at=finished, exclusions=counts, chunks_done=F("chunks_total")
    )
    run = RebuildRun.objects.get(pk=run_id)
    runlog.rebuild_run_record(run=run, inputs=inputs)


def rebuild_fail(*, run_id: int, error: str) -> None:
    logger.error("Rebuild %s failed: %s", run_id, error)
    RebuildRun.objects.filter(pk=run_id).update(
        status=RebuildStatus.FAILED, finished_at=timezone.now(), error=error[:5000]
    )


def rebuild_latest() -> RebuildRun | None:
    return RebuildRun.objects.order_by("-started_at").first()

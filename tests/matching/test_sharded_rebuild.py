"""Sharded rebuilds (MATCHING_SHARDS > 1, matching/sharding.py): the shortlists, near misses and
summaries equal those of an unsharded rebuild of the same region, and each worker holds only its
shard's candidates.

The first tests run the parts in this process (eager Celery); the integration test starts two
real workers, one per shard queue."""

import numpy as np
import pytest

from audit.models import AuditEvent
from candidates.models import Candidate
from demo.services import demo_region_seed
from matching import rebuild, tasks
from matching.engine.shards import shard_of
from matching.models import (
    Match,
    NearMiss,
    RebuildChunk,
    RebuildChunkStatus,
    RebuildRun,
    RebuildShardPart,
    RebuildStatus,
    ShortlistSummary,
)
from matching.profiles import candidates_of_shard
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for


def outcome() -> dict:
    """What a rebuild leaves: matches, near misses and summaries (scores rounded to 1e-9)."""
    return {
        "matches": {
            (c, v, round(score, 9), rank, str(factors), str(explanation), flagged)
            for c, v, score, rank, factors, explanation, flagged in Match.objects.values_list(
                "candidate_id", "vacancy_id", "score", "rank", "factors", "explanation", "is_flagged"
            )
        },
        "near_misses": {
            (c, v, round(score, 9), rank, kind, str(gap), str(explanation))
            for c, v, score, rank, kind, gap, explanation in NearMiss.objects.values_list(
                "candidate_id", "vacancy_id", "score", "rank", "kind", "gap", "explanation"
            )
        },
        "summaries": {
            (v, total, eligible, str(sorted(exclusions.items())), near)
            for v, total, eligible, exclusions, near in ShortlistSummary.objects.values_list(
                "vacancy_id", "candidates_total", "eligible", "exclusions", "near_misses"
            )
        },
    }


def forget_outcome() -> None:
    Match.objects.all().delete()
    NearMiss.objects.all().delete()
    ShortlistSummary.objects.all().delete()


@pytest.fixture
def region(reference_data):
    demo_region_seed(candidates=1500, vacancies=30, employers=4, seed=3)


@pytest.mark.django_db
@pytest.mark.parametrize("n_shards", [2, 3])
def test_the_shards_choose_their_candidates_in_sql_as_the_engine_does(region, n_shards):
    ids = np.array(sorted(Candidate.objects.values_list("id", flat=True)))
    for shard in range(n_shards):
        chosen = sorted(candidates_of_shard(shard, n_shards).values_list("id", flat=True))
        assert chosen == ids[shard_of(ids, n_shards) == shard].tolist()
        assert chosen


@pytest.mark.django_db
@pytest.mark.parametrize("n_shards", [2, 3])
def test_a_sharded_rebuild_stores_what_an_unsharded_one_does(
    region, n_shards, settings, django_capture_on_commit_callbacks
):
    settings.MATCHING_CHUNK_VACANCIES = 7  # several parts, the last one short
    settings.MATCHING_SHARDS = 1
    with django_capture_on_commit_callbacks(execute=True):
        unsharded_run = rebuild.rebuild_start()
    assert unsharded_run.status == RebuildStatus.DONE
    assert not RebuildShardPart.objects.exists()
    expected = outcome()
    assert len(expected["matches"]) > 50
    assert expected["near_misses"]
    assert len(expected["summaries"]) == 30

    forget_outcome()
    settings.MATCHING_SHARDS = n_shards
    with django_capture_on_commit_callbacks(execute=True):
        run = rebuild.rebuild_start()
    run.refresh_from_db()
    assert run.status == RebuildStatus.DONE
    assert run.chunks_done == run.chunks_total == 5
    assert run.exclusions == RebuildRun.objects.get(pk=unsharded_run.pk).exclusions
    assert outcome() == expected

    parts = RebuildShardPart.objects.filter(run=run)
    assert parts.count() == 5 * n_shards
    ids = np.array(list(Candidate.objects.values_list("id", flat=True)))
    for part in parts:
        # Each shard's engine held that shard's candidates only; the partial lists are gone once merged.
        assert part.candidates_held == int(np.count_nonzero(shard_of(ids, n_shards) == part.shard)) < ids.size
        assert part.partial is None
    assert parts.filter(merged_at__isnull=False).count() == 5  # each part merged once, on shard 0's row
    assert AuditEvent.objects.filter(subject_type="rebuild_run", subject_id=run.pk, data__scope="rebuild").count() == 1


@pytest.mark.django_db
def test_the_watchdog_resends_the_shards_of_a_part_not_ranked_yet(
    region, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.MATCHING_SHARDS = 2
    settings.MATCHING_CHUNK_VACANCIES = 15
    sent = []
    original = tasks.rebuild_shard_part.apply_async

    def drop_shard_1_of_part_1(args, **options):  # the message a dead worker took with it
        if args[2] == 1 and args[3] == 1 and not sent:
            sent.append(args)
            return None
        return original(args, **options)

    monkeypatch.setattr(tasks.rebuild_shard_part, "apply_async", drop_shard_1_of_part_1)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = rebuild.rebuild_start()
        run.refresh_from_db()
        assert run.status == RebuildStatus.RUNNING
        assert run.chunks_done == 1
        assert list(
            RebuildShardPart.objects.filter(run=run, index=1, partial__isnull=False).values_list("shard", flat=True)
        ) == [0]
        RebuildRun.objects.filter(pk=run.pk).update(last_progress_at=run.started_at.replace(year=2000))
        with django_capture_on_commit_callbacks(execute=True):
            assert rebuild.rebuild_watchdog() == [(run.pk, "resent")]
    finally:
        monkeypatch.undo()
    run.refresh_from_db()
    assert run.status == RebuildStatus.DONE, run.error
    assert run.chunks_resent == 1
    assert RebuildChunk.objects.get(run=run, index=1).status == RebuildChunkStatus.DONE
    assert ShortlistSummary.objects.count() == 30


# --- real workers ---------------------------------------------------------------------------------


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_workers_each_holding_one_shard_rebuild_what_one_worker_does(region, redis_server, settings):
    settings.MATCHING_CHUNK_VACANCIES = 10
    settings.MATCHING_SHARDS = 1
    unsharded_run = rebuild.rebuild_start()  # unsharded, here (eager)
    expected = outcome()
    forget_outcome()

    env = {"MATCHING_SHARDS": "2", "MATCHING_CHUNK_VACANCIES": "10"}
    # The default queue (start, finish, watchdog) on shard 0's worker; shard 1's worker has only its shard.
    workers = [
        Worker(redis_server.url, queues="celery,matching.shard.0", **env).start(),
        Worker(redis_server.url, queues="matching.shard.1", **env).start(),
    ]
    try:
        run_portal_code("from matching.tasks import rebuild_all\nrebuild_all.delay()", redis_server.url, **env)
        wait_for(
            lambda: (
                RebuildRun.objects.exclude(pk=unsharded_run.pk)
                .filter(status__in=[RebuildStatus.DONE, RebuildStatus.FAILED])
                .exists()
            ),
            120,
            interval=0.3,
            message="the sharded rebuild to finish",
        )
    finally:
        for worker in workers:
            worker.stop()
    run = RebuildRun.objects.exclude(pk=unsharded_run.pk).get()
    assert run.status == RebuildStatus.DONE, [w.output() for w in workers]
    assert outcome() == expected

    ids = np.array(list(Candidate.objects.values_list("id", flat=True)))
    parts = list(RebuildShardPart.objects.filter(run=run).values_list("shard", "candidates_held", "pid"))
    assert len(parts) == 3 * 2
    pids = {shard: {pid for s, _, pid in parts if s == shard} for shard in (0, 1)}
    assert len(pids[0]) == len(pids[1]) == 1
    assert pids[0] != pids[1]
    for shard, held, _ in parts:
        assert held == int(np.count_nonzero(shard_of(ids, 2) == shard)) < ids.size

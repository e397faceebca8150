"""Rebuilds that finish: parts recorded and counted once, the last part finishes the run, and
the watchdog re-sends the parts a dead worker took with it (or fails the run, with an alarm).

The first tests call the services in this process (eager Celery); the integration tests at the
end SIGKILL a real worker mid-rebuild and let a fresh worker and its beat finish the run."""

import logging
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from matching import rebuild
from matching.models import Match, RebuildChunk, RebuildChunkStatus, RebuildRun, RebuildStatus
from tests.factories import CaseworkerFactory, UserFactory
from tests.matching.conftest import make_candidate, make_vacancy
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for
from vacancies.models import Vacancy

LONG_AGO = timedelta(hours=1)


@pytest.fixture
def vacancies(reference_data, occupation, occupation_skills):
    for home in ("Terneuzen", "Sluiskil", "Axel"):
        make_candidate(occupation=occupation, skills=occupation_skills, home=home)
    return [
        make_vacancy(occupation=occupation, skills=occupation_skills[: 1 + i % len(occupation_skills)]).pk
        for i in range(5)
    ]


def finished_rebuild_events(run_id: int) -> int:
    return AuditEvent.objects.filter(subject_type="rebuild_run", subject_id=run_id, data__scope="rebuild").count()


def stalled_run(vacancy_ids: list[int], *, done: int, attempts: int = 1) -> RebuildRun:
    """A running run whose worker died: `done` parts finished, the others never will by themselves."""
    parts = [[vacancy_id] for vacancy_id in vacancy_ids]
    run = RebuildRun.objects.create(
        chunks_total=len(parts), chunks_done=done, last_progress_at=timezone.now() - LONG_AGO
    )
    RebuildChunk.objects.bulk_create(
        RebuildChunk(
            run=run,
            index=index,
            vacancy_ids=ids,
            attempts=attempts,
            status=RebuildChunkStatus.DONE if index < done else RebuildChunkStatus.PENDING,
        )
        for index, ids in enumerate(parts)
    )
    return run


@pytest.mark.django_db
def test_each_part_is_recorded_and_the_last_one_finishes_the_run_once(vacancies):
    run = rebuild.rebuild_start(chunk_size=2)
    assert run.status == RebuildStatus.DONE
    assert run.chunks_total == 3
    assert run.chunks_done == 3
    assert list(run.chunks.values_list("index", "status", "attempts")) == [(i, "done", 1) for i in range(3)]
    assert sorted(sum(run.chunks.values_list("vacancy_ids", flat=True), [])) == sorted(vacancies)
    assert finished_rebuild_events(run.pk) == 1
    assert run.alarm == ""


@pytest.mark.django_db
def test_a_part_run_twice_is_counted_once_and_the_run_finishes_once(vacancies):
    run = stalled_run(vacancies[:2], done=0)
    run.last_progress_at = None
    run.save()
    rebuild.rebuild_chunk(run_id=run.pk, vacancy_ids=[vacancies[0]], index=0)
    rebuild.rebuild_chunk(run_id=run.pk, vacancy_ids=[vacancies[0]], index=0)  # redelivered
    run.refresh_from_db()
    assert (run.status, run.chunks_done) == (RebuildStatus.RUNNING, 1)
    assert run.last_progress_at is not None
    rebuild.rebuild_chunk(run_id=run.pk, vacancy_ids=[vacancies[1]], index=1)
    assert rebuild.rebuild_chunk(run_id=run.pk, vacancy_ids=[vacancies[1]], index=1) == 0  # late copy: skipped
    assert rebuild.rebuild_finish(run_id=run.pk) is False  # an old chord callback arriving late
    run.refresh_from_db()
    assert (run.status, run.chunks_done) == (RebuildStatus.DONE, 2)
    assert finished_rebuild_events(run.pk) == 1
    assert Match.objects.filter(vacancy_id__in=vacancies[:2]).count() == 6


@pytest.mark.django_db
def test_the_watchdog_resends_the_missing_parts_of_a_stalled_run(vacancies, caplog, django_capture_on_commit_callbacks):
    run = stalled_run(vacancies, done=3)
    with caplog.at_level(logging.ERROR, logger="matching.rebuild"), django_capture_on_commit_callbacks(execute=True):
        assert rebuild.rebuild_watchdog() == [(run.pk, "resent")]
    assert f"Rebuild {run.pk} stalled" in caplog.text
    run.refresh_from_db()
    # Eager Celery: the re-sent parts ran at once and the last one finished the run.
    assert (run.status, run.chunks_done, run.stalls, run.chunks_resent) == (RebuildStatus.DONE, 5, 1, 2)
    assert list(run.chunks.filter(index__gte=3).values_list("attempts", flat=True)) == [2, 2]
    assert Match.objects.filter(vacancy_id__in=vacancies[3:]).count() == 6


@pytest.mark.django_db
def test_the_watchdog_leaves_a_moving_run_alone_and_waits_during_a_pause(vacancies):
    from matching.models import MatchingPause
    from matching.tasks import rebuild_watchdog

    run = stalled_run(vacancies, done=1)
    RebuildRun.objects.filter(pk=run.pk).update(last_progress_at=timezone.now())
    assert rebuild.rebuild_watchdog() == []
    RebuildRun.objects.filter(pk=run.pk).update(last_progress_at=timezone.now() - LONG_AGO)
    MatchingPause.objects.create(reason="Gewichten worden herzien")  # the whole portal
    assert rebuild_watchdog() == []
    run.refresh_from_db()
    assert (run.status, run.stalls) == (RebuildStatus.RUNNING, 0)


@pytest.mark.django_db
def test_the_watchdog_finishes_a_run_whose_worker_died_after_its_last_part(vacancies):
    run = stalled_run(vacancies, done=5)
    assert rebuild.rebuild_watchdog() == [(run.pk, "finished")]
    run.refresh_from_db()
    assert run.status == RebuildStatus.DONE
    assert finished_rebuild_events(run.pk) == 1


@pytest.mark.django_db
def test_a_run_that_cannot_finish_fails_with_an_alarm_everywhere(vacancies, client, caplog, settings):
    settings.MATCHING_REBUILD_MAX_ATTEMPTS = 3
    run = stalled_run(vacancies, done=2, attempts=3)
    with caplog.at_level(logging.ERROR, logger="matching.rebuild"):
        assert rebuild.rebuild_watchdog() == [(run.pk, "failed")]
    assert any(r.levelno == logging.ERROR and f"Rebuild {run.pk} failed" in r.getMessage() for r in caplog.records)
    run.refresh_from_db()
    assert run.status == RebuildStatus.FAILED
    assert "3 of 5 part(s) never finished" in run.error
    with translation.override("en"):
        assert run.alarm.startswith("Rebuild failed")
    _assert_alarm_shown(client, run)


@pytest.mark.django_db
def test_a_stalled_run_shows_its_alarm_while_it_runs(vacancies, client):
    run = stalled_run(vacancies, done=2)
    RebuildRun.objects.filter(pk=run.pk).update(stalls=1, chunks_resent=3)
    run.refresh_from_db()
    with translation.override("en"):
        assert run.alarm == "Rebuild stalled, re-sent 3 parts to the workers."
    with translation.override("nl"):
        assert run.alarm == "Herberekening liep vast, 3 delen opnieuw naar de workers gestuurd."
    _assert_alarm_shown(client, run)


@pytest.mark.django_db
def test_a_run_started_before_parts_were_recorded_is_failed_not_finished(vacancies):
    run = RebuildRun.objects.create(chunks_total=2, last_progress_at=timezone.now() - LONG_AGO)
    assert rebuild.rebuild_watchdog() == [(run.pk, "failed")]
    run.refresh_from_db()
    assert run.status == RebuildStatus.FAILED


def _assert_alarm_shown(client, run) -> None:
    """The admin's RebuildRun list, the rebuild page's progress bar and the caseworkers' work queue
    (Dutch pages: no language prefix)."""
    with translation.override("nl"):
        text = run.alarm
    assert text
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    admin_list = client.get(reverse("admin:matching_rebuildrun_changelist")).content.decode()
    assert text in admin_list
    assert text in client.get(reverse("workspace:rebuild")).content.decode()
    assert text in client.get(reverse("workspace:rebuild_status")).json()["alarm"]
    client.force_login(CaseworkerFactory())
    assert text in client.get(reverse("workspace:work_queue")).content.decode()


# --- integration: a real worker SIGKILLed mid-rebuild ------------------------------------------

WATCHDOG_ENV = {
    "MATCHING_CHUNK_VACANCIES": "1",
    "MATCHING_REBUILD_WATCHDOG_SECONDS": "1",
    "MATCHING_REBUILD_STALL_SECONDS": "4",
}


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


def all_matches() -> set[tuple]:
    return set(Match.objects.values_list("vacancy_id", "candidate_id", "score", "rank", "review_status"))


def worker_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")  # not cached per transaction
        return cursor.fetchone()[0] > 0


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("killed_part", [1, 39], ids=["during the first parts", "during the last part"])
def test_a_rebuild_whose_worker_is_killed_finishes_after_a_restart(
    killed_part, reference_data, occupation, occupation_skills, redis_server
):
    for home in ("Terneuzen", "Sluiskil", "Axel", "Hulst"):
        make_candidate(occupation=occupation, skills=occupation_skills, home=home)
    vacancy_ids = sorted(
        make_vacancy(occupation=occupation, skills=occupation_skills[: 1 + i % len(occupation_skills)]).pk
        for i in range(40)
    )  # one part per vacancy, in this order

    worker = Worker(redis_server.url, **WATCHDOG_ENV).start()
    try:
        # The killed part's vacancy is locked here: its part blocks writing the shortlist, so the
        # SIGKILL hits it mid-way, deterministically (parts before it are done, after it queued).
        with transaction.atomic():
            Vacancy.objects.select_for_update().get(pk=vacancy_ids[killed_part])
            run_portal_code("from matching.tasks import rebuild_all\nrebuild_all.delay()", redis_server.url)
            wait_for(worker_waits_for_a_lock, 60, interval=0.05, message="the worker to reach the locked part")
            worker.kill()
    finally:
        worker.kill()
    killed = RebuildRun.objects.get()
    assert killed.status == RebuildStatus.RUNNING
    assert killed.chunks_done == killed_part

    worker = Worker(redis_server.url, **WATCHDOG_ENV).start()  # no manual step: only a restart
    try:
        wait_for(
            lambda: RebuildRun.objects.get(pk=killed.pk).status != RebuildStatus.RUNNING,
            60,
            interval=0.2,
            message="the watchdog to finish the run",
        )
    finally:
        worker.stop()
    finished = RebuildRun.objects.get(pk=killed.pk)
    assert finished.status == RebuildStatus.DONE, worker.output()
    assert finished.chunks_done == finished.chunks_total == 40
    # The killed part, sent again (a second time only if a busy machine made it outlast the stall).
    assert finished.stalls >= 1
    assert finished.chunks_resent == finished.stalls
    assert f"Rebuild {killed.pk} stalled" in worker.log_path.read_text()  # the whole log, not its tail
    assert finished_rebuild_events(killed.pk) == 1

    after_kill = all_matches()
    assert len(after_kill) == 40 * 4
    Match.objects.all().delete()
    rebuild.rebuild_start()  # a clean rebuild, here (eager)
    assert all_matches() == after_kill


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_that_cannot_finish_ends_failed_with_an_error_in_the_worker_log(vacancies, redis_server):
    # A part whose task was lost with its worker and, with one attempt allowed, is not sent again.
    run = stalled_run(vacancies, done=3)
    worker = Worker(redis_server.url, **WATCHDOG_ENV, MATCHING_REBUILD_MAX_ATTEMPTS="1").start()
    try:
        wait_for(
            lambda: RebuildRun.objects.get(pk=run.pk).status == RebuildStatus.FAILED,
            30,
            interval=0.2,
            message="the watchdog to fail the run",
        )
    finally:
        worker.stop()
    log = worker.log_path.read_text().splitlines()
    assert any("ERROR" in line and f"Rebuild {run.pk} failed" in line for line in log)
    assert RebuildRun.objects.get(pk=run.pk).alarm

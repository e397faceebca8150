"""Integration: a real Redis broker, a real Celery worker process, a real PostgreSQL."""

import pytest

from matching.models import Match, PendingRematch, RebuildRun, RebuildStatus, ReviewStatus
from matching.services import match_decide
from tests.factories import CaseworkerFactory, service
from tests.matching.conftest import make_candidate, make_vacancy
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CREATE_AND_PUBLISH = """
from vacancies.models import Vacancy
from vacancies.services import vacancy_create, vacancy_submit
template = Vacancy.objects.get(pk={template_id})
vacancy = vacancy_create(
    employer=template.employer, title="Procesoperator nachtdienst", description="Continudienst",
    occupation=template.occupation, place=template.place, contract_type="permanent", hours_per_week=38,
    essential_skills=list(template.essential_skills.all()), languages=[("nl", 3)],
)
vacancy_submit(vacancy=vacancy)
print(vacancy.pk)
"""


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def world(reference_data, occupation, occupation_skills):
    """Candidates around Terneuzen and one published vacancy to copy requirements from."""
    candidates = [
        make_candidate(
            occupation=occupation,
            skills=occupation_skills[: 1 + i % len(occupation_skills)],
            home=home,
            country=country,
            service="vdab" if country == "BE" else "uwv",
        )
        for i, (home, country) in enumerate(
            [
                ("Terneuzen", "NL"),
                ("Sluiskil", "NL"),
                ("Axel", "NL"),
                ("Hulst", "NL"),
                ("Zelzate", "BE"),
                ("Terneuzen", "NL"),
            ]
        )
    ]
    # One essential skill, which everyone has (a hard filter since issue 12); the vacancies the
    # worker creates copy it.
    template = make_vacancy(occupation=occupation, skills=occupation_skills[:1], optional=occupation_skills[1:])
    return {"candidates": candidates, "template": template}


def shortlist(vacancy_id: int) -> list[tuple]:
    return list(
        Match.objects.filter(vacancy_id=vacancy_id)
        .order_by("candidate_id")
        .values_list("candidate_id", "rank", "score", "review_status")
    )


def all_matches() -> list[tuple]:
    return list(
        Match.objects.order_by("vacancy_id", "candidate_id").values_list(
            "vacancy_id", "candidate_id", "rank", "score", "review_status", "is_flagged"
        )
    )


def test_saving_a_vacancy_produces_its_shortlist_through_the_worker(world, redis_server):
    worker = Worker(redis_server.url).start()
    try:
        vacancy_id = int(
            run_portal_code(CREATE_AND_PUBLISH.format(template_id=world["template"].pk), redis_server.url).split()[-1]
        )
        rows = wait_for(lambda: shortlist(vacancy_id), 60, message="the shortlist to be persisted")
        assert len(rows) == len(world["candidates"])
        assert wait_for(
            lambda: not PendingRematch.objects.filter(kind="vacancy", object_id=vacancy_id).exists(),
            30,
            message="the outbox row to be cleared",
        )
    finally:
        worker.stop()
    assert "matching.tasks.rematch_vacancy" in worker.output()


def test_with_redis_down_the_save_succeeds_and_the_shortlist_follows_when_it_is_back(world, redis_server):
    worker = Worker(redis_server.url).start()
    try:
        redis_server.stop()
        vacancy_id = int(
            run_portal_code(CREATE_AND_PUBLISH.format(template_id=world["template"].pk), redis_server.url).split()[-1]
        )
        # Saved, queued nowhere yet: the request waits in the outbox.
        assert PendingRematch.objects.filter(kind="vacancy", object_id=vacancy_id, enqueued_at=None).exists()
        assert shortlist(vacancy_id) == []
        redis_server.start()  # nobody touches the vacancy again
        rows = wait_for(lambda: shortlist(vacancy_id), 90, interval=0.5, message="the shortlist after Redis is back")
        assert len(rows) == len(world["candidates"])
    finally:
        worker.stop()


def _rebuild_through(redis_url: str) -> int:
    return int(
        run_portal_code(
            "from matching.tasks import rebuild_all\nprint(rebuild_all.delay().get(timeout=60))", redis_url
        ).split()[-1]
    )


def test_a_worker_killed_mid_rebuild_then_rebuilt_leaves_the_same_shortlists(
    world, redis_server, occupation, occupation_skills
):
    from tests.matching.conftest import make_vacancy as vacancy

    for i in range(120):  # everyone has the one essential skill: every candidate on every list
        vacancy(
            occupation=occupation,
            skills=occupation_skills[:1],
            optional=occupation_skills[1 : 1 + i % len(occupation_skills)],
        )
    # The reference: one uninterrupted rebuild.
    worker = Worker(redis_server.url, MATCHING_CHUNK_VACANCIES="1").start()
    try:
        run_id = _rebuild_through(redis_server.url)
        wait_for(
            lambda: RebuildRun.objects.get(pk=run_id).status == RebuildStatus.DONE,
            120,
            interval=0.2,
            message="the reference rebuild",
        )
    finally:
        worker.stop()
    expected = all_matches()
    assert len(expected) == 121 * len(world["candidates"])
    Match.objects.all().delete()

    # Interrupted: SIGKILL the worker after a few chunks.
    worker = Worker(redis_server.url, MATCHING_CHUNK_VACANCIES="1").start()
    run_id = _rebuild_through(redis_server.url)
    wait_for(
        lambda: RebuildRun.objects.get(pk=run_id).chunks_done >= 5, 120, interval=0.02, message="a few chunks to finish"
    )
    worker.kill()
    interrupted = RebuildRun.objects.get(pk=run_id)
    assert interrupted.chunks_done < interrupted.chunks_total
    assert len(all_matches()) < len(expected)

    # Run it again with a fresh worker: the same rows, no duplicates.
    worker = Worker(redis_server.url, MATCHING_CHUNK_VACANCIES="1").start()
    try:
        run_id = _rebuild_through(redis_server.url)
        wait_for(
            lambda: RebuildRun.objects.get(pk=run_id).status == RebuildStatus.DONE,
            120,
            interval=0.2,
            message="the second rebuild",
        )
    finally:
        worker.stop()
    assert all_matches() == expected
    # The interrupted run is not left "running": superseded, or finished by its redelivered chunks.
    assert RebuildRun.objects.get(pk=interrupted.pk).status in (RebuildStatus.FAILED, RebuildStatus.DONE)


def test_a_caseworker_decision_survives_a_rebuild_by_the_worker(world, redis_server):
    worker = Worker(redis_server.url).start()
    try:
        run_id = _rebuild_through(redis_server.url)
        wait_for(lambda: RebuildRun.objects.get(pk=run_id).status == RebuildStatus.DONE, 60, message="rebuild")
        match = Match.objects.filter(vacancy=world["template"]).order_by("rank").first()
        caseworker = CaseworkerFactory(employment_service=service("uwv"))
        match_decide(match=match, reviewer=caseworker, decision=ReviewStatus.APPROVED, note="Goede kandidaat")
        run_id = _rebuild_through(redis_server.url)
        wait_for(lambda: RebuildRun.objects.get(pk=run_id).status == RebuildStatus.DONE, 60, message="rebuild")
    finally:
        worker.stop()
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.APPROVED
    assert match.reviewer_id == caseworker.pk
    assert match.note == "Goede kandidaat"
    assert match.decisions.count() == 1

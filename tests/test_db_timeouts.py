"""Database timeouts (core/db_busy.py): a locked table turns a caseworker's approval into a
friendly 503 "busy, try again" (page and API) within the web's lock timeout, nothing is written,
and the worker and management commands keep their longer limits."""

import os
import subprocess
import sys
import threading

import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from matching.models import Match, MatchDecision, ReviewStatus
from tests.factories import CaseworkerFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy

pytestmark = pytest.mark.django_db(transaction=True)

# Longer than gunicorn's 30 s timeout: without a lock timeout the request would be dropped first.
HOLD_SECONDS = 35


class TableLock:
    """Another connection holds ``LOCK TABLE … IN ACCESS EXCLUSIVE MODE`` (as a long migration
    would) for HOLD_SECONDS or until the block ends, whichever comes first."""

    def __init__(self, table: str) -> None:
        self.table = table
        self.acquired = threading.Event()
        self.release = threading.Event()
        self.released = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {self.table} IN ACCESS EXCLUSIVE MODE")
                self.acquired.set()
                self.release.wait(HOLD_SECONDS)
        finally:
            self.released.set()
            connections.close_all()  # this thread's connection

    def __enter__(self) -> "TableLock":
        self.thread.start()
        assert self.acquired.wait(10), "the lock was not taken"
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.thread.join(HOLD_SECONDS + 5)


@pytest.fixture
def caseworker(reference_data):
    return CaseworkerFactory(employment_service=service("uwv"))


@pytest.fixture
def match(reference_data):
    vacancy = published_vacancy(place=place("Terneuzen"))
    return make_match(vacancy=vacancy, candidate=candidate_with_profile(first_name="Locked"))


def assert_unchanged(match: Match) -> None:
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.PROPOSED
    assert not MatchDecision.objects.filter(match=match).exists()


def test_web_connections_have_the_web_limits():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('lock_timeout')")
        assert cursor.fetchone() == ("20s", "5s")
    assert settings.DB_LOCK_TIMEOUT_MS < settings.DB_STATEMENT_TIMEOUT_MS < 30_000  # gunicorn's timeout


def test_an_approval_on_a_locked_table_gets_the_busy_page_and_writes_nothing(client, caseworker, match):
    client.force_login(caseworker)
    url = reverse("matching:match_detail", kwargs={"pk": match.pk})
    with TableLock("matching_match") as lock:
        response = client.post(url, {"decision": "approved"})
        answered_while_locked = not lock.released.is_set()
    assert response.status_code == 503
    assert answered_while_locked
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Het portaal is even druk bezet, probeer het zo opnieuw." in page  # Dutch by default
    assert_unchanged(match)
    # The lock gone, the same approval goes through: the 503 was the lock, not the request.
    assert client.post(url, {"decision": "approved"}).status_code == 302
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.APPROVED


def test_the_busy_page_speaks_english(client, caseworker, match):
    client.force_login(caseworker)
    with translation.override("en"):
        url = reverse("matching:match_detail", kwargs={"pk": match.pk})
    with TableLock("matching_match"):
        response = client.post(url, {"decision": "approved"})
    assert response.status_code == 503
    assert "The portal is busy, please try again in a moment." in response.content.decode()


def test_an_api_approval_on_a_locked_table_gets_503_busy(caseworker, match):
    api = APIClient()
    api.force_login(caseworker)
    with TableLock("matching_match") as lock:
        response = api.post(
            f"/api/v1/matches/{match.pk}/decision", {"decision": "approved"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        answered_while_locked = not lock.released.is_set()
    assert response.status_code == 503
    assert answered_while_locked
    assert int(response["Retry-After"]) > 0
    assert response.json() == {
        "status": 503,
        "code": "busy",
        "detail": "The portal is busy, please try again in a moment.",
    }
    assert_unchanged(match)


def _run_in_a_new_process(*argv: str) -> list[str]:
    """Run portal code in a fresh process on the test database; its output lines."""
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if key != "NSP_DB_TIMEOUTS"}
    env.update(
        DJANGO_SETTINGS_MODULE="nsp_portal.settings.test",
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    result = subprocess.run(
        [sys.executable, *argv], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


SHOW = (
    "from django.db import connection\n"
    "with connection.cursor() as c:\n"
    "    c.execute(\"SELECT current_setting('statement_timeout') || ' ' || current_setting('lock_timeout')\")\n"
    "    print(c.fetchone()[0])\n"
)


def test_a_worker_process_connection_keeps_the_longer_timeouts():
    # The worker's start signal as `celery worker` sends it, in a fresh process: a connection
    # opened before it has the web limits, every one opened after it the worker's.
    code = (
        "import django; django.setup()\n"
        + SHOW
        + "connection.close()\n"
        + "from celery.signals import worker_process_init\n"
        + "worker_process_init.send(sender=None)\n"
        + SHOW
    )
    assert _run_in_a_new_process("-c", code) == ["20s 5s", "10min 0"]


def test_management_commands_are_not_cut_short():
    assert _run_in_a_new_process("manage.py", "shell", "-c", SHOW)[-1] == "0 0"


def _waiting_on_a_lock() -> tuple | None:
    """(pid, query_start) of another session's statement waiting for a lock, if any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, query_start FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND datname = current_database()"
            " ORDER BY query_start, pid"
        )
        return cursor.fetchone()


@pytest.mark.integration
def test_a_real_worker_waits_out_a_lock_longer_than_the_web_would(reference_data):
    """The rematch task meets the locked table for longer than the web's lock timeout and still
    finishes when the lock goes, without a cancelled statement in the worker's log."""
    from taxonomy.models import Occupation, Skill
    from tests.matching.conftest import make_candidate, make_vacancy
    from tests.matching.test_worker import CREATE_AND_PUBLISH, shortlist
    from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for

    occupation = Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()
    occupation_skills = list(
        Skill.objects.filter(occupation_links__occupation=occupation, occupation_links__relation="essential").order_by(
            "uri"
        )[:4]
    )
    make_candidate(occupation=occupation, skills=occupation_skills)
    template = make_vacancy(occupation=occupation, skills=occupation_skills)
    redis_server = RedisServer()
    redis_server.start()
    worker = Worker(redis_server.url)
    try:
        # Saved while no worker runs: the rematch waits in the broker.
        vacancy_id = int(
            run_portal_code(CREATE_AND_PUBLISH.format(template_id=template.pk), redis_server.url).split()[-1]
        )
        with TableLock("matching_match"):
            worker.start()
            waiter = wait_for(_waiting_on_a_lock, 60, message="the worker's task to wait for the lock")
            # Twice the web's lock timeout later, the same statement is still waiting.
            threading.Event().wait(2 * settings.DB_LOCK_TIMEOUT_MS / 1000)
            assert _waiting_on_a_lock() == waiter
        rows = wait_for(lambda: shortlist(vacancy_id), 60, message="the shortlist after the lock")
        assert rows
    finally:
        worker.stop()
        redis_server.close()
    assert "matching.tasks.rematch_vacancy" in worker.output()
    assert "lock timeout" not in worker.output()
    assert "statement timeout" not in worker.output()

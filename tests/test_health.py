"""/healthz says which dependency is down and never fails; /readyz is 503 only without the database."""

import os
import signal
import socket
import time

import pytest
from django.db import connections
from django.test import Client

from tests.matching.worker_support import RedisServer

pytestmark = pytest.mark.django_db


def get(path: str):
    started = time.monotonic()
    response = Client().get(path)
    return response, time.monotonic() - started


@pytest.fixture
def own_redis(settings):
    """Redis and the broker pointed at a real Redis of this test's own, which the test can stop."""
    server = RedisServer()
    server.start()
    settings.REDIS_URL = server.url
    settings.CELERY_BROKER_URL = server.url
    yield server
    if server.process and server.process.poll() is None:
        os.kill(server.process.pid, signal.SIGCONT)
    server.close()


@pytest.fixture
def database_unreachable(monkeypatch):
    """New database connections (the probe's thread opens its own) go to a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings_dict = connections.settings["default"]
    monkeypatch.setitem(settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(settings_dict, "PORT", str(port))


def test_healthz_says_ok_when_everything_answers(own_redis):
    response, _elapsed = get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok", "broker": "ok"}}
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    assert not response.cookies  # no session: nothing personal


@pytest.mark.integration
def test_healthz_with_redis_stopped_says_redis_down_and_answers_fast(own_redis):
    own_redis.stop()
    response, elapsed = get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "checks": {"database": "ok", "redis": "down", "broker": "down"}}
    assert elapsed < 1.5


@pytest.mark.integration
def test_healthz_with_redis_hanging_gives_up_within_its_timeout(own_redis, caplog):
    os.kill(own_redis.process.pid, signal.SIGSTOP)  # accepts connections, never answers
    response, elapsed = get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "down", "broker": "down"}
    assert elapsed < 2.5
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")]


def test_readyz_answers_200_when_the_database_answers_even_without_redis(own_redis):
    own_redis.stop()
    response, _elapsed = get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok"}


def test_without_the_database_readyz_is_503_and_healthz_still_200(database_unreachable, caplog):
    response, elapsed = get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "down"}}
    assert elapsed < 2.5
    response, _elapsed = get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["database"] == "down"
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")]

"""Health endpoints: ``/healthz`` says which dependency is down, ``/readyz`` answers load balancers.

In ``core`` because they check the portal's infrastructure (PostgreSQL, Redis, the Celery
broker), not any app's data; nsp_portal/urls.py routes them. Plain Django views (not DRF): no
throttling, no session, no personal data. Each check runs in its own thread and counts as down
when it has not answered within HEALTH_CHECK_TIMEOUT seconds, so a hung dependency never makes
the probe itself hang or fail.
"""

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

__all__ = ["check_broker", "check_database", "check_redis", "healthz", "readyz"]

logger = logging.getLogger(__name__)

# A few threads shared by all probes; a check that hangs past its timeout only keeps its own thread.
_pool = ThreadPoolExecutor(max_workers=6, thread_name_prefix="healthz")


def _timeout() -> float:
    return float(getattr(settings, "HEALTH_CHECK_TIMEOUT", 1.0))


def check_database() -> None:
    """SELECT 1 on a connection of this thread, closed afterwards (the probe keeps none open)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(_timeout() * 1000)}")
            cursor.execute("SELECT 1")
    finally:
        connection.close()


def _ping_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=_timeout(), socket_timeout=_timeout())
    try:
        client.ping()
    finally:
        client.close()


def check_redis() -> None:
    """The Redis of REDIS_URL (cache, Celery results) answers PING."""
    _ping_redis(settings.REDIS_URL)


def check_broker() -> None:
    """The Celery broker accepts a connection (PING for a Redis broker)."""
    url = settings.CELERY_BROKER_URL
    if url.startswith(("redis://", "rediss://")):
        _ping_redis(url)
        return
    from kombu import Connection

    with Connection(url, connect_timeout=_timeout()) as broker:
        broker.ensure_connection(max_retries=1, timeout=_timeout())


CHECKS: dict[str, Callable[[], None]] = {"database": check_database, "redis": check_redis, "broker": check_broker}


def _run(names: list[str]) -> dict[str, str]:
    """Each named check, at once, as "ok" or "down"; a failure is a warning in the log, not an error."""
    futures = {name: _pool.submit(CHECKS[name]) for name in names}
    results: dict[str, str] = {}
    for name, future in futures.items():
        try:
            future.result(timeout=_timeout() + 0.2)  # the checks' own timeouts come first
            results[name] = "ok"
        except FutureTimeout:
            logger.warning("Health check %s: no answer within %.1f s", name, _timeout())
            results[name] = "down"
        except Exception as exc:  # whatever the client raises: the dependency is down
            logger.warning("Health check %s: down (%s: %s)", name, exc.__class__.__name__, exc)
            results[name] = "down"
    return results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Always 200: {"status": "ok"|"degraded", "checks": {"database", "redis", "broker": "ok"|"down"}}."""
    checks = _run(list(CHECKS))
    status = "ok" if all(value == "ok" for value in checks.values()) else "degraded"
    return JsonResponse({"status": status, "checks": checks})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers (the portal works without Redis), 503 otherwise."""
    checks = _run(["database"])
    ready = checks["database"] == "ok"
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    # An expected answer for a load balancer, not a server error: keep it out of Django's error log.
    response._has_been_logged = True
    return response

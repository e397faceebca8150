"""Database timeouts per kind of process, and the "busy, try again" answer when one fires.

In ``core`` because every app's pages and API may meet a locked table and none of them owns
the answer; it imports no project app (settings.MIDDLEWARE and core/api/errors.py use it).

How the limits are applied (docs/operations.md, "Database timeouts"):

- Web requests: settings put ``-c statement_timeout=… -c lock_timeout=…`` into the connection's
  ``options``, so every connection starts with the web limits at no extra query per request
  (gunicorn, runserver and the test client alike). They are shorter than gunicorn's 30 s timeout,
  so the user sees a page instead of a dropped connection.
- Processes that must run longer lift them on each new connection (``connection_created``
  below), chosen by the environment variable ``NSP_DB_TIMEOUTS``: ``worker`` (set by the Celery
  worker's start signals in nsp_portal/celery.py) applies the worker's longer limits; ``none``
  (set by manage.py for every command but runserver: migrate, load_reference_data, bench_…)
  applies none, so a migration or a benchmark is never cut short.
"""

import logging
import os
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import APIException

__all__ = [
    "BUSY_SQLSTATES",
    "DatabaseBusy",
    "RETRY_AFTER_SECONDS",
    "TIMEOUTS_ENV",
    "DatabaseBusyMiddleware",
    "busy_api_error",
    "busy_message",
    "is_database_busy",
]

logger = logging.getLogger(__name__)

TIMEOUTS_ENV = "NSP_DB_TIMEOUTS"
# 57014 query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout).
BUSY_SQLSTATES = frozenset({"57014", "55P03"})
# A lock held by a migration or a long write is usually gone within seconds.
RETRY_AFTER_SECONDS = 10


def is_database_busy(exc: BaseException) -> bool:
    """True for a query PostgreSQL cancelled because of statement_timeout or lock_timeout."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__ or exc
    return getattr(cause, "pgcode", None) in BUSY_SQLSTATES


def busy_message() -> str:
    return _("The portal is busy, please try again in a moment.")


class DatabaseBusy(APIException):
    """The API's form of a cancelled query (core/api/errors.py); DRF sends ``wait`` as Retry-After."""

    status_code = 503
    default_detail = gettext_lazy("The portal is busy, please try again in a moment.")
    default_code = "busy"
    wait = RETRY_AFTER_SECONDS


def busy_api_error(exc: BaseException) -> DatabaseBusy:
    """The API's exception handler's branch: log the cancelled query, answer 503 "busy"."""
    logger.warning("Database busy (%s) in the API: %s", exc.__cause__.__class__.__name__, exc)
    return DatabaseBusy()


class DatabaseBusyMiddleware:
    """A cancelled query becomes 503 with Retry-After: a friendly page, or the API's envelope.

    The view's transaction.atomic block has already rolled back when the exception reaches here
    (services write inside one), so nothing is half-written. The page needs no database: the
    database is what is busy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_database_busy(exception):
            return None
        logger.warning(
            "Database busy (%s) on %s %s: %s",
            exception.__cause__.__class__.__name__,
            request.method,
            request.path,
            exception,
        )
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse({"status": 503, "code": "busy", "detail": busy_message()}, status=503)
        else:
            response = HttpResponse(
                loader.render_to_string("errors/busy.html", {"message": busy_message()}), status=503
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def _process_timeouts() -> tuple[int, int] | None:
    """(statement, lock) timeouts in ms for this process, or None to keep the web limits."""
    process_kind = os.environ.get(TIMEOUTS_ENV, "web")
    if process_kind == "worker":
        return settings.DB_WORKER_STATEMENT_TIMEOUT_MS, settings.DB_WORKER_LOCK_TIMEOUT_MS
    if process_kind == "none":
        return 0, 0
    return None


def _apply_process_timeouts(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql":
        return
    timeouts = _process_timeouts()
    if timeouts is None:
        return
    statement_ms, lock_ms = timeouts
    with connection.cursor() as cursor:
        # Session level (is_local false): the connection keeps them for its whole life. JIT back on:
        # the web's options turn it off for short page queries (settings), long batch queries gain.
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, false), set_config('lock_timeout', %s, false),"
            " set_config('jit', 'on', false)",
            [str(statement_ms), str(lock_ms)],
        )


connection_created.connect(_apply_process_timeouts, dispatch_uid="core.db_busy.process_timeouts")

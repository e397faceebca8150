"""Bulk access to candidates' personal data: counted per user per clock hour, alerted, capped.

Every request that hands out a candidate's personal data in bulk-able form (a CV download, a
CSV export, a candidate's profile page, the API's CSV exports) is counted by the decorator
``counts_personal_data_access`` in the cache (one counter per user and clock hour). When a user
reaches ``PERSONAL_DATA_ALERT_PER_HOUR`` in an hour, one ERROR log line and one audit event
(kind ``bulk_access_alert``) are written for that user and hour; from
``PERSONAL_DATA_LIMIT_PER_HOUR`` on (0: no limit) further such requests are refused with 429
until the next hour. The counter fails open: with the cache down nothing is counted or refused
(a WARNING says so), because the pages must keep working; the audit log still records every
access.
"""

import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.services import audit_record

logger = logging.getLogger(__name__)

ALERT_KIND = "bulk_access_alert"
_HOUR = 3600


def _hour(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // _HOUR)


def _count_key(user_id: int, hour: int) -> str:
    return f"personal-data-access:{user_id}:{hour}"


def _alert_key(user_id: int, hour: int) -> str:
    return f"personal-data-access-alerted:{user_id}:{hour}"


def personal_data_access_count(*, user_id: int, now: float | None = None) -> int | None:
    """This hour's count for the user; None when the cache cannot be read."""
    try:
        return int(cache.get(_count_key(user_id, _hour(now))) or 0)
    except Exception:  # any cache failure: fail open
        logger.warning("Personal-data access counter unavailable (cache down): not checked", exc_info=True)
        return None


def personal_data_access_allowed(*, user_id: int, now: float | None = None) -> bool:
    """False once the user has reached the hard limit this hour (never when the cache is down)."""
    limit = settings.PERSONAL_DATA_LIMIT_PER_HOUR
    if limit <= 0:
        return True
    count = personal_data_access_count(user_id=user_id, now=now)
    return count is None or count < limit


def personal_data_access_note(*, user, where: str, now: float | None = None) -> int | None:
    """Count one access by ``user``; alert once per hour past the threshold. Returns the new
    count, or None when the cache is down (nothing counted)."""
    hour = _hour(now)
    key = _count_key(user.pk, hour)
    try:
        cache.add(key, 0, timeout=2 * _HOUR)
        count = cache.incr(key)
        first_alert = count >= settings.PERSONAL_DATA_ALERT_PER_HOUR and cache.add(
            _alert_key(user.pk, hour), 1, timeout=2 * _HOUR
        )
    except Exception:  # any cache failure: fail open
        logger.warning("Personal-data access counter unavailable (cache down): access not counted", exc_info=True)
        return None
    if first_alert:
        # Ids only: the log and the audit event carry no personal data.
        logger.error(
            "Bulk access to personal data: user %s reached %s accesses this hour (alert threshold %s), last on %s",
            user.pk,
            count,
            settings.PERSONAL_DATA_ALERT_PER_HOUR,
            where,
        )
        audit_record(
            kind=ALERT_KIND,
            actor=user,
            where=where,
            data={"count": count, "threshold": settings.PERSONAL_DATA_ALERT_PER_HOUR, "hour_start": hour * _HOUR},
        )
    return count


def _request_of(args: tuple) -> HttpRequest:
    # A function view gets (request, ...), a DRF viewset action (self, request, ...).
    return args[0] if hasattr(args[0], "META") else args[1]


def _refuse(request) -> HttpResponse:
    retry_after = _HOUR - int(time.time()) % _HOUR
    if hasattr(request, "accepted_renderer") or request.path.startswith("/api/"):
        from rest_framework.exceptions import Throttled

        raise Throttled(wait=retry_after, detail=_("Too many downloads of personal data this hour."))
    response = render(request, "accounts/bulk_access_refused.html", {"minutes": -(-retry_after // 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def counts_personal_data_access(where: str) -> Callable:
    """Decorate a view (below its role decorator) that hands out candidates' personal data:
    refused past the hourly hard limit, counted when it answers with success."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            request = _request_of(args)
            user = request.user
            counted = user is not None and user.is_authenticated
            if counted and not personal_data_access_allowed(user_id=user.pk):
                return _refuse(request)
            response = view(*args, **kwargs)
            if counted and response.status_code < 400:
                personal_data_access_note(user=user, where=where)
            return response

        return wrapped

    return decorator

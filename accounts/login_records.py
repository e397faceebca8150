"""The login throttle's records (django-axes) hold the typed address and the client's IP: personal
data. They go with an erased account and expire after ``LOGIN_RECORDS_KEEP_DAYS``.

axes stores three kinds: ``AccessAttempt`` (failures counted for the lock-out), ``AccessLog``
(successful logins and logouts) and ``AccessFailureLog`` (each failure, when enabled). Each
holds the address in ``username`` (what was typed, so compared case-insensitively).
"""

from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.db import transaction
from django.utils import timezone


@transaction.atomic
def login_records_erase(*, email: str) -> int:
    """Delete every login record made with ``email``; returns how many rows went."""
    email = (email or "").strip()
    if not email:
        return 0
    count = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        # AccessAttempt's expiration row cascades with it.
        deleted, _ = model.objects.filter(username__iexact=email).delete()
        count += deleted
    return count


def login_records_expire(*, now: datetime | None = None) -> int:
    """Delete login records older than ``LOGIN_RECORDS_KEEP_DAYS``; returns how many rows went.

    The lock-out only reads attempts within ``AXES_COOLOFF_TIME`` (minutes), so an old attempt
    serves no purpose; the logs are deleted as axes' ``axes_reset_logs --age`` command does.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.LOGIN_RECORDS_KEEP_DAYS)
    count = 0
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        deleted, _ = model.objects.filter(attempt_time__lte=cutoff).delete()
        count += deleted
    return count


def login_records_of(*, email: str) -> list[dict]:
    """The login records made with ``email``, oldest first, for the person's data export."""
    email = (email or "").strip()
    if not email:
        return []
    rows = [
        {"kind": kind, "at": record.attempt_time, "ip_address": record.ip_address, "user_agent": record.user_agent}
        for kind, model in (
            ("failures_counted", AccessAttempt),
            ("login", AccessLog),
            ("failed_login", AccessFailureLog),
        )
        for record in model.objects.filter(username__iexact=email)
    ]
    return sorted(rows, key=lambda row: row["at"])

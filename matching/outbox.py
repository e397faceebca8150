"""The rematch outbox: a request is a row written with the change, then queued on commit.

If the broker is unreachable at commit time, the row stays; ``sweep`` queues it again
later (beat runs it every MATCHING_SWEEP_SECONDS), so no change is ever lost.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import PendingRematch, RematchKind

logger = logging.getLogger(__name__)

# A request not yet sent is swept after this; one sent but not done after LOST_AFTER.
SEND_GRACE = timedelta(seconds=5)
LOST_AFTER = timedelta(minutes=30)


def request(*, kind: str, object_id: int | None) -> None:
    """Record a rematch request in the current transaction and queue it once it commits."""
    PendingRematch.objects.update_or_create(
        kind=kind, object_id=object_id, defaults={"requested_at": timezone.now(), "enqueued_at": None}
    )
    transaction.on_commit(lambda: enqueue(kind=kind, object_id=object_id))


def enqueue(*, kind: str, object_id: int | None) -> bool:
    """Send the task to the broker; False (and the outbox row stays) when the broker is down."""
    from . import tasks

    task = {
        RematchKind.VACANCY: tasks.rematch_vacancy,
        RematchKind.CANDIDATE: tasks.rematch_candidate,
        RematchKind.ALL: tasks.rebuild_all,
    }[kind]
    args = () if kind == RematchKind.ALL else (object_id,)
    try:
        task.apply_async(args=args, retry=False)
    except Exception as exc:  # kombu/redis raise several types; any failure leaves the row for the sweep
        logger.warning("Broker unreachable, rematch %s %s stays in the outbox: %s", kind, object_id, exc)
        return False
    PendingRematch.objects.filter(kind=kind, object_id=object_id).update(enqueued_at=timezone.now())
    return True


def done(*, kind: str, object_id: int | None, started_at) -> None:
    """Clear a request that the finished task covered (not one made after the task started)."""
    PendingRematch.objects.filter(kind=kind, object_id=object_id, requested_at__lte=started_at).delete()


def sweep(*, now=None) -> int:
    """Queue every request older than the grace period again; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    due = PendingRematch.objects.filter(
        Q(enqueued_at__isnull=True, requested_at__lte=now - SEND_GRACE) | Q(enqueued_at__lte=now - LOST_AFTER)
    )
    for row in due.order_by("requested_at")[:1000]:
        if enqueue(kind=row.kind, object_id=row.object_id):
            sent += 1
    return sent

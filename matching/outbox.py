"""The rematch outbox: a request is a row written with the change, then queued on commit.

If the broker is unreachable at commit time, the row stays; ``sweep`` queues it again
later (beat runs it every MATCHING_SWEEP_SECONDS), so no change is ever lost.
"""

import logging
import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import PendingRematch, RematchKind

logger = logging.getLogger(__name__)

# A request not yet sent is swept after this; one sent but not done after LOST_AFTER.
SEND_GRACE = timedelta(seconds=5)
LOST_AFTER = timedelta(minutes=30)


def request(*, kind: str, object_id: int | None) -> PendingRematch:
    """Record a rematch request in the current transaction and queue it once it commits.

    Returns the outbox row; its ``task_id`` is the id the task is sent with (now or by the sweep).
    A request not sent yet keeps its task id: the one send covers every request made before it.
    """
    with transaction.atomic():
        row = PendingRematch.objects.select_for_update().filter(kind=kind, object_id=object_id).first()
        if row is None:
            row = PendingRematch.objects.create(kind=kind, object_id=object_id, task_id=str(uuid.uuid4()))
        else:
            if row.enqueued_at is not None or not row.task_id:
                row.task_id = str(uuid.uuid4())
            row.requested_at = timezone.now()
            row.enqueued_at = None
            row.save(update_fields=["requested_at", "enqueued_at", "task_id"])
    task_id = row.task_id
    transaction.on_commit(lambda: enqueue(kind=kind, object_id=object_id, task_id=task_id))
    return row


def enqueue(*, kind: str, object_id: int | None, task_id: str = "") -> bool:
    """Send the task to the broker; False (and the outbox row stays) when the broker is down."""
    from . import tasks

    task = {
        RematchKind.VACANCY: tasks.rematch_vacancy,
        RematchKind.CANDIDATE: tasks.rematch_candidate,
        RematchKind.ALL: tasks.rebuild_all,
    }[kind]
    args = () if kind == RematchKind.ALL else (object_id,)
    try:
        task.apply_async(args=args, retry=False, task_id=task_id or None)
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
        if enqueue(kind=row.kind, object_id=row.object_id, task_id=row.task_id):
            sent += 1
    return sent

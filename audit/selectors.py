"""Reads of the audit log: the chain check and the events an auditor exports."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditAnchor, AuditEvent
from .services import GENESIS_HASH, event_hash


@dataclass(frozen=True)
class ChainCheck:
    verified: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def chain_verify() -> ChainCheck:
    """Walk the chain in order from the anchor: every event must link to the one before it and
    its hash must match its content. The first event that does not is named."""
    anchor = AuditAnchor.objects.order_by("id").first()
    prev = (anchor.last_purged_hash if anchor else "") or GENESIS_HASH
    count = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return ChainCheck(count, event.seq, "does not link to the event before it (one was removed or altered)")
        if event_hash(event=event, prev_hash=event.prev_hash) != event.hash:
            return ChainCheck(count, event.seq, "its content does not match its hash (altered)")
        prev = event.hash
        count += 1
    return ChainCheck(count)


def events_for_export(*, since: date | datetime | None = None, kind: str = "") -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("seq")
    if since is not None:
        if not isinstance(since, datetime):
            since = timezone.make_aware(datetime.combine(since, time.min))
        events = events.filter(at__gte=since)
    if kind:
        events = events.filter(kind=kind)
    return events


EXPORT_FIELDS = (
    "seq",
    "at",
    "kind",
    "actor_id",
    "actor_label",
    "service",
    "subject_type",
    "subject_id",
    "where",
    "data",
    "prev_hash",
    "hash",
)


def export_rows(events: QuerySet[AuditEvent]) -> Iterator[dict]:
    """Events as plain dicts (JSON-ready), in chain order, streamed."""
    for event in events.iterator(chunk_size=2000):
        yield {
            "seq": event.seq,
            "at": event.at.isoformat(),
            "kind": event.kind,
            "actor_id": event.actor_id,
            "actor_label": event.actor_label,
            "service": event.service,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "where": event.where,
            "data": event.data,
            "prev_hash": event.prev_hash,
            "hash": event.hash,
        }

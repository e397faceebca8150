"""Writes of the audit log: append events to the hash chain, purge the old end.

Every writer takes one PostgreSQL advisory transaction lock, reads the chain head and inserts
its events in one statement, so concurrent writers (web processes, workers) keep one chain
and a request that logs fifty candidate views costs the same three queries as one that logs
one. Nothing here updates or deletes an event except ``audit_purge`` (the retention).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditAnchor, AuditEvent

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key of the chain ("AUDIT" in ASCII).
CHAIN_LOCK_KEY = 0x4155444954


@dataclass(frozen=True)
class AuditEntry:
    """One event to record; the actor and the chain fields are added by the writer."""

    kind: str
    subject_type: str = ""
    subject_id: int | None = None
    where: str = ""
    data: dict = field(default_factory=dict)


def _json_safe(data: dict | None) -> dict:
    """The data as JSON gives it back (tuples become lists, dates strings): what is hashed is
    exactly what the database returns."""
    if not data:
        return {}
    return json.loads(json.dumps(data, default=str))


def event_hash(*, event: AuditEvent, prev_hash: str) -> str:
    """SHA-256 over the canonical JSON of the event's content and the previous event's hash."""
    at: datetime = event.at
    content = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "kind": event.kind,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "service": event.service,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "where": event.where,
        "data": event.data,
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def actor_fields(actor: Any) -> tuple[int | None, str, str]:
    """(id, label, service code) of whoever acted: a role and an organisation id, never a name."""
    if actor is None:
        return None, "system", ""
    if not getattr(actor, "is_authenticated", False):
        return None, "anonymous", ""
    role = "admin" if getattr(actor, "is_superuser", False) else str(getattr(actor, "role", ""))
    label = role
    if getattr(actor, "employer_id", None):
        label = f"{role}:employer {actor.employer_id}"
    service = ""
    if getattr(actor, "employment_service_id", None):
        service = actor.employment_service.code
    return actor.pk, label[:60], service


def _chain_head() -> str:
    """The hash the next event links to, read under the chain lock (one query)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE((SELECT hash FROM {AuditEvent._meta.db_table} ORDER BY seq DESC LIMIT 1),"
            f" (SELECT last_purged_hash FROM {AuditAnchor._meta.db_table} ORDER BY id LIMIT 1), '')"
        )
        head = cursor.fetchone()[0]
    return head or GENESIS_HASH


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


@dataclass
class _Pending:
    """An event's content on its way into the chain (the fields ``event_hash`` reads)."""

    at: datetime
    kind: str
    actor_id: int | None
    actor_label: str
    service: str
    subject_type: str
    subject_id: int | None
    where: str
    data: dict
    prev_hash: str
    hash: str = ""
    seq: int | None = None


def _append(*, actor: Any, entries: list[AuditEntry], at: datetime | None) -> list[_Pending]:
    """Link the entries to the chain and insert them in one statement, under the chain lock."""
    actor_id, actor_label, service = actor_fields(actor)
    at = at or timezone.now()
    with transaction.atomic(savepoint=False):
        _lock_chain()
        prev = _chain_head()
        events = []
        for entry in entries:
            event = _Pending(
                at=at,
                kind=entry.kind,
                actor_id=actor_id,
                actor_label=actor_label,
                service=service,
                subject_type=entry.subject_type,
                subject_id=entry.subject_id,
                where=entry.where[:120],
                data=_json_safe(entry.data),
                prev_hash=prev,
            )
            event.hash = event_hash(event=event, prev_hash=prev)
            prev = event.hash
            events.append(event)
        _insert_in_order(events)
    return events


def _insert_in_order(events: list[_Pending]) -> None:
    """One ``INSERT … SELECT FROM unnest(…)`` in the chain's order, setting each event's ``seq``.

    ``bulk_create`` of model instances prepared every field of every event through the ORM
    (issue 15: ~2 ms of CPU for the fifty views a shortlist page logs, more than the rest of
    the write); here the columns go as arrays. The events of one call share time and actor.
    """
    if connection.vendor != "postgresql":
        created = AuditEvent.objects.bulk_create(AuditEvent(**vars(event)) for event in events)
        for event, row in zip(events, created, strict=True):
            event.seq = row.seq
        return
    first = events[0]
    columns = {
        "subject_type": ("text", [e.subject_type for e in events]),
        "subject_id": ("bigint", [e.subject_id for e in events]),
        "kind": ("text", [e.kind for e in events]),
        "where": ("text", [e.where for e in events]),
        "data": ("text", [json.dumps(e.data) for e in events]),
        "prev_hash": ("text", [e.prev_hash for e in events]),
        "hash": ("text", [e.hash for e in events]),
    }
    arrays = ", ".join(f"%s::{kind}[]" for kind, _values in columns.values())
    aliases = ", ".join(f"c_{name}" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} (at, actor_id, actor_label, service, subject_type,"
            ' subject_id, kind, "where", data, prev_hash, hash)'
            " SELECT %s, %s, %s, %s, c_subject_type, c_subject_id, c_kind, c_where, c_data::jsonb, c_prev_hash,"
            f" c_hash FROM unnest({arrays}) WITH ORDINALITY AS t({aliases}, n) ORDER BY n RETURNING seq",
            [
                first.at,
                first.actor_id,
                first.actor_label,
                first.service,
                *(values for _kind, values in columns.values()),
            ],
        )
        # nextval() ran in the ORDER BY's order: the n-th smallest seq is the n-th event.
        seqs = sorted(row[0] for row in cursor.fetchall())
    for event, seq in zip(events, seqs, strict=True):
        event.seq = seq


def audit_record_many(
    *, actor: Any = None, entries: Iterable[AuditEntry], at: datetime | None = None
) -> list[AuditEvent]:
    """Append several events in one insert (constant queries whatever their number)."""
    entries = list(entries)
    if not entries:
        return []
    events = []
    for pending in _append(actor=actor, entries=entries, at=at):
        event = AuditEvent(**vars(pending))
        event._state.adding = False
        events.append(event)
    return events


def audit_record(
    *,
    kind: str,
    actor: Any = None,
    subject: tuple[str, int | None] | None = None,
    where: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Append one event. ``subject`` is (type, id), e.g. ("candidate", 42)."""
    subject_type, subject_id = subject or ("", None)
    entry = AuditEntry(kind=kind, subject_type=subject_type, subject_id=subject_id, where=where, data=data or {})
    return audit_record_many(actor=actor, entries=[entry])[0]


def audit_views(
    *, actor: Any, candidate_ids: Iterable[int], where: str, kind: str = "personal_data_view", data: dict | None = None
) -> int:
    """Log that ``actor`` saw these candidates' personal data on ``where`` (a page or an API
    operation): one event per candidate, one write per request. Returns how many were logged."""
    ids = list(dict.fromkeys(int(i) for i in candidate_ids))
    if not ids:
        return 0
    entries = [AuditEntry(kind=kind, subject_type="candidate", subject_id=i, where=where, data=data or {}) for i in ids]
    return len(_append(actor=actor, entries=entries, at=None))


def audit_purge(*, now: datetime | None = None) -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS, keeping the rest verifiable: the hash
    of the last purged event becomes the anchor the first kept event links to."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.filter(at__lt=cutoff).order_by("-seq").values("seq", "hash").first()
        if last is None:
            return 0
        deleted, _ = AuditEvent.objects.filter(seq__lte=last["seq"]).delete()
        AuditAnchor.objects.update_or_create(
            pk=1,
            defaults={"last_purged_seq": last["seq"], "last_purged_hash": last["hash"], "purged_at": timezone.now()},
        )
    return deleted

"""Writes of the matching app: rematch requests, shortlist persistence, caseworker decisions."""
from . import outbox


def rematch_request(*, kind: str, object_id: int | None = None) -> None:
    """Ask for a rematch after the current transaction commits (outbox-backed)."""
    outbox.request(kind=kind, object_id=object_id)

"""The audit log's hash chain on a real PostgreSQL: appended in order, verified by
``manage.py verify_logs``, tamper-evident, purged after the retention by beat's job, one chain
under concurrent writers, exported for an auditor."""

import csv
import io
import json
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from audit import tasks
from audit.models import AuditAnchor, AuditEvent
from audit.services import GENESIS_HASH, AuditEntry, audit_record, audit_record_many, audit_views
from tests.factories import CaseworkerFactory, service


def verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_logs", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def record_some(n: int, **kwargs) -> list[AuditEvent]:
    return audit_record_many(
        entries=[AuditEntry(kind="test", subject_type="candidate", subject_id=i, data={"i": i}) for i in range(n)],
        **kwargs,
    )


@pytest.mark.django_db
def test_events_link_into_one_chain_that_verifies():
    first = audit_record(kind="test", subject=("candidate", 1), where="here", data={"a": [1, 2], "b": 0.25})
    rest = record_some(3)
    assert first.prev_hash == GENESIS_HASH
    chain = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in chain] == [first.seq, *[e.seq for e in rest]]
    for before, after in zip(chain, chain[1:]):
        assert after.prev_hash == before.hash
    assert verify() == (0, "4 events verified\n", "")


@pytest.mark.django_db
def test_the_actor_is_a_role_and_a_service_never_a_name():
    caseworker = CaseworkerFactory(employment_service=service("uwv"), first_name="Ria", last_name="Kok")
    event = audit_record(kind="test", actor=caseworker)
    assert (event.actor_id, event.actor_label, event.service) == (caseworker.pk, "caseworker", "uwv")
    assert "Ria" not in json.dumps([event.actor_label, event.data, event.where])
    assert audit_record(kind="test").actor_label == "system"


@pytest.mark.django_db
def test_an_altered_row_is_named_by_verify_logs():
    events = record_some(5)
    AuditEvent.objects.filter(seq=events[2].seq).update(data={"i": 99})  # tampering
    code, out, err = verify()
    assert code == 1
    assert f"seq {events[2].seq}" in err
    assert "altered" in err


@pytest.mark.django_db
def test_a_row_removed_in_the_middle_is_detected_at_the_next_one():
    events = record_some(5)
    AuditEvent.objects.filter(seq=events[1].seq).delete()
    code, _out, err = verify()
    assert code == 1
    assert f"seq {events[2].seq}" in err


@pytest.mark.django_db
def test_a_row_rehashed_by_hand_still_breaks_the_chain_after_it():
    """Recomputing one row's hash after editing it does not help: the next row links to the old hash."""
    from audit.services import event_hash

    events = record_some(3)
    row = AuditEvent.objects.get(seq=events[0].seq)
    row.data = {"i": 42}
    row.hash = event_hash(event=row, prev_hash=row.prev_hash)
    AuditEvent.objects.filter(seq=row.seq).update(data=row.data, hash=row.hash)
    code, _out, err = verify()
    assert code == 1
    assert f"seq {events[1].seq}" in err


@pytest.mark.django_db
def test_beat_purges_events_older_than_the_retention_and_the_rest_still_verifies():
    assert settings.AUDIT_RETENTION_DAYS >= 183
    old = record_some(3, at=timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS + 1))
    recent = record_some(2)
    assert tasks.audit_purge() == 3  # the beat task's own function, on the real database
    assert list(AuditEvent.objects.values_list("seq", flat=True)) == [e.seq for e in recent]
    anchor = AuditAnchor.objects.get()
    assert (anchor.last_purged_seq, anchor.last_purged_hash) == (old[-1].seq, old[-1].hash)
    assert verify()[:2] == (0, "2 events verified\n")
    # New events after a purge link on; a second purge has nothing to do.
    record_some(1)
    assert tasks.audit_purge() == 0
    assert verify()[:2] == (0, "3 events verified\n")


def test_beat_runs_the_purge():
    tasks_scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "audit.tasks.audit_purge" in tasks_scheduled


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_chain():
    """Two threads, each on its own database connection, append at the same time."""
    barrier = threading.Barrier(2)
    errors = []

    def writer(offset: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                audit_record_many(
                    entries=[AuditEntry(kind="test", subject_id=offset + i), AuditEntry(kind="test", data={"n": i})]
                )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(offset,)) for offset in (0, 1000)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 60
    hashes = list(AuditEvent.objects.order_by("seq").values_list("prev_hash", "hash"))
    assert len({prev for prev, _ in hashes}) == 60  # nobody linked to the same head twice
    assert verify()[:2] == (0, "60 events verified\n")


@pytest.mark.django_db
def test_one_write_whatever_the_number_of_events(django_assert_num_queries):
    record_some(1)
    # the chain lock, its head, one insert
    with django_assert_num_queries(3):
        record_some(1)
    with django_assert_num_queries(3):
        record_some(40)
    assert connection.vendor == "postgresql"


@pytest.mark.django_db
def test_export_logs_writes_csv_and_json_filtered_by_kind_and_date():
    audit_record_many(entries=[AuditEntry(kind="old", subject_id=1)], at=timezone.now() - timedelta(days=10))
    caseworker = CaseworkerFactory(employment_service=service("vdab"))
    audit_views(actor=caseworker, candidate_ids=[7, 8], where="matching:shortlist")
    out = io.StringIO()
    call_command("export_logs", "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows[0][:4] == ["seq", "at", "kind", "actor_id"]
    assert [r[2] for r in rows[1:]] == ["old", "personal_data_view", "personal_data_view"]
    out = io.StringIO()
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    call_command("export_logs", "--format", "json", "--kind", "personal_data_view", "--since", since, stdout=out)
    events = json.loads(out.getvalue())
    assert [(e["subject_id"], e["where"], e["service"]) for e in events] == [
        (7, "matching:shortlist", "vdab"),
        (8, "matching:shortlist", "vdab"),
    ]
    assert events[0]["hash"] == events[1]["prev_hash"]
    out = io.StringIO()
    call_command(
        "export_logs", "--format", "json", "--since", timezone.localdate().isoformat(), "--kind", "old", stdout=out
    )
    assert json.loads(out.getvalue()) == []

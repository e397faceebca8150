"""The erasure ledger, retention, checksums and the health check of backups/services.py (no pg_dump here;
the round trip through PostgreSQL's own clients is in test_round_trip.py)."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.models import User
from backups.models import Erasure, ErasureKind
from backups.services import (
    MANIFEST_NAME,
    BackupError,
    _files_of,
    backup_is_recent,
    backup_resolve,
    backup_verify,
    backups_list,
    backups_prune,
    erasure_record,
    ledger_current,
    ledger_file,
    ledger_file_read,
)
from nsp_portal.privacy import account_erase, account_erase_again
from tests.factories import CandidateFactory, EmployerUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return Path(settings.BACKUP_DIR)


def test_an_erasure_is_in_the_ledger_by_ids_only_and_in_the_file_once_committed(
    backup_dir, django_capture_on_commit_callbacks
):
    candidate = CandidateFactory(user__email="ledger.person@example.test", postcode="4536 XQ")
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=candidate.user)

    entry = Erasure.objects.get()
    assert (entry.kind, entry.user_id, entry.candidate_id) == (
        ErasureKind.JOBSEEKER_ACCOUNT,
        candidate.user_id,
        candidate.pk,
    )
    text = ledger_file().read_text()
    assert json.loads(text) == entry.as_ledger_line()
    assert "ledger.person" not in text
    assert "4536" not in text
    assert set(entry.as_ledger_line()) == {"id", "kind", "user_id", "candidate_id", "erased_at"}


def test_an_employer_users_erasure_has_its_kind(backup_dir):
    user = EmployerUserFactory()
    account_erase(user=user)
    assert Erasure.objects.get().kind == ErasureKind.EMPLOYER_ACCOUNT


def test_a_rolled_back_erasure_leaves_no_ledger_row_and_no_line(backup_dir, django_capture_on_commit_callbacks):
    def erasure_that_fails():
        with transaction.atomic():
            erasure_record(kind=ErasureKind.OTHER_ACCOUNT, user_id=7)
            raise RuntimeError("the erasure failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        erasure_that_fails()
    assert callbacks == []
    assert not Erasure.objects.exists()
    assert not ledger_file().exists()


def test_the_current_ledger_joins_the_database_and_the_file(backup_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        in_both = erasure_record(kind=ErasureKind.OTHER_ACCOUNT, user_id=1)
    only_in_database = erasure_record(kind=ErasureKind.OTHER_ACCOUNT, user_id=2)  # its on-commit never ran
    # A line from before a restore (the database lost it) and a torn last line.
    file_only = {
        "id": "6f1b1a86-0000-4000-8000-000000000001",
        "kind": "account",
        "user_id": 3,
        "candidate_id": None,
        "erased_at": (timezone.now() - timedelta(days=1)).isoformat(),
    }
    with ledger_file().open("a") as handle:
        handle.write(json.dumps(file_only) + "\n" + '{"id": "torn')

    assert set(ledger_file_read()) == {str(in_both.id), file_only["id"]}
    assert [line["user_id"] for line in ledger_current()] == [3, 1, 2]  # oldest first
    assert str(only_in_database.id) in {line["id"] for line in ledger_current()}


def fake_backup(root: Path, name: str, taken_at=None) -> Path:
    path = root / name
    (path / "media" / "cvs").mkdir(parents=True)
    (path / "database.dump").write_bytes(b"PGDMP fake")
    (path / "media" / "cvs" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    manifest = {"taken_at": (taken_at or timezone.now()).isoformat(), "files": _files_of(path)}
    (path / MANIFEST_NAME).write_text(json.dumps(manifest))
    return path


def test_retention_keeps_the_newest_complete_backups(backup_dir):
    names = [f"nsp-backup-2026010{day}T000000000000Z" for day in range(1, 6)]
    for name in names:
        fake_backup(backup_dir, name)
    (backup_dir / ".partial-nsp-backup-20260106T000000000000Z").mkdir()  # in progress: not a backup

    removed = backups_prune(keep=2)

    assert [p.name for p in removed] == names[:3]
    assert [p.name for p in backups_list()] == names[3:]
    assert backup_resolve("latest").name == names[-1]
    assert backup_resolve(names[3]).name == names[3]
    with pytest.raises(BackupError):
        backups_prune(keep=0)


def test_a_changed_missing_or_added_file_fails_the_verification(backup_dir):
    backup = fake_backup(backup_dir, "nsp-backup-20260101T000000000000Z")
    assert backup_verify(backup)["files"]

    (backup / "media" / "cvs" / "a.pdf").write_bytes(b"%PDF-1.4 changed")
    (backup / "media" / "extra.txt").write_text("x")
    (backup / "database.dump").unlink()
    with pytest.raises(BackupError) as failure:
        backup_verify(backup)
    message = str(failure.value)
    assert "checksum differs: media/cvs/a.pdf" in message
    assert "not in the manifest: media/extra.txt" in message
    assert "missing: database.dump" in message
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(backup), "--yes")


def test_the_health_check_wants_a_backup_younger_than_two_intervals(backup_dir, settings):
    settings.BACKUP_INTERVAL_SECONDS = 3600
    with pytest.raises(CommandError):
        call_command("backup", "--check")
    fake_backup(backup_dir, "nsp-backup-20260101T000000000000Z", taken_at=timezone.now() - timedelta(hours=3))
    assert not backup_is_recent(max_age=timedelta(hours=2))
    with pytest.raises(CommandError):
        call_command("backup", "--check")
    fake_backup(backup_dir, "nsp-backup-20260102T000000000000Z", taken_at=timezone.now() - timedelta(hours=1))
    call_command("backup", "--check")


def test_every_erasure_kind_has_a_function_that_erases_again(settings):
    for kind in ErasureKind.values:
        assert callable(import_string(settings.BACKUP_ERASURE_APPLIERS[kind])), kind


def test_erasing_again_an_account_that_is_gone_or_erased_is_fine(backup_dir):
    candidate = CandidateFactory()
    account_erase_again(user_id=candidate.user_id, candidate_id=candidate.pk)
    account_erase_again(user_id=candidate.user_id, candidate_id=candidate.pk)
    account_erase_again(user_id=10**9)
    assert User.objects.get(pk=candidate.user_id).email == f"erased-{candidate.user_id}@erased.invalid"
    assert Erasure.objects.count() == 2  # outside a restore each call is recorded

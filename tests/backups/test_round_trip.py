"""Backup → wipe → restore through PostgreSQL's own pg_dump and pg_restore, into the test database:
every row and every media file comes back, and an erasure made after the backup is made again."""

import json
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from applications.services import application_create
from audit.services import audit_record
from backups.models import Erasure
from backups.services import (
    _pg_binary,
    _pg_environment,
    backup_create,
    backup_restore,
    ledger_file,
    ledger_file_read,
)
from matching.models import Match, MatchDecision, ReviewStatus
from nsp_portal.privacy import account_erase
from tests.factories import CandidateFactory, CaseworkerFactory, EmployerUserFactory, VacancyFactory
from tests.pdf_helpers import text_pdf
from vacancies.models import VacancyStatus

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"
    return Path(settings.BACKUP_DIR)


def published_vacancy():
    now = timezone.now()
    return VacancyFactory(status=VacancyStatus.PUBLISHED, published_at=now, expires_at=now + timedelta(days=30))


def apply_with_cv(candidate, vacancy, text: str) -> Application:
    cv = SimpleUploadedFile("cv.pdf", text_pdf([text]), content_type="application/pdf")
    application = application_create(candidate=candidate, vacancy=vacancy, motivation=f"Motivatie {text}", cv=cv)
    application.refresh_from_db()  # the CV check (eager here) may have replaced the file by a sanitised copy
    return application


def table_fingerprints() -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of its rows in a fixed order."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        found = {}
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {quoted} t"
            )
            found[table] = cursor.fetchone()
    return found


def media_files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def pg_dump_text() -> str:
    result = subprocess.run(
        [_pg_binary("pg_dump")], env=_pg_environment("default"), capture_output=True, check=True, timeout=300
    )
    return result.stdout.decode("utf-8", errors="replace")


def test_backup_wipe_restore_brings_back_every_row_and_file(media_root, backup_dir, reference_data):
    caseworker = CaseworkerFactory()
    vacancies = [published_vacancy() for _ in range(2)]
    EmployerUserFactory(employer=vacancies[0].employer)
    candidates = [CandidateFactory() for _ in range(3)]
    for n, candidate in enumerate(candidates):
        application = apply_with_cv(candidate, vacancies[n % 2], f"CV van kandidaat {n}")
        match = Match.objects.create(
            candidate=candidate, vacancy=vacancies[n % 2], score=0.5 + n / 10, engine_version="t"
        )
        MatchDecision.objects.create(match=match, decision=ReviewStatus.APPROVED, note="past")
        audit_record(kind="match_decision", actor=caseworker, subject=("match", match.pk), data={"n": n})
        assert Path(application.cv.path).is_file()
    (media_root / "other").mkdir()
    (media_root / "other" / "notes.bin").write_bytes(bytes(range(256)))
    rows_before, files_before = table_fingerprints(), media_files(media_root)
    assert len([name for name in files_before if name.endswith(".pdf")]) == 3

    backup = backup_create()

    assert backup.path.parent == backup_dir
    listed = {entry["path"] for entry in backup.manifest["files"]}
    assert {"database.dump", *(f"media/{name}" for name in files_before)} == listed
    assert backup.manifest["reference_data"]

    call_command("flush", interactive=False)  # keeps the reference data (tests/conftest.py)
    for path in media_root.rglob("*"):
        if path.is_file():
            path.unlink()
    assert not User.objects.exists()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup.path))

    call_command("restore", "latest", "--yes")

    assert table_fingerprints() == rows_before
    assert media_files(media_root) == files_before


def test_erasures_after_the_backup_are_made_again_on_restore(media_root, backup_dir, reference_data):
    emails = ["wobbe.only-in-the-file@example.test", "jildou.only-in-the-database@example.test"]
    candidates = [CandidateFactory(user__email=email, postcode="4501 ZZ") for email in emails]
    vacancy = published_vacancy()
    cv_names = [apply_with_cv(candidate, vacancy, candidate.user.email).cv.name for candidate in candidates]
    backup = backup_create()

    for candidate in candidates:
        account_erase(user=candidate.user)  # committed: a ledger row and a line in BACKUP_DIR's file
    assert not any((media_root / name).exists() for name in cv_names)
    lines = ledger_file_read()
    by_user = {line["user_id"]: line for line in lines.values()}
    only_in_file, only_in_database = (by_user[candidate.user_id] for candidate in candidates)
    # Either copy of the ledger alone is enough: the database lost one row, the file one line.
    Erasure.objects.filter(id=only_in_file["id"]).delete()
    ledger_file().write_text(json.dumps(only_in_file) + "\n")

    result = backup_restore(backup=backup.path, allow_non_empty=True)

    assert {line["id"] for line in result.reapplied} == {only_in_file["id"], only_in_database["id"]}
    for candidate, email, cv_name in zip(candidates, emails, cv_names, strict=True):
        assert not User.objects.filter(email__iexact=email).exists()
        assert User.objects.get(pk=candidate.user_id).email.endswith("@erased.invalid")
        assert not (media_root / cv_name).exists()
    assert set(Application.objects.values_list("cv", flat=True)) == {""}
    dump = pg_dump_text()
    assert [email for email in emails if email in dump] == []
    # The restored ledger knows both again (a later backup carries them); the file has each once.
    assert {str(pk) for pk in Erasure.objects.values_list("id", flat=True)} == set(lines)
    assert sorted(ledger_file().read_text().splitlines()) == sorted(
        json.dumps(line, sort_keys=True) for line in lines.values()
    )

"""Backups of the database and the media, their restore, and the erasure ledger a restore re-applies.

A backup is a directory ``BACKUP_DIR/nsp-backup-<UTC time>/`` with ``database.dump`` (``pg_dump
--format=custom``), ``media/`` (a copy of ``MEDIA_ROOT``) and ``manifest.json`` (the time, every
file with its sha256, the erasure ledger's high-water mark, the reference data versions). It is
written under a ``.partial-`` name and renamed when complete, so a half-written one never counts.

The erasure ledger (models.Erasure) lives in the database and, appended after each commit, in
``BACKUP_DIR/erasure-ledger.jsonl``. A restore reads both before it replaces the database, and
re-applies every erasure the restored database does not know (docs/operations.md "Backup and
restore").
"""

import contextvars
import fcntl
import hashlib
import json
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import import_string

from taxonomy.models import ReferenceDataVersion

from .models import Erasure

logger = logging.getLogger(__name__)

BACKUP_PREFIX = "nsp-backup-"
PARTIAL_PREFIX = ".partial-"
MANIFEST_NAME = "manifest.json"
DATABASE_DUMP_NAME = "database.dump"
MEDIA_DIR_NAME = "media"
LEDGER_FILE_NAME = "erasure-ledger.jsonl"
PG_TIMEOUT_SECONDS = 6 * 3600

# Set while a restore re-applies erasures: the restore writes their original ledger entries itself.
_reapplying: contextvars.ContextVar[bool] = contextvars.ContextVar("backups_reapplying", default=False)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (shown by the commands)."""


# --- the erasure ledger --------------------------------------------------------------------------------


def ledger_file() -> Path:
    return Path(settings.BACKUP_DIR) / LEDGER_FILE_NAME


@transaction.atomic
def erasure_record(*, kind: str, user_id: int | None, candidate_id: int | None = None) -> Erasure | None:
    """Record an erasure in the caller's transaction; the ledger file gets the line once it commits."""
    if _reapplying.get():
        return None
    entry = Erasure(kind=kind, user_id=user_id, candidate_id=candidate_id, erased_at=timezone.now())
    entry.full_clean()
    entry.save()
    line = entry.as_ledger_line()
    transaction.on_commit(lambda: ledger_file_append([line]))
    return entry


def ledger_file_append(lines: list[dict]) -> None:
    """Append entries to the ledger file. Never raises: the erasure itself has committed already."""
    path = ledger_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # web and worker processes append to the same file
            handle.write("".join(json.dumps(line, sort_keys=True) + "\n" for line in lines))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError:
        # The database row is there; the next restore still finds it unless the database is lost too.
        logger.exception("erasure ledger file %s not written for %s", path, [line["id"] for line in lines])


def ledger_file_read() -> dict[str, dict]:
    """The ledger file's entries by id; a torn or foreign line is skipped (and logged)."""
    path = ledger_file()
    entries: dict[str, dict] = {}
    if not path.exists():
        return entries
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
            entries[str(line["id"])] = {**line, "id": str(line["id"])}
        except (ValueError, KeyError, TypeError):
            logger.error("erasure ledger file %s: line %d unreadable, skipped", path, number)
    return entries


def _ledger_table_exists(alias: str) -> bool:
    connection = connections[alias]
    return Erasure._meta.db_table in connection.introspection.table_names()


def _ledger_in_database(alias: str) -> dict[str, dict]:
    if not _ledger_table_exists(alias):
        return {}
    return {str(entry.id): entry.as_ledger_line() for entry in Erasure.objects.using(alias).all()}


def ledger_current(*, alias: str = DEFAULT_DB_ALIAS) -> list[dict]:
    """Every erasure known now: the database's ledger and the ledger file together, oldest first."""
    entries = {**ledger_file_read(), **_ledger_in_database(alias)}
    return sorted(entries.values(), key=lambda line: (line["erased_at"], line["id"]))


@contextmanager
def _reapplying_erasures() -> Iterator[None]:
    token = _reapplying.set(True)
    try:
        yield
    finally:
        _reapplying.reset(token)


def _applier(kind: str):
    path = settings.BACKUP_ERASURE_APPLIERS.get(kind)
    if not path:
        raise BackupError(f"no BACKUP_ERASURE_APPLIERS entry for the erasure kind {kind!r}")
    return import_string(path)


def erasure_reapply(*, line: dict, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Erase again what ``line`` erased (the normal erasure service) and put the entry back in the ledger."""
    apply = _applier(line["kind"])
    with transaction.atomic(using=alias), _reapplying_erasures():
        apply(user_id=line["user_id"], candidate_id=line.get("candidate_id"))
        Erasure.objects.using(alias).get_or_create(
            id=line["id"],
            defaults={
                "kind": line["kind"],
                "user_id": line["user_id"],
                "candidate_id": line.get("candidate_id"),
                "erased_at": parse_datetime(line["erased_at"]),
            },
        )


# --- PostgreSQL's own clients ------------------------------------------------------------------------


def _pg_environment(alias: str) -> dict[str, str]:
    """The connection for pg_dump/pg_restore, from Django's settings, in the environment: never argv."""
    database = connections[alias].settings_dict
    if connections[alias].vendor != "postgresql":
        raise BackupError("backups need PostgreSQL (DATABASE_URL)")
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": database.get("NAME"),
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    # The process's own PG* settings (e.g. PGSSLROOTCERT) stay; the connection's are Django's only.
    environment = {key: value for key, value in os.environ.items() if key not in values and key != "PGSERVICE"}
    environment.update({key: str(value) for key, value in values.items() if value})
    return environment


def _pg_binary(name: str) -> str:
    binary = shutil.which(name)
    if binary is None:
        raise BackupError(f"{name} not found: install PostgreSQL's client (the version of the server)")
    return binary


def _run(command: list[str], *, alias: str) -> None:
    result = subprocess.run(
        command, env=_pg_environment(alias), capture_output=True, text=True, timeout=PG_TIMEOUT_SECONDS
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr.strip()[-2000:]}")


# --- backup -----------------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    removed: list[Path] = field(default_factory=list)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files_of(directory: Path) -> list[dict]:
    return [
        {"path": path.relative_to(directory).as_posix(), "size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != MANIFEST_NAME
    ]


def _ledger_high_water(alias: str) -> dict:
    last = Erasure.objects.using(alias).order_by("erased_at", "id").last()
    return {
        "entries": Erasure.objects.using(alias).count(),
        "last_id": str(last.id) if last else None,
        "last_erased_at": last.erased_at.isoformat() if last else None,
    }


def backups_list(root: Path | None = None) -> list[Path]:
    """The complete backups in ``root`` (default ``BACKUP_DIR``), oldest first."""
    root = Path(root or settings.BACKUP_DIR)
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.iterdir()
        if path.is_dir() and path.name.startswith(BACKUP_PREFIX) and (path / MANIFEST_NAME).is_file()
    )


def backups_prune(*, root: Path | None = None, keep: int | None = None) -> list[Path]:
    """Delete all but the ``keep`` newest backups (default ``BACKUP_KEEP``); returns what went."""
    keep = settings.BACKUP_KEEP if keep is None else keep
    if keep < 1:
        raise BackupError("BACKUP_KEEP must be at least 1")
    old = backups_list(root)[:-keep]
    for path in old:
        shutil.rmtree(path)
    return old


def backup_create(*, root: Path | None = None, keep: int | None = None, alias: str = DEFAULT_DB_ALIAS) -> BackupResult:
    """Dump the database, copy the media, write the manifest; then apply the retention."""
    root = Path(root or settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    taken_at = timezone.now()
    name = BACKUP_PREFIX + taken_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    partial = root / (PARTIAL_PREFIX + name)
    partial.mkdir(mode=0o700)  # the dump and the CVs are personal data: owner only
    try:
        # Read before the dump: an erasure committed in between is in the dump and found by id anyway.
        ledger = _ledger_high_water(alias)
        reference_data = [
            {"name": v.name, "digest": v.digest, "loaded_at": v.loaded_at.isoformat()}
            for v in ReferenceDataVersion.objects.using(alias).order_by("name")
        ]
        _run(
            [_pg_binary("pg_dump"), "--format=custom", "--file", str(partial / DATABASE_DUMP_NAME)],
            alias=alias,
        )
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            shutil.copytree(media_root, partial / MEDIA_DIR_NAME, symlinks=False)
        else:
            (partial / MEDIA_DIR_NAME).mkdir()
        manifest = {
            "format": 1,
            "taken_at": taken_at.isoformat(),
            "database": connections[alias].settings_dict["NAME"],
            "files": _files_of(partial),
            "erasure_ledger": ledger,
            "reference_data": reference_data,
        }
        (partial / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        final = root / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    removed = backups_prune(root=root, keep=keep)
    logger.info("backup %s written (%d files), %d old backups removed", final, len(manifest["files"]), len(removed))
    return BackupResult(path=final, manifest=manifest, removed=removed)


def backup_is_recent(*, root: Path | None = None, max_age: timedelta) -> bool:
    """Whether the newest complete backup is younger than ``max_age`` (the backup service's health check)."""
    found = backups_list(root)
    if not found:
        return False
    taken_at = parse_datetime(json.loads((found[-1] / MANIFEST_NAME).read_text(encoding="utf-8"))["taken_at"])
    return timezone.now() - taken_at < max_age


# --- restore ----------------------------------------------------------------------------------------------


@dataclass
class RestoreResult:
    manifest: dict
    reapplied: list[dict]
    media_files: int


def backup_resolve(name_or_path: str, *, root: Path | None = None) -> Path:
    """A backup by path, by name in ``BACKUP_DIR``, or ``latest``."""
    if name_or_path == "latest":
        found = backups_list(root)
        if not found:
            raise BackupError(f"no backup in {root or settings.BACKUP_DIR}")
        return found[-1]
    for candidate in (Path(name_or_path), Path(root or settings.BACKUP_DIR) / name_or_path):
        if (candidate / MANIFEST_NAME).is_file():
            return candidate
    raise BackupError(f"{name_or_path}: not a backup (no {MANIFEST_NAME})")


def backup_verify(backup: Path) -> dict:
    """The manifest, once every file it lists is there with its checksum and nothing else was added."""
    manifest = json.loads((backup / MANIFEST_NAME).read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    present = {entry["path"]: entry for entry in _files_of(backup)}
    problems = [f"missing: {path}" for path in sorted(listed.keys() - present.keys())]
    problems += [f"not in the manifest: {path}" for path in sorted(present.keys() - listed.keys())]
    problems += [
        f"checksum differs: {path}"
        for path in sorted(listed.keys() & present.keys())
        if listed[path]["sha256"] != present[path]["sha256"]
    ]
    if DATABASE_DUMP_NAME not in listed:
        problems.append(f"missing: {DATABASE_DUMP_NAME}")
    if problems:
        raise BackupError(f"backup {backup} is damaged: " + "; ".join(problems[:20]))
    return manifest


def database_is_empty(*, alias: str = DEFAULT_DB_ALIAS) -> bool:
    """No table of the database holds a row (a freshly created database)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")  # names quoted by format(%I) above
            if cursor.fetchone()[0]:
                return False
    return True


def _media_restore(backup: Path) -> int:
    """Make MEDIA_ROOT what it was at the backup: its files back, files added since removed."""
    source = backup / MEDIA_DIR_NAME
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    wanted = {path.relative_to(source) for path in source.rglob("*") if path.is_file()} if source.is_dir() else set()
    for path in media_root.rglob("*"):
        if (path.is_file() or path.is_symlink()) and path.relative_to(media_root) not in wanted:
            path.unlink()
    for relative in sorted(wanted):
        target = media_root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source / relative, target)
    return len(wanted)


def backup_restore(*, backup: Path, allow_non_empty: bool = False, alias: str = DEFAULT_DB_ALIAS) -> RestoreResult:
    """Restore the database and the media from ``backup``, then re-apply the erasures made since."""
    manifest = backup_verify(backup)
    if not allow_non_empty and not database_is_empty(alias=alias):
        raise BackupError("the database is not empty: give --yes to replace its contents with the backup")
    # Read before the database is replaced: afterwards its ledger is the backup's.
    ledger = ledger_current(alias=alias)
    for kind in {line["kind"] for line in ledger}:
        _applier(kind)  # an unknown kind stops the restore before anything changed
    connections[alias].close()  # pg_restore drops the tables: hold no lock on them
    _run(
        [
            _pg_binary("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",  # all or nothing
            "--dbname",
            connections[alias].settings_dict["NAME"],
            str(backup / DATABASE_DUMP_NAME),
        ],
        alias=alias,
    )
    ContentType.objects.clear_cache()  # ids are the backup's now
    # A backup from an older release: bring its schema up to the running code.
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    media_files = _media_restore(backup)
    known = set(_ledger_in_database(alias))
    reapplied = [line for line in ledger if line["id"] not in known]
    for line in reapplied:
        erasure_reapply(line=line, alias=alias)
    in_file = ledger_file_read()
    missing_from_file = [line for line in ledger if line["id"] not in in_file]
    if missing_from_file:
        ledger_file_append(missing_from_file)
    logger.warning(
        "restored %s (taken %s): %d media files, %d erasures re-applied",
        backup,
        manifest["taken_at"],
        media_files,
        len(reapplied),
    )
    return RestoreResult(manifest=manifest, reapplied=reapplied, media_files=media_files)

"""Import vacancies from schema.org JobPosting JSON (one document or a list) or the CSV template.

``vacancy_import`` reads a whole file, maps every record (``vacancies.jobposting``), and
writes through the services (``vacancy_create``, ``vacancy_update``, ``vacancy_submit``),
reporting per record what was created, updated, left unchanged or refused and why.

- All or nothing by default: one refused record and nothing is written. With ``partial``
  the good records are imported and the refused ones reported.
- Idempotent: a record is found again by the employer's reference (Vacancy.reference,
  unique per employer), and a record that changes nothing is reported "unchanged" and not
  written at all; so importing the same file twice changes nothing.
- A file larger than ``settings.VACANCY_IMPORT_MAX_BYTES`` is refused before it is parsed.

The CSV template (UTF-8, comma or semicolon separated, one vacancy per row) is
``CSV_COLUMNS``; docs/api.md describes each column.
"""

import csv
import io
import logging
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Employer
from core.api.parsers import json_too_deep, max_json_depth

from .jobposting import (
    CSV_COLUMNS,
    RawVacancy,
    ResolvedVacancy,
    raw_resolve,
    read_csv,
    read_jobpostings,
)
from .models import ImportJob, ImportStatus, Vacancy
from .services import vacancy_create, vacancy_submit, vacancy_update

CSV_EXAMPLE_ROW = {
    "reference": "TNZ-2026-014",
    "title": "Procesoperator ploegendienst",
    "description": "Je bewaakt het productieproces in de fabriek in Sluiskil.",
    "occupation": "8131",
    "postal_code": "",
    "locality": "Sluiskil",
    "country": "NL",
    "contract_type": "permanent",
    "hours_per_week": "38",
    "shift_work": "yes",
    "salary_min": "3200",
    "salary_max": "4100",
    "salary_period": "month",
    "openings": "2",
    "start_date": "",
    "valid_through": "",
    "min_eqf_level": "4",
    "requires_min_secondary": "yes",
    "essential_skills": "",
    "optional_skills": "",
}
OUTCOMES = ("created", "updated", "unchanged", "refused", "skipped")
PROGRESS_EVERY = 25  # records: how often a job's progress is written

# progress(stage, done, total): stage "checking" (records read and resolved) or "writing"
Progress = Callable[[str, int, int], None]

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    """The file is refused as a whole, before its records are read; the message says why."""


class ImportTooLarge(ImportRefused):
    pass


class ImportTooDeep(ImportRefused):
    """JSON nested deeper than the API's rule (core.api.parsers.json_too_deep): ``json`` would recurse."""


@dataclass
class RecordReport:
    index: int
    reference: str = ""
    title: str = ""
    outcome: str = ""
    vacancy: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # What the portal suggested for a record without codes (vacancies.jobposting.codes), when used.
    suggested: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "reference": self.reference,
            "title": self.title,
            "outcome": self.outcome,
            "vacancy": self.vacancy,
            "errors": self.errors,
            "warnings": self.warnings,
            "suggested": self.suggested,
        }


@dataclass
class ImportReport:
    format: str = ""
    partial: bool = False
    dry_run: bool = False
    committed: bool = False
    errors: list[str] = field(default_factory=list)
    records: list[RecordReport] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for record in self.records:
            counts[record.outcome] += 1
        return {"total": len(self.records), **counts}

    @property
    def ok(self) -> bool:
        return not self.errors and all(record.outcome != "refused" for record in self.records)

    def as_dict(self) -> dict:
        return {
            "committed": self.committed,
            "dry_run": self.dry_run,
            "partial": self.partial,
            "format": self.format,
            "summary": self.summary,
            "errors": self.errors,
            "records": [r.as_dict() for r in self.records],
        }

    def as_text(self) -> str:
        lines = []
        for message in self.errors:
            lines.append(f"file: {message}")
        for record in self.records:
            head = f"#{record.index} [{record.reference or '-'}] {record.title[:60]}: {record.outcome}"
            if record.vacancy:
                head += f" (vacancy {record.vacancy})"
            if record.suggested:
                head += " [codes suggested by the portal: check]"
            lines.append(head)
            for name, messages in record.errors.items():
                lines.extend(f"    {name}: {message}" for message in messages)
            lines.extend(f"    note: {warning}" for warning in record.warnings)
        summary = self.summary
        state = "dry run, nothing written" if self.dry_run else ("written" if self.committed else "NOTHING written")
        lines.append(
            f"{summary['total']} record(s): {summary['created']} created, {summary['updated']} updated, "
            f"{summary['unchanged']} unchanged, {summary['refused']} refused, {summary['skipped']} skipped — {state}."
        )
        return "\n".join(lines)


# --- reading files (the records in them: vacancies.jobposting.parse) ----------------------------


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("The file is not UTF-8 text.")) from exc


def detect_format(content: bytes, *, filename: str = "", content_type: str = "") -> str:
    name = filename.lower()
    kind = content_type.split(";")[0].strip().lower()
    if name.endswith(".csv") or kind in ("text/csv", "application/csv"):
        return "csv"
    if name.endswith((".json", ".jsonld")) or kind in ("application/json", "application/ld+json"):
        return "jobposting"
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "jobposting" if head in (b"{", b"[") else "csv"


def csv_template() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerow(CSV_EXAMPLE_ROW)
    return out.getvalue()


# --- writing ------------------------------------------------------------------------------------


def employer_for(raw: RawVacancy) -> Employer | None:
    """The employer a record names (hiringOrganization: KvK or KBO number, else the exact legal name)."""
    digits = re.sub(r"\D", "", raw.organisation_number)
    if len(digits) == 8:
        employer = Employer.objects.filter(kvk_number=digits).first()
        if employer:
            return employer
    if len(digits) in (9, 10):
        digits = digits.zfill(10)
        employer = Employer.objects.filter(enterprise_number=f"{digits[:4]}.{digits[4:7]}.{digits[7:]}").first()
        if employer:
            return employer
    if raw.organisation:
        employers = list(Employer.objects.filter(legal_name__iexact=raw.organisation[:200])[:2])
        if len(employers) == 1:
            return employers[0]
    return None


def _existing(employer: Employer, reference: str) -> Vacancy | None:
    vacancy = Vacancy.objects.filter(employer=employer, reference=reference).first()
    if vacancy is None:
        match = re.fullmatch(r"nsp-(\d{1,18})", reference)
        if match:  # exported by the portal from a vacancy without the employer's own reference
            vacancy = Vacancy.objects.filter(employer=employer, pk=int(match.group(1)), reference="").first()
    return vacancy


def _changes(vacancy: Vacancy, resolved: ResolvedVacancy) -> dict[str, Any]:
    changes = {}
    for name, value in resolved.fields.items():
        if name == "reference" and not vacancy.reference:
            continue  # matched by the portal's own id: keep it without a reference
        if getattr(vacancy, name) != value:
            changes[name] = value
    skills = {}
    if resolved.essential_skills is not None:
        if set(vacancy.essential_skills.all()) != set(resolved.essential_skills):
            skills["essential_skills"] = resolved.essential_skills
        if set(vacancy.optional_skills.all()) != set(resolved.optional_skills or []):
            skills["optional_skills"] = resolved.optional_skills
        if skills:  # set both, so a skill moving from optional to essential lands right
            skills = {"essential_skills": resolved.essential_skills, "optional_skills": resolved.optional_skills}
    return {**changes, **skills}


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"vacancy": [str(m) for m in exc.messages]}


def _suggested_codes(resolved: ResolvedVacancy, kwargs: dict) -> dict:
    """What of the portal's suggestion a new vacancy gets: the occupation when the record gave none
    (it is in create_defaults and not overridden), the skills when it named none."""
    codes = resolved.codes
    if codes is None:
        return {}
    used = {}
    if codes.occupation is not None and kwargs.get("occupation") == codes.occupation and codes.stored.get("occupation"):
        used["occupation"] = codes.stored["occupation"]
    if resolved.suggested_skills and codes.stored.get("skills"):
        used["skills"] = codes.stored["skills"]
    return used


def _report_suggested(record: RecordReport, resolved: ResolvedVacancy, used: dict) -> None:
    record.suggested = used
    if "occupation" in used:
        record.warnings.append(resolved.codes.occupation_note())
    if "skills" in used:
        record.warnings.append(resolved.codes.skills_note())


def _apply(employer: Employer, resolved: ResolvedVacancy, record: RecordReport, *, submit: bool) -> None:
    vacancy = _existing(employer, resolved.reference)
    if vacancy is None:
        kwargs = {**resolved.create_defaults, **resolved.fields}
        suggested = _suggested_codes(resolved, kwargs)
        vacancy = vacancy_create(
            employer=employer,
            essential_skills=resolved.essential_skills or [],
            optional_skills=resolved.optional_skills or resolved.suggested_skills,
            **kwargs,
        )
        if suggested:
            # Marked before it is submitted, so the review and the matching see the mark.
            Vacancy.objects.filter(pk=vacancy.pk).update(codes_suggested=True, code_suggestions=suggested)
            vacancy.codes_suggested, vacancy.code_suggestions = True, suggested
            _report_suggested(record, resolved, suggested)
        if submit:
            vacancy = vacancy_submit(vacancy=vacancy)
        record.outcome, record.vacancy = "created", vacancy.pk
        return
    record.vacancy = vacancy.pk
    changes = _changes(vacancy, resolved)
    if not changes:
        record.outcome = "unchanged"
        return
    if "occupation" in changes and "is_stem" not in changes:
        changes["is_stem"] = changes["occupation"].is_stem
    vacancy_update(vacancy=vacancy, **changes)
    record.outcome = "updated"


def _refuse_too_large(size: int) -> None:
    limit = settings.VACANCY_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportTooLarge(_("The file is larger than %(mb).0f MB.") % {"mb": limit / 1024 / 1024})


def refuse_too_deep(content: bytes) -> None:
    """Checked on the brackets before ``json`` reads the file, by the API at upload and the worker."""
    if json_too_deep(content):
        raise ImportTooDeep(
            _(
                "The file is nested too deeply: JSON with more than %(depth)d levels of arrays and objects "
                "is refused; nothing was written."
            )
            % {"depth": max_json_depth()}
        )


def _read(report: ImportReport, content: bytes, *, filename: str, content_type: str) -> list[RawVacancy] | None:
    """The file's records; None, with the reason in the report, when the file cannot be read."""
    report.format = detect_format(content, filename=filename, content_type=content_type)
    if report.format == "jobposting":
        refuse_too_deep(content)
    try:
        text = _decode(content)
        return read_csv(text) if report.format == "csv" else read_jobpostings(text)
    except ValueError as exc:
        report.errors.append(str(exc))
        return None


class _Entry(NamedTuple):
    """One record on its way: its report, its resolved fields and the employer it is for."""

    record: RecordReport
    resolved: ResolvedVacancy
    owner: Employer | None


def _record_employer(raw: RawVacancy, record: RecordReport, employer: Employer | None) -> Employer | None:
    """The employer the record is imported for; without ``employer``, the one the record names."""
    if employer is None and not record.errors.get("document") and not record.errors.get("@type"):
        owner = employer_for(raw)
        if owner is None:
            record.errors.setdefault("hiringOrganization", []).append(
                _(
                    "Unknown employer “%(name)s”: name a registered employer (KvK/KBO number or legal name) "
                    "or import for one employer."
                )
                % {"name": (raw.organisation or raw.organisation_number)[:80]}
            )
        return owner
    if employer is not None and raw.organisation and raw.organisation.strip().lower() != employer.legal_name.lower():
        record.warnings.append(
            _("hiringOrganization “%(name)s” is imported as a vacancy of %(employer)s.")
            % {"name": raw.organisation[:80], "employer": employer.legal_name}
        )
    return employer


def _resolve_records(
    raws: list[RawVacancy], employer: Employer | None, *, now: datetime, progress: Progress | None = None
) -> list[_Entry]:
    entries = []
    for index, raw in enumerate(raws, start=1):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress("checking", index - 1, len(raws))
        resolved = raw_resolve(raw, now=now)
        record = RecordReport(
            index=index,
            reference=resolved.reference,
            title=resolved.title,
            errors=resolved.errors,
            warnings=resolved.warnings,
        )
        entries.append(_Entry(record, resolved, _record_employer(raw, record, employer)))
    if progress is not None:
        progress("checking", len(raws), len(raws))
    return entries


def _refuse_repeated_references(entries: list[_Entry]) -> None:
    """The same reference twice in one file: which one is right? Refuse them all."""
    seen: dict[tuple, list[RecordReport]] = {}
    for entry in entries:
        if entry.record.reference:
            key = (entry.owner.pk if entry.owner else None, entry.record.reference)
            seen.setdefault(key, []).append(entry.record)
    for (_owner, reference), records in seen.items():
        if len(records) < 2:
            continue
        for record in records:
            record.errors.setdefault("reference", []).append(
                _("The reference %(reference)s appears %(n)d times in the file (records %(where)s).")
                % {"reference": reference[:64], "n": len(records), "where": ", ".join(str(r.index) for r in records)}
            )


def _write_record(entry: _Entry, *, submit: bool) -> bool:
    """Write one record in its own savepoint; False (the record refused) when a service refuses it."""
    try:
        with transaction.atomic():
            _apply(entry.owner, entry.resolved, entry.record, submit=submit)
    except ValidationError as exc:
        entry.record.errors.update(_messages(exc))
        entry.record.outcome, entry.record.vacancy = "refused", None
        return False
    return True


def _write(entries: list[_Entry], *, partial: bool, submit: bool, progress: Progress | None = None) -> bool:
    """Write what can be written; returns whether any record was refused."""
    any_refused = any(entry.record.errors for entry in entries)
    for done, entry in enumerate(entries):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("writing", done, len(entries))
        if entry.record.errors:
            entry.record.outcome = "refused"
        elif any_refused and not partial:
            entry.record.outcome = "skipped"  # all or nothing: no point writing what will be rolled back
        elif not _write_record(entry, submit=submit):
            any_refused = True
    return any_refused


def _keeps_writes(*, any_refused: bool, partial: bool, dry_run: bool) -> bool:
    """All or nothing unless ``partial``; and a dry run keeps nothing."""
    return not dry_run and (partial or not any_refused)


def _report_nothing_written(report: ImportReport, *, all_skipped: bool) -> None:
    """After a rollback (or when nothing changed): no vacancy ids that do not exist, and say why."""
    for record in report.records:
        if record.outcome == "created":
            record.vacancy = None  # rolled back: that id does not exist
        if all_skipped and record.outcome != "refused":
            record.outcome = "skipped"
        if record.outcome == "skipped":
            record.warnings.append(
                _(
                    "Not imported because other records were refused (all or nothing); "
                    "ask for a partial import to import the good records only."
                )
            )


def vacancy_import(
    *,
    employer: Employer | None,
    content: bytes,
    filename: str = "",
    content_type: str = "",
    partial: bool = False,
    dry_run: bool = False,
    submit: bool = True,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file of vacancies for ``employer``; see the module docstring for the rules.

    ``employer`` None (the command without --employer): each JobPosting's hiringOrganization
    names its employer (KvK/KBO number or exact legal name).

    ``submit``: new vacancies are submitted (published, or sent to review when the employer
    is not verified yet, exactly as the "Publish" button does); otherwise they stay drafts.

    ``progress`` is told how far the import is, every ``PROGRESS_EVERY`` records (an import job).
    """
    _refuse_too_large(len(content))
    report = ImportReport(partial=partial, dry_run=dry_run)
    raws = _read(report, content, filename=filename, content_type=content_type)
    if raws is None:
        return report
    entries = _resolve_records(raws, employer, now=timezone.now(), progress=progress)
    report.records = [entry.record for entry in entries]
    _refuse_repeated_references(entries)
    with transaction.atomic():
        any_refused = _write(entries, partial=partial, submit=submit, progress=progress)
        if _keeps_writes(any_refused=any_refused, partial=partial, dry_run=dry_run):
            report.committed = any(record.outcome in ("created", "updated") for record in report.records)
        else:
            transaction.set_rollback(True)
    if not report.committed:
        _report_nothing_written(report, all_skipped=any_refused and not partial and not dry_run)
    return report


def vacancy_import_file(*, employer: Employer | None, path: str | os.PathLike, **options) -> ImportReport:
    """Import a file from disk; its size is checked before a byte is read."""
    path = Path(path)
    _refuse_too_large(path.stat().st_size)
    return vacancy_import(employer=employer, content=path.read_bytes(), filename=path.name, **options)


# --- import jobs: the upload answers at once, the worker imports (vacancies.tasks) ----------------

# A job not sent to the broker yet is sent again by the sweep after SEND_GRACE; one sent but not
# started after LOST_AFTER (the broker lost it) too. A job still "running" after the task's hard
# time limit and RUNNING_GRACE has lost its worker: it is recorded as failed.
SEND_GRACE = timedelta(seconds=5)
LOST_AFTER = timedelta(minutes=30)
RUNNING_GRACE = timedelta(minutes=5)
# pg_advisory_lock(key1, key2): key1 names the kind of lock, key2 the job.
_JOB_LOCK_SPACE = 0x7661  # "va"


def import_job_submit(
    *,
    employer: Employer,
    user,
    content: bytes,
    filename: str = "",
    content_type: str = "",
    partial: bool = False,
    dry_run: bool = False,
    submit: bool = True,
) -> ImportJob:
    """Keep the file as a queued job and send it to the worker once this transaction commits.

    When the broker is down the job stays queued; ``import_jobs_sweep`` sends it later.
    """
    _refuse_too_large(len(content))
    job = ImportJob.objects.create(
        employer=employer,
        created_by=user if getattr(user, "pk", None) else None,
        filename=filename[:255],
        content_type=content_type[:100],
        content=content,
        size=len(content),
        partial=partial,
        dry_run=dry_run,
        submit=submit,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        task_id=str(uuid.uuid4()),
    )
    job_id, task_id = job.pk, job.task_id
    transaction.on_commit(lambda: import_job_enqueue(job_id=job_id, task_id=task_id))
    return job


def import_job_enqueue(*, job_id: int, task_id: str = "") -> bool:
    """Send the job to the broker; False (and the job stays queued for the sweep) when it is down."""
    from .tasks import vacancy_import_job

    try:
        vacancy_import_job.apply_async(args=(job_id,), retry=False, task_id=task_id or None)
    except Exception as exc:  # kombu/redis raise several types; any failure leaves the job for the sweep
        logger.warning("Broker unreachable, import job %s stays queued: %s", job_id, exc)
        return False
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(enqueued_at=timezone.now())
    return True


def import_jobs_sweep(*, now: datetime | None = None) -> int:
    """Send the queued jobs the broker never got (or lost) again; fail those whose worker died.
    Returns how many were sent."""
    now = now or timezone.now()
    due = ImportJob.objects.filter(status=ImportStatus.QUEUED).filter(
        Q(enqueued_at__isnull=True, created_at__lte=now - SEND_GRACE) | Q(enqueued_at__lte=now - LOST_AFTER)
    )
    sent = sum(import_job_enqueue(job_id=pk, task_id=task_id) for pk, task_id in due.values_list("pk", "task_id"))
    hard_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT or 0) + RUNNING_GRACE
    for job in ImportJob.objects.filter(status=ImportStatus.RUNNING, started_at__lte=now - hard_limit):
        if _job_lock(job.pk):  # nobody runs it any more
            try:
                _job_failed(job, _("The import did not finish in time; nothing was written."))
            finally:
                _job_unlock(job.pk)
    return sent


def _job_lock(job_id: int) -> bool:
    """A lock held by the worker running the job, released when its connection ends (a dead worker's too)."""
    if connection.vendor != "postgresql":
        return True  # SQLite: one process, eager tasks
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_JOB_LOCK_SPACE, job_id])
        return bool(cursor.fetchone()[0])


def _job_unlock(job_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_JOB_LOCK_SPACE, job_id])


class _ProgressWriter:
    """Writes a job's progress on a database connection of its own, so that it is seen while the
    import's own transaction (all or nothing) is still open. PostgreSQL only: on SQLite a second
    writer would wait for the import's lock, so there the job shows its progress when done."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.connection = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if connection.vendor != "postgresql":
            return
        if self.connection is None:
            self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
        column = "checked" if stage == "checking" else "processed"
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ImportJob._meta.db_table} SET total = %s, {column} = %s WHERE id = %s",  # noqa: S608 (names are ours)
                [total, done, self.job_id],
            )

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()


def _job_failed(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, error=message, content=None, finished_at=timezone.now()
    )


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a job (the worker's task). Idempotent: a finished job, or one another worker is running,
    is left as it is. A failure is recorded on the job (status failed, with a message), never
    left "running"; the import's transaction is rolled back, so a failed job wrote nothing."""
    job = ImportJob.objects.select_related("employer").filter(pk=job_id).first()
    if job is None or job.finished or not _job_lock(job_id):
        return job
    progress = _ProgressWriter(job_id)
    try:
        job.refresh_from_db()
        if job.finished:  # finished by the run that held the lock before us
            return job
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.RUNNING, started_at=timezone.now(), checked=0, processed=0
        )
        with translation.override(job.language or settings.LANGUAGE_CODE):
            try:
                report = vacancy_import(
                    employer=job.employer,
                    content=bytes(job.content or b""),
                    filename=job.filename,
                    content_type=job.content_type,
                    partial=job.partial,
                    dry_run=job.dry_run,
                    submit=job.submit,
                    progress=progress,
                )
            except ImportRefused as exc:
                _job_failed(job, str(exc))
            except Exception:
                logger.exception("Import job %s failed", job_id)
                _job_failed(job, _("The import stopped because of an error on our side; nothing was written."))
            else:
                total = len(report.records)
                ImportJob.objects.filter(pk=job_id).update(
                    status=ImportStatus.DONE,
                    report=report.as_dict(),
                    content=None,  # the file is no longer needed: the report says what became of it
                    total=total,
                    checked=total,
                    processed=total,
                    finished_at=timezone.now(),
                )
    finally:
        progress.close()
        _job_unlock(job_id)
    job.refresh_from_db()
    return job

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
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employer

from .jobposting import (
    CSV_COLUMNS,
    RawVacancy,
    ResolvedVacancy,
    raw_resolve,
    read_csv,
    read_jobpostings,
)
from .models import Vacancy
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


class ImportTooLarge(Exception):
    pass


@dataclass
class RecordReport:
    index: int
    reference: str = ""
    title: str = ""
    outcome: str = ""
    vacancy: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "index": self.index,
            "reference": self.reference,
            "title": self.title,
            "outcome": self.outcome,
            "vacancy": self.vacancy,
            "errors": self.errors,
            "warnings": self.warnings,
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


def _apply(employer: Employer, resolved: ResolvedVacancy, record: RecordReport, *, submit: bool) -> None:
    vacancy = _existing(employer, resolved.reference)
    if vacancy is None:
        kwargs = {**resolved.create_defaults, **resolved.fields}
        vacancy = vacancy_create(
            employer=employer,
            essential_skills=resolved.essential_skills or [],
            optional_skills=resolved.optional_skills or [],
            **kwargs,
        )
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


def _read(report: ImportReport, content: bytes, *, filename: str, content_type: str) -> list[RawVacancy] | None:
    """The file's records; None, with the reason in the report, when the file cannot be read."""
    report.format = detect_format(content, filename=filename, content_type=content_type)
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


def _resolve_records(raws: list[RawVacancy], employer: Employer | None, *, now: datetime) -> list[_Entry]:
    entries = []
    for index, raw in enumerate(raws, start=1):
        resolved = raw_resolve(raw, now=now)
        record = RecordReport(
            index=index,
            reference=resolved.reference,
            title=resolved.title,
            errors=resolved.errors,
            warnings=resolved.warnings,
        )
        entries.append(_Entry(record, resolved, _record_employer(raw, record, employer)))
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


def _write(entries: list[_Entry], *, partial: bool, submit: bool) -> bool:
    """Write what can be written; returns whether any record was refused."""
    any_refused = any(entry.record.errors for entry in entries)
    for entry in entries:
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
) -> ImportReport:
    """Import a file of vacancies for ``employer``; see the module docstring for the rules.

    ``employer`` None (the command without --employer): each JobPosting's hiringOrganization
    names its employer (KvK/KBO number or exact legal name).

    ``submit``: new vacancies are submitted (published, or sent to review when the employer
    is not verified yet, exactly as the "Publish" button does); otherwise they stay drafts.
    """
    _refuse_too_large(len(content))
    report = ImportReport(partial=partial, dry_run=dry_run)
    raws = _read(report, content, filename=filename, content_type=content_type)
    if raws is None:
        return report
    entries = _resolve_records(raws, employer, now=timezone.now())
    report.records = [entry.record for entry in entries]
    _refuse_repeated_references(entries)
    with transaction.atomic():
        any_refused = _write(entries, partial=partial, submit=submit)
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

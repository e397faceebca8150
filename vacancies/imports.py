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
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employer

from .jobposting import (
    LocationHint,
    RawVacancy,
    ResolvedVacancy,
    SkillHint,
    _bool,
    _country,
    _day,
    _moment,
    _number,
    html_to_text,
    jobposting_to_raw,
    raw_resolve,
    title_text,
)
from .models import ContractType, SalaryPeriod, Vacancy
from .services import vacancy_create, vacancy_submit, vacancy_update

CSV_COLUMNS: tuple[str, ...] = (
    "reference",
    "title",
    "description",
    "occupation",
    "postal_code",
    "locality",
    "country",
    "contract_type",
    "hours_per_week",
    "shift_work",
    "salary_min",
    "salary_max",
    "salary_period",
    "openings",
    "start_date",
    "valid_through",
    "min_eqf_level",
    "requires_min_secondary",
    "essential_skills",
    "optional_skills",
)
CSV_REQUIRED: tuple[str, ...] = ("reference", "title", "description", "occupation", "contract_type", "hours_per_week")
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


# --- reading files ------------------------------------------------------------------------------


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


def _documents(data: Any) -> list[Any]:
    """The JobPosting documents of a JSON value: one object, a list, or an @graph."""
    if isinstance(data, dict) and "@graph" in data and isinstance(data["@graph"], list):
        return list(data["@graph"])
    if isinstance(data, list):
        items = []
        for item in data:  # a list of pages each with a @graph, as extruct emits them
            if isinstance(item, dict) and "@graph" in item and isinstance(item["@graph"], list):
                items.extend(item["@graph"])
            else:
                items.append(item)
        return items
    return [data]


def read_jobpostings(text: str) -> list[RawVacancy]:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        message = getattr(exc, "msg", "too deeply nested")
        line = getattr(exc, "lineno", None)
        where = _(" (line %(line)d)") % {"line": line} if line else ""
        raise ValueError(
            _("The file is not valid JSON: %(error)s%(where)s.") % {"error": message, "where": where}
        ) from exc
    documents = _documents(data)
    if not documents:
        raise ValueError(_("The file holds no JobPosting."))
    return [jobposting_to_raw(document) for document in documents]


def _split_skills(value: str, *, essential: bool) -> list[SkillHint]:
    hints = []
    for part in re.split(r"[|\n]", value or ""):
        part = part.strip()
        if part:
            is_uri = part.startswith("http://") or part.startswith("https://")
            hints.append(SkillHint(uri=part if is_uri else "", label="" if is_uri else part, essential=essential))
    return hints


def _csv_row_to_raw(row: dict[str, str]) -> RawVacancy:
    raw = RawVacancy()
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    raw.reference = get("reference")
    raw.title = title_text(get("title"))
    raw.description = html_to_text(get("description"))
    occupation = get("occupation")
    if re.match(r"^https?://", occupation):
        raw.occupation_uris.append(occupation)
    elif re.match(r"^\d{4}$", occupation):
        raw.isco_codes.append(occupation)
    elif occupation:
        raw.occupation_labels.append(occupation)
    raw.locations = [
        LocationHint(postal_code=get("postal_code"), locality=get("locality"), country=_country(get("country")))
    ]
    if get("country") and not _country(get("country")):
        raw.error("country", _("Country “%(value)s”: give NL or BE.") % {"value": get("country")[:20]})
    contract = get("contract_type").lower()
    if contract in ContractType.values:
        raw.contract_type = contract
    else:
        raw.error(
            "contract_type",
            _("Contract type “%(value)s”: give one of %(choices)s.")
            % {"value": contract[:30], "choices": ", ".join(ContractType.values)},
        )
    for name in ("hours_per_week", "openings", "min_eqf_level"):
        value = get(name)
        if not value:
            continue
        number = _number(value)
        if number is None or number != number.to_integral_value() or not -1 < number < 100_000:
            raw.error(name, _("“%(value)s” is not a whole number.") % {"value": value[:20]})
        else:
            setattr(raw, name, int(number))
    if raw.min_eqf_level is not None and not 1 <= raw.min_eqf_level <= 8:
        raw.error("min_eqf_level", _("The EQF level is between 1 and 8."))
        raw.min_eqf_level = None
    for name in ("shift_work", "requires_min_secondary"):
        value = get(name)
        if value:
            flag = _bool(value)
            if flag is None:
                raw.error(name, _("“%(value)s”: give yes or no.") % {"value": value[:20]})
            else:
                setattr(raw, name, flag)
    for name in ("salary_min", "salary_max"):
        value = get(name)
        if value:
            number = _number(value)
            if number is None:
                raw.error(name, _("“%(value)s” is not an amount.") % {"value": value[:20]})
            else:
                setattr(raw, name, number)
    period = get("salary_period").lower()
    if period and period not in SalaryPeriod.values:
        raw.error("salary_period", _("Salary period: give hour, month or year."))
    elif period:
        raw.salary_period = period
    if get("start_date"):
        raw.start_date = _day(get("start_date"))
        if raw.start_date is None:
            raw.error("start_date", _("Give the start date as YYYY-MM-DD."))
    if get("valid_through"):
        raw.expires_at = _moment(get("valid_through"), end_of_day=True)
        if raw.expires_at is None:
            raw.error("valid_through", _("Give the date as YYYY-MM-DD."))
    raw.skills = _split_skills(get("essential_skills"), essential=True) + _split_skills(
        get("optional_skills"), essential=False
    )
    return raw


def read_csv(text: str) -> list[RawVacancy]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValueError(_("The CSV file is empty."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = [name for name in CSV_REQUIRED if name not in header]
        unknown = [name for name in header if name not in CSV_COLUMNS]
        problems = []
        if missing:
            problems.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("unknown columns: %(names)s") % {"names": ", ".join(n[:40] for n in unknown[:10])})
        if "postal_code" not in header and "locality" not in header:
            problems.append(_("give postal_code or locality"))
        if len(set(header)) != len(header):
            problems.append(_("a column appears twice"))
        if problems:
            raise ValueError(
                _("The CSV header does not match the template (%(problems)s). Expected: %(columns)s.")
                % {"problems": "; ".join(problems), "columns": ",".join(CSV_COLUMNS)}
            )
        records = []
        for row in reader:
            cleaned = {
                (key or "").strip().lower(): (value if isinstance(value, str) else "")
                for key, value in row.items()
                if key is not None
            }
            if not any(value.strip() for value in cleaned.values()):
                continue
            raw = _csv_row_to_raw(cleaned)
            if None in row:
                raw.error("row", _("This row has more values than the header has columns."))
            records.append(raw)
    except csv.Error as exc:
        raise ValueError(_("The CSV file cannot be read: %(error)s.") % {"error": str(exc)[:200]}) from exc
    if not records:
        raise ValueError(_("The CSV file holds no vacancies."))
    return records


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
    limit = settings.VACANCY_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise ImportTooLarge(_("The file is larger than %(mb).0f MB.") % {"mb": limit / 1024 / 1024})
    report = ImportReport(partial=partial, dry_run=dry_run)
    report.format = detect_format(content, filename=filename, content_type=content_type)
    try:
        text = _decode(content)
        raws = read_csv(text) if report.format == "csv" else read_jobpostings(text)
    except ValueError as exc:
        report.errors.append(str(exc))
        return report

    now = timezone.now()
    resolved_records: list[tuple[RecordReport, ResolvedVacancy, Employer | None]] = []
    for index, raw in enumerate(raws, start=1):
        resolved = raw_resolve(raw, now=now)
        record = RecordReport(
            index=index,
            reference=resolved.reference,
            title=resolved.title,
            errors=resolved.errors,
            warnings=resolved.warnings,
        )
        owner = employer
        if owner is None and not record.errors.get("document") and not record.errors.get("@type"):
            owner = employer_for(raw)
            if owner is None:
                record.errors.setdefault("hiringOrganization", []).append(
                    _(
                        "Unknown employer “%(name)s”: name a registered employer (KvK/KBO number or legal name) "
                        "or import for one employer."
                    )
                    % {"name": (raw.organisation or raw.organisation_number)[:80]}
                )
        elif owner is not None and raw.organisation and raw.organisation.strip().lower() != owner.legal_name.lower():
            record.warnings.append(
                _("hiringOrganization “%(name)s” is imported as a vacancy of %(employer)s.")
                % {"name": raw.organisation[:80], "employer": owner.legal_name}
            )
        resolved_records.append((record, resolved, owner))
        report.records.append(record)
    # The same reference twice in one file: which one is right? Refuse them all.
    seen: dict[tuple, list[RecordReport]] = {}
    for record, _resolved, owner in resolved_records:
        if record.reference:
            seen.setdefault((owner.pk if owner else None, record.reference), []).append(record)
    for (_owner, reference), records in seen.items():
        if len(records) > 1:
            for record in records:
                record.errors.setdefault("reference", []).append(
                    _("The reference %(reference)s appears %(n)d times in the file (records %(where)s).")
                    % {
                        "reference": reference[:64],
                        "n": len(records),
                        "where": ", ".join(str(r.index) for r in records),
                    }
                )

    any_refused = any(record.errors for record in report.records)
    with transaction.atomic():
        for record, resolved, owner in resolved_records:
            if record.errors:
                record.outcome = "refused"
            elif any_refused and not partial:
                record.outcome = "skipped"  # all or nothing: no point writing what will be rolled back
            else:
                try:
                    with transaction.atomic():
                        _apply(owner, resolved, record, submit=submit)
                except ValidationError as exc:
                    record.errors.update(_messages(exc))
                    record.outcome, record.vacancy = "refused", None
                    any_refused = True
        if dry_run or (any_refused and not partial):
            transaction.set_rollback(True)
        else:
            report.committed = any(record.outcome in ("created", "updated") for record in report.records)
    if not report.committed:
        for record in report.records:
            if record.outcome == "created":
                record.vacancy = None  # rolled back: that id does not exist
            if any_refused and not partial and not dry_run and record.outcome != "refused":
                record.outcome = "skipped"
            if record.outcome == "skipped":
                record.warnings.append(
                    _(
                        "Not imported because other records were refused (all or nothing); "
                        "ask for a partial import to import the good records only."
                    )
                )
    return report


def vacancy_import_file(*, employer: Employer | None, path: str | os.PathLike, **options) -> ImportReport:
    """Import a file from disk; its size is checked before a byte is read."""
    path = Path(path)
    limit = settings.VACANCY_IMPORT_MAX_BYTES
    if path.stat().st_size > limit:
        raise ImportTooLarge(_("The file is larger than %(mb).0f MB.") % {"mb": limit / 1024 / 1024})
    return vacancy_import(employer=employer, content=path.read_bytes(), filename=path.name, **options)

"""CSV import of training offers (the upload page and ``manage.py import_training_offers``).

One column layout (docs/operations.md, "Training offers: CSV import"). Each row is saved in its
own savepoint: a bad row is reported and saves nothing, the others are saved. A row whose
(provider, reference) exists already updates that offer. The file is not trusted: its size,
encoding, dialect and headers are checked before any row is read.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from taxonomy.models import CefrLevel, Country, Language, Place, Skill
from taxonomy.selectors import place_for_be_postcode

from . import services
from .models import Funding, TrainingOffer, TrainingProvider

MAX_BYTES = 2 * 1024 * 1024  # ~10,000 offers; a provider's catalogue is far smaller
MAX_ROWS = 5000
LIST_SEPARATOR = "|"

REQUIRED_COLUMNS = (
    "provider",
    "provider_country",
    "reference",
    "title_nl",
    "title_fr",
    "title_en",
    "duration_weeks",
    "hours_total",
    "place",
    "instruction_language",
    "funding",
)
OPTIONAL_COLUMNS = (
    "provider_website",
    "description",
    "skills",
    "languages",
    "starts",
    "cost_eur",
    "url",
    "active",
    "source",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
CEFR_BY_LABEL = {label.upper(): value for value, label in CefrLevel.choices}


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class RowResult:
    row: int  # the line of the file (the header is line 1)
    reference: str
    outcome: str  # "created" | "updated" | "error"
    errors: list[str] = field(default_factory=list)
    offer_id: int | None = None


@dataclass
class ImportReport:
    rows: list[RowResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def failed(self) -> int:
        return self.count("error")


class _RowError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def read_rows(content: bytes) -> list[dict[str, str]]:
    """The data rows as dicts (header names lower-cased), or ImportFileError."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file is not UTF-8 text (save it as CSV UTF-8).")) from error
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV file."))
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    header_line = text.splitlines()[0]
    try:
        dialect = csv.Sniffer().sniff(header_line, delimiters=",;\t")
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not a CSV file with a header line separated by commas or semicolons.")
        ) from error
    reader = csv.reader(io.StringIO(text), delimiter=dialect.delimiter, quotechar='"', strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
        missing = [name for name in REQUIRED_COLUMNS if name not in header]
        if missing:
            raise ImportFileError(
                _("Columns missing from the header line: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                rows.append({})  # an empty line keeps its number in the report, and is skipped
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(_("The file has more than %(rows)d rows.") % {"rows": MAX_ROWS})
            rows.append({name: (values[i].strip() if i < len(values) else "") for i, name in enumerate(header)})
    except csv.Error as error:
        raise ImportFileError(_("The file is not valid CSV (line %(line)d).") % {"line": reader.line_num}) from error
    return rows


def _place(value: str) -> Place:
    """A Belgian postcode, or a place's or municipality's name (the largest of that name)."""
    value = value.strip()
    if not value:
        raise _RowError([_("place: no place given.")])
    if value.isdigit():
        place = place_for_be_postcode(postcode=value)
        if place is None:
            raise _RowError([_("place: unknown postcode %(value)s.") % {"value": value}])
        return place
    name, _sep, country = value.partition(",")
    places = Place.objects.filter(Q(name__iexact=name.strip()) | Q(municipality__iexact=name.strip()))
    if country.strip().upper() in Country.values:
        places = places.filter(country=country.strip().upper())
    exact = places.filter(name__iexact=name.strip()).order_by("-population").first()
    place = exact or places.order_by("-population").first()
    if place is None:
        raise _RowError([_("place: unknown place %(value)s.") % {"value": value}])
    return place


def _skills(value: str) -> list[Skill]:
    skills, unknown = [], []
    for item in (part.strip() for part in value.split(LIST_SEPARATOR)):
        if not item:
            continue
        if item.startswith("http"):
            skill = Skill.objects.filter(uri=item).first()
        else:
            skill = (
                Skill.objects.filter(Q(label_nl__iexact=item) | Q(label_en__iexact=item) | Q(label_fr__iexact=item))
                .order_by("-is_port_relevant", "pk")
                .first()
            )
        if skill is None:
            unknown.append(item)
        else:
            skills.append(skill)
    if unknown:
        raise _RowError([_("skills: unknown ESCO skill %(skills)s.") % {"skills": ", ".join(unknown)}])
    return skills


def parse_language_levels(value: str) -> dict[str, int]:
    """``nl:B1|fr:A2`` → {"nl": 3, "fr": 2}; _RowError for anything else."""
    levels: dict[str, int] = {}
    for item in (part.strip() for part in value.split(LIST_SEPARATOR)):
        if not item:
            continue
        code, _sep, level = item.partition(":")
        code, level = code.strip().lower(), level.strip().upper()
        if code not in Language.values or level not in CEFR_BY_LABEL:
            raise _RowError(
                [_("languages: %(item)s is not a language code and CEFR level such as nl:B1.") % {"item": item}]
            )
        levels[code] = CEFR_BY_LABEL[level]
    return levels


def _starts(value: str) -> list[dt.date]:
    days = []
    for item in (part.strip() for part in value.split(LIST_SEPARATOR)):
        if not item:
            continue
        try:
            days.append(dt.date.fromisoformat(item))
        except ValueError as error:
            raise _RowError([_("starts: %(item)s is no date as 2027-03-01.") % {"item": item}]) from error
    return days


def _positive_int(row: dict, name: str, errors: list[str]) -> int | None:
    try:
        number = int(row.get(name, ""))
    except ValueError:
        errors.append(_("%(column)s: a whole number is needed.") % {"column": name})
        return None
    if number < 1:
        errors.append(_("%(column)s: a whole number is needed.") % {"column": name})
        return None
    return number


def _provider(row: dict, source: str, demo: bool) -> TrainingProvider:
    name = row.get("provider", "")
    provider = TrainingProvider.objects.filter(name__iexact=name).first() if name else None
    if provider is not None:
        return provider
    provider = TrainingProvider(
        name=name,
        country=row.get("provider_country", "").upper(),
        website=row.get("provider_website", ""),
        is_demo=demo,
        source=row.get("source", "") or source,
    )
    try:
        provider.full_clean()
    except ValidationError as error:
        raise _RowError([f"provider: {message}" for message in error.messages]) from error
    provider.save()
    return provider


def _fields(row: dict, provider: TrainingProvider) -> tuple[dict, list, dict, list]:
    errors: list[str] = []
    fields: dict[str, Any] = {
        "provider": provider,
        "reference": row.get("reference", ""),
        "title_nl": row.get("title_nl", ""),
        "title_fr": row.get("title_fr", ""),
        "title_en": row.get("title_en", ""),
        "description": row.get("description", ""),
        "url": row.get("url", ""),
        "instruction_language": row.get("instruction_language", "").lower(),
        "funding": row.get("funding", ""),
        "duration_weeks": _positive_int(row, "duration_weeks", errors),
        "hours_total": _positive_int(row, "hours_total", errors),
    }
    if fields["funding"] not in Funding.values:
        errors.append(
            _("funding: %(value)s is not one of %(choices)s.")
            % {"value": fields["funding"], "choices": ", ".join(Funding.values)}
        )
    cost = row.get("cost_eur", "").replace(",", ".") or "0"
    try:
        fields["cost_eur"] = Decimal(cost)
    except InvalidOperation:
        errors.append(_("cost_eur: an amount such as 450.00 is needed."))
    active = row.get("active", "").lower()
    if active:
        fields["is_active"] = active in ("1", "yes", "true", "ja", "oui")
    skills = languages = starts = None
    for parse, target in (
        (_place, "place"),
        (_skills, "skills"),
        (parse_language_levels, "languages"),
        (_starts, "starts"),
    ):
        try:
            value = parse(row.get(target, ""))
        except _RowError as error:
            errors.extend(error.messages)
            continue
        if target == "place":
            fields["place"] = value
        elif target == "skills":
            skills = value
        elif target == "languages":
            languages = value
        else:
            starts = value
    if errors:
        raise _RowError(errors)
    return fields, skills, languages, starts


def _import_row(row: dict, *, actor: Any, source: str, demo: bool) -> tuple[str, TrainingOffer]:
    provider = _provider(row, source, demo)
    fields, skills, languages, starts = _fields(row, provider)
    offer = TrainingOffer.objects.filter(provider=provider, reference=fields["reference"]).first()
    if offer is None:
        offer = services.training_offer_create(
            actor=actor, fields=fields, skills=skills, language_levels=languages, starts=starts
        )
        if fields.get("is_active") is False:
            services.training_offer_deactivate(actor=actor, offer=offer)
        return "created", offer
    services.training_offer_update(
        actor=actor, offer=offer, fields=fields, skills=skills, language_levels=languages, starts=starts
    )
    return "updated", offer


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{name}: {message}" for name, messages in error.message_dict.items() for message in messages]
    return list(error.messages)


def import_training_offers(content: bytes, *, actor: Any = None, source: str = "", demo: bool = False) -> ImportReport:
    """Import a CSV file's rows; ImportFileError when the file as a whole cannot be read."""
    report = ImportReport()
    for number, row in enumerate(read_rows(content), start=2):
        if not row:
            continue
        reference = row.get("reference", "")
        try:
            with transaction.atomic():
                outcome, offer = _import_row(row, actor=actor, source=source, demo=demo)
        except _RowError as error:
            report.rows.append(RowResult(number, reference, "error", error.messages))
        except ValidationError as error:
            report.rows.append(RowResult(number, reference, "error", _messages(error)))
        else:
            report.rows.append(RowResult(number, reference, outcome, offer_id=offer.pk))
    return report

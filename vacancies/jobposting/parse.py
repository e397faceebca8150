"""Reading imported vacancies: JSON/JSON-LD JobPosting documents and CSV template rows into
``RawVacancy`` records.

Documents are read as careers sites publish them (jobLocation as one object or a list,
hiringOrganization as a name or an object, HTML in the description, most properties
optional). A record is what the file says, before it meets the reference data
(``resolve``); nothing here touches the database. Everything here must survive any JSON
thrown at it: a problem becomes an error or a warning on the record, never an exception.
"""

import csv
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ..models import ContractType, SalaryPeriod
from .export import ESCO_OPTIONAL, PERIOD_UNIT

CATEGORY_EQF = {"associate degree": 5, "bachelor degree": 6, "postgraduate degree": 7}
UNIT_PERIOD = {unit: period for period, unit in PERIOD_UNIT.items()}
COUNTRY_NAMES = {
    "nl": "NL",
    "nld": "NL",
    "netherlands": "NL",
    "the netherlands": "NL",
    "nederland": "NL",
    "holland": "NL",
    "pays-bas": "NL",
    "niederlande": "NL",
    "be": "BE",
    "bel": "BE",
    "belgium": "BE",
    "belgië": "BE",
    "belgie": "BE",
    "belgique": "BE",
    "belgien": "BE",
}
ISCO_CODE = re.compile(r"^\s*(\d{4})\b")
ESCO_OCCUPATION = re.compile(r"^https?://data\.europa\.eu/esco/occupation/[0-9a-fA-F-]+$")
ESCO_SKILL = re.compile(r"^https?://data\.europa\.eu/esco/(skill|isced-f)/[0-9a-zA-Z-]+$")
NUMBER = re.compile(r"-?\d[\d.,]*")
INLINE_TAG = re.compile(r"</?(?:a|abbr|b|br|div|em|font|h[1-6]|i|p|small|span|strong|sub|sup|u)\b[^>]*>", re.IGNORECASE)

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


# --- records ----------------------------------------------------------------------------------


@dataclass
class LocationHint:
    postal_code: str = ""
    locality: str = ""
    country: str = ""
    text: str = ""  # a free-text address, parsed as a last resort


@dataclass
class SkillHint:
    uri: str = ""
    label: str = ""
    essential: bool = True


@dataclass
class RawVacancy:
    """What a record says, before it is matched against the reference data (no database)."""

    reference: str = ""
    title: str = ""
    description: str = ""
    organisation: str = ""
    organisation_number: str = ""  # KvK or KBO/BCE number from hiringOrganization.identifier
    locations: list[LocationHint] = field(default_factory=list)
    occupation_uris: list[str] = field(default_factory=list)
    isco_codes: list[str] = field(default_factory=list)
    occupation_labels: list[str] = field(default_factory=list)
    contract_type: str = ""
    employment_types: list[str] = field(default_factory=list)
    hours_per_week: int | None = None
    shift_work: bool | None = None
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_period: str = ""
    openings: int | None = None
    start_date: date | None = None
    expires_at: datetime | None = None
    min_eqf_level: int | None = None
    requires_min_secondary: bool | None = None
    skills: list[SkillHint] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))


# --- text -------------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """HTML to plain text: block elements become line breaks, scripts and styles disappear."""

    BLOCKS = {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
    }
    PARAGRAPHS = ("p", "div", "ul", "ol", "table", "section", "article", "blockquote", "h1", "h2", "h3", "h4")
    SKIP = {"script", "style", "template", "noscript", "head", "iframe", "object"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self.PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.PARAGRAPHS:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Sanitise: keep the text of an HTML fragment (no tags, no scripts), paragraphs as blank lines."""
    if "<" not in value and "&" not in value:
        text = value
    else:
        parser = _TextExtractor()
        try:
            parser.feed(value)
            parser.close()
        except Exception:  # html.parser is lenient; any failure still must not break an import
            return re.sub(r"<[^>]*>", " ", value)
        text = "".join(parser.parts)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").replace("\x00", "")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def title_text(value: str) -> str:
    """A title is text: drop stray formatting tags and entities, keep a literal “<…>” that is no tag."""
    text = html.unescape(INLINE_TAG.sub("", value)).replace("\x00", "")
    return re.sub(r"\s+", " ", text).strip()


# --- values -----------------------------------------------------------------------------------


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _text_of_node(node: dict) -> str:
    for key in ("@value", "name", "value", "codeValue", "termCode", "@id"):
        if key in node:
            return _text(node[key])
    return ""


def _first_text(items: list | tuple) -> str:
    for item in items:
        text = _text(item)
        if text:
            return text
    return ""


def _text(value: Any) -> str:
    """A string out of a string, a number, a {"name"/"@value"/"value"} object or a list of those."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return _text_of_node(value)
    if isinstance(value, (list, tuple)):
        return _first_text(value)
    return ""


def _types(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    types = set()
    for value in _as_list(node.get("@type")):
        if isinstance(value, str):
            types.add(value.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return types


def _decimal_text(raw: str) -> str:
    """A number as written (3.200,50 / 3,200.50 / 12.500 / 7,5) in Decimal's notation."""
    if "," in raw and "." in raw:  # 3.200,50 or 3,200.50: the last separator is the decimal one
        thousands, decimal = (".", ",") if raw.rfind(",") > raw.rfind(".") else (",", ".")
        return raw.replace(thousands, "").replace(decimal, ".")
    if re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+", raw) or re.fullmatch(r"-?\d{1,3}(?:,\d{3}){2,}", raw):
        return raw.replace(".", "").replace(",", "")  # 12.500 or 12,500,000: thousands
    return raw.replace(",", ".")


def _number_in_text(value: Any) -> Decimal | None:
    text = _text(value)
    if isinstance(value, dict) and not text:
        return None
    match = NUMBER.search(text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")) if text else None
    if not match:
        return None
    try:
        return Decimal(_decimal_text(match.group(0).rstrip(".,")))
    except InvalidOperation:
        return None


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
    else:
        number = _number_in_text(value)
    if number is None or not number.is_finite():
        return None
    return number


def _parsed_moment(text: str, *, end_of_day: bool) -> datetime | None:
    """A date and time, or a bare date taken at the start (or the end) of that day."""
    moment = parse_datetime(text)
    if moment is not None:
        return moment
    day = parse_date(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}$", text[:10] or "") else None
    if day is None:
        return None
    return datetime.combine(day, time(23, 59) if end_of_day else time(0, 0))


def _moment(value: Any, *, end_of_day: bool = False) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = _parsed_moment(text, end_of_day=end_of_day)
    except (ValueError, OverflowError):
        return None
    if moment is None:
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts (+18:54).
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _day(value: Any) -> date | None:
    text = _text(value)
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return parse_date(text[:10])
    except ValueError:
        return None


def _country(value: Any) -> str:
    text = _text(value).strip().lower()
    return COUNTRY_NAMES.get(text, "")


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text in ("1", "true", "yes", "y", "ja", "j", "oui", "x"):
        return True
    if text in ("0", "false", "no", "n", "nee", "non", ""):
        return False if text else None
    return None


# --- JobPosting documents -----------------------------------------------------------------------


def _address_hint(address: Any) -> LocationHint | None:
    if isinstance(address, str):
        return LocationHint(text=address)
    if not isinstance(address, dict):
        return None
    return LocationHint(
        postal_code=_text(address.get("postalCode")),
        locality=_text(address.get("addressLocality")),
        country=_country(address.get("addressCountry")),
        text=", ".join(t for t in (_text(address.get("streetAddress")), _text(address.get("name"))) if t),
    )


def _location_hints(value: Any) -> list[LocationHint]:
    hints = []
    for node in _as_list(value):
        if isinstance(node, str):
            hints.append(LocationHint(text=node))
            continue
        if not isinstance(node, dict):
            continue
        addresses = _as_list(node.get("address")) if ("address" in node or "Place" in _types(node)) else [node]
        hints.extend(hint for hint in map(_address_hint, addresses) if hint is not None)
    return hints


def _employment_types(value: Any) -> list[str]:
    types = []
    for item in _as_list(value):
        for part in re.split(r"[,;/]", _text(item)):
            part = part.strip().upper().replace("-", "_").replace(" ", "_")
            if part:
                types.append(part)
    return types


def contract_from_employment_types(types: list[str]) -> str:
    kinds = set(types)
    if "INTERN" in kinds:
        return ContractType.INTERNSHIP
    if "CONTRACTOR" in kinds:
        return ContractType.FREELANCE
    if "TEMPORARY" in kinds:
        return ContractType.FIXED_TERM if kinds & {"FULL_TIME", "PART_TIME"} else ContractType.TEMPORARY
    return ContractType.PERMANENT


def _eqf_of_level(level: Any) -> int | None:
    """The EQF level of an educationalLevel: a DefinedTerm with a termCode, or "EQF 4" or "4"."""
    level_text = _text(level)
    if isinstance(level, dict) and re.fullmatch(r"[1-8]", _text(level.get("termCode"))):
        return int(_text(level.get("termCode")))
    if level_text:
        match = re.search(r"EQF\s*(\d)", level_text, re.I) or re.match(r"^\s*(\d)\s*$", level_text)
        return int(match.group(1)) if match else None
    return None


def _credential(item: Any) -> tuple[str, int | None]:
    """(credentialCategory, EQF level) of one educationRequirements item."""
    if isinstance(item, dict):
        return _text(item.get("credentialCategory")).lower(), _eqf_of_level(item.get("educationalLevel"))
    category = _text(item).lower()
    match = re.search(r"EQF\s*(\d)", category, re.I)
    return category, int(match.group(1)) if match else None


def _education_hints(raw: RawVacancy, value: Any) -> None:
    for item in _as_list(value):
        category, eqf = _credential(item)
        if eqf is not None and 1 <= eqf <= 8:
            raw.min_eqf_level = max(raw.min_eqf_level or 0, eqf)
        elif category in CATEGORY_EQF:
            raw.min_eqf_level = max(raw.min_eqf_level or 0, CATEGORY_EQF[category])
        elif category in ("high school", "secondary", "secondary school"):
            raw.requires_min_secondary = True
        elif category:
            raw.warnings.append(
                _("Education requirement “%(value)s” not understood; ignored.") % {"value": category[:80]}
            )


def _skill_hint_of_term(item: dict) -> SkillHint:
    uri = ""
    for key in ("url", "sameAs", "@id", "termCode"):
        candidate = _text(item.get(key))
        if ESCO_SKILL.match(candidate):
            uri = candidate
            break
    relation = _text(item.get("additionalType"))
    return SkillHint(uri=uri, label=_text(item.get("name")), essential=relation != ESCO_OPTIONAL)


def _skill_hints_of_text(item: str) -> list[SkillHint]:
    """A URI, or labels separated by commas, semicolons, bars or newlines."""
    parts = [item] if ESCO_SKILL.match(item.strip()) else re.split(r"[,;|\n]", item)
    parts = [part.strip() for part in parts if part.strip()]
    return [SkillHint(uri=part if ESCO_SKILL.match(part) else "", label=part) for part in parts]


def _skill_hints(value: Any) -> list[SkillHint]:
    hints = []
    for item in _as_list(value):
        if isinstance(item, dict):
            hints.append(_skill_hint_of_term(item))
        elif isinstance(item, str):
            hints.extend(_skill_hints_of_text(item))
    return hints


def _occupation_hints_of_node(raw: RawVacancy, item: dict) -> None:
    for key in ("sameAs", "url", "@id"):
        candidate = _text(item.get(key))
        if ESCO_OCCUPATION.match(candidate):
            raw.occupation_uris.append(candidate)
    code = _text(item.get("codeValue"))
    if code and ISCO_CODE.match(code):
        raw.isco_codes.append(ISCO_CODE.match(code).group(1))
    if "occupationalCategory" in item:
        _occupation_hints(raw, item.get("occupationalCategory"))
    name = _text(item.get("name"))
    if name and "CategoryCode" not in _types(item):
        raw.occupation_labels.append(name)


def _occupation_hint_of_text(raw: RawVacancy, text: str) -> None:
    if ESCO_OCCUPATION.match(text):
        raw.occupation_uris.append(text)
    elif ISCO_CODE.match(text):
        raw.isco_codes.append(ISCO_CODE.match(text).group(1))
    elif text:
        raw.occupation_labels.append(text)


def _occupation_hints(raw: RawVacancy, value: Any) -> None:
    for item in _as_list(value):
        if isinstance(item, dict):
            _occupation_hints_of_node(raw, item)
        else:
            _occupation_hint_of_text(raw, _text(item))


def _salary_amounts(node: dict) -> tuple[Decimal | None, Decimal | None, str]:
    """(low, high, unit) of a MonetaryAmount: one value, or a QuantitativeValue with a range."""
    amount = node.get("value")
    unit = _text(node.get("unitText")).upper()
    if isinstance(amount, dict):
        unit = _text(amount.get("unitText")).upper() or unit
        low, high = _number(amount.get("minValue")), _number(amount.get("maxValue"))
        single = _number(amount.get("value"))
    else:
        low = high = None
        single = _number(amount)
    if single is not None and low is None and high is None:
        low = high = single
    return low, high, unit


def _salary_hints(raw: RawVacancy, value: Any) -> None:
    if value is None:
        return
    node = value[0] if isinstance(value, list) and value else value
    if not isinstance(node, dict):
        amount = _number(node)
        if amount is not None:
            raw.salary_min = raw.salary_max = amount
        return
    currency = _text(node.get("currency")).upper()
    if currency and currency != "EUR":
        raw.warnings.append(
            _("Salary in %(currency)s ignored: the portal shows salaries in euro.") % {"currency": currency[:8]}
        )
        return
    low, high, unit = _salary_amounts(node)
    if low is None and high is None:
        return
    if unit and unit not in UNIT_PERIOD:
        raw.warnings.append(
            _("Salary per %(unit)s ignored: give it per hour, month or year.") % {"unit": unit.lower()[:10]}
        )
        return
    raw.salary_min, raw.salary_max = low, high
    raw.salary_period = UNIT_PERIOD.get(unit, SalaryPeriod.MONTH)


def _reference(document: dict) -> str:
    for identifier in _as_list(document.get("identifier")):
        text = _text(identifier.get("value") if isinstance(identifier, dict) else identifier)
        if text:
            return text
    return ""


def _is_jobposting(raw: RawVacancy, document: Any) -> bool:
    """Whether the document is a JobPosting at all; if not, the record says why."""
    if not isinstance(document, dict):
        raw.error("document", _("Not a JSON object."))
        return False
    if "JobPosting" not in _types(document):
        raw.error(
            "@type",
            _("Not a schema.org JobPosting (its @type is “%(type)s”).") % {"type": _text(document.get("@type"))[:60]},
        )
        return False
    return True


def _read_reference(raw: RawVacancy, document: dict) -> None:
    raw.reference = _reference(document)
    if raw.reference:
        return
    url = _text(document.get("url"))
    if url:
        raw.reference = "url-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        raw.warnings.append(_("No identifier: the reference is derived from the url."))


def _read_organisation(raw: RawVacancy, organisation: Any) -> None:
    raw.organisation = _text(organisation.get("name") if isinstance(organisation, dict) else organisation)
    if not isinstance(organisation, dict):
        return
    for key in ("identifier", "vatID", "taxID"):
        for identifier in _as_list(organisation.get(key)):
            number = _text(identifier.get("value") if isinstance(identifier, dict) else identifier)
            if number and not raw.organisation_number:
                raw.organisation_number = number[:40]


def _read_employment(raw: RawVacancy, document: dict) -> None:
    """employmentType (and the contract it implies), workHours (and whether it says shifts)."""
    raw.employment_types = _employment_types(document.get("employmentType"))
    raw.contract_type = contract_from_employment_types(raw.employment_types)
    hours_text = _text(document.get("workHours"))
    hours = _number(hours_text) if hours_text else None
    if hours is not None:
        raw.hours_per_week = int(round(hours)) if -1 < hours < 1000 else 0
        raw.shift_work = bool(re.search(r"shift|ploeg|équipe|continu", hours_text, re.I))


def _read_openings_and_dates(raw: RawVacancy, document: dict) -> None:
    openings = _number(document.get("totalJobOpenings"))
    if openings is not None:
        raw.openings = int(openings) if 0 < openings < 10_000 else 0
    raw.start_date = _day(document.get("jobStartDate"))
    if document.get("validThrough") is not None:
        raw.expires_at = _moment(document.get("validThrough"), end_of_day=True)
        if raw.expires_at is None:
            raw.warnings.append(_("validThrough is not a date; ignored."))


def jobposting_to_raw(document: Any) -> RawVacancy:
    """Read one JobPosting document (any JSON) into a RawVacancy; problems become errors or warnings."""
    raw = RawVacancy()
    if not _is_jobposting(raw, document):
        return raw
    _read_reference(raw, document)
    raw.title = title_text(_text(document.get("title")))
    raw.description = html_to_text(_text(document.get("description")))
    _read_organisation(raw, document.get("hiringOrganization"))
    raw.locations = _location_hints(document.get("jobLocation"))
    _occupation_hints(raw, document.get("relevantOccupation"))
    _occupation_hints(raw, document.get("occupationalCategory"))
    _read_employment(raw, document)
    _salary_hints(raw, document.get("baseSalary"))
    _read_openings_and_dates(raw, document)
    _education_hints(raw, document.get("educationRequirements"))
    raw.skills = _skill_hints(document.get("skills"))
    return raw


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


# --- CSV template rows ------------------------------------------------------------------------


def _cell(row: dict[str, str], name: str) -> str:
    return (row.get(name) or "").strip()


def _split_skills(value: str, *, essential: bool) -> list[SkillHint]:
    hints = []
    for part in re.split(r"[|\n]", value or ""):
        part = part.strip()
        if part:
            is_uri = part.startswith("http://") or part.startswith("https://")
            hints.append(SkillHint(uri=part if is_uri else "", label="" if is_uri else part, essential=essential))
    return hints


def _csv_occupation(raw: RawVacancy, row: dict[str, str]) -> None:
    """An ESCO URI, an ISCO-08 code or a label."""
    occupation = _cell(row, "occupation")
    if re.match(r"^https?://", occupation):
        raw.occupation_uris.append(occupation)
    elif re.match(r"^\d{4}$", occupation):
        raw.isco_codes.append(occupation)
    elif occupation:
        raw.occupation_labels.append(occupation)


def _csv_place(raw: RawVacancy, row: dict[str, str]) -> None:
    country = _cell(row, "country")
    raw.locations = [
        LocationHint(postal_code=_cell(row, "postal_code"), locality=_cell(row, "locality"), country=_country(country))
    ]
    if country and not _country(country):
        raw.error("country", _("Country “%(value)s”: give NL or BE.") % {"value": country[:20]})


def _csv_contract(raw: RawVacancy, row: dict[str, str]) -> None:
    contract = _cell(row, "contract_type").lower()
    if contract in ContractType.values:
        raw.contract_type = contract
        return
    raw.error(
        "contract_type",
        _("Contract type “%(value)s”: give one of %(choices)s.")
        % {"value": contract[:30], "choices": ", ".join(ContractType.values)},
    )


def _csv_whole_numbers(raw: RawVacancy, row: dict[str, str]) -> None:
    for name in ("hours_per_week", "openings", "min_eqf_level"):
        value = _cell(row, name)
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


def _csv_flags(raw: RawVacancy, row: dict[str, str]) -> None:
    for name in ("shift_work", "requires_min_secondary"):
        value = _cell(row, name)
        if not value:
            continue
        flag = _bool(value)
        if flag is None:
            raw.error(name, _("“%(value)s”: give yes or no.") % {"value": value[:20]})
        else:
            setattr(raw, name, flag)


def _csv_salary(raw: RawVacancy, row: dict[str, str]) -> None:
    for name in ("salary_min", "salary_max"):
        value = _cell(row, name)
        if not value:
            continue
        number = _number(value)
        if number is None:
            raw.error(name, _("“%(value)s” is not an amount.") % {"value": value[:20]})
        else:
            setattr(raw, name, number)
    period = _cell(row, "salary_period").lower()
    if period and period not in SalaryPeriod.values:
        raw.error("salary_period", _("Salary period: give hour, month or year."))
    elif period:
        raw.salary_period = period


def _csv_dates(raw: RawVacancy, row: dict[str, str]) -> None:
    if _cell(row, "start_date"):
        raw.start_date = _day(_cell(row, "start_date"))
        if raw.start_date is None:
            raw.error("start_date", _("Give the start date as YYYY-MM-DD."))
    if _cell(row, "valid_through"):
        raw.expires_at = _moment(_cell(row, "valid_through"), end_of_day=True)
        if raw.expires_at is None:
            raw.error("valid_through", _("Give the date as YYYY-MM-DD."))


def _csv_row_to_raw(row: dict[str, str]) -> RawVacancy:
    raw = RawVacancy()
    raw.reference = _cell(row, "reference")
    raw.title = title_text(_cell(row, "title"))
    raw.description = html_to_text(_cell(row, "description"))
    _csv_occupation(raw, row)
    _csv_place(raw, row)
    _csv_contract(raw, row)
    _csv_whole_numbers(raw, row)
    _csv_flags(raw, row)
    _csv_salary(raw, row)
    _csv_dates(raw, row)
    raw.skills = _split_skills(_cell(row, "essential_skills"), essential=True) + _split_skills(
        _cell(row, "optional_skills"), essential=False
    )
    return raw


def _csv_header_problems(header: list[str]) -> list[str]:
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
    return problems


def _csv_records(reader: csv.DictReader) -> list[RawVacancy]:
    records = []
    for row in reader:
        cleaned = {
            (key or "").strip().lower(): (value if isinstance(value, str) else "")
            for key, value in row.items()
            if key is not None
        }
        if not any(value.strip() for value in cleaned.values()):
            continue  # a blank line
        raw = _csv_row_to_raw(cleaned)
        if None in row:
            raw.error("row", _("This row has more values than the header has columns."))
        records.append(raw)
    return records


def read_csv(text: str) -> list[RawVacancy]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValueError(_("The CSV file is empty."))
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        problems = _csv_header_problems([name.strip().lower() for name in (reader.fieldnames or [])])
        if problems:
            raise ValueError(
                _("The CSV header does not match the template (%(problems)s). Expected: %(columns)s.")
                % {"problems": "; ".join(problems), "columns": ",".join(CSV_COLUMNS)}
            )
        records = _csv_records(reader)
    except csv.Error as exc:
        raise ValueError(_("The CSV file cannot be read: %(error)s.") % {"error": str(exc)[:200]}) from exc
    if not records:
        raise ValueError(_("The CSV file holds no vacancies."))
    return records

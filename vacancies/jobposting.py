"""Vacancies as schema.org JobPosting (JSON-LD): the export, and the mapping of imported documents.

Export: ``vacancy_jobposting(vacancy)`` builds the document the vacancy page embeds and that
``GET /api/v1/vacancies/{id}/jobposting`` returns (Google's JobPosting guidelines: title,
description, datePosted, validThrough, employmentType, hiringOrganization, jobLocation,
baseSalary, directApply; plus occupationalCategory with the ISCO-08 code, the ESCO occupation,
educationRequirements and skills).

Import: ``jobposting_to_raw(document)`` reads a document as careers sites publish them
(jobLocation as one object or a list, hiringOrganization as a name or an object, HTML in the
description, most properties optional) into a ``RawVacancy``; ``raw_resolve`` maps that onto
the portal's reference data (place by Belgian postcode or locality, occupation by ESCO URI,
ISCO code or title, skills by ESCO URI or label). Neither writes anything: ``vacancies.imports``
does, through the services. Everything here must survive any JSON thrown at it.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from taxonomy.models import Occupation, Place, PostalCode, Skill
from taxonomy.selectors import place_for_be_postcode

from .models import ContractType, SalaryPeriod, Vacancy

SCHEMA_ORG = "https://schema.org"
ESCO_ESSENTIAL = "http://data.europa.eu/esco/model#relatedEssentialSkill"
ESCO_OPTIONAL = "http://data.europa.eu/esco/model#relatedOptionalSkill"
ESCO_SKILLS = "https://esco.ec.europa.eu/en/classification/skill_main"
ISCO_08 = "ISCO-08"
EQF_TERM_SET = "https://europa.eu/europass/en/description-eight-eqf-levels"
DEFAULT_HOURS = {"FULL_TIME": 38, "PART_TIME": 24}
EDUCATION_CATEGORY = {  # EQF level -> Google's credentialCategory
    1: "high school",
    2: "high school",
    3: "high school",
    4: "high school",
    5: "associate degree",
    6: "bachelor degree",
    7: "postgraduate degree",
    8: "postgraduate degree",
}
CATEGORY_EQF = {"associate degree": 5, "bachelor degree": 6, "postgraduate degree": 7}
PERIOD_UNIT = {SalaryPeriod.HOUR: "HOUR", SalaryPeriod.MONTH: "MONTH", SalaryPeriod.YEAR: "YEAR"}
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
BE_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d|\s?[A-Za-z]{2}\b)")
NL_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})\s?([A-Za-z]{2})\b")
ISCO_CODE = re.compile(r"^\s*(\d{4})\b")
ESCO_OCCUPATION = re.compile(r"^https?://data\.europa\.eu/esco/occupation/[0-9a-fA-F-]+$")
ESCO_SKILL = re.compile(r"^https?://data\.europa\.eu/esco/(skill|isced-f)/[0-9a-zA-Z-]+$")
NUMBER = re.compile(r"-?\d[\d.,]*")


# --- export -----------------------------------------------------------------------------------


def vacancy_page_url(request, vacancy: Vacancy) -> str | None:
    """The canonical (default-language) absolute URL of the public vacancy page."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    try:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("vacancies:detail", kwargs={"pk": vacancy.pk})
    except NoReverseMatch:
        return None
    return request.build_absolute_uri(path) if request is not None else path


def text_to_html(text: str) -> str:
    """Plain text as HTML paragraphs (blank line = paragraph, newline = line break), escaped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n")) if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def employment_types(vacancy: Vacancy) -> list[str]:
    extent = "FULL_TIME" if vacancy.hours_per_week >= 32 else "PART_TIME"
    return {
        ContractType.PERMANENT: [extent],
        ContractType.FIXED_TERM: [extent, "TEMPORARY"],
        ContractType.TEMPORARY: ["TEMPORARY"],
        ContractType.INTERNSHIP: ["INTERN"],
        ContractType.FREELANCE: ["CONTRACTOR"],
    }.get(vacancy.contract_type, ["OTHER"])


def work_hours(vacancy: Vacancy) -> str:
    text = f"{vacancy.hours_per_week} hours per week"
    return f"{text}, shift work" if vacancy.shift_work else text


def _isco_category(vacancy: Vacancy) -> dict:
    group = vacancy.occupation.isco_group
    return {
        "@type": "CategoryCode",
        "codeValue": group.code,
        "name": group.label_en,
        "inCodeSet": {"@type": "CategoryCodeSet", "name": ISCO_08},
    }


def _education(vacancy: Vacancy) -> list[dict]:
    credentials = []
    if vacancy.requires_min_secondary:
        credentials.append(
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": "high school",
                "name": "minimum secondary diploma (startkwalificatie / diploma secundair onderwijs)",
            }
        )
    if vacancy.min_eqf_level:
        credentials.append(
            {
                "@type": "EducationalOccupationalCredential",
                "credentialCategory": EDUCATION_CATEGORY[vacancy.min_eqf_level],
                "educationalLevel": {
                    "@type": "DefinedTerm",
                    "name": f"EQF {vacancy.min_eqf_level}",
                    "termCode": str(vacancy.min_eqf_level),
                    "inDefinedTermSet": EQF_TERM_SET,
                },
            }
        )
    return credentials


def _skill_terms(vacancy: Vacancy) -> list[dict]:
    def term(skill: Skill, relation: str) -> dict:
        return {
            "@type": "DefinedTerm",
            "name": skill.label,
            "url": skill.uri,
            "inDefinedTermSet": ESCO_SKILLS,
            "additionalType": relation,
        }

    essential = sorted(vacancy.essential_skills.all(), key=lambda s: s.uri)
    optional = sorted(vacancy.optional_skills.all(), key=lambda s: s.uri)
    return [term(s, ESCO_ESSENTIAL) for s in essential] + [term(s, ESCO_OPTIONAL) for s in optional]


def _salary(vacancy: Vacancy) -> dict | None:
    if vacancy.salary_min is None and vacancy.salary_max is None:
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": PERIOD_UNIT[vacancy.salary_period]}
    if vacancy.salary_min is not None and vacancy.salary_max is not None and vacancy.salary_min != vacancy.salary_max:
        value["minValue"] = float(vacancy.salary_min)
        value["maxValue"] = float(vacancy.salary_max)
    else:
        value["value"] = float(vacancy.salary_min if vacancy.salary_min is not None else vacancy.salary_max)
    return {"@type": "MonetaryAmount", "currency": "EUR", "value": value}


def _address(place: Place) -> dict:
    address = {
        "@type": "PostalAddress",
        "addressLocality": place.name,
        "addressRegion": place.province,
        "addressCountry": place.country,
    }
    codes = sorted({postal.code for postal in place.postal_codes.all()})
    if codes:
        address["postalCode"] = codes[0]
    return address


def vacancy_identifier(vacancy: Vacancy) -> str:
    """The employer's reference, or the portal's own when the employer gave none."""
    return vacancy.reference or f"nsp-{vacancy.pk}"


def vacancy_jobposting(vacancy: Vacancy, *, url: str | None = None, apply_url: str | None = None) -> dict:
    """The schema.org JobPosting document of a vacancy (a dict, to be dumped as JSON-LD)."""
    employer = vacancy.employer
    organisation: dict[str, Any] = {"@type": "Organization", "name": employer.legal_name}
    if employer.website:
        organisation["sameAs"] = employer.website
    if employer.registration_number:
        organisation["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "KvK" if employer.kvk_number else "KBO",
            "value": employer.registration_number,
        }
    posted = vacancy.published_at or vacancy.created_at
    document: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": employer.legal_name, "value": vacancy_identifier(vacancy)},
        "title": vacancy.title,
        "description": text_to_html(vacancy.description),
        "datePosted": timezone.localtime(posted).date().isoformat() if posted else None,
        "validThrough": timezone.localtime(vacancy.expires_at).isoformat() if vacancy.expires_at else None,
        "employmentType": employment_types(vacancy),
        "workHours": work_hours(vacancy),
        "hiringOrganization": organisation,
        "jobLocation": {
            "@type": "Place",
            "address": _address(vacancy.place),
            "geo": {
                "@type": "GeoCoordinates",
                "latitude": vacancy.place.latitude,
                "longitude": vacancy.place.longitude,
            },
        },
        "occupationalCategory": _isco_category(vacancy),
        "relevantOccupation": {
            "@type": "Occupation",
            "name": vacancy.occupation.label,
            "sameAs": vacancy.occupation.uri,
            "occupationalCategory": _isco_category(vacancy),
        },
        "totalJobOpenings": vacancy.openings,
        "directApply": True,
    }
    education = _education(vacancy)
    if education:
        document["educationRequirements"] = education if len(education) > 1 else education[0]
    skills = _skill_terms(vacancy)
    if skills:
        document["skills"] = skills
    salary = _salary(vacancy)
    if salary:
        document["baseSalary"] = salary
    if vacancy.start_date:
        document["jobStartDate"] = vacancy.start_date.isoformat()
    if url:
        document["url"] = url
    if apply_url:
        document["potentialAction"] = {"@type": "ApplyAction", "target": apply_url}
    return {key: value for key, value in document.items() if value is not None}


# --- reading documents (import) -------------------------------------------------------------


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
        elif tag in ("p", "div", "ul", "ol", "table", "section", "article", "blockquote", "h1", "h2", "h3", "h4"):
            self.parts.append("\n\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("p", "div", "ul", "ol", "table", "section", "article", "blockquote", "h1", "h2", "h3", "h4"):
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


INLINE_TAG = re.compile(r"</?(?:a|abbr|b|br|div|em|font|h[1-6]|i|p|small|span|strong|sub|sup|u)\b[^>]*>", re.IGNORECASE)


def title_text(value: str) -> str:
    """A title is text: drop stray formatting tags and entities, keep a literal “<…>” that is no tag."""
    text = html.unescape(INLINE_TAG.sub("", value)).replace("\x00", "")
    return re.sub(r"\s+", " ", text).strip()


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _text(value: Any) -> str:
    """A string out of a string, a number, a {"name"/"@value"/"value"} object or a list of those."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for key in ("@value", "name", "value", "codeValue", "termCode", "@id"):
            if key in value:
                return _text(value[key])
        return ""
    if isinstance(value, (list, tuple)):
        for item in value:
            text = _text(item)
            if text:
                return text
    return ""


def _types(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    types = set()
    for value in _as_list(node.get("@type")):
        if isinstance(value, str):
            types.add(value.rsplit("/", 1)[-1].rsplit(":", 1)[-1])
    return types


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
    else:
        text = _text(value)
        if isinstance(value, dict) and not text:
            return None
        match = NUMBER.search(text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")) if text else None
        if not match:
            return None
        raw = match.group(0).rstrip(".,")
        if "," in raw and "." in raw:  # 3.200,50 or 3,200.50: the last separator is the decimal one
            thousands, decimal = (".", ",") if raw.rfind(",") > raw.rfind(".") else (",", ".")
            raw = raw.replace(thousands, "").replace(decimal, ".")
        elif re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+", raw) or re.fullmatch(r"-?\d{1,3}(?:,\d{3}){2,}", raw):
            raw = raw.replace(".", "").replace(",", "")  # 12.500 or 12,500,000: thousands
        else:
            raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return None
    if not number.is_finite():
        return None
    return number


def _moment(value: Any, *, end_of_day: bool = False) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}$", text[:10] or "") else None
            if day is None:
                return None
            moment = datetime.combine(day, time(23, 59) if end_of_day else time(0, 0))
    except (ValueError, OverflowError):
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


def _location_hints(value: Any) -> list[LocationHint]:
    hints = []
    for node in _as_list(value):
        if isinstance(node, str):
            hints.append(LocationHint(text=node))
            continue
        if not isinstance(node, dict):
            continue
        addresses = _as_list(node.get("address")) if ("address" in node or "Place" in _types(node)) else [node]
        for address in addresses:
            if isinstance(address, str):
                hints.append(LocationHint(text=address))
            elif isinstance(address, dict):
                hints.append(
                    LocationHint(
                        postal_code=_text(address.get("postalCode")),
                        locality=_text(address.get("addressLocality")),
                        country=_country(address.get("addressCountry")),
                        text=", ".join(
                            t for t in (_text(address.get("streetAddress")), _text(address.get("name"))) if t
                        ),
                    )
                )
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


def _education_hints(raw: RawVacancy, value: Any) -> None:
    for item in _as_list(value):
        if isinstance(item, dict):
            category = _text(item.get("credentialCategory")).lower()
            level = item.get("educationalLevel")
            eqf = None
            level_text = _text(level)
            if isinstance(level, dict) and re.fullmatch(r"[1-8]", _text(level.get("termCode"))):
                eqf = int(_text(level.get("termCode")))
            elif level_text:
                match = re.search(r"EQF\s*(\d)", level_text, re.I) or re.match(r"^\s*(\d)\s*$", level_text)
                eqf = int(match.group(1)) if match else None
        else:
            category = _text(item).lower()
            match = re.search(r"EQF\s*(\d)", category, re.I)
            eqf = int(match.group(1)) if match else None
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


def _skill_hints(value: Any) -> list[SkillHint]:
    hints = []
    for item in _as_list(value):
        if isinstance(item, dict):
            uri = ""
            for key in ("url", "sameAs", "@id", "termCode"):
                candidate = _text(item.get(key))
                if ESCO_SKILL.match(candidate):
                    uri = candidate
                    break
            relation = _text(item.get("additionalType"))
            hints.append(SkillHint(uri=uri, label=_text(item.get("name")), essential=relation != ESCO_OPTIONAL))
        elif isinstance(item, str):
            parts = [item] if ESCO_SKILL.match(item.strip()) else re.split(r"[,;|\n]", item)
            for part in parts:
                part = part.strip()
                if part:
                    hints.append(SkillHint(uri=part if ESCO_SKILL.match(part) else "", label=part))
    return hints


def _occupation_hints(raw: RawVacancy, value: Any) -> None:
    for item in _as_list(value):
        if isinstance(item, dict):
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
        else:
            text = _text(item)
            if ESCO_OCCUPATION.match(text):
                raw.occupation_uris.append(text)
            elif ISCO_CODE.match(text):
                raw.isco_codes.append(ISCO_CODE.match(text).group(1))
            elif text:
                raw.occupation_labels.append(text)


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


def jobposting_to_raw(document: Any) -> RawVacancy:
    """Read one JobPosting document (any JSON) into a RawVacancy; problems become errors or warnings."""
    raw = RawVacancy()
    if not isinstance(document, dict):
        raw.error("document", _("Not a JSON object."))
        return raw
    if "JobPosting" not in _types(document):
        raw.error(
            "@type",
            _("Not a schema.org JobPosting (its @type is “%(type)s”).") % {"type": _text(document.get("@type"))[:60]},
        )
        return raw
    raw.reference = _reference(document)
    if not raw.reference:
        url = _text(document.get("url"))
        if url:
            import hashlib

            raw.reference = "url-" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
            raw.warnings.append(_("No identifier: the reference is derived from the url."))
    raw.title = title_text(_text(document.get("title")))
    raw.description = html_to_text(_text(document.get("description")))
    organisation = document.get("hiringOrganization")
    raw.organisation = _text(organisation.get("name") if isinstance(organisation, dict) else organisation)
    if isinstance(organisation, dict):
        for key in ("identifier", "vatID", "taxID"):
            for identifier in _as_list(organisation.get(key)):
                number = _text(identifier.get("value") if isinstance(identifier, dict) else identifier)
                if number and not raw.organisation_number:
                    raw.organisation_number = number[:40]
    raw.locations = _location_hints(document.get("jobLocation"))
    _occupation_hints(raw, document.get("relevantOccupation"))
    _occupation_hints(raw, document.get("occupationalCategory"))
    raw.employment_types = _employment_types(document.get("employmentType"))
    raw.contract_type = contract_from_employment_types(raw.employment_types)
    hours_text = _text(document.get("workHours"))
    hours = _number(hours_text) if hours_text else None
    if hours is not None:
        raw.hours_per_week = int(round(hours)) if -1 < hours < 1000 else 0
        raw.shift_work = bool(re.search(r"shift|ploeg|équipe|continu", hours_text, re.I))
    _salary_hints(raw, document.get("baseSalary"))
    openings = _number(document.get("totalJobOpenings"))
    if openings is not None:
        raw.openings = int(openings) if 0 < openings < 10_000 else 0
    raw.start_date = _day(document.get("jobStartDate"))
    if document.get("validThrough") is not None:
        raw.expires_at = _moment(document.get("validThrough"), end_of_day=True)
        if raw.expires_at is None:
            raw.warnings.append(_("validThrough is not a date; ignored."))
    _education_hints(raw, document.get("educationRequirements"))
    raw.skills = _skill_hints(document.get("skills"))
    return raw


# --- resolving against the reference data -----------------------------------------------------


@dataclass
class ResolvedVacancy:
    """A record mapped onto the portal: the service's keyword arguments, or the reasons it cannot be."""

    reference: str
    title: str
    fields: dict[str, Any]  # only what the record gives; an update leaves the rest as it is
    create_defaults: dict[str, Any]  # used only when creating
    essential_skills: list[Skill] | None
    optional_skills: list[Skill] | None
    errors: dict[str, list[str]]
    warnings: list[str]


def _place_from_hint(hint: LocationHint) -> tuple[Place | None, str]:
    """(place, problem)."""
    country = hint.country
    postal = hint.postal_code.strip()
    text = " ".join(t for t in (hint.text, postal, hint.locality) if t)
    if not postal and text:
        nl = NL_POSTCODE.search(text)
        be = BE_POSTCODE.search(text)
        if nl and country != "BE":
            postal, country = nl.group(0), country or "NL"
        elif be and country != "NL":
            postal = be.group(1)
    if postal and re.fullmatch(r"[1-9]\d{3}", postal) and country in ("", "BE"):
        place = place_for_be_postcode(postcode=postal)
        if place is not None:
            return place, ""
        if country == "BE":
            return None, _("Unknown Belgian postcode %(code)s.") % {"code": postal}
    if postal and NL_POSTCODE.fullmatch(postal.strip()) and not country:
        country = "NL"
    localities = [hint.locality] if hint.locality else []
    if not localities and hint.text:
        localities = [part.strip() for part in re.split(r"[,\n]", hint.text) if part.strip()]
        localities = [re.sub(r"^(?:[1-9]\d{3}(?:\s?[A-Za-z]{2})?)\s+", "", part) for part in localities]
    for locality in localities:
        name = locality.strip()[:120]
        if not name:
            continue
        places = Place.objects.filter(Q(name__iexact=name) | Q(municipality__iexact=name))
        if country:
            places = places.filter(country=country)
        exact = [p for p in places.order_by("-population")[:10] if p.name.lower() == name.lower()]
        candidates = exact or list(places.order_by("-population")[:10])
        if not candidates and not country:
            postal_match = PostalCode.objects.filter(locality__iexact=name, place__isnull=False).select_related("place")
            candidates = [p.place for p in postal_match[:10]]
        countries = {p.country for p in candidates}
        if len(countries) > 1:
            return None, _("“%(name)s” exists in the Netherlands and in Belgium: give the country.") % {"name": name}
        if candidates:
            return candidates[0], ""
    if localities or postal:
        where = ", ".join(x for x in (postal, *localities, country) if x)
        return None, _("Unknown place: %(where)s (the portal knows the places of the North Sea Port region).") % {
            "where": where[:120]
        }
    return None, _("No place of work (jobLocation) given.")


def _occupation(raw: RawVacancy) -> tuple[Occupation | None, list[str]]:
    warnings: list[str] = []
    base = Occupation.objects.select_related("isco_group")
    for uri in raw.occupation_uris:
        occupation = base.filter(uri=uri).first()
        if occupation:
            return occupation, warnings
    title = raw.title.lower()
    for code in raw.isco_codes:
        candidates = list(base.filter(isco_group__code=code).order_by("uri"))
        if len(candidates) == 1:
            return candidates[0], warnings
        if candidates:

            def score(occ: Occupation) -> int:
                return max(
                    len(lbl)
                    for lbl in (occ.label_nl, occ.label_en, occ.label_fr, "")
                    if not lbl or lbl.lower() in title
                )

            best = max(candidates, key=score)
            warnings.append(
                _("Occupation chosen among %(n)d of ISCO %(code)s: %(label)s.")
                % {"n": len(candidates), "code": code, "label": best.label_en}
            )
            return best, warnings
    for label in [*raw.occupation_labels, raw.title]:
        label = label.strip()
        if not label:
            continue
        same = Q(label_nl__iexact=label) | Q(label_en__iexact=label) | Q(label_fr__iexact=label)
        occupation = base.filter(same).first()
        if occupation:
            return occupation, warnings
    # A label contained in the title ("Procesoperator ploegendienst (m/v/x)" -> procesoperator).
    if title:
        best, best_len = None, 0
        for occupation in base.only("id", "uri", "label_nl", "label_en", "label_fr", "isco_group"):
            for lbl in (occupation.label_nl, occupation.label_en, occupation.label_fr):
                if lbl and len(lbl) > best_len and re.search(rf"\b{re.escape(lbl.lower())}\b", title):
                    best, best_len = occupation, len(lbl)
        if best is not None:
            warnings.append(_("Occupation taken from the title: %(label)s.") % {"label": best.label_en})
            return best, warnings
    return None, warnings


def _skills(raw: RawVacancy) -> tuple[list[Skill], list[Skill], list[str]]:
    essential: list[Skill] = []
    optional: list[Skill] = []
    warnings: list[str] = []
    for hint in raw.skills:
        skill = None
        if hint.uri:
            skill = Skill.objects.filter(uri=hint.uri).first()
        if skill is None and hint.label:
            label = hint.label[:255]
            skill = (
                Skill.objects.filter(Q(label_nl__iexact=label) | Q(label_en__iexact=label) | Q(label_fr__iexact=label))
                .order_by("uri")
                .first()
            )
        if skill is None:
            warnings.append(
                _("Skill “%(skill)s” is not in the portal's ESCO list; ignored.")
                % {"skill": (hint.label or hint.uri)[:80]}
            )
            continue
        target = essential if hint.essential else optional
        if skill not in essential and skill not in target:
            target.append(skill)
    optional = [skill for skill in optional if skill not in essential]
    return essential, optional, warnings


def raw_resolve(raw: RawVacancy, *, now: datetime | None = None) -> ResolvedVacancy:
    """Map a RawVacancy onto the portal's model; collects every reason it cannot be imported."""
    now = now or timezone.now()
    errors = {name: list(messages) for name, messages in raw.errors.items()}
    warnings = list(raw.warnings)

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(str(message))

    resolved = ResolvedVacancy(
        reference=raw.reference[:200],
        title=raw.title[:200],
        fields={},
        create_defaults={},
        essential_skills=None,
        optional_skills=None,
        errors=errors,
        warnings=warnings,
    )
    if errors.get("document") or errors.get("@type"):
        return resolved
    fields = resolved.fields
    if not raw.reference:
        error("reference", _("No reference (identifier): a record needs one so that importing again updates it."))
    elif len(raw.reference) > 64:
        error("reference", _("The reference is longer than 64 characters."))
    if not raw.title:
        error("title", _("No title."))
    elif len(raw.title) > 200:
        error("title", _("The title is longer than 200 characters."))
    if not raw.description:
        error("description", _("No description."))
    fields.update(title=raw.title, description=raw.description, reference=raw.reference[:64])

    place, problem = None, _("No place of work (jobLocation) given.")
    for hint in raw.locations:
        place, problem = _place_from_hint(hint)
        if place is not None:
            break
    if place is None:
        error("place", problem)
    else:
        fields["place"] = place

    occupation, notes = _occupation(raw)
    warnings.extend(notes)
    if occupation is None:
        error("occupation", _("Unknown occupation: give an ESCO URI, an ISCO-08 code or a title the portal knows."))
    else:
        fields["occupation"] = occupation

    if raw.contract_type:
        fields["contract_type"] = raw.contract_type
    if raw.hours_per_week is not None:
        if not 1 <= raw.hours_per_week <= 60:
            error("hours_per_week", _("Hours per week must be between 1 and 60."))
        else:
            fields["hours_per_week"] = raw.hours_per_week
    else:
        extent = next((t for t in raw.employment_types if t in DEFAULT_HOURS), "FULL_TIME")
        resolved.create_defaults["hours_per_week"] = DEFAULT_HOURS[extent]
        warnings.append(_("Hours per week not given: %(hours)d assumed.") % {"hours": DEFAULT_HOURS[extent]})
    if raw.shift_work is not None:
        fields["shift_work"] = raw.shift_work
    if raw.salary_min is not None or raw.salary_max is not None:
        for name, value in (("salary_min", raw.salary_min), ("salary_max", raw.salary_max)):
            if value is not None and (value < 0 or value >= Decimal("10000000")):
                error(name, _("A salary must be a positive amount below 10 million."))
        low, high = raw.salary_min, raw.salary_max
        if low is not None and high is not None and low > high:
            error("salary_max", _("The maximum salary must not be lower than the minimum."))
        fields["salary_min"] = low.quantize(Decimal("0.01")) if low is not None and abs(low) < 10**7 else low
        fields["salary_max"] = high.quantize(Decimal("0.01")) if high is not None and abs(high) < 10**7 else high
        fields["salary_period"] = raw.salary_period or SalaryPeriod.MONTH
    if raw.openings is not None:
        if raw.openings < 1:
            error("openings", _("The number of openings must be at least 1."))
        else:
            fields["openings"] = raw.openings
    if raw.start_date is not None:
        fields["start_date"] = raw.start_date
    if raw.expires_at is not None:
        if raw.expires_at <= now:
            error("validThrough", _("This vacancy expired already (validThrough is in the past)."))
        else:
            fields["expires_at"] = raw.expires_at
    if raw.min_eqf_level is not None:
        fields["min_eqf_level"] = raw.min_eqf_level
    if raw.requires_min_secondary is not None:
        fields["requires_min_secondary"] = raw.requires_min_secondary
    if raw.skills:
        essential, optional, notes = _skills(raw)
        warnings.extend(notes)
        resolved.essential_skills, resolved.optional_skills = essential, optional
    return resolved

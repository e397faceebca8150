"""Resolving an imported record against the reference data: a ``RawVacancy`` becomes the
keyword arguments of the vacancy services, or the list of reasons it cannot.

The place is found by Belgian postcode or locality, the occupation by ESCO URI, ISCO-08 code
or title, skills by ESCO URI or label. Nothing is written here: ``vacancies.imports`` writes,
through the services.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from taxonomy.models import Occupation, Place, PostalCode, Skill
from taxonomy.selectors import place_for_be_postcode

from ..models import SalaryPeriod
from .codes import CodeSuggestion, suggest_codes
from .parse import LocationHint, RawVacancy, SkillHint

DEFAULT_HOURS = {"FULL_TIME": 38, "PART_TIME": 24}
BE_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})(?!\d|\s?[A-Za-z]{2}\b)")
NL_POSTCODE = re.compile(r"(?<!\d)([1-9]\d{3})\s?([A-Za-z]{2})\b")
MAX_SALARY = Decimal("10000000")


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
    # What the portal suggested for a record without codes (vacancies.jobposting.codes); its
    # occupation sits in create_defaults and its skills here: used only when creating.
    codes: CodeSuggestion | None = None
    suggested_skills: list[Skill] = field(default_factory=list)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(str(message))


# --- place ------------------------------------------------------------------------------------


def _postcode(hint: LocationHint) -> tuple[str, str]:
    """(postcode, country): the one given, else one found in the free text or the locality."""
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
    return postal, country


def _place_by_be_postcode(postal: str, country: str) -> tuple[Place | None, str]:
    """(place, problem); neither when the postcode is no Belgian one."""
    if not (postal and re.fullmatch(r"[1-9]\d{3}", postal) and country in ("", "BE")):
        return None, ""
    place = place_for_be_postcode(postcode=postal)
    if place is not None:
        return place, ""
    if country == "BE":
        return None, _("Unknown Belgian postcode %(code)s.") % {"code": postal}
    return None, ""  # no country given: the locality may still find the place


def _localities(hint: LocationHint) -> list[str]:
    """The locality, else the parts of the free-text address without their leading postcode."""
    if hint.locality:
        return [hint.locality]
    if not hint.text:
        return []
    parts = [part.strip() for part in re.split(r"[,\n]", hint.text) if part.strip()]
    return [re.sub(r"^(?:[1-9]\d{3}(?:\s?[A-Za-z]{2})?)\s+", "", part) for part in parts]


def _place_by_locality(name: str, country: str) -> tuple[Place | None, str]:
    """(place, problem); neither when the name is no place the portal knows."""
    places = Place.objects.filter(Q(name__iexact=name) | Q(municipality__iexact=name))
    if country:
        places = places.filter(country=country)
    exact = [p for p in places.order_by("-population")[:10] if p.name.lower() == name.lower()]
    candidates = exact or list(places.order_by("-population")[:10])
    if not candidates and not country:
        postal_match = PostalCode.objects.filter(locality__iexact=name, place__isnull=False).select_related("place")
        candidates = [p.place for p in postal_match[:10]]
    if len({p.country for p in candidates}) > 1:
        return None, _("“%(name)s” exists in the Netherlands and in Belgium: give the country.") % {"name": name}
    return (candidates[0] if candidates else None), ""


def _place_from_hint(hint: LocationHint) -> tuple[Place | None, str]:
    """(place, problem)."""
    postal, country = _postcode(hint)
    place, problem = _place_by_be_postcode(postal, country)
    if place is not None or problem:
        return place, problem
    if postal and NL_POSTCODE.fullmatch(postal.strip()) and not country:
        country = "NL"
    localities = _localities(hint)
    for locality in localities:
        name = locality.strip()[:120]
        if not name:
            continue
        place, problem = _place_by_locality(name, country)
        if place is not None or problem:
            return place, problem
    if localities or postal:
        where = ", ".join(x for x in (postal, *localities, country) if x)
        return None, _("Unknown place: %(where)s (the portal knows the places of the North Sea Port region).") % {
            "where": where[:120]
        }
    return None, _("No place of work (jobLocation) given.")


# --- occupation and skills --------------------------------------------------------------------


def _title_overlap(occupation: Occupation, title: str) -> int:
    """The length of the longest label of the occupation found in the title (0: none)."""
    labels = (occupation.label_nl, occupation.label_en, occupation.label_fr, "")
    return max(len(label) for label in labels if not label or label.lower() in title)


def _occupation_by_uri(base: QuerySet, uris: list[str]) -> Occupation | None:
    for uri in uris:
        occupation = base.filter(uri=uri).first()
        if occupation is not None:
            return occupation
    return None


def _occupation_by_isco(base: QuerySet, codes: list[str], title: str) -> tuple[Occupation | None, list[str]]:
    """The occupation of the first known ISCO code; of several, the one whose label the title holds."""
    for code in codes:
        candidates = list(base.filter(isco_group__code=code).order_by("uri"))
        if len(candidates) == 1:
            return candidates[0], []
        if candidates:
            best = max(candidates, key=lambda occupation: _title_overlap(occupation, title))
            note = _("Occupation chosen among %(n)d of ISCO %(code)s: %(label)s.") % {
                "n": len(candidates),
                "code": code,
                "label": best.label_en,
            }
            return best, [note]
    return None, []


def _occupation_by_label(base: QuerySet, labels: list[str]) -> Occupation | None:
    for label in labels:
        label = label.strip()
        if not label:
            continue
        same = Q(label_nl__iexact=label) | Q(label_en__iexact=label) | Q(label_fr__iexact=label)
        occupation = base.filter(same).first()
        if occupation is not None:
            return occupation
    return None


def _occupation_in_title(base: QuerySet, title: str) -> Occupation | None:
    """The occupation with the longest label contained in the title as whole words
    ("Procesoperator ploegendienst (m/v/x)" -> procesoperator)."""
    best, best_len = None, 0
    for occupation in base.only("id", "uri", "label_nl", "label_en", "label_fr", "isco_group"):
        for label in (occupation.label_nl, occupation.label_en, occupation.label_fr):
            if label and len(label) > best_len and re.search(rf"\b{re.escape(label.lower())}\b", title):
                best, best_len = occupation, len(label)
    return best


def _coded_occupation(raw: RawVacancy) -> tuple[Occupation | None, list[str]]:
    """(occupation, notes) the record itself names: by ESCO URI, ISCO-08 code or exact label."""
    base = Occupation.objects.select_related("isco_group")
    title = raw.title.lower()
    occupation = _occupation_by_uri(base, raw.occupation_uris)
    if occupation is not None:
        return occupation, []
    occupation, notes = _occupation_by_isco(base, raw.isco_codes, title)
    if occupation is not None:
        return occupation, notes
    return _occupation_by_label(base, [*raw.occupation_labels, raw.title]), []


def _occupation(raw: RawVacancy) -> tuple[Occupation | None, list[str]]:
    """(occupation, notes): by ESCO URI, ISCO-08 code, exact label, then a label in the title."""
    occupation, notes = _coded_occupation(raw)
    if occupation is not None:
        return occupation, notes
    title = raw.title.lower()
    base = Occupation.objects.select_related("isco_group")
    occupation = _occupation_in_title(base, title) if title else None
    if occupation is not None:
        return occupation, [_("Occupation taken from the title: %(label)s.") % {"label": occupation.label_en}]
    return None, []


def _skill(hint: SkillHint) -> Skill | None:
    """A skill by ESCO URI, else by its label in any language."""
    skill = Skill.objects.filter(uri=hint.uri).first() if hint.uri else None
    if skill is None and hint.label:
        label = hint.label[:255]
        same = Q(label_nl__iexact=label) | Q(label_en__iexact=label) | Q(label_fr__iexact=label)
        skill = Skill.objects.filter(same).order_by("uri").first()
    return skill


def _skills(raw: RawVacancy) -> tuple[list[Skill], list[Skill], list[str]]:
    essential: list[Skill] = []
    optional: list[Skill] = []
    warnings: list[str] = []
    for hint in raw.skills:
        skill = _skill(hint)
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


# --- the steps of raw_resolve, one per group of fields ------------------------------------------


def _resolve_texts(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    if not raw.reference:
        resolved.error(
            "reference", _("No reference (identifier): a record needs one so that importing again updates it.")
        )
    elif len(raw.reference) > 64:
        resolved.error("reference", _("The reference is longer than 64 characters."))
    if not raw.title:
        resolved.error("title", _("No title."))
    elif len(raw.title) > 200:
        resolved.error("title", _("The title is longer than 200 characters."))
    if not raw.description:
        resolved.error("description", _("No description."))
    resolved.fields.update(title=raw.title, description=raw.description, reference=raw.reference[:64])


def _resolve_place(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    """The first location the portal knows; otherwise the problem with the last one."""
    place, problem = None, _("No place of work (jobLocation) given.")
    for hint in raw.locations:
        place, problem = _place_from_hint(hint)
        if place is not None:
            break
    if place is None:
        resolved.error("place", problem)
    else:
        resolved.fields["place"] = place


def _suggested(raw: RawVacancy, *, occupation: bool) -> CodeSuggestion | None:
    """The portal's suggestion for what the record does not code (its occupation, its skills)."""
    skills = not raw.skills
    if not (occupation or skills) or not (raw.title or raw.description):
        return None
    return suggest_codes(title=raw.title, text=raw.description, occupation=occupation, skills=skills)


def _resolve_occupation(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    """The record's own occupation code; failing it, a confident suggestion from the text (for a new
    vacancy only: an update keeps the vacancy's occupation), else a label in the title as before."""
    occupation, notes = _coded_occupation(raw)
    resolved.codes = _suggested(raw, occupation=occupation is None)
    if occupation is None and resolved.codes is not None and resolved.codes.occupation is not None:
        resolved.create_defaults["occupation"] = resolved.codes.occupation
        return
    if occupation is None:
        occupation, notes = _occupation(raw)
    resolved.warnings.extend(notes)
    if occupation is None:
        resolved.error(
            "occupation", _("Unknown occupation: give an ESCO URI, an ISCO-08 code or a title the portal knows.")
        )
        if resolved.codes is not None:
            resolved.warnings.append(resolved.codes.no_occupation_note())
    else:
        resolved.fields["occupation"] = occupation


def _resolve_employment(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    """Contract type, hours per week (assumed from the employment type when not given), shift work."""
    if raw.contract_type:
        resolved.fields["contract_type"] = raw.contract_type
    if raw.hours_per_week is None:
        extent = next((t for t in raw.employment_types if t in DEFAULT_HOURS), "FULL_TIME")
        resolved.create_defaults["hours_per_week"] = DEFAULT_HOURS[extent]
        resolved.warnings.append(_("Hours per week not given: %(hours)d assumed.") % {"hours": DEFAULT_HOURS[extent]})
    elif not 1 <= raw.hours_per_week <= 60:
        resolved.error("hours_per_week", _("Hours per week must be between 1 and 60."))
    else:
        resolved.fields["hours_per_week"] = raw.hours_per_week
    if raw.shift_work is not None:
        resolved.fields["shift_work"] = raw.shift_work


def _in_cents(amount: Decimal | None) -> Decimal | None:
    """Rounded to the cent; an amount out of range is left as it is (it is refused anyway)."""
    return amount.quantize(Decimal("0.01")) if amount is not None and abs(amount) < 10**7 else amount


def _resolve_salary(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    low, high = raw.salary_min, raw.salary_max
    if low is None and high is None:
        return
    for name, value in (("salary_min", low), ("salary_max", high)):
        if value is not None and (value < 0 or value >= MAX_SALARY):
            resolved.error(name, _("A salary must be a positive amount below 10 million."))
    if low is not None and high is not None and low > high:
        resolved.error("salary_max", _("The maximum salary must not be lower than the minimum."))
    resolved.fields["salary_min"] = _in_cents(low)
    resolved.fields["salary_max"] = _in_cents(high)
    resolved.fields["salary_period"] = raw.salary_period or SalaryPeriod.MONTH


def _resolve_openings(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    if raw.openings is None:
        return
    if raw.openings < 1:
        resolved.error("openings", _("The number of openings must be at least 1."))
    else:
        resolved.fields["openings"] = raw.openings


def _resolve_dates(raw: RawVacancy, resolved: ResolvedVacancy, *, now: datetime) -> None:
    if raw.start_date is not None:
        resolved.fields["start_date"] = raw.start_date
    if raw.expires_at is None:
        return
    if raw.expires_at <= now:
        resolved.error("validThrough", _("This vacancy expired already (validThrough is in the past)."))
    else:
        resolved.fields["expires_at"] = raw.expires_at


def _resolve_education(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    if raw.min_eqf_level is not None:
        resolved.fields["min_eqf_level"] = raw.min_eqf_level
    if raw.requires_min_secondary is not None:
        resolved.fields["requires_min_secondary"] = raw.requires_min_secondary


def _resolve_skills(raw: RawVacancy, resolved: ResolvedVacancy) -> None:
    """Skills only when the record names some: an update without skills keeps the vacancy's,
    a new vacancy gets the skills the portal suggests from its text (as nice-to-have skills)."""
    if not raw.skills:
        if resolved.codes is not None:
            resolved.suggested_skills = resolved.codes.skills
        return
    essential, optional, notes = _skills(raw)
    resolved.warnings.extend(notes)
    resolved.essential_skills, resolved.optional_skills = essential, optional


def raw_resolve(raw: RawVacancy, *, now: datetime | None = None) -> ResolvedVacancy:
    """Map a RawVacancy onto the portal's model; collects every reason it cannot be imported."""
    now = now or timezone.now()
    resolved = ResolvedVacancy(
        reference=raw.reference[:200],
        title=raw.title[:200],
        fields={},
        create_defaults={},
        essential_skills=None,
        optional_skills=None,
        errors={name: list(messages) for name, messages in raw.errors.items()},
        warnings=list(raw.warnings),
    )
    if resolved.errors.get("document") or resolved.errors.get("@type"):
        return resolved  # not a JobPosting at all: nothing to map
    _resolve_texts(raw, resolved)
    _resolve_place(raw, resolved)
    _resolve_occupation(raw, resolved)
    _resolve_employment(raw, resolved)
    _resolve_salary(raw, resolved)
    _resolve_openings(raw, resolved)
    _resolve_dates(raw, resolved, now=now)
    _resolve_education(raw, resolved)
    _resolve_skills(raw, resolved)
    return resolved

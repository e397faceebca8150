"""Render a match's explanation in the reader's language.

``Match.explanation`` is a list of structured reasons from the engine
(``matching/engine/explain.py``): ``{"code": ..., <parameters>, "text": <English>}``.
Each known code has a translated sentence here, filled in with the parameters and with the
names of skills, occupations and places in the reader's language (looked up among objects
the page has already loaded, never one query per row). A code this module does not know, or
parameters it cannot read, fall back to the engine's English ``text``: the page never breaks
because the engine learned something new.

Each reason also belongs to a factor (skills, education, commute, ...) and has a tone
(``ok``, ``warning``, ``info``) that the templates use to group and mark them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from taxonomy.models import CefrLevel, Language

from .engine.commute import PT_NO_TRIP

logger = logging.getLogger(__name__)

FACTOR_LABELS = {
    "occupation": gettext_lazy("Occupation"),
    "skills": gettext_lazy("Skills"),
    "education": gettext_lazy("Education"),
    "commute": gettext_lazy("Commute"),
    "languages": gettext_lazy("Languages"),
    "stem": gettext_lazy("STEM background"),
    "hours_shift": gettext_lazy("Hours and shifts"),
}

# Which factor each reason code explains (cross-border and consent are about the pair).
CODE_FACTOR = {
    "occupation": "occupation",
    "skills_met": "skills",
    "education": "education",
    "commute": "commute",
    "languages": "languages",
    "workplace_language": "languages",
    "stem": "stem",
    "hours": "hours_shift",
    "shift_work": "hours_shift",
    "availability": "availability",
    "cross_border": "cross_border",
    "no_consent_matching": "consent",
    "near_miss_gap": "near_miss",
}

GRENSINFOPUNT_URL = "https://www.grensinfopunt.nl/"


class Unreadable(Exception):
    """The parameters of a reason cannot be rendered: use the English text."""


@dataclass
class Lookup:
    """Names of the objects a reason may refer to by id, in the active language."""

    skills: dict[int, str] = field(default_factory=dict)
    occupations: dict[int, str] = field(default_factory=dict)
    places: dict[int, str] = field(default_factory=dict)
    # The vacancy's own occupation, for reasons that name it by an id the page cannot resolve.
    vacancy_occupation: str | None = None

    @classmethod
    def for_match(cls, match) -> Lookup:
        """From what a match page loaded: the vacancy's skills, occupation and place, the
        candidate's desired occupations and home place (prefetched by the selectors)."""
        vacancy, candidate = match.vacancy, match.candidate
        lookup = cls()
        cache = getattr(vacancy, "_prefetched_objects_cache", {})
        for name in ("essential_skills", "optional_skills"):
            if name in cache:
                lookup.skills.update({s.pk: s.label for s in cache[name]})
        if vacancy.occupation_id and "occupation" in vacancy._state.fields_cache:
            lookup.occupations[vacancy.occupation_id] = vacancy.occupation.label
            lookup.vacancy_occupation = vacancy.occupation.label
        if "desired_occupations" in getattr(candidate, "_prefetched_objects_cache", {}):
            lookup.occupations.update({o.pk: o.label for o in candidate.desired_occupations.all()})
        if "place" in vacancy._state.fields_cache:
            lookup.places[vacancy.place_id] = str(vacancy.place.name)
        if candidate.home_place_id and "home_place" in candidate._state.fields_cache:
            lookup.places[candidate.home_place_id] = str(candidate.home_place.name)
        return lookup

    def for_candidate_of_row(self, candidate, occupations) -> Lookup:
        """This lookup (a shortlist's vacancy, ``with_vacancy``) and what one row adds: the
        candidate's desired ``occupations`` and home place; what ``for_match`` gives a match of
        that vacancy, without labelling the vacancy's skills again for every row (issue 15)."""
        lookup = Lookup(
            skills=self.skills,  # shared, read-only: the rows add no skill names
            occupations={**self.occupations, **{o.pk: o.label for o in occupations}},
            places=dict(self.places),
            vacancy_occupation=self.vacancy_occupation,
        )
        if candidate.home_place_id and "home_place" in candidate._state.fields_cache:
            lookup.places[candidate.home_place_id] = str(candidate.home_place.name)
        return lookup

    def with_vacancy(self, vacancy) -> Lookup:
        """Add the names a shortlist's vacancy knows (shared by all its rows)."""
        cache = getattr(vacancy, "_prefetched_objects_cache", {})
        for name in ("essential_skills", "optional_skills"):
            if name in cache:
                self.skills.update({s.pk: s.label for s in cache[name]})
        if vacancy.occupation_id and "occupation" in vacancy._state.fields_cache:
            self.occupations[vacancy.occupation_id] = vacancy.occupation.label
            self.vacancy_occupation = vacancy.occupation.label
        if "place" in vacancy._state.fields_cache:
            self.places[vacancy.place_id] = str(vacancy.place.name)
        return self


def _name(mapping: dict[int, str], ref: Any, label: Any = None) -> str:
    if isinstance(label, str) and label:
        return label
    if isinstance(ref, str) and ref:
        return ref
    if isinstance(ref, int) and not isinstance(ref, bool) and ref in mapping:
        return mapping[ref]
    raise Unreadable(ref)


def _maybe_name(mapping: dict[int, str], ref: Any, label: Any = None) -> str | None:
    try:
        return _name(mapping, ref, label)
    except Unreadable:
        return None


def country_name(code: str) -> str:
    return {"NL": _("the Netherlands"), "BE": _("Belgium")}.get(str(code), _("another country"))


def language_name(code: str) -> str:
    try:
        return str(Language(code).label)
    except ValueError as exc:
        raise Unreadable(code) from exc


def cefr(level: Any) -> str:
    if not level:
        return _("none")
    try:
        return CefrLevel(int(level)).label
    except (TypeError, ValueError) as exc:
        raise Unreadable(level) from exc


MODE_TEXT = {
    "car": gettext_lazy("by car"),
    "bike": gettext_lazy("by bike"),
    "public_transport": gettext_lazy("by public transport"),
}
CROSSING_TEXT = {
    "westerscheldetunnel": gettext_lazy("through the Westerscheldetunnel"),
    "tunnel": gettext_lazy("through the Westerscheldetunnel"),
    "ferry_vlissingen_breskens": gettext_lazy("with the Vlissingen–Breskens ferry"),
    "ferry": gettext_lazy("with the Vlissingen–Breskens ferry"),
    "land_border": gettext_lazy("across the Dutch–Belgian border"),
    "border": gettext_lazy("across the Dutch–Belgian border"),
}
ISCO_GROUP_TEXT = {
    "same_isco_unit_group": gettext_lazy("unit group"),
    "same_isco_minor_group": gettext_lazy("minor group"),
    "same_isco_sub_major_group": gettext_lazy("sub-major group"),
    "same_isco_major_group": gettext_lazy("major group"),
}


# --- one renderer per code ----------------------------------------------------------------------


def _no_consent(item: dict, lookup: Lookup) -> tuple[str, str]:
    return _("Has not consented to being matched."), "warning"


def _cross_border(item: dict, lookup: Lookup) -> tuple[str, str]:
    params = {"home": country_name(item["resident_country"]), "job": country_name(item["job_country"])}
    if not item.get("consent"):
        return _(
            "Cross-border: lives in %(home)s, the job is in %(job)s; no consent to cross-border matching."
        ) % params, "warning"
    return _(
        "Cross-border: lives in %(home)s, the job is in %(job)s. The Grensinfopunt Scheldemond advises "
        "frontier workers on tax and social security."
    ) % params, "info"


def _occupation(item: dict, lookup: Lookup) -> tuple[str, str]:
    level = item["level"]
    if level == "no_desired_occupation":
        return _("Gave no desired occupation."), "warning"
    occupation = _maybe_name(lookup.occupations, item.get("vacancy_occupation"), item.get("vacancy_occupation_label"))
    occupation = occupation or lookup.vacancy_occupation
    if occupation is None:
        raise Unreadable("vacancy_occupation")
    if level == "same_occupation":
        return _("Wants to work as %(occupation)s.") % {"occupation": occupation}, "ok"
    if level == "unrelated":
        return _("No desired occupation related to %(occupation)s.") % {"occupation": occupation}, "warning"
    if level in ISCO_GROUP_TEXT:
        desired = _maybe_name(lookup.occupations, item.get("desired_occupation"), item.get("desired_occupation_label"))
        if desired is None:
            return _("Wants a related occupation: the same ISCO-08 %(group)s (%(isco)s) as %(occupation)s.") % {
                "group": ISCO_GROUP_TEXT[level],
                "isco": item.get("isco") or "",
                "occupation": occupation,
            }, "ok"
        return _("Wants to work as %(desired)s: the same ISCO-08 %(group)s (%(isco)s) as %(occupation)s.") % {
            "desired": desired,
            "group": ISCO_GROUP_TEXT[level],
            "isco": item.get("isco") or "",
            "occupation": occupation,
        }, "ok"
    raise Unreadable(level)


def _skills(item: dict, lookup: Lookup) -> tuple[str, str]:
    parts = []
    required, met = int(item.get("required") or 0), int(item.get("met") or 0)
    if required:
        parts.append(
            ngettext(
                "Has %(met)s of %(required)s essential skill", "Has %(met)s of %(required)s essential skills", required
            )
            % {"met": met, "required": required}
        )
        missing = item.get("missing") or []
        labels = item.get("missing_labels")
        if missing or labels:
            if isinstance(labels, list) and labels:
                names = [str(n) for n in labels]
            else:
                names = [_maybe_name(lookup.skills, ref) for ref in missing]
            if names and all(names):
                parts.append(_("missing: %(skills)s") % {"skills": ", ".join(names)})
            else:
                parts.append(
                    ngettext("%(n)s essential skill missing", "%(n)s essential skills missing", len(missing))
                    % {"n": len(missing)}
                )
    optional_total = int(item.get("optional_total") or 0)
    if optional_total:
        parts.append(
            ngettext(
                "%(met)s of %(total)s nice-to-have skill", "%(met)s of %(total)s nice-to-have skills", optional_total
            )
            % {"met": int(item.get("optional_met") or 0), "total": optional_total}
        )
    if item.get("profile_has_skills") is False:
        parts.append(_("no skills in the profile"))
    if not parts:
        raise Unreadable(item)
    tone = "ok" if required and met == required else ("warning" if required else "info")
    return "; ".join(parts) + ".", tone


def _education(item: dict, lookup: Lookup) -> tuple[str, str]:
    result, eqf, minimum = item["result"], item.get("eqf") or 0, item.get("min_eqf") or 0
    secondary = bool(item.get("requires_min_secondary"))
    params = {"eqf": eqf, "min": minimum}
    if result == "missing_diploma":
        return _("No diploma recorded."), "warning"
    if result == "below_minimum":
        return _("Education at EQF level %(eqf)s, below the required minimum EQF %(min)s.") % params, "warning"
    if result == "no_min_secondary_diploma":
        return _(
            "Education at EQF level %(eqf)s, but no minimum secondary diploma (startkwalificatie or "
            "diploma secundair onderwijs), which the vacancy requires."
        ) % params, "warning"
    suffix = (" " + _("Holds the required minimum secondary diploma.")) if secondary else ""
    if result == "above_minimum":
        return _("Education at EQF level %(eqf)s, above the minimum EQF %(min)s.") % params + suffix, "ok"
    if result == "meets_minimum":
        return _("Education at EQF level %(eqf)s, the minimum the vacancy asks.") % params + suffix, "ok"
    if result == "meets_requirement":
        return _("Education at EQF level %(eqf)s.") % params + suffix, "ok"
    if result == "no_requirement":
        if eqf:
            return _("Education at EQF level %(eqf)s; the vacancy sets no education requirement.") % params, "info"
        return _("No diploma recorded; the vacancy sets no education requirement.") % params, "info"
    raise Unreadable(result)


def _commute(item: dict, lookup: Lookup) -> tuple[str, str]:
    result = item["result"]
    if result == "missing_home_place":
        return _("Home place unknown: the commute cannot be estimated."), "warning"
    if result == "missing_commute_modes":
        return _("No way of commuting given: the commute cannot be estimated."), "warning"
    if result == "missing_max_commute":
        return _("No maximum commuting time given."), "warning"
    origin = _maybe_name(lookup.places, item.get("from_place"), item.get("from_place_label"))
    shift = _no_transit_before_shift(item, origin)
    mode = item.get("mode")
    if mode is None and shift and result in ("no_transit_before_shift", "too_far"):
        # Public transport was the only way of travelling given, and it does not reach the shift.
        return shift + " " + _("Limit %(limit)s min.") % {"limit": item.get("max_minutes") or "?"}, "warning"
    if mode not in MODE_TEXT:
        raise Unreadable(mode)
    crossings = [str(CROSSING_TEXT[c]) for c in item.get("crossings") or [] if c in CROSSING_TEXT]
    params = {
        "minutes": int(item["minutes"]),
        "mode": MODE_TEXT[mode],
        "from": origin,
        "to": _maybe_name(lookup.places, item.get("to_place"), item.get("to_place_label")),
        "limit": item.get("max_minutes") or "?",
    }
    if shift:
        params["from"] = None  # already named in the sentence before
    if mode == "public_transport" and params["minutes"] >= PT_NO_TRIP:
        # The timetable has no journey at all between the two places (no "9999 min").
        route = _("No public transport connection")
    elif params["from"] and params["to"]:
        route = _("%(minutes)s min %(mode)s from %(from)s to %(to)s") % params
    else:
        route = _("%(minutes)s min %(mode)s") % params
    if crossings:
        route += " " + " ".join(crossings)
    if mode == "public_transport" and item.get("line"):
        route += f" ({line_text(item['line'])})"
    if shift:
        route = shift + " " + route[:1].upper() + route[1:]
    if result in ("too_far", "no_transit_before_shift"):
        return route + " " + _("(more than the limit of %(limit)s min).") % params, "warning"
    if result == "within_limit":
        return route + " " + _("(limit %(limit)s min).") % params, "info" if shift else "ok"
    raise Unreadable(result)


_LINE_MODES = {
    "bus": gettext_lazy("bus"),
    "train": gettext_lazy("train"),
    "ferry": gettext_lazy("ferry"),
    "tram/bus": gettext_lazy("tram/bus"),
}
_LEG = re.compile(
    r"^(?P<mode>bus|train|ferry|tram/bus) (?P<name>.+?), (?P<frequency>hourly|every \d+ min|every \d+ hours)$"
)
_CHANGE = re.compile(r"^change at (?P<stop>.+?) to (?P<leg>.+)$")


def _leg_text(leg: str) -> str | None:
    match = _LEG.match(leg)
    if match is None:
        return None
    frequency = match["frequency"]
    if frequency == "hourly":
        frequency = _("hourly")
    elif frequency.endswith("hours"):
        frequency = _("every %(n)s hours") % {"n": frequency.split()[1]}
    else:
        frequency = _("every %(n)s min") % {"n": frequency.split()[1]}
    return f"{_LINE_MODES[match['mode']]} {match['name']}, {frequency}"


def line_text(line: str) -> str:
    """The timetable's English route text ("bus Terneuzen–Gent Dampoort, hourly, no change") in the
    active language; a text of another shape is shown as it is (line names are proper names)."""
    parts = line.split("; ")
    first = parts[0].removesuffix(", no change")
    texts = [_leg_text(first)]
    for part in parts[1:]:
        change = _CHANGE.match(part)
        leg = _leg_text(change["leg"]) if change else None
        texts.append(_("change at %(stop)s to %(leg)s") % {"stop": change["stop"], "leg": leg} if leg else None)
    if any(text is None for text in texts):
        return line
    if len(parts) == 1 and parts[0].endswith(", no change"):
        return texts[0] + ", " + _("no change")
    return "; ".join(texts)


def _no_transit_before_shift(item: dict, origin: str | None) -> str:
    """The sentence "No public transport from Terneuzen arrives before 06:00.", or "" when a bus does."""
    if item.get("transit_before_shift") != "no_trip":
        return ""
    hour = int(item["no_trip_hour"])
    if not 0 <= hour < 24:
        raise Unreadable(hour)
    params = {"from": origin, "time": f"{hour:02d}:00"}
    if origin:
        return _("No public transport from %(from)s arrives before %(time)s.") % params
    return _("No public transport arrives before %(time)s.") % params


def _languages(item: dict, lookup: Lookup) -> tuple[str, str]:
    required, levels = item["required"], item.get("levels") or {}
    parts = [
        _("%(language)s %(level)s (%(required)s required)")
        % {"language": language_name(code), "level": cefr(levels.get(code, 0)), "required": cefr(level)}
        for code, level in required.items()
    ]
    short = item.get("short") or []
    return "; ".join(parts) + ".", "warning" if short else "ok"


def _workplace_language(item: dict, lookup: Lookup) -> tuple[str, str]:
    level = item.get("level") or 0
    return _("%(language)s %(level)s (the language at work; the vacancy sets no requirement).") % {
        "language": language_name(item["language"]),
        "level": cefr(level),
    }, "ok" if level >= 4 else "info"


def _stem(item: dict, lookup: Lookup) -> tuple[str, str]:
    if item["has_background"]:
        return _("Has a STEM background (field of the diploma)."), "ok"
    return _("No STEM background, for a STEM vacancy."), "info"


def _hours(item: dict, lookup: Lookup) -> tuple[str, str]:
    offered = int(item["offered"])
    if item.get("wanted") is None:
        return _("Did not say how many hours a week (the job: %(offered)s hours).") % {"offered": offered}, "info"
    wanted = int(item["wanted"])
    tone = "ok" if abs(wanted - offered) <= 4 else "info"
    return _("Wants %(wanted)s hours a week; the job offers %(offered)s.") % {
        "wanted": wanted,
        "offered": offered,
    }, tone


def _shift_work(item: dict, lookup: Lookup) -> tuple[str, str]:
    if item["accepts"]:
        return _("Accepts shift work."), "ok"
    return _("Does not accept shift work, which the job requires."), "warning"


def _availability(item: dict, lookup: Lookup) -> tuple[str, str]:
    params = {"available": item["available_from"], "start": item["start"]}
    if item["result"] == "too_late":
        return _("Available from %(available)s, after the start on %(start)s.") % params, "warning"
    return _("Available from %(available)s; the job starts on %(start)s.") % params, "ok"


def _near_miss_gap(item: dict, lookup: Lookup) -> tuple[str, str]:
    """The one closable gap of a near miss (matching.models.NearMiss): skills, language or EQF."""
    kind = item["kind"]
    if kind == "skills":
        names = [_maybe_name(lookup.skills, ref) for ref in item["skills"]]
        if not names or not all(names):
            raise Unreadable(kind)
        return _("Near miss: lacks the essential skill(s) %(skills)s.") % {"skills": ", ".join(names)}, "warning"
    if kind == "language":
        language = item["language"]
        return _("Near miss: %(language)s %(level)s, %(required)s required.") % {
            "language": language_name(language["code"]),
            "level": cefr(language["has"]),
            "required": cefr(language["required"]),
        }, "warning"
    if kind == "education":
        education = item["education"]
        return _("Near miss: education at EQF level %(eqf)s, EQF %(min)s required.") % {
            "eqf": education["has"],
            "min": education["required"],
        }, "warning"
    raise Unreadable(kind)


RENDERERS = {
    "no_consent_matching": _no_consent,
    "cross_border": _cross_border,
    "occupation": _occupation,
    "skills_met": _skills,
    "education": _education,
    "commute": _commute,
    "languages": _languages,
    "workplace_language": _workplace_language,
    "stem": _stem,
    "hours": _hours,
    "shift_work": _shift_work,
    "availability": _availability,
    "near_miss_gap": _near_miss_gap,
}


@dataclass
class RenderedReason:
    code: str
    factor: str
    text: str
    tone: str
    translated: bool

    @property
    def factor_label(self) -> str:
        return str(FACTOR_LABELS.get(self.factor, ""))

    @property
    def is_cross_border(self) -> bool:
        return self.code == "cross_border"


def render_reason(item: Any, lookup: Lookup | None = None) -> RenderedReason:
    """One reason in the active language; the English ``text`` when it cannot be read."""
    lookup = lookup or Lookup()
    if not isinstance(item, dict):
        return RenderedReason(code="", factor="", text=str(item), tone="info", translated=False)
    code = str(item.get("code", ""))
    renderer = RENDERERS.get(code)
    if renderer is not None:
        try:
            text, tone = renderer(item, lookup)
            return RenderedReason(
                code=code, factor=CODE_FACTOR.get(code, ""), text=str(text), tone=tone, translated=True
            )
        except (Unreadable, KeyError, TypeError, ValueError, AttributeError) as exc:
            logger.debug("Explanation %s falls back to its text: %r", code, exc)
    return RenderedReason(
        code=code, factor=CODE_FACTOR.get(code, ""), text=str(item.get("text") or code), tone="info", translated=False
    )


def render_explanation(items: Iterable[Any] | None, lookup: Lookup | None = None) -> list[RenderedReason]:
    return [render_reason(item, lookup) for item in (items or [])]


def factor_rows(factors: dict | None) -> list[tuple[str, str, int]]:
    """(factor code, translated label, percentage) for the factor scores of a match."""
    rows = []
    for name, label in FACTOR_LABELS.items():
        value = (factors or {}).get(name)
        if isinstance(value, (int, float)):
            rows.append((name, str(label), round(float(value) * 100)))
    return rows


# The engine's hard-filter codes (matching/engine/rules.py REASONS): why a candidate is no
# longer on a shortlist, or why an approved match is flagged.
FILTER_REASON_LABELS = {
    "no_consent_matching": gettext_lazy("no consent to matching any more"),
    "no_consent_cross_border": gettext_lazy("no consent to cross-border matching"),
    "missing_home_place": gettext_lazy("home place unknown"),
    "missing_commute_modes": gettext_lazy("no way of commuting given"),
    "missing_max_commute": gettext_lazy("no maximum commuting time given"),
    "commute_too_far": gettext_lazy("the commute is longer than the candidate's limit"),
    "no_transit_before_shift": gettext_lazy("no public transport arrives before the shift starts"),
    "missing_diploma": gettext_lazy("no diploma recorded"),
    "education_below_minimum": gettext_lazy("education below the minimum level"),
    "no_min_secondary_diploma": gettext_lazy("no minimum secondary diploma"),
    "missing_languages": gettext_lazy("no languages recorded"),
    "language_below_required": gettext_lazy("a language below the required level"),
    "not_available_in_time": gettext_lazy("not available by the start date"),
    "missing_essential_skills": gettext_lazy("an essential skill missing"),
}


def filter_reason_label(code: Any) -> str:
    if isinstance(code, dict):
        code = code.get("code", "")
    return str(FILTER_REASON_LABELS.get(str(code), code))

"""Explanations: structured reasons (codes + parameters, JSON-safe) and their English text.

The Django side stores the structured reasons (``Match.reasons``) and translates them by code;
each reason also carries its English wording under "text" (a fallback for codes a translation
does not know; ``EngineConfig(reason_text=False)`` leaves it out, which saves about a third of
the time spent on explanations).  Every reason is a dict with a ``code`` and only plain ints, floats, bools,
strings, lists and dicts (indices refer to positions in the engine's inputs: map them to
database ids before storing):

* ``occupation``: level (rules.OCCUPATION_LEVEL_CODES value, or "no_desired_occupation"),
  vacancy_occupation, desired_occupation (index or None), isco (the shared ISCO prefix or None)
* ``skills_met``: met, required (essential skills), missing (essential skill indices),
  optional_met, optional_total, profile_has_skills
* ``education``: result ("above_minimum", "meets_minimum", "meets_requirement", "no_requirement",
  "missing_diploma", "below_minimum", "no_min_secondary_diploma"), eqf, min_eqf,
  requires_min_secondary, has_min_secondary
* ``commute``: result ("within_limit", "too_far", "no_transit_before_shift",
  "missing_home_place", "missing_commute_modes", "missing_max_commute"), minutes, mode ("car",
  "bike", "public_transport"; both None when no mode counts), crossings (list of
  "westerscheldetunnel", "ferry_vlissingen_breskens", "land_border"), max_minutes, from_place,
  to_place (place indices), line (public transport only: the line(s) of the journey, English
  text from the timetable, or None).  When the vacancy's shift starts decide whether public transport
  counts (the vacancy gives start hours, the model has a timetable, the candidate travels by
  public transport): shift_hours (the start hours, sorted) and transit_before_shift ("in_time":
  a journey reaches every start; or "no_trip" with no_trip_hour, the first start no journey
  reaches, so public transport does not count)
* ``cross_border``: resident_country, job_country, consent, advice ("grensinfopunt_scheldemond")
* ``languages``: required {lang: level}, levels {lang: level}, short [langs below the requirement]
* ``workplace_language``: language, level (vacancies without language requirements)
* ``stem``: has_background
* ``hours``: wanted (None if unknown), offered
* ``shift_work``: accepts
* ``availability``: result ("in_time", "too_late"), available_from, start (ISO dates)
* ``no_consent_matching``
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from . import rules
from .commute import CROSSING_CODES, PT, CommuteModel, route_text
from .data import (
    CEFR_LABELS,
    COUNTRY_CODES,
    EPOCH_ORDINAL,
    LANGUAGES,
    MODE_NAMES,
    MODE_PT,
    CandidateProfiles,
    Taxonomy,
    VacancyProfiles,
)
from .pairs import PairBatch

LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "en": "English", "de": "German"}
FRONTIER_WORKER_ADVICE = "grensinfopunt_scheldemond"


@lru_cache(maxsize=4096)
def day_to_iso(day: int) -> str:
    return dt.date.fromordinal(int(day) + EPOCH_ORDINAL).isoformat()


@dataclass(frozen=True, eq=False)
class Labels:
    """Display labels for English texts: occupation, skill and place names."""

    occupations: tuple[str, ...]
    skills: tuple[str, ...]
    places: tuple[str, ...]

    @classmethod
    def from_taxonomy(cls, taxonomy: Taxonomy, place_names: tuple[str, ...]) -> Labels:
        return cls(tuple(taxonomy.occupation_labels), tuple(taxonomy.skill_labels), tuple(place_names))


class ReasonBuilder:
    """Builds the structured reasons of pairs in a PairBatch (Python work: top-K pairs only).

    Fields are pulled out of the arrays once per call (one ``tolist`` per field), so building a
    reason costs dict work only.
    """

    def __init__(
        self,
        candidates: CandidateProfiles,
        vacancies: VacancyProfiles,
        commute: CommuteModel,
        taxonomy: Taxonomy,
        labels: Labels,
        with_text: bool = True,
    ) -> None:
        self.c, self.v, self.commute, self.taxonomy = candidates, vacancies, commute, taxonomy
        self.labels, self.with_text = labels, with_text
        self._shared = {rules.OCC_UNIT: 4, rules.OCC_MINOR: 3, rules.OCC_SUB_MAJOR: 2, rules.OCC_MAJOR: 1}

    def reasons_many(
        self, batch: PairBatch, positions: np.ndarray, ids: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    ) -> list[list[dict]]:
        """The reasons of the pairs at ``positions``.  ``ids``: (occupation, skill, place) ids per
        engine index; given, the reasons carry those ids instead of engine indices (what is
        stored), mapped here per column with numpy instead of per reason afterwards."""
        c, v = self.c, self.v
        if ids is not None and self.with_text:
            raise ValueError("English texts name engine indices: build reasons with database ids without text")
        positions = np.asarray(positions, dtype=np.int64)
        ci, vj = batch.cand_rows[positions], batch.vac_rows[positions]
        col = lambda a, idx: a[idx].tolist()  # noqa: E731
        fails = col(batch.fails, positions)
        cc, vc, consent = col(c.country, ci), col(v.country, vj), col(c.consent_cross_border, ci)
        vocc, level = col(v.occupation, vj), col(batch.occupation_level, positions)
        best_desired = col(batch.best_desired, positions)
        has_desired = (c.desired_occupations.indptr[ci + 1] > c.desired_occupations.indptr[ci]).tolist()
        has_skills = (c.skills.indptr[ci + 1] > c.skills.indptr[ci]).tolist()
        n_ess, n_opt = col(batch.essential_total, positions), col(batch.optional_total, positions)
        met_ess, met_opt = col(batch.essential_met, positions), col(batch.optional_met, positions)
        eqf, flag = col(c.eqf, ci), col(c.has_min_secondary, ci)
        min_eqf, req = col(v.min_eqf, vj), col(v.requires_min_secondary, vj)
        cplace, vplace, max_min = col(c.place, ci), col(v.place, vj), col(c.max_commute_minutes, ci)
        minutes, mode = col(batch.commute_minutes, positions), col(batch.commute_mode, positions)
        shift_transit = self._shift_transit(ci, vj)
        crossing = self.commute.crossing[
            np.maximum(c.place[ci], 0), np.maximum(v.place[vj], 0), np.maximum(batch.commute_mode[positions], 0)
        ].tolist()
        clang, vlang = col(c.languages, ci), col(v.languages, vj)
        is_stem, stem = col(v.is_stem, vj), col(c.stem_background, ci)
        vh, ch, vs, acc = (
            col(v.hours_per_week, vj),
            col(c.hours_wanted, ci),
            col(v.shift_work, vj),
            col(c.accepts_shift_work, ci),
        )
        avail, start = col(c.available_from, ci), col(v.start_day, vj)
        ci_list, vj_list = ci.tolist(), vj.tolist()
        if ids is None:
            vocc_out, best_out, cplace_out, vplace_out, skill_ids = vocc, best_desired, cplace, vplace, None
        else:
            vocc_out = _mapped(ids[0], v.occupation[vj])
            best_out = _mapped(ids[0], batch.best_desired[positions])
            cplace_out, vplace_out = _mapped(ids[2], c.place[ci]), _mapped(ids[2], v.place[vj])
            skill_ids = ids[1]

        out = []
        for p in range(len(ci_list)):
            f = fails[p]
            reasons: list[dict] = []
            if f & rules.F_NO_CONSENT:
                reasons.append({"code": "no_consent_matching"})
            if cc[p] != vc[p]:
                reasons.append(
                    {
                        "code": "cross_border",
                        "resident_country": COUNTRY_CODES[cc[p]],
                        "job_country": COUNTRY_CODES[vc[p]],
                        "consent": consent[p],
                        "advice": FRONTIER_WORKER_ADVICE,
                    }
                )
            if vocc[p] >= 0:
                reasons.append(
                    self._occupation(vocc[p], level[p], best_desired[p], has_desired[p], vocc_out[p], best_out[p])
                )
            if n_ess[p] or n_opt[p]:
                reasons.append(
                    self._skills(
                        ci_list[p], vj_list[p], met_ess[p], n_ess[p], met_opt[p], n_opt[p], has_skills[p], skill_ids
                    )
                )
            reasons.append(_education(f, eqf[p], min_eqf[p], req[p], flag[p]))
            if vplace[p] >= 0:
                reason = _commute(f, cplace_out[p], vplace_out[p], max_min[p], minutes[p], mode[p], crossing[p])
                if mode[p] == PT:  # -1 when unknown or when no mode counts
                    reason["line"] = self.commute.line(cplace[p], vplace[p])
                if shift_transit[p] is not None and reason["result"] not in _MISSING_RESULTS:
                    reason.update(shift_transit[p])
                reasons.append(reason)
            reasons.append(_languages(clang[p], vlang[p], vc[p]))
            if is_stem[p]:
                reasons.append({"code": "stem", "has_background": stem[p]})
            if vh[p] > 0:
                reasons.append({"code": "hours", "wanted": ch[p] or None, "offered": vh[p]})
            if vs[p]:
                reasons.append({"code": "shift_work", "accepts": acc[p]})
            if avail[p] >= 0 and start[p] >= 0:
                reasons.append(
                    {
                        "code": "availability",
                        "result": "too_late" if avail[p] > start[p] else "in_time",
                        "available_from": day_to_iso(avail[p]),
                        "start": day_to_iso(start[p]),
                    }
                )
            if self.with_text:
                for reason in reasons:
                    reason["text"] = _TEXT[reason["code"]](reason, self.labels)
            out.append(reasons)
        return out

    def _shift_transit(self, ci: np.ndarray, vj: np.ndarray) -> list[dict | None]:
        """Per pair: the shift-start facts of the commute reason, or None when they do not apply."""
        arrive_by = self.commute.pt_arrive_by
        out: list[dict | None] = [None] * len(ci)
        if arrive_by is None:
            return out
        hours = self.v.shift_start_hours[vj].astype(np.int64)
        applies = (hours != 0) & (self.c.commute_modes[ci] & MODE_PT != 0) & (self.c.place[ci] >= 0)
        applies &= self.v.place[vj] >= 0
        rows = np.flatnonzero(applies)
        if rows.size == 0:
            return out
        _, no_trip_hour = rules.transit_before_shift(
            arrive_by, self.c.place[ci[rows]], self.v.place[vj[rows]], hours[rows]
        )
        for row, mask, hour in zip(rows.tolist(), hours[rows].tolist(), no_trip_hour.tolist()):
            facts = {"shift_hours": [h for h in range(rules.HOURS_PER_DAY) if mask >> h & 1]}
            if hour >= 0:
                facts.update(transit_before_shift="no_trip", no_trip_hour=hour)
            else:
                facts["transit_before_shift"] = "in_time"
            out[row] = facts
        return out

    def _occupation(self, occ: int, level: int, best: int, has_desired: bool, occ_out: int, best_out: int) -> dict:
        """``occ_out``, ``best_out``: what the reason names (engine indices or database ids)."""
        if not has_desired:
            return {
                "code": "occupation",
                "level": "no_desired_occupation",
                "vacancy_occupation": occ_out,
                "desired_occupation": None,
                "isco": None,
            }
        isco = self.taxonomy.occupation_isco[occ]
        shared = self._shared.get(level)
        return {
            "code": "occupation",
            "level": rules.OCCUPATION_LEVEL_CODES[level],
            "vacancy_occupation": occ_out,
            "desired_occupation": best_out if best >= 0 else None,
            "isco": isco[:shared] if shared else (isco if level == rules.OCC_EXACT else None),
        }

    def near_miss_gaps(self, batch: PairBatch, positions: np.ndarray) -> list[tuple[dict, dict]]:
        """(gap, reason) of each near-miss pair: the gap in engine indices (skills are positions
        in the taxonomy, the language its code) and a ``near_miss_gap`` reason repeating it."""
        c, v = self.c, self.v
        positions = np.asarray(positions, dtype=np.int64)
        skills, ess = c.skills, v.essential_skills
        out = []
        for p in positions.tolist():
            i, j = int(batch.cand_rows[p]), int(batch.vac_rows[p])
            kind = int(batch.gap_kind[p])
            gap: dict = {"kind": rules.GAP_KINDS.get(kind, ""), "skills": [], "language": None, "education": None}
            if kind == rules.GAP_SKILLS:
                have = set(skills.indices[skills.indptr[i] : skills.indptr[i + 1]].tolist())
                gap["skills"] = [s for s in ess.indices[ess.indptr[j] : ess.indptr[j + 1]].tolist() if s not in have]
            elif kind == rules.GAP_LANGUAGE:
                lang = int(batch.gap_language[p])
                gap["language"] = {
                    "code": LANGUAGES[lang],
                    "required": int(v.languages[j, lang]),
                    "has": int(c.languages[i, lang]),
                }
            elif kind == rules.GAP_EDUCATION:
                gap["education"] = {"required": int(v.min_eqf[j]), "has": int(c.eqf[i])}
            reason = {"code": "near_miss_gap", **gap}
            if self.with_text:
                reason["text"] = _t_near_miss(reason, self.labels)
            out.append((gap, reason))
        return out

    def _skills(
        self,
        i: int,
        j: int,
        met: int,
        required: int,
        optional_met: int,
        optional_total: int,
        has_skills: bool,
        skill_ids: np.ndarray | None = None,
    ) -> dict:
        skills, ess = self.c.skills, self.v.essential_skills
        if met < required:
            have = set(skills.indices[skills.indptr[i] : skills.indptr[i + 1]].tolist())
            missing = [s for s in ess.indices[ess.indptr[j] : ess.indptr[j + 1]].tolist() if s not in have]
            if skill_ids is not None and missing:
                missing = skill_ids[missing].tolist()
        else:
            missing = []
        return {
            "code": "skills_met",
            "met": met,
            "required": required,
            "missing": missing,
            "optional_met": optional_met,
            "optional_total": optional_total,
            "profile_has_skills": has_skills,
        }


def _mapped(ids: np.ndarray, indices: np.ndarray) -> list[int]:
    """Database id per engine index; -1 stays -1 (no place, no desired occupation)."""
    return np.where(indices >= 0, ids[np.maximum(indices, 0)], -1).tolist()


def _education(fails: int, eqf: int, min_eqf: int, req: bool, flag: bool) -> dict:
    if fails & rules.F_MISSING_DIPLOMA:
        result = "missing_diploma"
    elif fails & rules.F_BELOW_EQF:
        result = "below_minimum"
    elif fails & rules.F_NO_MIN_SECONDARY:
        result = "no_min_secondary_diploma"
    elif min_eqf > 0:
        result = "above_minimum" if eqf > min_eqf else "meets_minimum"
    elif req:
        result = "meets_requirement"
    else:
        result = "no_requirement"
    return {
        "code": "education",
        "result": result,
        "eqf": eqf,
        "min_eqf": min_eqf,
        "requires_min_secondary": req,
        "has_min_secondary": flag,
    }


_MISSING_COMMUTE = (
    (rules.F_MISSING_PLACE, "missing_home_place"),
    (rules.F_MISSING_MODES, "missing_commute_modes"),
    (rules.F_MISSING_MAX, "missing_max_commute"),
)
_MISSING_RESULTS = {result for _, result in _MISSING_COMMUTE}
_CROSSINGS = [[code for bit, code in CROSSING_CODES.items() if flags & bit] for flags in range(8)]


def _commute(fails: int, cplace: int, vplace: int, max_min: int, minutes: int, mode: int, crossing: int) -> dict:
    reason = {
        "code": "commute",
        "max_minutes": max_min or None,
        "from_place": cplace if cplace >= 0 else None,
        "to_place": vplace,
    }
    for flag, result in _MISSING_COMMUTE:
        if fails & flag:
            reason.update(result=result, minutes=None, mode=None, crossings=[])
            return reason
    if fails & rules.F_NO_TRANSIT_SHIFT:
        result = "no_transit_before_shift"
    elif fails & rules.F_TOO_FAR:
        result = "too_far"
    else:
        result = "within_limit"
    reason.update(
        minutes=minutes if mode >= 0 else None,
        mode=MODE_NAMES[mode] if mode >= 0 else None,
        crossings=list(_CROSSINGS[crossing]) if mode >= 0 else [],
        result=result,
    )
    return reason


def _languages(levels: list[int], required: list[int], vac_country: int) -> dict:
    have = {LANGUAGES[k]: lvl for k, lvl in enumerate(levels) if lvl}
    if any(required):
        req = {LANGUAGES[k]: lvl for k, lvl in enumerate(required) if lvl}
        return {
            "code": "languages",
            "required": req,
            "levels": have,
            "short": [lang for lang, lvl in req.items() if have.get(lang, 0) < lvl],
        }
    local = LANGUAGES[rules.WORKPLACE_LANGUAGE[vac_country]]
    return {"code": "workplace_language", "language": local, "level": have.get(local, 0)}


_GROUP_TEXT = {
    "same_isco_unit_group": "unit group",
    "same_isco_minor_group": "minor group",
    "same_isco_sub_major_group": "sub-major group",
    "same_isco_major_group": "major group",
}


def _t_no_consent(r: dict, labels: Labels) -> str:
    return "has not consented to matching"


def _t_cross_border(r: dict, labels: Labels) -> str:
    text = f"cross-border: {r['resident_country']} resident, {r['job_country']} job"
    if not r["consent"]:
        return text + " (no consent to cross-border matching)"
    return text + " (frontier-worker advice: Grensinfopunt Scheldemond)"


def _t_occupation(r: dict, labels: Labels) -> str:
    level, occ = r["level"], labels.occupations[r["vacancy_occupation"]]
    if level == "no_desired_occupation":
        return "no desired occupation given"
    if level == "same_occupation":
        return f"wants to work as {occ}"
    if level == "unrelated":
        return f"no desired occupation related to {occ}"
    return f"wants {labels.occupations[r['desired_occupation']]} (same ISCO {_GROUP_TEXT[level]} {r['isco']})"


def _t_skills(r: dict, labels: Labels) -> str:
    parts = []
    if r["required"]:
        part = f"{r['met']} of {r['required']} essential skills"
        if r["missing"]:
            part += " (missing: " + ", ".join(labels.skills[s] for s in r["missing"]) + ")"
        parts.append(part)
    if r["optional_total"]:
        parts.append(f"{r['optional_met']} of {r['optional_total']} optional skills")
    if not r["profile_has_skills"]:
        parts.append("no skills in the profile")
    return ", ".join(parts)


def _t_education(r: dict, labels: Labels) -> str:
    eqf, result = r["eqf"], r["result"]
    if result == "missing_diploma":
        return "no diploma recorded"
    sec = ", meets the minimum secondary diploma" if r["requires_min_secondary"] else ""
    if result == "below_minimum":
        return f"EQF {eqf}, below the minimum EQF {r['min_eqf']}"
    if result == "no_min_secondary_diploma":
        return f"EQF {eqf}, no minimum secondary diploma (required)"
    if result == "above_minimum":
        return f"EQF {eqf}, above the minimum EQF {r['min_eqf']}{sec}"
    if result == "meets_minimum":
        return f"EQF {eqf}, meets the minimum EQF {r['min_eqf']}{sec}"
    if result == "meets_requirement":
        return f"EQF {eqf}{sec}"
    return f"EQF {eqf} (no education requirement)" if eqf else "no diploma recorded (no education requirement)"


_T_COMMUTE_MISSING = {
    "missing_home_place": "home place unknown: commute cannot be estimated",
    "missing_commute_modes": "no commute mode given: commute cannot be estimated",
    "missing_max_commute": "no maximum commute time given",
}


def _t_commute(r: dict, labels: Labels) -> str:
    result = r["result"]
    if result in _T_COMMUTE_MISSING:
        return _T_COMMUTE_MISSING[result]
    shift = ""
    if r.get("transit_before_shift") == "no_trip":
        origin = labels.places[r["from_place"]] if r.get("from_place") is not None else "home"
        shift = f"no public transport from {origin} arrives before {r['no_trip_hour']:02d}:00"
    if r["mode"] is None:  # public transport was the only mode, and it does not reach the shift
        return f"{shift} (limit {r['max_minutes']} min)"
    text = _commute_text(r["minutes"], r["mode"], tuple(r["crossings"]), r.get("line"), r["max_minutes"], result)
    return f"{shift}; {text}" if shift else text


@lru_cache(maxsize=65536)
def _commute_text(
    minutes: int, mode: str, crossings: tuple[str, ...], line: str | None, max_minutes: int, result: str
) -> str:
    route = route_text({"minutes": minutes, "mode": mode, "crossings": crossings, "line": line})
    if result in ("too_far", "no_transit_before_shift"):
        return f"{route}, more than the limit of {max_minutes} min"
    return f"{route} (limit {max_minutes} min)"


def _t_languages(r: dict, labels: Labels) -> str:
    levels = r["levels"]
    return ", ".join(
        f"{LANGUAGE_NAMES[lang]} {CEFR_LABELS[levels.get(lang, 0)]} ({CEFR_LABELS[lvl]} required)"
        for lang, lvl in r["required"].items()
    )


def _t_workplace_language(r: dict, labels: Labels) -> str:
    return f"{LANGUAGE_NAMES[r['language']]} {CEFR_LABELS[r['level']]} (workplace language)"


def _t_stem(r: dict, labels: Labels) -> str:
    return "STEM background" if r["has_background"] else "no STEM background (STEM vacancy)"


def _t_hours(r: dict, labels: Labels) -> str:
    if r["wanted"] is None:
        return f"hours wanted not given (job: {r['offered']} h/week)"
    return f"wants {r['wanted']} h/week, job offers {r['offered']} h"


def _t_shift(r: dict, labels: Labels) -> str:
    return "accepts shift work" if r["accepts"] else "does not accept shift work"


def _t_availability(r: dict, labels: Labels) -> str:
    if r["result"] == "too_late":
        return f"available from {r['available_from']}, after the start on {r['start']}"
    return f"available from {r['available_from']} (start {r['start']})"


def _t_near_miss(r: dict, labels: Labels) -> str:
    if r["kind"] == "skills":
        names = ", ".join(labels.skills[s] for s in r["skills"])
        return f"near miss: lacks the essential skill(s) {names}"
    if r["kind"] == "language":
        lang = r["language"]
        return (
            f"near miss: {LANGUAGE_NAMES[lang['code']]} {CEFR_LABELS[lang['has']]}, "
            f"{CEFR_LABELS[lang['required']]} required"
        )
    edu = r["education"]
    return f"near miss: EQF {edu['has']}, EQF {edu['required']} required"


_TEXT = {
    "no_consent_matching": _t_no_consent,
    "cross_border": _t_cross_border,
    "occupation": _t_occupation,
    "skills_met": _t_skills,
    "education": _t_education,
    "commute": _t_commute,
    "languages": _t_languages,
    "workplace_language": _t_workplace_language,
    "stem": _t_stem,
    "hours": _t_hours,
    "shift_work": _t_shift,
    "availability": _t_availability,
    "near_miss_gap": _t_near_miss,
}


def reason_text(reason: dict, labels: Labels) -> str:
    """English text of one structured reason (ignores an existing "text" key)."""
    render = _TEXT.get(reason.get("code", ""))
    return render(reason, labels) if render else str(reason.get("code", ""))


def reasons_text(reasons: list[dict], labels: Labels) -> str:
    return "; ".join(r["text"] if "text" in r else reason_text(r, labels) for r in reasons)

"""The matching rules: hard filters and factor scores, written once as float64 numpy functions.

The bulk engine applies them to small tables of *distinct* candidate classes (e.g. the 18
(EQF, min-secondary flag) combinations) and gathers the results; the pair evaluator applies them
to explicit (candidate, vacancy) pairs.  Both therefore agree bit for bit.  ``naive.py`` restates
the same rules in plain Python, one pair at a time, as an independent check.

Hard filters (a pair failing any of them is excluded; ``REASONS`` are the codes counted):

1. ``no_consent_matching``: the candidate did not consent to matching (never considered).
2. ``no_consent_cross_border``: candidate's country != vacancy's country, and no consent to
   cross-border matching.  Candidates from a third country always need it.
3. Commute (only when the vacancy has a place): ``missing_home_place``,
   ``missing_commute_modes``, ``missing_max_commute`` when the data to estimate the commute is
   missing (the candidate is excluded: we cannot promise a commute we cannot compute);
   ``commute_too_far`` when the fastest of the candidate's modes takes longer than their limit;
   ``no_transit_before_shift`` instead when that is only because public transport was dropped:
   the vacancy gives shift starts, the travel model has a timetable
   (``CommuteModel.pt_arrive_by``), and public transport, within the limit at daytime, has no
   journey arriving by the start of some shift (see "Shift starts" below).
4. Education (only when the vacancy has a minimum EQF or requires a minimum secondary diploma):
   ``missing_diploma`` (no diploma recorded), ``education_below_minimum`` (EQF < minimum),
   ``no_min_secondary_diploma`` (the vacancy requires one and the candidate's per-country flag is
   false: a Dutch VMBO at EQF 2 fails where a Dutch MBO-2 at EQF 2 passes; a Flemish BSO 6th
   year at EQF 3 fails where BSO after the 7th year at EQF 4 passes).
5. Languages: every required language at or above the required CEFR level;
   ``missing_languages`` when the candidate recorded no language at all,
   ``language_below_required`` otherwise.
6. ``not_available_in_time``: available_from > start day, when both are known.
7. ``missing_essential_skills``: the candidate lacks at least one of the vacancy's essential
   skills (missing = n_essential - met_essential, the counts the skills factor already uses).
   Appended last so the bit positions of the older reasons (stored masks) keep their meaning.

A candidate failing several filters is counted under each of them in the per-vacancy counts.

Factors, each in [0, 1] (``NA`` = not applicable: left out of the weighted mean):

* occupation: best over the candidate's desired occupations of 1.0 same ESCO occupation, 0.8 same
  ISCO-08 unit group (4 digits), 0.6 same minor group (3), 0.4 same sub-major group (2), 0.2 same
  major group (1), else 0.  0 when the candidate gave no desired occupation.  NA when the vacancy
  has no occupation.
* skills: (e * met_essential / n_essential + o * met_optional / n_optional) / (e + o) with
  e, o the essential/optional weights, each term present only when the vacancy lists such
  skills.  0 for a candidate without skills.  NA when the vacancy lists no skills.
* education: 0.9 at exactly the minimum EQF, 1.0 from one level above (overqualification is not
  penalised, nor rewarded further).  NA when the vacancy has no minimum EQF.
* commute: a decreasing line of the minutes of the fastest of the candidate's modes alone:
  1.0 up to ``COMMUTE_FULL_WITHIN`` (10) min, falling linearly to 0 at ``COMMUTE_ZERO_AT``
  (90) min and beyond: (90 - minutes) / 80.  The candidate's own limit is a hard filter only,
  so a short trip ranks above a long one whatever limit each person set.  NA when the vacancy
  has no place.
* languages: with requirements, the mean over required languages of 0.6 at the required level
  plus 0.2 per level above (1.0 from two levels above); without requirements, the level of the
  workplace language (Dutch on both sides: the Belgian part of North Sea Port is in
  Dutch-speaking East Flanders) up to B2: A1 0.25, A2 0.5, B1 0.75, B2 and up 1.0.
* stem: 1 if the candidate has a STEM background, else 0.  NA for non-STEM vacancies.
* hours_shift: mean of the parts that apply: hours (1 within 4 h of the vacancy's hours, linearly
  down to 0 at 20 h difference; 0.5 when the candidate gave no hours; applies when the vacancy
  gives its hours) and shift work (1 if accepted else 0; applies to shift-work vacancies).
  NA when neither part applies.

Total = sum(w_f * score_f) / sum(w_f) over the applicable factors (0 when none applies).

Shift starts: a vacancy may give the hours its shifts start (``VacancyProfiles.shift_start_hours``,
bit h = a shift starts during hour h).  When it does and the travel model has a timetable,
public transport counts for a candidate only if for EVERY such hour h a journey arrives by h:00
(``pt_arrive_by[h, home, work] != PT_NO_TRIP``); its minutes are then the longest of those
journeys (the worst shift decides, as the candidate works them all).  Otherwise public transport
is dropped from the candidate's modes for that vacancy.  Without start times, or without a
timetable, public transport counts at its typical daytime minutes.

Pairs that fail a filter still get factor scores and a total (used to refresh approved matches
that are now flagged): the failing part scores 0 (education 0, commute 0, a language below its
requirement contributes 0 to the languages mean).

Near misses: a pair is a near miss when its failures are exactly ONE closable gap and nothing
else (consent failures never qualify): (a) only ``missing_essential_skills``, with 1 or 2
essential skills missing; (b) only ``language_below_required``, with exactly one required
language exactly one CEFR level short; (c) only ``education_below_minimum`` with EQF exactly one
below the minimum (not ``missing_diploma`` nor ``no_min_secondary_diploma``).  Near misses are
ranked by the score *as if the gap were closed* (the missing skills met, the language at its
required level, the EQF at the minimum), ties by candidate id: the failing-part-at-0 score would
rank a candidate missing two skills of ten like one missing them all of two, while the closed
score says how good the match is once the training is done.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .commute import PT as PT_MODE
from .commute import PT_NO_TRIP
from .data import COUNTRY_BE, COUNTRY_NL, FACTORS, LANGUAGES, CandidateProfiles, Weights

# --- filter reasons (bit i of a failure mask = REASONS[i]) ---------------------------------
REASONS = (
    "no_consent_matching",
    "no_consent_cross_border",
    "missing_home_place",
    "missing_commute_modes",
    "missing_max_commute",
    "commute_too_far",
    "no_transit_before_shift",
    "missing_diploma",
    "education_below_minimum",
    "no_min_secondary_diploma",
    "missing_languages",
    "language_below_required",
    "not_available_in_time",
    "missing_essential_skills",  # last: older bit positions (stored masks) are unchanged
)
R = {code: 1 << i for i, code in enumerate(REASONS)}
F_NO_CONSENT = R["no_consent_matching"]
F_NO_CROSS_BORDER = R["no_consent_cross_border"]
F_MISSING_PLACE = R["missing_home_place"]
F_MISSING_MODES = R["missing_commute_modes"]
F_MISSING_MAX = R["missing_max_commute"]
F_TOO_FAR = R["commute_too_far"]
F_NO_TRANSIT_SHIFT = R["no_transit_before_shift"]
F_MISSING_DIPLOMA = R["missing_diploma"]
F_BELOW_EQF = R["education_below_minimum"]
F_NO_MIN_SECONDARY = R["no_min_secondary_diploma"]
F_MISSING_LANGUAGES = R["missing_languages"]
F_LANGUAGE = R["language_below_required"]
F_NOT_AVAILABLE = R["not_available_in_time"]
F_MISSING_ESSENTIAL = R["missing_essential_skills"]

# --- near misses (one closable gap) ----------------------------------------------------------
GAP_NONE, GAP_SKILLS, GAP_LANGUAGE, GAP_EDUCATION = 0, 1, 2, 3
GAP_KINDS = {GAP_SKILLS: "skills", GAP_LANGUAGE: "language", GAP_EDUCATION: "education"}
MAX_CLOSABLE_SKILLS = 2  # what one short course can plausibly teach (issue 12)
# Offset of a near miss in the bulk engine's float32 rows: rows of pairs failing exactly one
# closable filter lie in [-16, -15] (as-if-closed score - 16), two closable failures below -31,
# any other failure below -9000, eligible pairs in [0, 1].  A power of two keeps float32 exact
# to ~2e-6 at that magnitude.
NEAR_MISS_OFFSET = np.float32(-16.0)


def reasons_of(mask: int) -> tuple[str, ...]:
    """Reason codes of a failure bitmask, in REASONS order."""
    return tuple(code for i, code in enumerate(REASONS) if mask >> i & 1)


# --- factor constants ------------------------------------------------------------------------
OCC_EXACT, OCC_UNIT, OCC_MINOR, OCC_SUB_MAJOR, OCC_MAJOR, OCC_NONE = 5, 4, 3, 2, 1, 0
OCCUPATION_LEVEL_SCORE = {
    OCC_EXACT: 1.0,
    OCC_UNIT: 0.8,
    OCC_MINOR: 0.6,
    OCC_SUB_MAJOR: 0.4,
    OCC_MAJOR: 0.2,
    OCC_NONE: 0.0,
}
OCCUPATION_LEVEL_CODES = {
    OCC_EXACT: "same_occupation",
    OCC_UNIT: "same_isco_unit_group",
    OCC_MINOR: "same_isco_minor_group",
    OCC_SUB_MAJOR: "same_isco_sub_major_group",
    OCC_MAJOR: "same_isco_major_group",
    OCC_NONE: "unrelated",
}

EDU_EXACT_SCORE = 0.9
EDU_ABOVE_SCORE = 1.0

LANG_EXACT_SCORE = 0.6
LANG_STEP_SCORE = 0.2
LANG_MAX_EXTRA = 2
LOCAL_LANGUAGE_FULL_LEVEL = 4  # B2
WORKPLACE_LANGUAGE = {COUNTRY_NL: LANGUAGES.index("nl"), COUNTRY_BE: LANGUAGES.index("nl")}

# Commute factor: a straight line of the minutes alone, 1.0 up to 10 min (a trip within one's
# own town or the next: no one is worse off for it), 0 from 90 min (1.5 h one way, what the
# issue and Dutch/Flemish commuting statistics treat as the outer edge of a daily commute).
# Linear rather than a smooth curve: each minute beyond 10 costs the same 1/80, which a
# caseworker can recompute by hand and explain ("26 min: 0.80, 38 min: 0.65").
COMMUTE_FULL_WITHIN = 10
COMMUTE_ZERO_AT = 90

HOURS_PER_DAY = 24  # first axis of CommuteModel.pt_arrive_by

HOURS_FULL_WITHIN = 4
HOURS_ZERO_AT = 20
HOURS_UNKNOWN_SCORE = 0.5

# Exclusion penalty added per failed filter in the bulk engine's float32 rows: far below any
# achievable score (scores lie in [0, 1]).
PENALTY = np.float32(-1.0e4)

# --- candidate profile gaps (missing data), counted once per candidate -------------------------
GAPS = (
    "no_consent_matching",
    "missing_home_place",
    "missing_commute_modes",
    "missing_max_commute",
    "missing_diploma",
    "missing_skills",
    "missing_desired_occupation",
    "missing_languages",
    "missing_available_from",
    "missing_hours",
)


@dataclass(frozen=True, eq=False)
class CandidateGaps:
    """Missing data per candidate: ``flags`` uint16 (N,), bit i = GAPS[i]; ``counts`` per code.

    Which gaps exclude: home place / modes / max minutes (from every vacancy with a place),
    diploma (from vacancies with an education requirement), languages (from vacancies requiring
    one), no consent (from everything).  The others only lower a factor (skills, occupation) or
    are neutral (availability unknown never filters; hours unknown score 0.5).
    """

    flags: np.ndarray
    counts: dict[str, int]

    def codes(self, row: int) -> tuple[str, ...]:
        value = int(self.flags[row])
        return tuple(code for i, code in enumerate(GAPS) if value >> i & 1)


def candidate_gaps(candidates: CandidateProfiles) -> CandidateGaps:
    c = candidates
    conditions = (
        ~c.consent_matching,
        c.place < 0,
        c.commute_modes == 0,
        c.max_commute_minutes <= 0,
        c.eqf == 0,
        np.diff(c.skills.indptr) == 0,
        np.diff(c.desired_occupations.indptr) == 0,
        (c.languages == 0).all(axis=1),
        c.available_from < 0,
        c.hours_wanted <= 0,
    )
    flags = np.zeros(c.n, dtype=np.uint16)
    for i, condition in enumerate(conditions):
        flags |= condition.astype(np.uint16) << i
    counts = {code: int(np.count_nonzero(cond)) for code, cond in zip(GAPS, conditions)}
    return CandidateGaps(flags=flags, counts=counts)


# --- occupation ---------------------------------------------------------------------------------
def occupation_level_matrix(isco_codes: tuple[str, ...] | list[str]) -> np.ndarray:
    """int8 (O, O): OCC_* level between occupation d (row) and o (column)."""
    codes = np.array([int(c) for c in isco_codes], dtype=np.int64)
    level = np.zeros((codes.size, codes.size), dtype=np.int8)
    for digits, lvl in ((1, OCC_MAJOR), (2, OCC_SUB_MAJOR), (3, OCC_MINOR), (4, OCC_UNIT)):
        prefix = codes // 10 ** (4 - digits)
        level[prefix[:, None] == prefix[None, :]] = lvl
    np.fill_diagonal(level, OCC_EXACT)
    return level


def occupation_level_scores() -> np.ndarray:
    """float64 (6,): score of each OCC_* level."""
    return np.array([OCCUPATION_LEVEL_SCORE[i] for i in range(6)])


# --- skills -------------------------------------------------------------------------------------
def skills_eval(
    met_ess: np.ndarray, n_ess: np.ndarray, met_opt: np.ndarray, n_opt: np.ndarray, weights: Weights
) -> tuple[np.ndarray, np.ndarray]:
    """(score, applicable) from skill counts (broadcasting)."""
    e, o = weights.essential_skill_weight, weights.optional_skill_weight
    ess = np.where(n_ess > 0, e * np.asarray(met_ess, np.float64) / np.maximum(n_ess, 1), 0.0)
    opt = np.where(n_opt > 0, o * np.asarray(met_opt, np.float64) / np.maximum(n_opt, 1), 0.0)
    den = np.where(n_ess > 0, e, 0.0) + np.where(n_opt > 0, o, 0.0)
    applicable = den > 0
    return np.where(applicable, (ess + opt) / np.where(applicable, den, 1.0), 0.0), applicable


def skill_column_weights(n_ess: np.ndarray, n_opt: np.ndarray, weights: Weights) -> tuple[np.ndarray, np.ndarray]:
    """Per-vacancy weight of one essential / one optional skill in the skills score (float64)."""
    e, o = weights.essential_skill_weight, weights.optional_skill_weight
    den = np.where(n_ess > 0, e, 0.0) + np.where(n_opt > 0, o, 0.0)
    den = np.where(den > 0, den, 1.0)
    with np.errstate(over="ignore"):  # only in the branch np.where discards (extreme weights)
        w_ess = np.where(n_ess > 0, e / np.maximum(n_ess, 1) / den, 0.0)
        w_opt = np.where(n_opt > 0, o / np.maximum(n_opt, 1) / den, 0.0)
    return w_ess, w_opt


# --- education ----------------------------------------------------------------------------------
def education_eval(
    eqf: np.ndarray, has_min_secondary: np.ndarray, min_eqf: np.ndarray, requires_min_secondary: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, applicable, failure bits) (broadcasting)."""
    eqf = np.asarray(eqf, np.int16)
    min_eqf = np.asarray(min_eqf, np.int16)
    req = np.asarray(requires_min_secondary, bool)
    filtered = (min_eqf > 0) | req
    missing = filtered & (eqf == 0)
    below = (eqf > 0) & (eqf < min_eqf)
    no_secondary = (eqf > 0) & req & ~np.asarray(has_min_secondary, bool)
    fails = (
        np.where(missing, F_MISSING_DIPLOMA, 0)
        | np.where(below, F_BELOW_EQF, 0)
        | np.where(no_secondary, F_NO_MIN_SECONDARY, 0)
    )
    applicable = min_eqf > 0
    score = np.where(applicable & (fails == 0), np.where(eqf > min_eqf, EDU_ABOVE_SCORE, EDU_EXACT_SCORE), 0.0)
    return score, np.broadcast_to(applicable, score.shape), fails


# --- commute ------------------------------------------------------------------------------------
def commute_factor(minutes: np.ndarray) -> np.ndarray:
    """1.0 up to COMMUTE_FULL_WITHIN minutes, linearly down to 0 at COMMUTE_ZERO_AT (float64)."""
    span = COMMUTE_ZERO_AT - COMMUTE_FULL_WITHIN
    return np.minimum(1.0, np.maximum(0.0, (COMMUTE_ZERO_AT - np.asarray(minutes, np.float64)) / span))


def transit_before_shift(
    pt_arrive_by: np.ndarray, origin: np.ndarray, destination: np.ndarray, shift_hours: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(public-transport minutes, first shift hour with no journey or -1), broadcasting.

    Minutes are the longest of the journeys arriving by each shift start hour, inf when some
    start has no journey, 0 where no shift hour is given (the caller keeps the daytime minutes).
    """
    origin, destination, shift_hours = np.broadcast_arrays(
        np.asarray(origin, np.int64), np.asarray(destination, np.int64), np.asarray(shift_hours, np.int64)
    )
    worst = np.zeros(shift_hours.shape, np.int64)
    first_missing = np.full(shift_hours.shape, -1, np.int64)
    present = int(np.bitwise_or.reduce(shift_hours, axis=None)) if shift_hours.size else 0
    for hour in range(HOURS_PER_DAY):  # only the hours some vacancy starts at: usually two or three
        if not present >> hour & 1:
            continue
        starts = (shift_hours >> hour) & 1 == 1
        arrive = pt_arrive_by[hour, origin, destination]
        first_missing = np.where(starts & (arrive >= PT_NO_TRIP) & (first_missing < 0), hour, first_missing)
        worst = np.where(starts, np.maximum(worst, arrive), worst)
    minutes = np.where(first_missing >= 0, np.inf, worst.astype(np.float64))
    return minutes, first_missing


def commute_eval(
    minutes: np.ndarray,
    cand_place: np.ndarray,
    modes: np.ndarray,
    max_minutes: np.ndarray,
    vac_place: np.ndarray,
    shift_hours: np.ndarray | int = 0,
    pt_arrive_by: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(score, applicable, failure bits, best minutes (-1 = none), best mode (-1 = none)).

    ``minutes`` is CommuteModel.minutes (P, P, 3) and ``pt_arrive_by`` its timetable (24, P, P)
    or None; ``shift_hours`` the vacancy's shift start bitmask; the other arguments broadcast
    together.
    """
    cand_place, modes, max_minutes, vac_place, shift_hours = np.broadcast_arrays(
        np.asarray(cand_place, np.int64),
        np.asarray(modes, np.int64),
        np.asarray(max_minutes, np.int64),
        np.asarray(vac_place, np.int64),
        np.asarray(shift_hours, np.int64),
    )
    applicable = vac_place >= 0
    no_place = applicable & (cand_place < 0)
    no_modes = applicable & (modes == 0)
    no_max = applicable & (max_minutes <= 0)
    known = applicable & ~no_place & ~no_modes & ~no_max
    origin = np.where(cand_place >= 0, cand_place, 0)
    destination = np.where(vac_place >= 0, vac_place, 0)
    times = minutes[origin, destination]
    bits = (modes[..., None] >> np.arange(3)) & 1
    times = np.where(bits == 1, times.astype(np.float64), np.inf)
    daytime_best = times.min(axis=-1)
    shifted = known & (shift_hours != 0) & (bits[..., PT_MODE] == 1)
    dropped = np.zeros(shifted.shape, bool)
    if pt_arrive_by is not None and shifted.any():
        pt, _ = transit_before_shift(pt_arrive_by, origin[shifted], destination[shifted], shift_hours[shifted])
        times[shifted, PT_MODE] = pt
        dropped[shifted] = np.isinf(pt)
    best_mode = np.argmin(times, axis=-1)  # first of equal times: car, then bike, then PT
    best = np.take_along_axis(times, best_mode[..., None], axis=-1)[..., 0]
    over = known & (best > max_minutes)
    # Too far only because no journey reaches a shift start (a journey that arrives but takes
    # longer than the limit is simply too far).
    shift_blocked = over & dropped & (daytime_best <= max_minutes)
    too_far = over & ~shift_blocked
    ok = known & ~over
    score = np.where(ok, commute_factor(np.where(ok, best, 0.0)), 0.0)
    fails = (
        np.where(no_place, F_MISSING_PLACE, 0)
        | np.where(no_modes, F_MISSING_MODES, 0)
        | np.where(no_max, F_MISSING_MAX, 0)
        | np.where(too_far, F_TOO_FAR, 0)
        | np.where(shift_blocked, F_NO_TRANSIT_SHIFT, 0)
    )
    reachable = known & np.isfinite(best)  # inf: public transport was the only mode and was dropped
    best_minutes = np.where(reachable, best, -1).astype(np.int64)
    return score, applicable, fails, best_minutes, np.where(reachable, best_mode, -1)


def cross_border_fails(
    cand_country: np.ndarray, consent_cross_border: np.ndarray, vac_country: np.ndarray
) -> np.ndarray:
    """Failure bits of the cross-border consent filter."""
    fail = (np.asarray(cand_country) != np.asarray(vac_country)) & ~np.asarray(consent_cross_border, bool)
    return np.where(fail, F_NO_CROSS_BORDER, 0)


# --- languages ----------------------------------------------------------------------------------
def language_eval(
    cand_levels: np.ndarray, required: np.ndarray, vac_country: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(score, applicable, failure bits); levels arrays have a trailing axis of 4 languages."""
    cand = np.asarray(cand_levels, np.int16)
    req = np.asarray(required, np.int16)
    cand, req = np.broadcast_arrays(cand, req)
    is_required = req > 0
    short = is_required & (cand < req)
    fails_any = short.any(axis=-1)
    nothing = (cand == 0).all(axis=-1)
    fails = np.where(fails_any & nothing, F_MISSING_LANGUAGES, 0) | np.where(fails_any & ~nothing, F_LANGUAGE, 0)
    extra = np.minimum(cand - req, LANG_MAX_EXTRA)
    parts = np.where(is_required & ~short, LANG_EXACT_SCORE + LANG_STEP_SCORE * extra, 0.0)
    total = parts[..., 0] + parts[..., 1] + parts[..., 2] + parts[..., 3]
    count = is_required.sum(axis=-1)
    local_index = np.where(
        np.asarray(vac_country) == COUNTRY_BE, WORKPLACE_LANGUAGE[COUNTRY_BE], WORKPLACE_LANGUAGE[COUNTRY_NL]
    )
    local_index = np.broadcast_to(local_index, count.shape)
    local_level = np.take_along_axis(cand, local_index[..., None].astype(np.int64), axis=-1)[..., 0]
    local = np.minimum(local_level, LOCAL_LANGUAGE_FULL_LEVEL) / LOCAL_LANGUAGE_FULL_LEVEL
    score = np.where(count > 0, total / np.maximum(count, 1), local)
    return score, np.ones(score.shape, bool), fails


# --- STEM, hours and shifts ------------------------------------------------------------------------
def stem_eval(stem_background: np.ndarray, is_stem: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    stem_background, is_stem = np.broadcast_arrays(np.asarray(stem_background, bool), np.asarray(is_stem, bool))
    return np.where(stem_background, 1.0, 0.0), is_stem


def hours_shift_eval(
    hours_wanted: np.ndarray, accepts_shift: np.ndarray, vac_hours: np.ndarray, vac_shift: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    hours, accepts, vh, vs = np.broadcast_arrays(
        np.asarray(hours_wanted, np.int64),
        np.asarray(accepts_shift, bool),
        np.asarray(vac_hours, np.int64),
        np.asarray(vac_shift, bool),
    )
    hours_applies = vh > 0
    diff = np.abs(hours - vh)
    fit = np.minimum(1.0, np.maximum(0.0, (HOURS_ZERO_AT - diff) / (HOURS_ZERO_AT - HOURS_FULL_WITHIN)))
    fit = np.where(hours > 0, fit, HOURS_UNKNOWN_SCORE)
    total = np.where(hours_applies, fit, 0.0) + np.where(vs, np.where(accepts, 1.0, 0.0), 0.0)
    count = hours_applies.astype(np.int64) + vs.astype(np.int64)
    return np.where(count > 0, total / np.maximum(count, 1), 0.0), count > 0


def essential_fails(met_ess: np.ndarray, n_ess: np.ndarray) -> np.ndarray:
    """Failure bits of the essential-skills filter (broadcasting)."""
    return np.where(np.asarray(met_ess) < np.asarray(n_ess), F_MISSING_ESSENTIAL, 0)


def closable_language(cand_levels: np.ndarray, required: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(closable, language index or -1): exactly one required language exactly one level short.

    Levels arrays have a trailing axis of 4 languages.  Whether the pair fails only on languages
    (``language_below_required``, not ``missing_languages``) is for the caller to check.
    """
    cand, req = np.broadcast_arrays(np.asarray(cand_levels, np.int16), np.asarray(required, np.int16))
    short = (req > 0) & (cand < req)
    one_short = short.sum(axis=-1) == 1
    by_one = (short & (req - cand == 1)).any(axis=-1)
    closable = one_short & by_one
    return closable, np.where(closable, np.argmax(short, axis=-1), -1)


def close_language(cand_levels: np.ndarray, required: np.ndarray, closable: np.ndarray) -> np.ndarray:
    """Candidate levels with the short language raised to its requirement where ``closable``."""
    cand, req = np.broadcast_arrays(np.asarray(cand_levels, np.int16), np.asarray(required, np.int16))
    return np.where(np.asarray(closable)[..., None], np.maximum(cand, req), cand)


def availability_fails(available_from: np.ndarray, start_day: np.ndarray) -> np.ndarray:
    available_from, start_day = np.asarray(available_from), np.asarray(start_day)
    fail = (available_from >= 0) & (start_day >= 0) & (available_from > start_day)
    return np.where(fail, F_NOT_AVAILABLE, 0)


# --- combining ---------------------------------------------------------------------------------------
def combine(
    weights: Weights, scores: dict[str, np.ndarray], applicable: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """(total, denominator): weighted mean over applicable factors, in FACTORS order."""
    num: np.ndarray | float = 0.0
    den: np.ndarray | float = 0.0
    for name, w in zip(FACTORS, weights.factor_weights()):
        num = num + np.where(applicable[name], w * scores[name], 0.0)
        den = den + np.where(applicable[name], w, 0.0)
    num, den = np.asarray(num), np.asarray(den)
    return np.where(den > 0, num / np.where(den > 0, den, 1.0), 0.0), den

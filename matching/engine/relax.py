"""What each hard requirement of one vacancy costs: the candidates one relaxation step would add.

``requirement_costs(engine, vacancy_id)`` answers, for one vacancy, how many candidates pass
every hard filter now (``eligible``, equal to ``engine.match_vacancy(id).eligible``) and, for
each requirement, how many MORE would pass if only that requirement were relaxed by one step:

* ``essential_skill``: that essential skill dropped from the vacancy (both lists: it is no
  longer asked for at all).
* ``language``: the required CEFR level one lower (A1 -> not required).
* ``education``: the minimum EQF one lower (1 -> no minimum).  The minimum-secondary-diploma
  rule is a separate requirement and stays as it is; it gets its own row
  (``min_secondary``: the rule dropped) when the vacancy has it.
* ``start``: the first working day ``START_DELAY_DAYS`` (30) later.  Assumption: "one month"
  taken as 30 days; availability dates are whole days.
* ``commute``: the workplace moved to a nearby place (``nearby_places``; default: the
  ``NEARBY_COUNT`` (3) nearest other places of the engine within ``NEARBY_KM`` (25 km) as the
  crow flies, in the vacancy's own country, since a site across the border is a different
  employer's contract).  Moving is not monotone: candidates near the old site may fall out, so
  ``extra`` is the net change (may be negative).

One pass: every filter of the vacancy is evaluated once over all candidates (the same
``rules.py`` functions the engine uses), giving one failure mask per candidate.  A relaxation
can only change the result of candidates whose every failure lies in the relaxed filter's group
(and, for a move, those passing now), so each option re-evaluates that one filter on those few
rows only.  No shortlist is ranked and no score is computed.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from . import rules
from .data import LANGUAGES, MAX_COMMUTE_MINUTES
from .geo import haversine_km

START_DELAY_DAYS = 30  # "one month later" (assumption, see the module docstring)
NEARBY_KM = 25.0
NEARBY_COUNT = 3

# Any commute failure is recorded as F_TOO_FAR here (which one does not change a count).
COMMUTE_BITS = (
    rules.F_MISSING_PLACE | rules.F_MISSING_MODES | rules.F_MISSING_MAX | rules.F_TOO_FAR | rules.F_NO_TRANSIT_SHIFT
)
EDUCATION_BITS = rules.F_MISSING_DIPLOMA | rules.F_BELOW_EQF | rules.F_NO_MIN_SECONDARY
LANGUAGE_BITS = rules.F_MISSING_LANGUAGES | rules.F_LANGUAGE


@dataclass(frozen=True)
class RequirementCost:
    """One requirement and the candidates its one-step relaxation adds.

    kind: "essential_skill" | "language" | "education" | "min_secondary" | "start" | "commute".
    what: the skill index (essential_skill), language code (language), place index (commute:
        the current place), else None.
    current, relaxed: the requirement's value now and after the step (CEFR level, EQF level,
        day number, place index; for essential_skill/min_secondary 1 -> 0).
    extra: candidates passing every filter after the step minus those passing now.
    """

    kind: str
    what: int | str | None
    current: int
    relaxed: int
    extra: int


@dataclass(frozen=True)
class RequirementCosts:
    vacancy_id: int
    candidates_total: int
    eligible: int
    rows: tuple[RequirementCost, ...]

    def to_dict(self) -> dict:
        return {
            "vacancy_id": self.vacancy_id,
            "candidates_total": self.candidates_total,
            "eligible": self.eligible,
            "rows": [asdict(row) for row in self.rows],
        }


def nearest_places(engine, place: int, *, count: int = NEARBY_COUNT, within_km: float = NEARBY_KM) -> list[int]:
    """The ``count`` nearest other places of the same country within ``within_km`` (indices)."""
    p = engine.places
    if place < 0:
        return []
    km = haversine_km(p.latitude[place], p.longitude[place], p.latitude, p.longitude)
    ok = (km <= within_km) & (p.country == p.country[place])
    ok[place] = False
    rows = np.flatnonzero(ok)
    return rows[np.argsort(km[rows], kind="stable")][:count].tolist()


@dataclass(frozen=True, eq=False)
class _HomeModes:
    """The distinct (home place, modes) of the engine's commute classes, and each class's one."""

    place: np.ndarray
    modes: np.ndarray
    inverse: np.ndarray


_home_modes_of: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _home_modes(bulk) -> _HomeModes:
    found = _home_modes_of.get(bulk)
    if found is None:
        key = (bulk.combo["place"].astype(np.int64) + 1) * 8 + bulk.combo["modes"]
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
        found = _HomeModes(bulk.combo["place"][first], bulk.combo["modes"][first], inverse.astype(np.intp).ravel())
        _home_modes_of[bulk] = found
    return found


def requirement_costs(engine, vacancy_id: int, *, nearby_places: Sequence[int] | None = None) -> RequirementCosts:
    """The requirement panel of one vacancy (see the module docstring).

    Works on the engine's bulk arrays (consenting candidates, their filter classes and the sparse
    skill matrix; built once per engine and shared with the shortlists): each filter is
    evaluated once per candidate *class* and gathered, as the engine does.
    """
    bulk = engine.bulk
    c, v = engine.candidates, engine.vacancies
    j = int(engine._vac_index.rows([vacancy_id])[0])
    place, shift_hours = int(v.place[j]), int(v.shift_start_hours[j])
    country = int(v.country[j])
    required = v.languages[j].astype(np.int16)
    min_eqf, req_secondary = int(v.min_eqf[j]), bool(v.requires_min_secondary[j])
    start_day = int(v.start_day[j])
    ess = v.essential_skills
    ess_cols = np.sort(ess.indices[ess.indptr[j] : ess.indptr[j + 1]])

    combo, lang = bulk.combo, bulk.lang_class
    edu_classes = np.arange(bulk.edu_counts.size)

    home_modes = _home_modes(bulk)

    def commute_table(at: int) -> np.ndarray:
        """uint8 per commute class: 1 = fails the commute filter at place ``at``."""
        if at < 0:
            return np.zeros(bulk.combo_counts.size, np.uint8)
        # Kept in the engine's row cache: vacancies share sites, and a site's nearby sites too.
        shift_key = shift_hours if bulk.pt_arrive_by is not None else 0

        def compute():
            # The fastest counting mode depends on (home, modes) only; the class's own limit is
            # then one comparison (rules.commute_eval: over = best > max_minutes).
            _, _, bits, best, _ = rules.commute_eval(
                engine.commute.minutes,
                home_modes.place,
                home_modes.modes,
                MAX_COMMUTE_MINUTES,
                at,
                shift_key,
                bulk.pt_arrive_by,
            )
            best = best[home_modes.inverse]
            missing = (bits & (rules.F_MISSING_PLACE | rules.F_MISSING_MODES))[home_modes.inverse] != 0
            limit = combo["max"]
            return (missing | (limit <= 0) | (best < 0) | (best > limit)).astype(np.uint8), {}

        return bulk.cache.get(("relax_commute", at, shift_key), compute)[0]

    def education_table(eqf_min: int, secondary: bool) -> np.ndarray:
        return rules.education_eval(edu_classes // 2, edu_classes % 2 == 1, eqf_min, secondary)[2]

    def language_table(levels: np.ndarray) -> np.ndarray:
        return rules.language_eval(lang["levels"], levels[None, :], country)[2] | rules.cross_border_fails(
            lang["country"], lang["consent_cb"], country
        )

    # One failure mask per (consenting) candidate, in the engine's bulk order.
    fails = (
        np.where(np.take(commute_table(place), bulk.combo_inv) != 0, rules.F_TOO_FAR, 0)
        | np.take(education_table(min_eqf, req_secondary), bulk.edu_key)
        | np.take(language_table(required), bulk.lang_inv)
        | rules.availability_fails(bulk.available_from, start_day)
    ).astype(np.int64)
    met = np.zeros(bulk.n, np.int64)
    if ess_cols.size:
        counts = (bulk.ve[j] @ bulk.xt).tocsr()
        met[counts.indices] = counts.data.astype(np.int64)
        fails |= rules.essential_fails(met, ess_cols.size)
    eligible = int(np.count_nonzero(fails == 0))

    def only(bits: int) -> np.ndarray:
        """Positions failing something, and nothing outside ``bits``."""
        return np.flatnonzero((fails != 0) & (fails & ~bits == 0))

    rows: list[RequirementCost] = []
    if ess_cols.size:
        lacking_one = np.flatnonzero((fails == rules.F_MISSING_ESSENTIAL) & (met == ess_cols.size - 1))
        counts = np.zeros(ess_cols.size, np.int64)
        if lacking_one.size:
            has = c.skills[bulk.cand_rows[lacking_one]][:, ess_cols].toarray() > 0
            np.add.at(counts, np.argmin(has, axis=1), 1)
        for k, col in enumerate(ess_cols.tolist()):
            rows.append(RequirementCost("essential_skill", int(col), 1, 0, int(counts[k])))
    lang_rows = only(LANGUAGE_BITS)
    for index in np.flatnonzero(required > 0).tolist():
        relaxed = required.copy()
        relaxed[index] -= 1
        passing = language_table(relaxed) == 0
        extra = int(np.count_nonzero(passing[bulk.lang_inv[lang_rows]]))
        rows.append(RequirementCost("language", LANGUAGES[index], int(required[index]), int(relaxed[index]), extra))
    edu_rows = bulk.edu_key[only(EDUCATION_BITS)]
    if min_eqf > 0:
        extra = int(np.count_nonzero((education_table(min_eqf - 1, req_secondary) == 0)[edu_rows]))
        rows.append(RequirementCost("education", None, min_eqf, min_eqf - 1, extra))
    if req_secondary:
        extra = int(np.count_nonzero((education_table(min_eqf, False) == 0)[edu_rows]))
        rows.append(RequirementCost("min_secondary", None, 1, 0, extra))
    if start_day >= 0:
        later = start_day + START_DELAY_DAYS
        late = only(rules.F_NOT_AVAILABLE)
        extra = int(np.count_nonzero(rules.availability_fails(bulk.available_from[late], later) == 0))
        rows.append(RequirementCost("start", None, start_day, later, extra))
    if place >= 0:
        # Whose result depends on the site: those passing now and those failing the commute only.
        movable = bulk.combo_inv[np.flatnonzero(fails & ~COMMUTE_BITS == 0)]
        targets = nearest_places(engine, place) if nearby_places is None else list(nearby_places)
        for target in targets:
            passing = int(np.count_nonzero(commute_table(int(target))[movable] == 0))
            rows.append(RequirementCost("commute", place, place, int(target), passing - eligible))
    return RequirementCosts(int(vacancy_id), int(c.n), eligible, tuple(rows))

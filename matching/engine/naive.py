"""The matching rules restated in plain Python, one pair at a time.

An independent implementation of rules.py (it shares only the constants and the commute table),
used by property tests and the benchmark to check that the vectorised engine ranks exactly as
this does.  Slow on purpose: readable, no numpy in the scoring itself.

    ctx = naive_context(taxonomy, commute_model, weights)
    cands = naive_candidates(candidate_profiles); vacs = naive_vacancies(vacancy_profiles)
    score_pair_naive(cands[i], vacs[j], ctx)  -> NaivePairScore(total, factors, failed)
    rank_vacancy_naive(cands, vacs[j], ctx)    -> [(candidate_id, total), ...] best first
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import rules
from .commute import CommuteModel
from .data import COUNTRY_BE, FACTORS, LANGUAGES, CandidateProfiles, Taxonomy, VacancyProfiles, Weights


@dataclass(frozen=True)
class NaiveCandidate:
    id: int
    country: int
    place: int
    modes: int
    max_minutes: int
    eqf: int
    has_min_secondary: bool
    stem: bool
    languages: tuple[int, int, int, int]
    skills: frozenset[int]
    desired: tuple[int, ...]
    available_from: int
    hours: int
    accepts_shift: bool
    consent_matching: bool
    consent_cross_border: bool


@dataclass(frozen=True)
class NaiveVacancy:
    id: int
    country: int
    place: int
    occupation: int
    is_stem: bool
    min_eqf: int
    requires_min_secondary: bool
    languages: tuple[int, int, int, int]
    essential: frozenset[int]
    optional: frozenset[int]
    start: int
    hours: int
    shift: bool
    shift_hours: int = 0  # bit h: a shift starts during hour h


@dataclass(frozen=True)
class NaiveContext:
    factor_weights: tuple[float, ...]
    essential_weight: float
    optional_weight: float
    isco: tuple[str, ...]
    minutes: list  # minutes[origin][destination][mode], plain ints
    pt_arrive_by: object = None  # the commute model's (24, P, P) timetable array, or None


@dataclass(frozen=True)
class NaivePairScore:
    total: float
    factors: dict[str, float | None]  # None = not applicable
    failed: tuple[str, ...]


def naive_context(taxonomy: Taxonomy, commute: CommuteModel, weights: Weights) -> NaiveContext:
    return NaiveContext(
        weights.factor_weights(),
        weights.essential_skill_weight,
        weights.optional_skill_weight,
        tuple(taxonomy.occupation_isco),
        commute.minutes.tolist(),
        commute.pt_arrive_by,
    )


def _row_set(csr, i: int) -> frozenset[int]:
    return frozenset(csr.indices[csr.indptr[i] : csr.indptr[i + 1]].tolist())


def naive_candidates(c: CandidateProfiles) -> list[NaiveCandidate]:
    return [
        NaiveCandidate(
            id=int(c.ids[i]),
            country=int(c.country[i]),
            place=int(c.place[i]),
            modes=int(c.commute_modes[i]),
            max_minutes=int(c.max_commute_minutes[i]),
            eqf=int(c.eqf[i]),
            has_min_secondary=bool(c.has_min_secondary[i]),
            stem=bool(c.stem_background[i]),
            languages=tuple(int(x) for x in c.languages[i]),
            skills=_row_set(c.skills, i),
            desired=tuple(sorted(_row_set(c.desired_occupations, i))),
            available_from=int(c.available_from[i]),
            hours=int(c.hours_wanted[i]),
            accepts_shift=bool(c.accepts_shift_work[i]),
            consent_matching=bool(c.consent_matching[i]),
            consent_cross_border=bool(c.consent_cross_border[i]),
        )
        for i in range(c.n)
    ]


def naive_vacancies(v: VacancyProfiles) -> list[NaiveVacancy]:
    return [
        NaiveVacancy(
            id=int(v.ids[j]),
            country=int(v.country[j]),
            place=int(v.place[j]),
            occupation=int(v.occupation[j]),
            is_stem=bool(v.is_stem[j]),
            min_eqf=int(v.min_eqf[j]),
            requires_min_secondary=bool(v.requires_min_secondary[j]),
            languages=tuple(int(x) for x in v.languages[j]),
            essential=_row_set(v.essential_skills, j),
            optional=_row_set(v.optional_skills, j) - _row_set(v.essential_skills, j),
            start=int(v.start_day[j]),
            hours=int(v.hours_per_week[j]),
            shift=bool(v.shift_work[j]),
            shift_hours=int(v.shift_start_hours[j]),
        )
        for j in range(v.n)
    ]


def _occupation_score(desired: tuple[int, ...], occ: int, isco: tuple[str, ...]) -> float:
    best = 0.0
    for d in desired:
        if d == occ:
            score = 1.0
        else:
            shared = 0
            while shared < 4 and isco[d][shared] == isco[occ][shared]:
                shared += 1
            score = {4: 0.8, 3: 0.6, 2: 0.4, 1: 0.2, 0: 0.0}[shared]
        best = max(best, score)
    return best


def score_pair_naive(cand: NaiveCandidate, vac: NaiveVacancy, ctx: NaiveContext) -> NaivePairScore:
    """All hard filters and factors for one pair (the total is computed even when filters fail)."""
    failed: list[str] = []
    factors: dict[str, float | None] = {}

    if not cand.consent_matching:
        failed.append("no_consent_matching")
    if cand.country != vac.country and not cand.consent_cross_border:
        failed.append("no_consent_cross_border")

    # occupation
    factors["occupation"] = _occupation_score(cand.desired, vac.occupation, ctx.isco) if vac.occupation >= 0 else None

    # skills
    n_ess, n_opt = len(vac.essential), len(vac.optional)
    e, o = ctx.essential_weight, ctx.optional_weight
    den = (e if n_ess > 0 else 0.0) + (o if n_opt > 0 else 0.0)
    if den > 0:
        ess = e * len(cand.skills & vac.essential) / n_ess if n_ess > 0 else 0.0
        opt = o * len(cand.skills & vac.optional) / n_opt if n_opt > 0 else 0.0
        factors["skills"] = (ess + opt) / den
    else:
        factors["skills"] = None

    if len(vac.essential - cand.skills) > 0:
        failed.append("missing_essential_skills")

    # education
    edu_failed = []
    if (vac.min_eqf > 0 or vac.requires_min_secondary) and cand.eqf == 0:
        edu_failed.append("missing_diploma")
    if cand.eqf > 0 and cand.eqf < vac.min_eqf:
        edu_failed.append("education_below_minimum")
    if cand.eqf > 0 and vac.requires_min_secondary and not cand.has_min_secondary:
        edu_failed.append("no_min_secondary_diploma")
    failed += edu_failed
    if vac.min_eqf > 0:
        factors["education"] = 0.0 if edu_failed else (1.0 if cand.eqf > vac.min_eqf else 0.9)
    else:
        factors["education"] = None

    # commute
    if vac.place >= 0:
        missing = []
        if cand.place < 0:
            missing.append("missing_home_place")
        if cand.modes == 0:
            missing.append("missing_commute_modes")
        if cand.max_minutes <= 0:
            missing.append("missing_max_commute")
        failed += missing
        factors["commute"] = 0.0
        if not missing:
            daytime = {m: ctx.minutes[cand.place][vac.place][m] for m in range(3) if cand.modes >> m & 1}
            usable = dict(daytime)
            if 2 in usable and vac.shift_hours and ctx.pt_arrive_by is not None:
                # Public transport counts only if a journey arrives by every shift start; the
                # longest of those journeys is its time.
                journeys = [
                    int(ctx.pt_arrive_by[h, cand.place, vac.place]) for h in range(24) if vac.shift_hours >> h & 1
                ]
                if any(minutes >= rules.PT_NO_TRIP for minutes in journeys):
                    del usable[2]
                else:
                    usable[2] = max(journeys)
            best = min(usable.values()) if usable else None
            if best is None or best > cand.max_minutes:
                dropped = 2 in daytime and 2 not in usable
                shift_only = dropped and min(daytime.values()) <= cand.max_minutes
                failed.append("no_transit_before_shift" if shift_only else "commute_too_far")
            elif best <= 10:
                factors["commute"] = 1.0
            else:
                factors["commute"] = max(0.0, (90 - best) / 80)
    else:
        factors["commute"] = None

    # languages
    required = [(lang, level) for lang, level in enumerate(vac.languages) if level > 0]
    short = [lang for lang, level in required if cand.languages[lang] < level]
    if short:
        failed.append("missing_languages" if not any(cand.languages) else "language_below_required")
    if required:
        total = 0.0
        for lang, level in required:
            if cand.languages[lang] >= level:
                total += 0.6 + 0.2 * min(cand.languages[lang] - level, 2)
        factors["languages"] = total / len(required)
    else:
        local = cand.languages[rules.WORKPLACE_LANGUAGE[COUNTRY_BE if vac.country == COUNTRY_BE else 0]]
        factors["languages"] = min(local, 4) / 4

    # STEM
    factors["stem"] = (1.0 if cand.stem else 0.0) if vac.is_stem else None

    # hours and shifts
    parts = []
    if vac.hours > 0:
        if cand.hours > 0:
            parts.append(min(1.0, max(0.0, (20 - abs(cand.hours - vac.hours)) / 16)))
        else:
            parts.append(0.5)
    if vac.shift:
        parts.append(1.0 if cand.accepts_shift else 0.0)
    if parts:
        acc = 0.0
        for part in parts:
            acc += part
        factors["hours_shift"] = acc / len(parts)
    else:
        factors["hours_shift"] = None

    # availability
    if cand.available_from >= 0 and vac.start >= 0 and cand.available_from > vac.start:
        failed.append("not_available_in_time")

    num = den = 0.0
    for name, weight in zip(FACTORS, ctx.factor_weights):
        if factors[name] is not None:
            num += weight * factors[name]
            den += weight
    total = num / den if den > 0 else 0.0
    order = {code: i for i, code in enumerate(rules.REASONS)}
    return NaivePairScore(total=total, factors=factors, failed=tuple(sorted(failed, key=order.__getitem__)))


def rank_vacancy_naive(
    candidates: list[NaiveCandidate], vacancy: NaiveVacancy, ctx: NaiveContext, k: int | None = None
) -> list[tuple[int, float]]:
    """(candidate id, total) of the candidates passing every filter, best first, ties by id."""
    scored = []
    for cand in candidates:
        result = score_pair_naive(cand, vacancy, ctx)
        if not result.failed:
            scored.append((cand.id, result.total))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored if k is None else scored[:k]


def near_miss_gap_naive(cand: NaiveCandidate, vac: NaiveVacancy, ctx: NaiveContext) -> tuple[dict, float] | None:
    """(gap, total as if closed) when the pair fails exactly one closable filter, else None.

    Restates rules.py "Near misses" pair by pair: only missing essential skills (1 or 2), only one
    required language exactly one CEFR level short, or only an EQF exactly one below the minimum.
    """
    result = score_pair_naive(cand, vac, ctx)
    if len(result.failed) != 1:
        return None
    reason = result.failed[0]
    closed = cand
    if reason == "missing_essential_skills":
        missing = sorted(vac.essential - cand.skills)
        if len(missing) > 2:
            return None
        gap = {"kind": "skills", "skills": missing, "language": None, "education": None}
        closed = replace(cand, skills=cand.skills | vac.essential)
    elif reason == "language_below_required":
        short = [lang for lang, level in enumerate(vac.languages) if level > 0 and cand.languages[lang] < level]
        if len(short) != 1 or vac.languages[short[0]] - cand.languages[short[0]] != 1:
            return None
        lang = short[0]
        levels = tuple(vac.languages[k] if k == lang else cand.languages[k] for k in range(len(cand.languages)))
        gap = {
            "kind": "language",
            "skills": [],
            "language": {"code": LANGUAGES[lang], "required": vac.languages[lang], "has": cand.languages[lang]},
            "education": None,
        }
        closed = replace(cand, languages=levels)
    elif reason == "education_below_minimum":
        if cand.eqf != vac.min_eqf - 1:
            return None
        gap = {
            "kind": "education",
            "skills": [],
            "language": None,
            "education": {"required": vac.min_eqf, "has": cand.eqf},
        }
        closed = replace(cand, eqf=vac.min_eqf)
    else:
        return None
    return gap, score_pair_naive(closed, vac, ctx).total


def near_miss_naive(
    candidates: list[NaiveCandidate], vacancy: NaiveVacancy, ctx: NaiveContext, k: int | None = None
) -> list[tuple[int, float, dict]]:
    """(candidate id, total as if closed, gap) of the vacancy's near misses, best first, ties by id."""
    found = []
    for cand in candidates:
        near = near_miss_gap_naive(cand, vacancy, ctx)
        if near is not None:
            found.append((cand.id, near[1], near[0]))
    found.sort(key=lambda item: (-item[1], item[0]))
    return found if k is None else found[:k]

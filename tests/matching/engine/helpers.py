"""Small hand-built inputs for the engine tests: real places, a tiny taxonomy, profile builders."""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.engine import (
    COUNTRY_NL,
    MODE_CAR,
    CandidateProfiles,
    CommuteModel,
    EngineConfig,
    MatchingEngine,
    Taxonomy,
    VacancyProfiles,
    Weights,
)
from matching.engine.synthetic import place_index, real_places

PLACES = real_places()
P = {name: place_index(PLACES, name) for name in PLACES.names}

# Occupations chosen so that each ISCO-08 level of similarity to WELDER appears once.
WELDER, PIPE_WELDER, SHEET_METAL, TOOLMAKER, PLUMBER, PLANT_OPERATOR, PROCESS_TECH = range(7)
TAXONOMY = Taxonomy(
    occupation_isco=["7212", "7212", "7213", "7222", "7126", "8131", "3133"],
    occupation_labels=[
        "welder",
        "pipe welder",
        "sheet-metal worker",
        "toolmaker",
        "plumber",
        "chemical plant operator",
        "process technician",
    ],
    skill_labels=[
        "welding",
        "reading drawings",
        "safety",
        "grinding",
        "forklift",
        "PLC",
        "maintenance",
        "pipefitting",
        "first aid",
        "crane signals",
    ],
)
N_SKILLS = TAXONOMY.n_skills

CANDIDATE_DEFAULTS: dict[str, Any] = {
    "country": COUNTRY_NL,
    "place": P["Terneuzen"],
    "commute_modes": MODE_CAR,
    "max_commute_minutes": 60,
    "eqf": 4,
    "has_min_secondary": True,
    "stem_background": True,
    "languages": (6, 0, 3, 0),
    "skills": (),
    "desired": (WELDER,),
    "available_from": -1,
    "hours_wanted": 38,
    "accepts_shift_work": True,
    "consent_matching": True,
    "consent_cross_border": True,
}
VACANCY_DEFAULTS: dict[str, Any] = {
    "country": COUNTRY_NL,
    "place": P["Terneuzen"],
    "occupation": WELDER,
    "is_stem": True,
    "min_eqf": 0,
    "requires_min_secondary": False,
    "languages": (0, 0, 0, 0),
    "essential": (),
    "optional": (),
    "start_day": -1,
    "hours_per_week": 0,
    "shift_work": False,
    "shift_start_hours": 0,
}


def _csr(rows: list[tuple[int, ...]], n_cols: int) -> sp.csr_matrix:
    r = [i for i, cols in enumerate(rows) for _ in cols]
    c = [col for cols in rows for col in cols]
    return sp.csr_matrix((np.ones(len(r), np.float32), (r, c)), shape=(len(rows), n_cols))


def candidates(*specs: dict[str, Any], first_id: int = 1) -> CandidateProfiles:
    """One candidate per spec (missing keys take CANDIDATE_DEFAULTS); ids first_id, first_id+1, ..."""
    full = [{**CANDIDATE_DEFAULTS, **spec} for spec in specs]
    get = lambda key: [s[key] for s in full]  # noqa: E731
    return CandidateProfiles(
        ids=[s.get("id", first_id + i) for i, s in enumerate(full)],
        country=get("country"),
        place=get("place"),
        commute_modes=get("commute_modes"),
        max_commute_minutes=get("max_commute_minutes"),
        eqf=get("eqf"),
        has_min_secondary=get("has_min_secondary"),
        stem_background=get("stem_background"),
        languages=np.array(get("languages"), dtype=np.int8).reshape(len(full), 4),
        skills=_csr(get("skills"), N_SKILLS),
        desired_occupations=_csr(get("desired"), TAXONOMY.n_occupations),
        available_from=get("available_from"),
        hours_wanted=get("hours_wanted"),
        accepts_shift_work=get("accepts_shift_work"),
        consent_matching=get("consent_matching"),
        consent_cross_border=get("consent_cross_border"),
    )


def vacancies(*specs: dict[str, Any], first_id: int = 1001) -> VacancyProfiles:
    full = [{**VACANCY_DEFAULTS, **spec} for spec in specs]
    get = lambda key: [s[key] for s in full]  # noqa: E731
    return VacancyProfiles(
        ids=[s.get("id", first_id + i) for i, s in enumerate(full)],
        country=get("country"),
        place=get("place"),
        occupation=get("occupation"),
        is_stem=get("is_stem"),
        min_eqf=get("min_eqf"),
        requires_min_secondary=get("requires_min_secondary"),
        languages=np.array(get("languages"), dtype=np.int8).reshape(len(full), 4),
        essential_skills=_csr(get("essential"), N_SKILLS),
        optional_skills=_csr(get("optional"), N_SKILLS),
        start_day=get("start_day"),
        hours_per_week=get("hours_per_week"),
        shift_work=get("shift_work"),
        shift_start_hours=get("shift_start_hours"),
    )


def engine(
    cands: CandidateProfiles,
    vacs: VacancyProfiles,
    weights: Weights | None = None,
    commute: CommuteModel | None = None,
    **config: Any,
) -> MatchingEngine:
    return MatchingEngine(
        PLACES, TAXONOMY, cands, vacs, weights, commute=commute, config=EngineConfig(**{"n_threads": 1, **config})
    )


def pair(cand: dict[str, Any], vac: dict[str, Any], weights: Weights | None = None):
    """Evaluate one (candidate, vacancy) pair: returns the explained Match (filters may fail)."""
    eng = engine(candidates(cand), vacancies(vac), weights)
    return eng.evaluate_pairs([1], [1001]).match(0)


def reason(match, code: str) -> dict:
    found = [r for r in match.reasons if r["code"] == code]
    assert len(found) == 1, (code, match.reasons)
    return found[0]

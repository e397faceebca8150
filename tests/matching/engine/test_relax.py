"""The requirement panel (relax.py) against the engine itself: each row's number must equal the
engine's eligible count after rematching the vacancy with that one requirement relaxed, minus
the count before."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
import scipy.sparse as sp

from matching.engine import EngineConfig, MatchingEngine, VacancyProfiles
from matching.engine.data import LANGUAGES
from matching.engine.relax import START_DELAY_DAYS, nearest_places, requirement_costs
from matching.engine.synthetic import SyntheticWorld

from .helpers import P, candidates, vacancies
from .helpers import engine as engine_for


def _relaxed(profiles: VacancyProfiles, j: int, row) -> VacancyProfiles:
    """The vacancy profiles with row j's requirement relaxed as the panel row says."""
    values = {f.name: getattr(profiles, f.name).copy() for f in fields(profiles)}
    if row.kind == "essential_skill":
        ess = values["essential_skills"].tolil()
        ess[j, row.what] = 0
        values["essential_skills"] = sp.csr_matrix(ess)
        values["essential_skills"].eliminate_zeros()
    elif row.kind == "language":
        values["languages"][j, LANGUAGES.index(row.what)] = row.relaxed
    elif row.kind == "education":
        values["min_eqf"][j] = row.relaxed
    elif row.kind == "min_secondary":
        values["requires_min_secondary"][j] = False
    elif row.kind == "start":
        values["start_day"][j] = row.relaxed
    elif row.kind == "commute":
        values["place"][j] = row.relaxed
    else:  # pragma: no cover - a new kind needs its relaxation here
        raise AssertionError(row.kind)
    return VacancyProfiles(**values)


@pytest.fixture(scope="module")
def world_engine():
    world = SyntheticWorld.build(n_places=40, n_occupations=30, n_skills=120, seed=12)
    cands = world.candidates(3000, seed=12)
    vacs = world.vacancies(40, seed=12)
    config = EngineConfig(n_threads=1)
    return world, cands, vacs, MatchingEngine(world.places, world.taxonomy, cands, vacs, config=config)


KINDS = ("essential_skill", "language", "education", "min_secondary", "start", "commute")
# Kinds that must add someone somewhere in the world (otherwise the comparison proves little).
KINDS_THAT_ADD = {"essential_skill", "language", "education", "start", "commute"}


@pytest.mark.parametrize("kind", KINDS)
def test_each_row_of_a_kind_equals_a_rematch_with_that_requirement_relaxed(world_engine, kind):
    world, cands, vacs, engine = world_engine
    most = None
    for j, vacancy_id in enumerate(vacs.ids[:25].tolist()):
        costs = requirement_costs(engine, vacancy_id)
        before = engine.match_vacancy(vacancy_id).eligible
        assert costs.eligible == before
        for row in (row for row in costs.rows if row.kind == kind):
            relaxed = MatchingEngine(
                world.places,
                world.taxonomy,
                cands,
                _relaxed(vacs, j, row),
                commute=engine.commute,
                config=EngineConfig(n_threads=1),
            )
            after = relaxed.match_vacancy(vacancy_id).eligible
            assert row.extra == after - before, (vacancy_id, row)
            most = row.extra if most is None else max(most, row.extra)
    if kind in KINDS_THAT_ADD:
        assert most is not None, kind
        assert most > 0, kind


def test_hand_built_vacancy_counts_the_candidates_one_step_away():
    t = P["Terneuzen"]
    cands = candidates(
        {"skills": (0, 1)},  # passes
        {"skills": (0,)},  # lacks skill 1 only
        {"skills": (1,)},  # lacks skill 0 only
        {"skills": ()},  # lacks both: no single drop helps
        {"skills": (0, 1), "languages": (3, 0, 3, 0)},  # Dutch B1 where B2 is asked
        {"skills": (0, 1), "eqf": 3},  # one EQF below
        {"skills": (0, 1), "available_from": 130},  # free 30 days after the start
        {"skills": (0, 1), "available_from": 131},  # one day too late even then
        {"skills": (0,), "eqf": 3},  # two failures: never counted
    )
    vacs = vacancies(
        {"place": t, "essential": (0, 1), "languages": (4, 0, 0, 0), "min_eqf": 4, "start_day": 100},
    )
    engine = engine_for(cands, vacs)
    costs = requirement_costs(engine, 1001, nearby_places=[])
    assert costs.eligible == 1
    by = {(row.kind, row.what): row for row in costs.rows}
    assert by[("essential_skill", 0)].extra == 1
    assert by[("essential_skill", 1)].extra == 1
    assert (by[("language", "nl")].current, by[("language", "nl")].relaxed, by[("language", "nl")].extra) == (4, 3, 1)
    assert (by[("education", None)].relaxed, by[("education", None)].extra) == (3, 1)
    assert by[("start", None)].relaxed == 100 + START_DELAY_DAYS
    assert by[("start", None)].extra == 1
    assert not any(row.kind == "commute" for row in costs.rows)
    assert costs.to_dict()["eligible"] == 1


def test_nearby_places_are_the_nearest_of_the_same_country():
    cands = candidates({})
    engine = engine_for(cands, vacancies({}))
    near = nearest_places(engine, P["Terneuzen"])
    assert 0 < len(near) <= 3
    assert P["Terneuzen"] not in near
    countries = engine.places.country[np.array(near)]
    assert (countries == engine.places.country[P["Terneuzen"]]).all()

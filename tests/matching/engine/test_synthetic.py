"""The synthetic data generator: deterministic, realistic enough, fast."""

import time

import numpy as np

from matching.engine import BANK_NORTH, BANK_SOUTH, COUNTRY_BE, COUNTRY_NL
from matching.engine.synthetic import REAL_PLACES, SyntheticWorld, place_index, real_places


def test_same_seed_same_data_other_seed_other_data():
    a = SyntheticWorld.build(seed=3)
    b = SyntheticWorld.build(seed=3)
    ca, cb = a.candidates(500, seed=1), b.candidates(500, seed=1)
    assert (ca.ids == cb.ids).all()
    assert (ca.skills != cb.skills).nnz == 0
    assert (ca.place == cb.place).all()
    va, vb = a.vacancies(50, seed=1), b.vacancies(50, seed=1)
    assert (va.essential_skills != vb.essential_skills).nnz == 0
    assert (a.candidates(500, seed=2).skills != ca.skills).nnz > 0


def test_places_start_with_the_real_ones_on_the_right_side():
    world = SyntheticWorld.build(n_places=200, seed=0)
    places = world.places
    assert places.n == 200
    assert places.names[: len(REAL_PLACES)] == tuple(p[0] for p in REAL_PLACES)
    vlissingen = place_index(places, "Vlissingen")
    assert (places.latitude[vlissingen], places.longitude[vlissingen]) == (51.4425, 3.5736)
    assert places.bank[place_index(places, "Terneuzen")] == BANK_SOUTH
    assert places.bank[place_index(places, "Goes")] == BANK_NORTH
    assert places.country[place_index(places, "Gent")] == COUNTRY_BE
    north = (places.bank == BANK_NORTH) & (places.country == COUNTRY_NL)
    south = (places.bank == BANK_SOUTH) & (places.country == COUNTRY_NL)
    assert places.latitude[north].min() > places.latitude[south].max() - 0.05
    assert real_places().n == len(REAL_PLACES)


def test_profiles_look_like_a_labour_market():
    world = SyntheticWorld.build(seed=0)
    cands = world.candidates(20_000, seed=0)
    vacs = world.vacancies(2_000, seed=0)
    per_candidate = np.diff(cands.skills.indptr)
    assert 8 <= per_candidate.mean() <= 17  # with most of the core skills of their trades
    assert (per_candidate == 0).mean() < 0.05
    assert 0.9 < cands.consent_matching.mean() < 1.0
    # The per-country diploma rule: Flemish candidates have the flag from EQF 4 only; some Dutch
    # EQF 2 holders (MBO-2) have it and some (VMBO) do not.
    be = cands.country == COUNTRY_BE
    assert (cands.has_min_secondary[be] == (cands.eqf[be] >= 4)).all()
    nl2 = (cands.country == COUNTRY_NL) & (cands.eqf == 2)
    assert 0.3 < cands.has_min_secondary[nl2].mean() < 0.8
    # Skills cluster by occupation: a vacancy's essential skills are mostly in its occupation's pool.
    j = int(np.flatnonzero(vacs.occupation >= 0)[0])
    pool = set(world.skill_pools[vacs.occupation[j]].tolist())
    essential = vacs.essential_skills.indices[vacs.essential_skills.indptr[j] : vacs.essential_skills.indptr[j + 1]]
    assert set(essential.tolist()) <= pool
    assert 0.4 < vacs.is_stem.mean() < 0.95


def test_generation_is_fast():
    world = SyntheticWorld.build(seed=0)
    t = time.perf_counter()
    world.candidates(100_000, seed=0)
    world.vacancies(10_000, seed=0)
    assert time.perf_counter() - t < 5

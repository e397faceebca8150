"""Deterministic synthetic data for tests and benchmarks (no database needed).

``SyntheticWorld.build(seed=...)`` makes places (the 13 real GeoNames places of docs/domain.md plus
generated ones on the right side of the Westerschelde / border), a taxonomy of port occupations
grouped by real ISCO-08 unit groups, and skill pools per occupation; ``world.candidates(n, seed)``
and ``world.vacancies(m, seed)`` draw profiles whose skills cluster by occupation, as real ones
do.  Everything is numpy-vectorised (100,000 candidates in well under a second) and the same
seed always gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .data import (
    BANK_NONE,
    BANK_NORTH,
    BANK_SOUTH,
    COUNTRY_BE,
    COUNTRY_NL,
    COUNTRY_OTHER,
    CandidateProfiles,
    Places,
    Taxonomy,
    VacancyProfiles,
)

# GeoNames (CC BY 4.0) coordinates, as listed in docs/domain.md.
REAL_PLACES: tuple[tuple[str, float, float, int, int], ...] = (
    ("Vlissingen", 51.4425, 3.5736, COUNTRY_NL, BANK_NORTH),
    ("Borssele", 51.4233, 3.7347, COUNTRY_NL, BANK_NORTH),
    ("Terneuzen", 51.3358, 3.8278, COUNTRY_NL, BANK_SOUTH),
    ("Sluiskil", 51.2783, 3.8361, COUNTRY_NL, BANK_SOUTH),
    ("Axel", 51.2667, 3.9083, COUNTRY_NL, BANK_SOUTH),
    ("Hulst", 51.28, 4.0528, COUNTRY_NL, BANK_SOUTH),
    ("Breskens", 51.3958, 3.5556, COUNTRY_NL, BANK_SOUTH),
    ("Goes", 51.5042, 3.8889, COUNTRY_NL, BANK_NORTH),
    ("Middelburg", 51.5, 3.6139, COUNTRY_NL, BANK_NORTH),
    ("Zelzate", 51.1896, 3.8078, COUNTRY_BE, BANK_NONE),
    ("Evergem", 51.1131, 3.7098, COUNTRY_BE, BANK_NONE),
    ("Eeklo", 51.1870, 3.5565, COUNTRY_BE, BANK_NONE),
    ("Gent", 51.05, 3.7167, COUNTRY_BE, BANK_NONE),
)

# Rough boxes (lat_min, lat_max, lon_min, lon_max) for generated places: Walcheren/Zuid-Beveland,
# Zeeuws-Vlaanderen, and the north of East/West Flanders.
_ZONES = {
    (COUNTRY_NL, BANK_NORTH): (51.44, 51.56, 3.50, 4.10),
    (COUNTRY_NL, BANK_SOUTH): (51.25, 51.38, 3.45, 4.15),
    (COUNTRY_BE, BANK_NONE): (50.95, 51.24, 3.30, 4.15),
}

# Port-relevant ISCO-08 unit groups (code, label); STEM = major groups 2, 3, 7, 8 here.
ISCO_GROUPS: tuple[tuple[str, str], ...] = (
    ("2141", "Industrial and production engineer"),
    ("2144", "Mechanical engineer"),
    ("2145", "Chemical engineer"),
    ("2149", "Engineering professional"),
    ("2151", "Electrical engineer"),
    ("2511", "Systems analyst"),
    ("3112", "Civil engineering technician"),
    ("3113", "Electrical engineering technician"),
    ("3115", "Mechanical engineering technician"),
    ("3116", "Chemical engineering technician"),
    ("3119", "Physical and engineering science technician"),
    ("3131", "Power production plant operator"),
    ("3133", "Chemical processing plant controller"),
    ("3134", "Petroleum refining plant operator"),
    ("3139", "Process control technician"),
    ("3257", "Environmental and occupational health inspector"),
    ("3331", "Clearing and forwarding agent"),
    ("4321", "Stock clerk"),
    ("4323", "Transport clerk"),
    ("5414", "Security guard"),
    ("7126", "Plumber and pipe fitter"),
    ("7212", "Welder and flame cutter"),
    ("7213", "Sheet-metal worker"),
    ("7214", "Structural-metal preparer and erector"),
    ("7222", "Toolmaker"),
    ("7223", "Metal working machine tool setter"),
    ("7231", "Motor vehicle mechanic"),
    ("7233", "Industrial machinery mechanic"),
    ("7411", "Building electrician"),
    ("7412", "Electrical mechanic"),
    ("7543", "Product grader and tester"),
    ("8131", "Chemical products plant operator"),
    ("8160", "Food products machine operator"),
    ("8182", "Steam engine and boiler operator"),
    ("8332", "Heavy truck driver"),
    ("8343", "Crane operator"),
    ("8344", "Lifting truck operator"),
    ("8350", "Ship's deck crew"),
    ("9329", "Manufacturing labourer"),
    ("9333", "Freight handler"),
)
STEM_MAJOR_GROUPS = ("2", "3", "7", "8")

EPOCH_TODAY = 20_000  # 2024-10-04, a fixed "today" so data does not depend on the clock
_GROUP_POOL = 30
_OCC_POOL = 24
_GENERIC_SKILLS = 20  # skills 0..19 are generic (safety, teamwork ...), in every pool
# The first _GROUP_CORE skills of a group's pool are its trade's core (what every welder can do):
# an occupation's first _OCC_CORE pool skills come from it, vacancies take their essential skills
# from those, and candidates hold each core skill of the groups they want to work in with
# probability _CORE_HELD (assumption: most trained people have the basics of their trade, not all
# list every one), so essential skills filter realistically instead of emptying shortlists.
_GROUP_CORE = 6
_OCC_CORE = 4
_CORE_HELD = 0.85


def _choice(rng: np.random.Generator, values: list[int], p: list[float], size: int) -> np.ndarray:
    return rng.choice(np.asarray(values), size=size, p=np.asarray(p) / np.sum(p))


@dataclass(frozen=True, eq=False)
class SyntheticWorld:
    """Places, taxonomy and the skill pools of each occupation (O, _OCC_POOL)."""

    places: Places
    taxonomy: Taxonomy
    skill_pools: np.ndarray
    occupation_is_stem: np.ndarray
    core_skills: np.ndarray  # (O, _GROUP_CORE) the core skills of each occupation's trade
    today: int = EPOCH_TODAY

    @classmethod
    def build(cls, n_places: int = 300, n_occupations: int = 200, n_skills: int = 600, seed: int = 0) -> SyntheticWorld:
        if n_places < len(REAL_PLACES) or n_skills < _GENERIC_SKILLS + _GROUP_POOL or n_occupations < 1:
            raise ValueError("world too small")
        rng = np.random.default_rng([seed, 1])
        places = _places(rng, n_places)
        groups = rng.permutation(len(ISCO_GROUPS))
        occ_group = np.concatenate([groups, rng.integers(0, len(ISCO_GROUPS), max(0, n_occupations - groups.size))])
        occ_group = occ_group[:n_occupations]
        isco = [ISCO_GROUPS[g][0] for g in occ_group]
        counter: dict[int, int] = {}
        labels = []
        for g in occ_group.tolist():
            counter[g] = counter.get(g, 0) + 1
            labels.append(f"{ISCO_GROUPS[g][1]} ({counter[g]})")
        # A large vocabulary (the full ESCO: 13,900 skills) is spread over the groups, so vacancies
        # use most of it as real ones do; small worlds keep pools of _GROUP_POOL.
        group_pool = max(_GROUP_POOL, (n_skills - _GENERIC_SKILLS) // len(ISCO_GROUPS))
        group_pools = np.stack(
            [rng.choice(np.arange(_GENERIC_SKILLS, n_skills), group_pool, replace=False) for _ in ISCO_GROUPS]
        )
        pools = np.empty((n_occupations, _OCC_POOL), dtype=np.int64)
        for o, g in enumerate(occ_group.tolist()):
            pools[o, :_OCC_CORE] = rng.choice(group_pools[g][:_GROUP_CORE], _OCC_CORE, replace=False)
            pools[o, _OCC_CORE:20] = rng.choice(group_pools[g][_GROUP_CORE:], 20 - _OCC_CORE, replace=False)
            pools[o, 20:] = rng.choice(_GENERIC_SKILLS, _OCC_POOL - 20, replace=False)
        skill_labels = [f"generic skill {s}" if s < _GENERIC_SKILLS else f"skill {s}" for s in range(n_skills)]
        taxonomy = Taxonomy(occupation_isco=isco, occupation_labels=labels, skill_labels=skill_labels)
        is_stem = np.array([code[0] in STEM_MAJOR_GROUPS for code in isco])
        return cls(
            places=places,
            taxonomy=taxonomy,
            skill_pools=pools,
            occupation_is_stem=is_stem,
            core_skills=group_pools[occ_group][:, :_GROUP_CORE],
        )

    # --- candidates ---------------------------------------------------------------------------
    def candidates(self, n: int, seed: int = 0) -> CandidateProfiles:
        rng = np.random.default_rng([seed, 2])
        o_count = self.taxonomy.n_occupations
        country = _choice(rng, [COUNTRY_NL, COUNTRY_BE, COUNTRY_OTHER], [0.5, 0.45, 0.05], n)
        place = self._places_in(rng, country)
        place[rng.random(n) < 0.03] = -1
        modes = (rng.random(n) < 0.75) * 1 + (rng.random(n) < 0.45) * 2 + (rng.random(n) < 0.3) * 4
        modes[modes == 0] = 1  # most people without a bike or PT habit drive
        modes[rng.random(n) < 0.02] = 0
        max_minutes = _choice(rng, [15, 20, 30, 45, 60, 75, 90], [0.05, 0.1, 0.25, 0.25, 0.2, 0.05, 0.1], n)
        max_minutes[rng.random(n) < 0.03] = 0
        eqf = _choice(rng, list(range(9)), [0.03, 0.04, 0.16, 0.22, 0.27, 0.06, 0.14, 0.07, 0.01], n)
        # Per-country "minimum secondary diploma" (docs/domain.md): NL EQF 2 is MBO-2 (yes) or
        # VMBO (no); Flanders needs EQF 4 (BSO 6th year at EQF 3 does not count).
        flag = np.where(
            country == COUNTRY_NL,
            (eqf >= 3) | ((eqf == 2) & (rng.random(n) < 0.55)),
            np.where(country == COUNTRY_BE, eqf >= 4, (eqf >= 4) | ((eqf == 3) & (rng.random(n) < 0.3))),
        )

        n_desired = _choice(rng, [0, 1, 2, 3], [0.03, 0.6, 0.27, 0.1], n)
        first = rng.integers(0, o_count, n)
        desired = np.stack([first, self._related(rng, first), rng.integers(0, o_count, n)], axis=1)
        rows = np.repeat(np.arange(n), n_desired)
        cols = desired[np.arange(3)[None, :] < n_desired[:, None]]
        desired_csr = sp.csr_matrix((np.ones(rows.size, np.float32), (rows, cols)), shape=(n, o_count))

        k = rng.integers(4, 21, n)
        k[rng.random(n) < 0.03] = 0
        owner = np.repeat(np.arange(n), k)
        slot = np.minimum((rng.random(owner.size) * np.maximum(n_desired[owner], 1)).astype(np.int64), 2)
        slot = np.where(rng.random(owner.size) < 0.6, 0, slot)  # most skills from the first wish
        occ = desired[owner, slot]
        skill = self.skill_pools[occ, rng.integers(0, _OCC_POOL, owner.size)]
        noise = rng.random(owner.size) < 0.1
        skill[noise] = rng.integers(0, self.taxonomy.n_skills, int(noise.sum()))
        # The core skills of the trade of each desired occupation, most of them held.
        wish_owner, wish_slot = np.nonzero(np.arange(3)[None, :] < n_desired[:, None])
        core = self.core_skills[desired[wish_owner, wish_slot]]  # (wishes, _GROUP_CORE)
        held = rng.random(core.shape) < _CORE_HELD
        owner = np.concatenate([owner, np.repeat(wish_owner, _GROUP_CORE)[held.ravel()]])
        skill = np.concatenate([skill, core.ravel()[held.ravel()]])
        skills = sp.csr_matrix((np.ones(owner.size, np.float32), (owner, skill)), shape=(n, self.taxonomy.n_skills))
        skills.data[:] = 1  # a skill drawn twice is held once

        stem_wish = self.occupation_is_stem[first] & (n_desired > 0)
        stem = rng.random(n) < np.where(stem_wish, 0.55, 0.15)
        languages = self._candidate_languages(rng, country)
        available = self.today + rng.integers(-30, 121, n)
        available[rng.random(n) < 0.15] = -1
        hours = _choice(rng, [0, 24, 32, 36, 38, 40], [0.1, 0.1, 0.2, 0.2, 0.15, 0.25], n)
        return CandidateProfiles(
            ids=100_000 + rng.permutation(n) * 7 + 1,
            country=country,
            place=place,
            commute_modes=modes,
            max_commute_minutes=max_minutes,
            eqf=eqf,
            has_min_secondary=flag,
            stem_background=stem,
            languages=languages,
            skills=skills,
            desired_occupations=desired_csr,
            available_from=available,
            hours_wanted=hours,
            accepts_shift_work=rng.random(n) < 0.55,
            consent_matching=rng.random(n) < 0.96,
            consent_cross_border=rng.random(n) < 0.55,
        )

    # --- vacancies ----------------------------------------------------------------------------
    def vacancies(self, m: int, seed: int = 0) -> VacancyProfiles:
        rng = np.random.default_rng([seed, 3])
        o_count = self.taxonomy.n_occupations
        country = _choice(rng, [COUNTRY_NL, COUNTRY_BE], [0.5, 0.5], m)
        place = self._places_in(rng, country, port_bias=True)
        occupation = rng.integers(0, o_count, m)
        no_occ = rng.random(m) < 0.05
        stem = self.occupation_is_stem[occupation] ^ (rng.random(m) < 0.1)
        occupation[no_occ] = -1
        min_eqf = _choice(rng, [0, 2, 3, 4, 6], [0.3, 0.2, 0.2, 0.2, 0.1], m)
        requires = rng.random(m) < 0.45
        languages = np.zeros((m, 4), dtype=np.int8)
        languages[:, 0] = _choice(rng, [0, 2, 3, 4], [0.3, 0.2, 0.35, 0.15], m)
        languages[:, 1] = np.where(country == COUNTRY_BE, _choice(rng, [0, 2], [0.85, 0.15], m), 0)
        languages[:, 2] = _choice(rng, [0, 2, 3], [0.6, 0.25, 0.15], m)
        languages[:, 3] = _choice(rng, [0, 2], [0.95, 0.05], m)

        pool_occ = np.where(occupation >= 0, occupation, rng.integers(0, o_count, m))
        n_ess = rng.integers(1, _OCC_CORE + 1, m)
        n_opt = rng.integers(0, 7, m)
        none = rng.random(m) < 0.03
        n_ess[none] = 0
        n_opt[none] = 0
        # A random permutation of each pool's core, then of the rest: essentials come from the core.
        order = np.argsort(rng.random((m, _OCC_POOL)) + (np.arange(_OCC_POOL) >= _OCC_CORE), axis=1)
        picked = np.take_along_axis(self.skill_pools[pool_occ], order, axis=1)
        col = np.arange(_OCC_POOL)[None, :]
        ess_mask = col < n_ess[:, None]
        opt_mask = (col >= n_ess[:, None]) & (col < (n_ess + n_opt)[:, None])
        essential = _mask_csr(picked, ess_mask, self.taxonomy.n_skills)
        optional = _mask_csr(picked, opt_mask, self.taxonomy.n_skills)
        start = self.today + rng.integers(0, 91, m)
        start[rng.random(m) < 0.25] = -1
        return VacancyProfiles(
            ids=500_000 + rng.permutation(m) * 3 + 2,
            country=country,
            place=place,
            occupation=occupation,
            is_stem=stem,
            min_eqf=min_eqf,
            requires_min_secondary=requires,
            languages=languages,
            essential_skills=essential,
            optional_skills=optional,
            start_day=start,
            hours_per_week=_choice(rng, [0, 32, 36, 38, 40], [0.2, 0.1, 0.2, 0.2, 0.3], m),
            shift_work=rng.random(m) < 0.4,
        )

    # --- helpers --------------------------------------------------------------------------------
    def _places_in(self, rng: np.random.Generator, country: np.ndarray, port_bias: bool = False) -> np.ndarray:
        p = self.places
        out = np.empty(country.size, dtype=np.int64)
        for code in (COUNTRY_NL, COUNTRY_BE, COUNTRY_OTHER):
            mask = country == code
            pool = np.flatnonzero(p.country == code) if code != COUNTRY_OTHER else np.arange(p.n)
            weight = np.ones(pool.size)
            if port_bias:
                weight[pool < len(REAL_PLACES)] = 25.0  # the port towns get most vacancies
            out[mask] = rng.choice(pool, int(mask.sum()), p=weight / weight.sum())
        return out

    def _related(self, rng: np.random.Generator, occ: np.ndarray) -> np.ndarray:
        """Half the time an occupation of the same ISCO unit group, else a random one."""
        isco = np.array([int(c) for c in self.taxonomy.occupation_isco])
        out = rng.integers(0, self.taxonomy.n_occupations, occ.size)
        order = np.argsort(isco, kind="stable")
        sorted_codes = isco[order]
        lo = np.searchsorted(sorted_codes, isco[occ], side="left")
        hi = np.searchsorted(sorted_codes, isco[occ], side="right")
        same = order[lo + (rng.random(occ.size) * (hi - lo)).astype(np.int64)]
        return np.where(rng.random(occ.size) < 0.5, same, out)

    def _candidate_languages(self, rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
        n = country.size
        u = lambda lo, hi: rng.integers(lo, hi + 1, n)  # noqa: E731
        nl = np.where(country == COUNTRY_OTHER, u(0, 3), np.where(rng.random(n) < 0.92, 6, u(3, 5)))
        fr = np.where(country == COUNTRY_BE, u(2, 4), u(0, 2))
        en = np.where(country == COUNTRY_OTHER, u(2, 6), u(2, 5))
        de = np.where(country == COUNTRY_NL, u(0, 3), u(0, 2))
        levels = np.stack([nl, fr, en, de], axis=1).astype(np.int8)
        levels[rng.random(n) < 0.02] = 0
        return levels


def _mask_csr(values: np.ndarray, mask: np.ndarray, n_cols: int) -> sp.csr_matrix:
    rows = np.nonzero(mask)[0]
    return sp.csr_matrix((np.ones(rows.size, np.float32), (rows, values[mask])), shape=(values.shape[0], n_cols))


def _places(rng: np.random.Generator, n_places: int) -> Places:
    names = [p[0] for p in REAL_PLACES]
    lat = [p[1] for p in REAL_PLACES]
    lon = [p[2] for p in REAL_PLACES]
    country = [p[3] for p in REAL_PLACES]
    bank = [p[4] for p in REAL_PLACES]
    zones = list(_ZONES.items())
    share = np.array([0.3, 0.25, 0.45])
    extra = n_places - len(REAL_PLACES)
    counts = np.floor(share * extra).astype(int)
    counts[-1] += extra - counts.sum()
    for ((code, side), (la0, la1, lo0, lo1)), count in zip(zones, counts):
        for k in range(count):
            names.append(
                f"{'NL' if code == COUNTRY_NL else 'BE'}-{'north' if side == BANK_NORTH else 'south'}-{k + 1:03d}"
            )
            lat.append(float(rng.uniform(la0, la1)))
            lon.append(float(rng.uniform(lo0, lo1)))
            country.append(code)
            bank.append(side)
    return Places(latitude=lat, longitude=lon, country=country, bank=bank, names=names)


def real_places() -> Places:
    """Only the 13 real places of docs/domain.md (for tests)."""
    return Places(
        latitude=[p[1] for p in REAL_PLACES],
        longitude=[p[2] for p in REAL_PLACES],
        country=[p[3] for p in REAL_PLACES],
        bank=[p[4] for p in REAL_PLACES],
        names=[p[0] for p in REAL_PLACES],
    )


def place_index(places: Places, name: str) -> int:
    return places.names.index(name)

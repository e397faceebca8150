"""Build the engine's plain-data inputs from the database, in bulk (one query per table).

Nothing here loops over model instances: each query returns flat tuples that go straight
into numpy arrays and scipy CSR matrices (docs/architecture.md §1: the engine sees no Django).
"""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from django.db.models import QuerySet, Value
from django.db.models.functions import Mod

from candidates.models import Candidate, CandidateDiploma, CandidateLanguage
from taxonomy.models import Occupation, Place, Skill
from vacancies.models import Vacancy, VacancyLanguage

from .engine.data import (
    BANK_NONE,
    BANK_NORTH,
    BANK_SOUTH,
    COUNTRY_BE,
    COUNTRY_NL,
    COUNTRY_OTHER,
    EPOCH_ORDINAL,
    LANGUAGES,
    MODE_BIKE,
    MODE_CAR,
    MODE_PT,
    UNKNOWN_DAY,
    CandidateProfiles,
    Places,
    Taxonomy,
    VacancyProfiles,
    Weights,
)

COUNTRY_INDEX = {"NL": COUNTRY_NL, "BE": COUNTRY_BE, "XX": COUNTRY_OTHER}
BANK_INDEX = {"north": BANK_NORTH, "south": BANK_SOUTH, "": BANK_NONE}
LANGUAGE_INDEX = {code: i for i, code in enumerate(LANGUAGES)}


@dataclass(eq=False)
class ReferenceIndex:
    """The engine's index spaces: database ids of places, occupations and skills by position."""

    places: Places
    place_ids: np.ndarray
    taxonomy: Taxonomy
    occupation_ids: np.ndarray
    skill_ids: np.ndarray

    @cached_property
    def id_lists(self) -> tuple[list[int], list[int], list[int]]:
        """Occupation, skill and place ids as plain lists (fast per-item lookups)."""
        return self.occupation_ids.tolist(), self.skill_ids.tolist(), self.place_ids.tolist()

    def place_positions(self, ids: np.ndarray) -> np.ndarray:
        return _positions(self.place_ids, ids)

    def occupation_positions(self, ids: np.ndarray) -> np.ndarray:
        return _positions(self.occupation_ids, ids)

    def skill_positions(self, ids: np.ndarray) -> np.ndarray:
        return _positions(self.skill_ids, ids)


def _positions(sorted_ids: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Position of each id in ``sorted_ids``; -1 for None/unknown (ids arrive as float with NaN)."""
    ids = np.asarray(ids, dtype=np.float64)
    known = ~np.isnan(ids)
    out = np.full(ids.shape, -1, dtype=np.int32)
    if sorted_ids.size and known.any():
        found = np.searchsorted(sorted_ids, ids[known].astype(np.int64))
        found = np.clip(found, 0, sorted_ids.size - 1)
        ok = sorted_ids[found] == ids[known].astype(np.int64)
        out[np.flatnonzero(known)[ok]] = found[ok]
    return out


def _ids(values) -> np.ndarray:
    """Nullable integer ids as float64 with NaN for None (vectorised position lookups)."""
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


def shift_start_hours(times: list[str] | None) -> int:
    """The engine's bitmask of a vacancy's shift starts ("HH:MM", vacancies/shifts.py): bit h for
    a start during hour h.  Minutes are dropped, i.e. rounded DOWN to the hour: a 06:30 start
    needs a journey arriving by 06:00, half an hour early at worst, which is conservative (no
    one is told a bus reaches a shift that it misses) at the cost of sometimes dropping a bus
    that arrives between 06:00 and 06:30."""
    mask = 0
    for value in times or ():
        hour = str(value).partition(":")[0]
        if hour.isdigit() and int(hour) < 24:
            mask |= 1 << int(hour)
    return mask


def _day(value: date | None) -> int:
    return value.toordinal() - EPOCH_ORDINAL if value else UNKNOWN_DAY


def reference_index_build() -> ReferenceIndex:
    place_rows = list(
        Place.objects.order_by("id").values_list("id", "latitude", "longitude", "country", "bank", "name")
    )
    places = Places(
        latitude=[r[1] for r in place_rows],
        longitude=[r[2] for r in place_rows],
        country=[COUNTRY_INDEX[r[3]] for r in place_rows],
        bank=[BANK_INDEX[r[4]] for r in place_rows],
        names=[r[5] for r in place_rows],
    )
    occupation_rows = list(Occupation.objects.order_by("id").values_list("id", "isco_group__code", "label_en"))
    skill_rows = list(Skill.objects.order_by("id").values_list("id", "label_en"))
    taxonomy = Taxonomy(
        occupation_isco=[r[1] for r in occupation_rows],
        occupation_labels=[r[2] for r in occupation_rows],
        skill_labels=[r[1] for r in skill_rows],
    )
    return ReferenceIndex(
        places=places,
        place_ids=np.array([r[0] for r in place_rows], dtype=np.int64),
        taxonomy=taxonomy,
        occupation_ids=np.array([r[0] for r in occupation_rows], dtype=np.int64),
        skill_ids=np.array([r[0] for r in skill_rows], dtype=np.int64),
    )


def _csr(row_ids: np.ndarray, pairs: list[tuple[int, int]], column_positions, n_columns: int) -> sp.csr_matrix:
    """A 0/1 CSR matrix from (row id, column id) pairs; rows follow ``row_ids`` (sorted)."""
    if not pairs:
        return sp.csr_matrix((row_ids.size, n_columns), dtype=np.float32)
    pair_array = np.array(pairs, dtype=np.int64)
    rows = np.searchsorted(row_ids, pair_array[:, 0])
    cols = column_positions(pair_array[:, 1])
    keep = (cols >= 0) & (rows < row_ids.size)
    keep[keep] &= row_ids[rows[keep]] == pair_array[keep, 0]
    data = np.ones(int(keep.sum()), dtype=np.float32)
    return sp.csr_matrix((data, (rows[keep], cols[keep])), shape=(row_ids.size, n_columns))


def _fill_levels(levels: np.ndarray, ids: np.ndarray, rows: list[tuple[int, str, int]]) -> None:
    """Write (owner id, language code, CEFR level) rows into the (n, 4) level array."""
    if not rows or not ids.size:
        return
    owners = np.array([r[0] for r in rows], dtype=np.int64)
    columns = np.array([LANGUAGE_INDEX[r[1]] for r in rows], dtype=np.int64)
    values = np.array([r[2] for r in rows], dtype=np.int8)
    positions = np.minimum(np.searchsorted(ids, owners), ids.size - 1)
    ok = ids[positions] == owners
    levels[positions[ok], columns[ok]] = values[ok]


def candidates_of_shard(shard: int, n_shards: int) -> QuerySet:
    """The candidates of one shard, chosen in SQL by the rule of engine.shards.shard_of (id % n)."""
    return Candidate.objects.alias(shard=Mod("id", Value(n_shards))).filter(shard=shard)


def candidate_profiles_build(*, index: ReferenceIndex, candidates: QuerySet | None = None) -> CandidateProfiles:
    """All candidates (or the given queryset) as engine profiles, ordered by id."""
    queryset = (candidates if candidates is not None else Candidate.objects.all()).order_by("id")
    rows = list(
        queryset.values_list(
            "id",
            "country",
            "home_place_id",
            "commute_by_car",
            "commute_by_bike",
            "commute_by_public_transport",
            "max_commute_minutes",
            "available_from",
            "hours_wanted",
            "accepts_shift_work",
            "consent_matching_at",
            "consent_cross_border_at",
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    n = ids.size
    scoped = candidates is not None

    eqf = np.zeros(n, dtype=np.int8)
    min_secondary = np.zeros(n, dtype=bool)
    stem = np.zeros(n, dtype=bool)
    diplomas = CandidateDiploma.objects.all()
    if scoped:
        diplomas = diplomas.filter(candidate__in=queryset)
    diploma_rows = list(
        diplomas.values_list("candidate_id", "diploma__eqf_level", "diploma__is_minimum_secondary", "field__is_stem")
    )
    if diploma_rows:
        d = np.array([(r[0], r[1], bool(r[2]), bool(r[3])) for r in diploma_rows], dtype=np.int64)
        pos = np.searchsorted(ids, d[:, 0])
        ok = (pos < n) & (ids[np.minimum(pos, n - 1)] == d[:, 0])
        np.maximum.at(eqf, pos[ok], d[ok, 1].astype(np.int8))
        np.logical_or.at(min_secondary, pos[ok], d[ok, 2].astype(bool))
        np.logical_or.at(stem, pos[ok], d[ok, 3].astype(bool))

    languages = np.zeros((n, len(LANGUAGES)), dtype=np.int8)
    language_rows = CandidateLanguage.objects.all()
    if scoped:
        language_rows = language_rows.filter(candidate__in=queryset)
    _fill_levels(languages, ids, list(language_rows.values_list("candidate_id", "language", "level")))

    skill_through = Candidate.skills.through.objects.all()
    desired_through = Candidate.desired_occupations.through.objects.all()
    if scoped:
        skill_through = skill_through.filter(candidate__in=queryset)
        desired_through = desired_through.filter(candidate__in=queryset)
    skills = _csr(
        ids, list(skill_through.values_list("candidate_id", "skill_id")), index.skill_positions, index.taxonomy.n_skills
    )
    desired = _csr(
        ids,
        list(desired_through.values_list("candidate_id", "occupation_id")),
        index.occupation_positions,
        index.taxonomy.n_occupations,
    )

    return CandidateProfiles(
        ids=ids,
        country=[COUNTRY_INDEX.get(r[1], COUNTRY_OTHER) for r in rows],
        place=index.place_positions(_ids(r[2] for r in rows)),
        commute_modes=[(MODE_CAR if r[3] else 0) | (MODE_BIKE if r[4] else 0) | (MODE_PT if r[5] else 0) for r in rows],
        max_commute_minutes=[r[6] or 0 for r in rows],
        eqf=eqf,
        has_min_secondary=min_secondary,
        stem_background=stem,
        languages=languages,
        skills=skills,
        desired_occupations=desired,
        available_from=[_day(r[7]) for r in rows],
        hours_wanted=[r[8] or 0 for r in rows],
        accepts_shift_work=[bool(r[9]) for r in rows],
        consent_matching=[r[10] is not None for r in rows],
        consent_cross_border=[r[11] is not None for r in rows],
    )


def vacancy_profiles_build(*, index: ReferenceIndex, vacancies: QuerySet | None = None) -> VacancyProfiles:
    """The open vacancies (or the given queryset) as engine profiles, ordered by id."""
    queryset = (vacancies if vacancies is not None else Vacancy.objects.open_for_matching()).order_by("id")
    rows = list(
        queryset.values_list(
            "id",
            "place__country",
            "place_id",
            "occupation_id",
            "is_stem",
            "min_eqf_level",
            "requires_min_secondary",
            "start_date",
            "hours_per_week",
            "shift_work",
            "shift_start_times",
        )
    )
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    m = ids.size
    languages = np.zeros((m, len(LANGUAGES)), dtype=np.int8)
    _fill_levels(
        languages,
        ids,
        list(VacancyLanguage.objects.filter(vacancy__in=queryset).values_list("vacancy_id", "language", "min_level")),
    )
    essential = _csr(
        ids,
        list(
            Vacancy.essential_skills.through.objects.filter(vacancy__in=queryset).values_list("vacancy_id", "skill_id")
        ),
        index.skill_positions,
        index.taxonomy.n_skills,
    )
    optional = _csr(
        ids,
        list(
            Vacancy.optional_skills.through.objects.filter(vacancy__in=queryset).values_list("vacancy_id", "skill_id")
        ),
        index.skill_positions,
        index.taxonomy.n_skills,
    )
    return VacancyProfiles(
        ids=ids,
        country=[COUNTRY_INDEX.get(r[1], COUNTRY_NL) for r in rows],
        place=index.place_positions(_ids(r[2] for r in rows)),
        occupation=index.occupation_positions(_ids(r[3] for r in rows)),
        is_stem=[bool(r[4]) for r in rows],
        min_eqf=[r[5] or 0 for r in rows],
        requires_min_secondary=[bool(r[6]) for r in rows],
        languages=languages,
        essential_skills=essential,
        optional_skills=optional,
        start_day=[_day(r[7]) for r in rows],
        hours_per_week=[r[8] or 0 for r in rows],
        shift_work=[bool(r[9]) for r in rows],
        shift_start_hours=[shift_start_hours(r[10]) for r in rows],
    )


def weights_versioned() -> tuple[Weights, int | None]:
    """The weights in force (the newest version) and its version number (None: no row yet,
    the engine's defaults)."""
    from django.conf import settings

    from .models import MatchingWeights

    row = MatchingWeights.objects.order_by("-version").values().first() or {}
    values = {k: v for k, v in row.items() if k in MatchingWeights.FACTORS}
    return Weights.from_dict({**values, "top_k": settings.MATCHING_TOP_K}), row.get("version")


def weights_current() -> Weights:
    return weights_versioned()[0]

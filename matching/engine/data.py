"""Input data of the engine: plain numpy arrays and scipy CSR matrices in frozen dataclasses.

The database side builds these in bulk (one query per table, then ``np.fromiter``/``np.asarray``);
the engine never sees a model instance.  Every array is one row per entity, in any order; the
``ids`` arrays carry the database primary keys through to the results.

Codes shared with the database side (keep them in sync with the choices there):

* country: ``COUNTRY_NL = 0``, ``COUNTRY_BE = 1``, ``COUNTRY_OTHER = 2`` (candidates only)
* bank of the Westerschelde (places): ``BANK_NONE = 0`` (Belgium, or Dutch places off Zeeland's
  two banks), ``BANK_NORTH = 1`` (Walcheren, Zuid- and Noord-Beveland), ``BANK_SOUTH = 2``
  (Zeeuws-Vlaanderen)
* commute modes bitmask: ``MODE_CAR = 1``, ``MODE_BIKE = 2``, ``MODE_PT = 4`` (0 = none given)
* languages, column order of the language arrays: ``LANGUAGES = ("nl", "fr", "en", "de")``
* CEFR level: 0 = none / not required, 1 = A1, 2 = A2, 3 = B1, 4 = B2, 5 = C1, 6 = C2
* EQF level: 0 = no diploma recorded (candidates) / no minimum (vacancies), else 1..8
* days: int32 days since 1970-01-01 (``date.toordinal() - 719163``), -1 = unknown
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import scipy.sparse as sp

COUNTRY_NL, COUNTRY_BE, COUNTRY_OTHER = 0, 1, 2
COUNTRY_CODES = ("NL", "BE", "other")

BANK_NONE, BANK_NORTH, BANK_SOUTH = 0, 1, 2

MODE_CAR, MODE_BIKE, MODE_PT = 1, 2, 4
MODE_NAMES = ("car", "bike", "public_transport")  # index m has bit 1 << m
ALL_MODES = MODE_CAR | MODE_BIKE | MODE_PT

LANGUAGES = ("nl", "fr", "en", "de")
CEFR_LABELS = ("none", "A1", "A2", "B1", "B2", "C1", "C2")
MAX_CEFR = 6
MAX_EQF = 8

UNKNOWN_DAY = -1
EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()

# Weekly hours above this are data errors; they are clipped so lookup tables stay small.
MAX_HOURS = 80
# One-way commute limits above this (minutes) are clipped for the same reason.
MAX_COMMUTE_MINUTES = 600


def _as(array: Any, dtype: Any, name: str, shape: tuple[int | None, ...]) -> np.ndarray:
    """Convert to a contiguous array of ``dtype`` and check its shape (None = any length)."""
    out = np.array(array, dtype=dtype, copy=True, order="C")  # a copy: inputs are never mutated
    if out.ndim != len(shape) or any(want is not None and got != want for got, want in zip(out.shape, shape)):
        raise ValueError(f"{name}: expected shape {shape}, got {out.shape}")
    return out


def _as_csr(matrix: Any, name: str, shape: tuple[int, int]) -> sp.csr_matrix:
    """A 0/1 CSR matrix with sorted, duplicate-free indices (float32 data, all ones)."""
    csr = sp.csr_matrix(matrix, dtype=np.float32, copy=True)
    if csr.shape != shape:
        raise ValueError(f"{name}: expected shape {shape}, got {csr.shape}")
    csr.sum_duplicates()
    csr.eliminate_zeros()
    csr.sort_indices()
    csr.data[:] = 1.0  # presence only: a weight in the DB must not leak into a count
    # One index dtype for both arrays: with mixed ones scipy copies the whole matrix's indices
    # on every row selection (a single-vacancy rematch would pay that per call).
    index_dtype = np.int32 if csr.nnz < np.iinfo(np.int32).max else np.int64
    csr.indptr = csr.indptr.astype(index_dtype, copy=False)
    csr.indices = csr.indices.astype(index_dtype, copy=False)
    return csr


def _check_range(values: np.ndarray, low: int, high: int, name: str) -> None:
    if values.size and (values.min() < low or values.max() > high):
        raise ValueError(f"{name}: values must lie in [{low}, {high}]")


def _check_unique(ids: np.ndarray, name: str) -> None:
    if ids.size != np.unique(ids).size:
        raise ValueError(f"{name}: ids must be unique")


@dataclass(frozen=True, eq=False)
class Places:
    """The P places (woonplaatsen / gemeenten) people live and work in.

    latitude, longitude: float64 (P,) WGS84 degrees (GeoNames).
    country: int8 (P,) COUNTRY_NL or COUNTRY_BE.
    bank: int8 (P,) BANK_NONE / BANK_NORTH / BANK_SOUTH: which side of the Westerschelde a Dutch
        place is on.  Belgian places are on the south side in this region whatever this says.
    names: P display names, used in explanation texts only.
    """

    latitude: np.ndarray
    longitude: np.ndarray
    country: np.ndarray
    bank: np.ndarray
    names: Sequence[str]

    def __post_init__(self) -> None:
        n = len(self.names)
        object.__setattr__(self, "latitude", _as(self.latitude, np.float64, "latitude", (n,)))
        object.__setattr__(self, "longitude", _as(self.longitude, np.float64, "longitude", (n,)))
        object.__setattr__(self, "country", _as(self.country, np.int8, "country", (n,)))
        object.__setattr__(self, "bank", _as(self.bank, np.int8, "bank", (n,)))
        object.__setattr__(self, "names", tuple(str(x) for x in self.names))
        _check_range(self.country, 0, 1, "Places.country")
        _check_range(self.bank, 0, 2, "Places.bank")
        if not (np.all(np.abs(self.latitude) <= 90) and np.all(np.abs(self.longitude) <= 180)):
            raise ValueError("Places: coordinates out of range")

    @property
    def n(self) -> int:
        return len(self.names)


@dataclass(frozen=True, eq=False)
class Taxonomy:
    """ESCO occupations (with their ISCO-08 unit group) and skills.

    occupation_isco: O strings of 4 digits, the ISCO-08 unit group of each occupation; the
        hierarchy is by prefix (unit group 4 digits, minor group 3, sub-major 2, major 1).
    occupation_labels: O display labels; skill_labels: S display labels (explanations only).
    The index of an occupation / skill is its column in the candidate and vacancy matrices.
    """

    occupation_isco: Sequence[str]
    occupation_labels: Sequence[str]
    skill_labels: Sequence[str]

    def __post_init__(self) -> None:
        codes = tuple(str(c) for c in self.occupation_isco)
        bad = [c for c in codes if len(c) != 4 or not c.isdigit()]
        if bad:
            raise ValueError(f"Taxonomy: ISCO-08 unit groups must be 4 digits, got {bad[:5]}")
        if len(self.occupation_labels) != len(codes):
            raise ValueError("Taxonomy: one label per occupation")
        object.__setattr__(self, "occupation_isco", codes)
        object.__setattr__(self, "occupation_labels", tuple(str(x) for x in self.occupation_labels))
        object.__setattr__(self, "skill_labels", tuple(str(x) for x in self.skill_labels))

    @property
    def n_occupations(self) -> int:
        return len(self.occupation_isco)

    @property
    def n_skills(self) -> int:
        return len(self.skill_labels)


@dataclass(frozen=True, eq=False)
class CandidateProfiles:
    """N jobseekers (one row each).  Shapes use N candidates, S skills, O occupations.

    ids: int64 (N,) Candidate primary keys, unique.
    country: int8 (N,) country of residence, COUNTRY_NL / COUNTRY_BE / COUNTRY_OTHER.
    place: int32 (N,) index into Places of the home place, -1 = unknown.
    commute_modes: uint8 (N,) bitmask of MODE_CAR | MODE_BIKE | MODE_PT, 0 = none given.
    max_commute_minutes: int16 (N,) longest acceptable one-way trip, 0 = unknown.
    eqf: int8 (N,) best EQF level of the candidate's diplomas, 0 = no diploma recorded.
    has_min_secondary: bool (N,) holds a "minimum secondary diploma" under the rule of the
        diploma's country (NL startkwalificatie: MBO-2, HAVO, VWO or higher; Flanders: diploma
        secundair onderwijs, e.g. BSO after the 7th year); derived by the database side.
    stem_background: bool (N,) diploma field in ISCED-F 05/06/07.
    languages: int8 (N, 4) CEFR level per language in LANGUAGES order (0 = none).
    skills: CSR (N, S) 1 where the candidate has the ESCO skill.
    desired_occupations: CSR (N, O) 1 for each occupation the candidate wants.
    available_from: int32 (N,) first working day (days since epoch), -1 = unknown (never filters).
    hours_wanted: int16 (N,) hours per week wanted, 0 = unknown.
    accepts_shift_work: bool (N,).
    consent_matching: bool (N,) may be matched at all (otherwise never considered).
    consent_cross_border: bool (N,) may be matched to vacancies in another country.
    """

    ids: np.ndarray
    country: np.ndarray
    place: np.ndarray
    commute_modes: np.ndarray
    max_commute_minutes: np.ndarray
    eqf: np.ndarray
    has_min_secondary: np.ndarray
    stem_background: np.ndarray
    languages: np.ndarray
    skills: sp.csr_matrix
    desired_occupations: sp.csr_matrix
    available_from: np.ndarray
    hours_wanted: np.ndarray
    accepts_shift_work: np.ndarray
    consent_matching: np.ndarray
    consent_cross_border: np.ndarray

    def __post_init__(self) -> None:
        ids = _as(self.ids, np.int64, "ids", (None,))
        n = ids.shape[0]
        s = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        s("ids", ids)
        s("country", _as(self.country, np.int8, "country", (n,)))
        s("place", _as(self.place, np.int32, "place", (n,)))
        s("commute_modes", _as(self.commute_modes, np.uint8, "commute_modes", (n,)))
        s(
            "max_commute_minutes",
            np.clip(
                _as(self.max_commute_minutes, np.int32, "max_commute_minutes", (n,)), 0, MAX_COMMUTE_MINUTES
            ).astype(np.int16),
        )
        s("eqf", _as(self.eqf, np.int8, "eqf", (n,)))
        s("has_min_secondary", _as(self.has_min_secondary, bool, "has_min_secondary", (n,)))
        s("stem_background", _as(self.stem_background, bool, "stem_background", (n,)))
        s("languages", _as(self.languages, np.int8, "languages", (n, len(LANGUAGES))))
        skills = sp.csr_matrix(self.skills)
        desired = sp.csr_matrix(self.desired_occupations)
        s("skills", _as_csr(skills, "skills", (n, skills.shape[1])))
        s("desired_occupations", _as_csr(desired, "desired_occupations", (n, desired.shape[1])))
        s("available_from", _as(self.available_from, np.int32, "available_from", (n,)))
        s(
            "hours_wanted",
            np.clip(_as(self.hours_wanted, np.int32, "hours_wanted", (n,)), 0, MAX_HOURS).astype(np.int16),
        )
        s("accepts_shift_work", _as(self.accepts_shift_work, bool, "accepts_shift_work", (n,)))
        s("consent_matching", _as(self.consent_matching, bool, "consent_matching", (n,)))
        s("consent_cross_border", _as(self.consent_cross_border, bool, "consent_cross_border", (n,)))
        _check_unique(ids, "CandidateProfiles.ids")
        _check_range(self.country, 0, 2, "CandidateProfiles.country")
        _check_range(self.commute_modes, 0, 7, "CandidateProfiles.commute_modes")
        _check_range(self.eqf, 0, MAX_EQF, "CandidateProfiles.eqf")
        _check_range(self.languages, 0, MAX_CEFR, "CandidateProfiles.languages")
        _check_range(self.place, -1, np.iinfo(np.int32).max, "CandidateProfiles.place")
        # A negative day other than -1 is treated as unknown as well.
        self.available_from[self.available_from < 0] = UNKNOWN_DAY

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    def take(self, rows: Any, ids: Any = None) -> CandidateProfiles:
        """The candidates at ``rows`` (index array or mask) as new profiles, optionally with new ids."""
        rows = np.arange(self.n)[rows]
        values = {f.name: getattr(self, f.name)[rows] for f in fields(self)}
        if ids is not None:
            values["ids"] = ids
        return CandidateProfiles(**values)


@dataclass(frozen=True, eq=False)
class VacancyProfiles:
    """M open vacancies (one row each).

    ids: int64 (M,) Vacancy primary keys, unique.
    country: int8 (M,) COUNTRY_NL / COUNTRY_BE of the workplace.
    place: int32 (M,) index into Places of the workplace, -1 = unknown (no commute filter/factor).
    occupation: int32 (M,) index into Taxonomy occupations, -1 = none (no occupation factor).
    is_stem: bool (M,).
    min_eqf: int8 (M,) minimum EQF level, 0 = none.
    requires_min_secondary: bool (M,) requires a minimum secondary diploma (per-country rule).
    languages: int8 (M, 4) required CEFR level per language, 0 = not required.
    essential_skills, optional_skills: CSR (M, S) 1 where the ESCO skill is listed.  A skill listed
        as both counts as essential.
    start_day: int32 (M,) first working day, -1 = unknown (no availability filter).
    hours_per_week: int16 (M,) 0 = unknown.
    shift_work: bool (M,).
    shift_start_hours: int32 (M,) bitmask, bit h set when a shift starts during hour h (0-23);
        0 = no start times given (public transport then counts at any hour).  Optional: zeros
        when left out.
    """

    ids: np.ndarray
    country: np.ndarray
    place: np.ndarray
    occupation: np.ndarray
    is_stem: np.ndarray
    min_eqf: np.ndarray
    requires_min_secondary: np.ndarray
    languages: np.ndarray
    essential_skills: sp.csr_matrix
    optional_skills: sp.csr_matrix
    start_day: np.ndarray
    hours_per_week: np.ndarray
    shift_work: np.ndarray
    shift_start_hours: np.ndarray | None = None

    def __post_init__(self) -> None:
        ids = _as(self.ids, np.int64, "ids", (None,))
        m = ids.shape[0]
        s = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731
        s("ids", ids)
        s("country", _as(self.country, np.int8, "country", (m,)))
        s("place", _as(self.place, np.int32, "place", (m,)))
        s("occupation", _as(self.occupation, np.int32, "occupation", (m,)))
        s("is_stem", _as(self.is_stem, bool, "is_stem", (m,)))
        s("min_eqf", _as(self.min_eqf, np.int8, "min_eqf", (m,)))
        s("requires_min_secondary", _as(self.requires_min_secondary, bool, "requires_min_secondary", (m,)))
        s("languages", _as(self.languages, np.int8, "languages", (m, len(LANGUAGES))))
        essential = sp.csr_matrix(self.essential_skills)
        optional = sp.csr_matrix(self.optional_skills)
        essential = _as_csr(essential, "essential_skills", (m, essential.shape[1]))
        optional = _as_csr(optional, "optional_skills", (m, essential.shape[1]))
        optional = _as_csr(optional - optional.multiply(essential), "optional_skills", optional.shape)
        s("essential_skills", essential)
        s("optional_skills", optional)
        s("start_day", _as(self.start_day, np.int32, "start_day", (m,)))
        s(
            "hours_per_week",
            np.clip(_as(self.hours_per_week, np.int32, "hours_per_week", (m,)), 0, MAX_HOURS).astype(np.int16),
        )
        s("shift_work", _as(self.shift_work, bool, "shift_work", (m,)))
        starts = np.zeros(m, np.int32) if self.shift_start_hours is None else self.shift_start_hours
        s("shift_start_hours", _as(starts, np.int32, "shift_start_hours", (m,)))
        _check_range(self.shift_start_hours, 0, (1 << 24) - 1, "VacancyProfiles.shift_start_hours")
        _check_unique(ids, "VacancyProfiles.ids")
        _check_range(self.country, 0, 1, "VacancyProfiles.country")
        _check_range(self.min_eqf, 0, MAX_EQF, "VacancyProfiles.min_eqf")
        _check_range(self.languages, 0, MAX_CEFR, "VacancyProfiles.languages")
        _check_range(self.place, -1, np.iinfo(np.int32).max, "VacancyProfiles.place")
        _check_range(self.occupation, -1, np.iinfo(np.int32).max, "VacancyProfiles.occupation")
        self.start_day[self.start_day < 0] = UNKNOWN_DAY

    @property
    def n(self) -> int:
        return int(self.ids.shape[0])

    def take(self, rows: Any, ids: Any = None) -> VacancyProfiles:
        """The vacancies at ``rows`` (index array or mask) as new profiles, optionally with new ids."""
        rows = np.arange(self.n)[rows]
        values = {f.name: getattr(self, f.name)[rows] for f in fields(self)}
        if ids is not None:
            values["ids"] = ids
        return VacancyProfiles(**values)


FACTORS = ("occupation", "skills", "education", "commute", "languages", "stem", "hours_shift")


@dataclass(frozen=True)
class Weights:
    """How much each factor counts, editable by a portal admin (store ``to_dict()`` in the DB).

    The total score of a pair is the weighted mean of the factor scores that apply to the
    vacancy (weights renormalised per vacancy over the applicable factors), so it lies in [0, 1]
    whatever the weights' sum.  A factor does not apply when the vacancy gives it nothing to
    judge: no occupation, no skills listed, no minimum EQF, no place, not a STEM vacancy, no
    hours and no shift work.  Defaults match ``matching.models.MatchingWeights``.

    occupation, skills, education, commute, languages, stem, hours_shift: factor weights >= 0.
    essential_skill_weight, optional_skill_weight: inside the skills factor, how much the
        coverage of the essential and of the optional skills count (relative, >= 0).
    top_k: shortlist length per vacancy.
    """

    occupation: float = 0.25
    skills: float = 0.30
    education: float = 0.10
    commute: float = 0.15
    languages: float = 0.05
    stem: float = 0.05
    hours_shift: float = 0.10
    essential_skill_weight: float = 2.0
    optional_skill_weight: float = 1.0
    top_k: int = 50

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "top_k":
                if isinstance(value, bool) or int(value) != value or value < 1:
                    raise ValueError("Weights.top_k must be a positive integer")
                object.__setattr__(self, "top_k", int(value))
                continue
            value = float(value)
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"Weights.{f.name} must be a finite number >= 0, got {value!r}")
            object.__setattr__(self, f.name, value)
        if sum(self.factor_weights_raw()) <= 0:
            raise ValueError("Weights: at least one factor weight must be positive")
        if self.essential_skill_weight + self.optional_skill_weight <= 0:
            raise ValueError("Weights: essential_skill_weight + optional_skill_weight must be positive")

    def factor_weights_raw(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in FACTORS)

    def factor_weights(self) -> tuple[float, ...]:
        """Factor weights in FACTORS order, scaled to sum to 1."""
        raw = self.factor_weights_raw()
        total = sum(raw)
        return tuple(w / total for w in raw)

    @classmethod
    def from_dict(cls, values: Mapping[str, Any], *, ignore_unknown: bool = False) -> Weights:
        """Build from a dict such as a DB row; missing keys keep their defaults, None too."""
        names = {f.name for f in fields(cls)}
        unknown = set(values) - names
        if unknown and not ignore_unknown:
            raise ValueError(f"Weights: unknown keys {sorted(unknown)}")
        return cls(**{k: v for k, v in values.items() if k in names and v is not None})

    def to_dict(self) -> dict[str, float | int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class EngineConfig:
    """Tuning knobs that do not change results.

    chunk_size: vacancies scored per batch; memory is about chunk_size x N x 4 bytes per thread.
    n_threads: worker threads over chunks (numpy and scipy release the GIL in the heavy loops);
        None = min(4, os.cpu_count()).  Use 1 when several worker processes share the cores.
    reason_text: put the English text of each explanation reason under "text" (about a third of
        the time spent building explanations).
    row_cache_mb: memory for cached per-candidate rows (one float32 row of N per distinct vacancy
        place, occupation, education/language/hours requirement); least recently used rows are
        dropped beyond it.
    near_miss_k: near misses kept per vacancy (the one knob here that changes output; shortlists
        are unaffected).  10 by default: a caseworker can review ten training routes next to a
        shortlist, and a bound keeps the stored rows proportional to the vacancies, like the
        shortlist itself.  0 = compute none.
    """

    chunk_size: int = 128
    n_threads: int | None = None
    reason_text: bool = True
    row_cache_mb: int = 768
    near_miss_k: int = 10

    def __post_init__(self) -> None:
        if self.chunk_size < 1:
            raise ValueError("EngineConfig.chunk_size must be >= 1")
        if self.n_threads is not None and self.n_threads < 1:
            raise ValueError("EngineConfig.n_threads must be >= 1 or None")
        if self.row_cache_mb < 0:
            raise ValueError("EngineConfig.row_cache_mb must be >= 0")
        if self.near_miss_k < 0:
            raise ValueError("EngineConfig.near_miss_k must be >= 0")

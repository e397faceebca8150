"""The bulk scorer: every candidate against every vacancy, vectorised and streamed by chunks.

How the work is organised (N candidates, M vacancies, C vacancies per chunk):

* Candidates who did not consent to matching are dropped up front; the rest are put in order of
  ``available_from`` so that the availability filter of a vacancy is a suffix of the row
  (``row[cut:]``), found by one ``searchsorted``.
* Skills: the candidates' skill matrix, restricted to the skills that any vacancy lists, is kept
  sparse and transposed (CSR U x N float32: memory follows the non-zero skills, not N x all
  skills); the vacancies' essential/optional skills become one CSR matrix (M x U) whose entries
  already carry the skill weights.  A chunk's skill scores are one sparse-times-sparse product
  (work in proportion to the skills candidates and vacancies share), made dense vacancy-major
  (C x N) so each vacancy's row is contiguous.
* Everything else depends on a candidate only through a few small "classes" (commute: home place,
  modes, limit; education: EQF and the min-secondary flag; languages: the four CEFR levels plus
  country and cross-border consent; STEM, hours, shifts; occupation: the best ISCO level of the
  desired occupations, computed per occupation when first asked for) and on the vacancy through
  a handful of values.  For each distinct vacancy value (a place with its shift start hours when
  the travel model has a timetable, an occupation, an education requirement ...)
  the engine evaluates the rules once per candidate class (float64, rules.py), turns the result
  into one float32 row over all candidates (one gather), and caches it.  A vacancy's total is
  then its skills row plus at most five cached rows.  Failed hard filters add rules.PENALTY,
  so excluded candidates sink below zero.
* The per-reason exclusion counts come from the same class tables (class sizes x failures):
  no pass over candidates is needed for them.
* Essential skills (a hard filter): a second sparse product of the vacancies' essential skills
  (unweighted) with the same candidate matrix counts the met ones; a candidate missing any gets
  rules.PENALTY, one missing one or two gets the near-miss offset instead (below).
* Near misses (rules.py): a failure that is closable (1-2 essential skills, one CEFR level of one
  language, one EQF level) adds rules.NEAR_MISS_OFFSET (-16) and the failing part's value *as if
  closed* instead of the penalty, so a pair failing only that lies in [-16, -15]: the near misses
  of a vacancy are a band of the same float32 row, selected like the shortlist and re-scored
  exactly (pairs.py).  The shortlist is untouched: those rows stay far below zero.
* Top K per vacancy: the K-th largest of the row's block maxima (blocks of 256) is a lower bound
  of the K-th largest score, so only the few candidates above it are partitioned.  The float32
  pre-selection keeps everyone within ``_EPS`` of the K-th score; these are re-scored exactly in
  float64 (pairs.py) and ordered by (score desc, candidate id asc), so ties and rounding never
  change the result: it equals the naive per-pair ranking.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import scipy.sparse as sp

from . import rules
from .commute import CommuteModel, build_commute_model
from .data import (
    FACTORS,
    LANGUAGES,
    MAX_CEFR,
    MAX_COMMUTE_MINUTES,
    MAX_EQF,
    MAX_HOURS,
    CandidateProfiles,
    EngineConfig,
    Places,
    Taxonomy,
    VacancyProfiles,
    Weights,
)
from .explain import Labels, ReasonBuilder
from .pairs import PairBatch, evaluate_pairs
from .results import PairResults, VacancyResult, _MatchFactory

_BLOCK = 256  # block length for the top-K threshold
_EPS = np.float32(2e-5)  # float32 rounding margin (scores are sums of < 40 float32 terms <= 1)
_ELIGIBLE = np.float32(-0.5)  # rows above this passed every filter (a failure adds -1e4)
# Rows above this passed every filter or failed closable ones only (the inverted index keeps them).
_REACHABLE = rules.NEAR_MISS_OFFSET * 2 + np.float32(0.5)
_NEAR_LOW = rules.NEAR_MISS_OFFSET - np.float32(0.5)  # the band of exactly one closable failure
_NEAR_HIGH = rules.NEAR_MISS_OFFSET + np.float32(1.5)
_NEAR_EPS = np.float32(2e-4)  # float32 spacing at 16 is 2e-6; a wide margin costs a few re-scores

_N_LANG_LEVELS = MAX_CEFR + 1
_N_HOURS = MAX_HOURS + 1


def _lang_key(levels: np.ndarray) -> np.ndarray:
    """Encode (..., 4) CEFR levels as one int in [0, 7**4)."""
    levels = np.asarray(levels, np.int64)
    return sum(levels[..., k] * _N_LANG_LEVELS**k for k in range(len(LANGUAGES)))


class _IdIndex:
    """Database ids -> row positions."""

    def __init__(self, ids: np.ndarray, what: str) -> None:
        self.order = np.argsort(ids, kind="stable")
        self.sorted = ids[self.order]
        self.what = what

    def rows(self, ids: Iterable[int] | np.ndarray) -> np.ndarray:
        if not isinstance(ids, np.ndarray):
            ids = list(ids)
        ids = np.atleast_1d(np.asarray(ids, dtype=np.int64))
        pos = np.searchsorted(self.sorted, ids)
        pos_ok = np.minimum(pos, max(self.sorted.size - 1, 0))
        if self.sorted.size:
            found = (pos < self.sorted.size) & (self.sorted[pos_ok] == ids)
        else:
            found = np.zeros(ids.shape, bool)
        if not found.all():
            raise KeyError(f"unknown {self.what} ids: {ids[~found][:10].tolist()}")
        return self.order[pos_ok]


class _RowCache:
    """Thread-safe LRU of float32 rows (plus their exclusion counts) under a byte budget."""

    def __init__(self, budget: int) -> None:
        self.budget, self.used = budget, 0
        self.items: OrderedDict[tuple, tuple[np.ndarray | None, dict[str, int]]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple, compute: Callable[[], tuple[np.ndarray | None, dict[str, int]]]):
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
                return hit
        value = compute()  # outside the lock: two threads may compute the same row once each
        size = value[0].nbytes if value[0] is not None else 0
        with self.lock:
            if key not in self.items:
                self.items[key] = value
                self.used += size
                while self.used > self.budget and len(self.items) > 1:
                    _, (row, _) = self.items.popitem(last=False)
                    self.used -= row.nbytes if row is not None else 0
        return value


@dataclass(frozen=True, eq=False)
class FloorData:
    """The engine's own arrays, for the floor: the cheapest known way to the engine's shortlists.

    xt: CSR float32 (U, n) candidates' skills, transposed, restricted to the U used skills.
    vw: CSR float32 (M, U) vacancies' weighted essential + optional skills.
    ve: CSR float32 (M, U) vacancies' essential skills (1 each); n_ess: int64 (M,) their number.
    k: top-K size.
    ids: int64 (n,) candidate ids (in the engine's candidate order); available_from: int32 (n,)
        sorted; start_day: int32 (M,).
    order: int64 (M,) vacancy rows in processing order (vacancies sharing values are neighbours).
    rows: vacancy row -> the float32 rows (n,) of its hard filters and other factors (per-class
        tables gathered over the candidates, failures penalised), from a fresh LRU cache.
    exact: (candidate positions, vacancy rows) -> float64 exact totals of those pairs; float32
        rounding makes equal scores unequal, so the order among near-ties needs exact scores.
    """

    xt: sp.csr_matrix
    vw: sp.csr_matrix
    ve: sp.csr_matrix
    n_ess: np.ndarray
    k: int
    ids: np.ndarray
    available_from: np.ndarray
    start_day: np.ndarray
    order: np.ndarray
    rows: Callable[[int], list[np.ndarray]]
    exact: Callable[[np.ndarray, np.ndarray], np.ndarray]


def floor_chunk(data: FloorData, start: int, stop: int) -> list[np.ndarray]:
    """The bare operations the engine cannot avoid, for the vacancy rows ``data.order[start:stop]``.

    The sparse skill product of the chunk (and of its essential skills: a hard filter), the rows of every hard filter and factor added (each
    a per-class table gathered once per distinct vacancy value), the availability suffix, and
    the block-maximum top-K of each vacancy's float32 row; the few candidates kept are scored
    exactly (float64, one call per chunk) and ordered by (score desc, candidate id asc).  No
    exclusion or eligible counts, no explanations, no result objects.  Returns, per vacancy,
    int64 candidate positions (at most k, only candidates passing every filter).
    """
    js = data.order[start:stop]
    n = data.xt.shape[1]
    if n:
        scores = np.ascontiguousarray((data.vw[js] @ data.xt).toarray(), dtype=np.float32)
    else:
        scores = np.zeros((js.size, 0), np.float32)
    met = (data.ve[js] @ data.xt).tocsr()
    selections = []
    for c, j in enumerate(js.tolist()):
        row = scores[c]
        if data.n_ess[j]:
            lacking = np.full(n, rules.PENALTY, np.float32)
            part = slice(met.indptr[c], met.indptr[c + 1])
            lacking[met.indices[part]] = np.where(met.data[part] >= data.n_ess[j], 0, rules.PENALTY)
            row += lacking
        for extra in data.rows(j):
            row += extra
        if data.start_day[j] >= 0:
            row[int(np.searchsorted(data.available_from, data.start_day[j], side="right")) :] += rules.PENALTY
        selections.append(_select_top(row, data.k))
    lengths = [x.size for x in selections]
    positions = np.concatenate(selections) if selections else np.zeros(0, np.int64)
    total = data.exact(positions, np.repeat(js, lengths))
    out = []
    for part in np.split(np.arange(positions.size), np.cumsum(lengths)[:-1]):
        order = np.lexsort((data.ids[positions[part]], -total[part]))[: data.k]
        out.append(positions[part[order]])
    return out


def floor_run(data: FloorData, chunk_size: int = 128, n_threads: int | None = None) -> int:
    """floor_chunk over all vacancies, threaded like the engine; returns the number shortlisted."""
    m = data.vw.shape[0]
    starts = range(0, m, chunk_size)
    with ThreadPoolExecutor(_threads(n_threads)) as pool:
        chunks = pool.map(lambda s: floor_chunk(data, s, min(s + chunk_size, m)), starts)
        return sum(len(top) for chunk in chunks for top in chunk)


def _threads(n_threads: int | None) -> int:
    return n_threads if n_threads is not None else max(1, min(4, os.cpu_count() or 1))


def _select_near(row: np.ndarray, k: int) -> np.ndarray:
    """Positions of every near-miss entry (one closable failure) that may be among the k best."""
    if k == 0 or row.size == 0:
        return np.zeros(0, np.int64)
    selected = np.flatnonzero((row > _NEAR_LOW) & (row < _NEAR_HIGH))
    if selected.size > k:
        values = row[selected]
        kth = np.partition(values, selected.size - k)[selected.size - k]
        selected = selected[values >= kth - _NEAR_EPS]
    return selected


def _select_top(row: np.ndarray, k: int) -> np.ndarray:
    """Positions of every eligible entry that may be among the k best, allowing for rounding."""
    n = row.shape[0]
    cutoff = _ELIGIBLE
    n_blocks = n // _BLOCK
    if n_blocks >= 2 * k:
        maxima = row[: n_blocks * _BLOCK].reshape(n_blocks, _BLOCK).max(axis=1)
        kth = np.partition(maxima, n_blocks - k)[n_blocks - k]
        cutoff = max(cutoff, kth - 2 * _EPS)  # a superset of what the exact cut below keeps
    selected = np.flatnonzero(row > cutoff)
    if selected.size > k:
        values = row[selected]
        kth = np.partition(values, selected.size - k)[selected.size - k]
        selected = selected[values >= kth - _EPS]
    return selected


class _Bulk:
    """Precomputed arrays for ranking all consenting candidates (built on first use)."""

    def __init__(self, engine: MatchingEngine) -> None:
        c, v, w = engine.candidates, engine.vacancies, engine.weights
        self.engine = engine
        consenting = np.flatnonzero(c.consent_matching)
        self.cand_rows = consenting[np.argsort(c.available_from[consenting], kind="stable")]
        self.n = int(self.cand_rows.size)
        self.available_from = c.available_from[self.cand_rows]
        self.n_no_consent = int(c.n - self.n)
        wf = dict(zip(FACTORS, w.factor_weights()))
        self.wf = wf

        # Skills: sparse transposed candidate matrix over the skills vacancies use (never dense:
        # with the full ESCO vocabulary a dense one would be N x 13,900 floats).
        used = np.union1d(v.essential_skills.indices, v.optional_skills.indices).astype(np.int64)
        remap = np.full(max(c.skills.shape[1], 1), -1, dtype=np.int64)
        remap[used] = np.arange(used.size)
        self.xt = sp.csr_matrix(c.skills[self.cand_rows].T.tocsr()[used], dtype=np.float32)  # (U, n)
        self.xt.sort_indices()
        n_ess = np.diff(v.essential_skills.indptr)
        n_opt = np.diff(v.optional_skills.indptr)
        w_ess, w_opt = rules.skill_column_weights(n_ess, n_opt, w)
        weighted = (
            sp.diags(w_ess * wf["skills"]) @ v.essential_skills + sp.diags(w_opt * wf["skills"]) @ v.optional_skills
        ).tocsr()
        weighted = sp.csr_matrix(
            (weighted.data, remap[weighted.indices], weighted.indptr), shape=(v.n, used.size), dtype=np.float32
        )
        weighted.sort_indices()
        self.vw = weighted
        # Essential skills, unweighted: the product with xt counts the ones each candidate has.
        ess = v.essential_skills.tocsr()
        self.ve = sp.csr_matrix(
            (np.ones(ess.nnz, np.float32), remap[ess.indices], ess.indptr), shape=(v.n, used.size), dtype=np.float32
        )
        self.ve.sort_indices()
        self.n_ess = n_ess.astype(np.int64)
        # Value of the missing essential skills as if met (near misses: ranked as if closed).
        self.w_one_essential = (w_ess * wf["skills"]).astype(np.float32)

        # Candidate classes (in bulk order); gather indices as intp so np.take does not convert.
        rows = self.cand_rows
        # Commute classes: (home place, modes, limit).
        combo = ((c.place[rows].astype(np.int64) + 1) * 8 + c.commute_modes[rows]) * (
            MAX_COMMUTE_MINUTES + 1
        ) + c.max_commute_minutes[rows]
        _, first, inverse, counts = np.unique(combo, return_index=True, return_inverse=True, return_counts=True)
        first = rows[first]
        self.combo_inv = inverse.astype(np.intp).ravel()
        self.combo_counts = counts
        self.combo = {"place": c.place[first], "modes": c.commute_modes[first], "max": c.max_commute_minutes[first]}
        self.edu_key = c.eqf[rows].astype(np.intp) * 2 + c.has_min_secondary[rows]
        self.edu_counts = np.bincount(self.edu_key, minlength=(MAX_EQF + 1) * 2)
        # Language classes also carry (country, cross-border consent): the vacancy's language key
        # includes its country, so the cross-border filter costs no extra row.
        lang = (_lang_key(c.languages[rows]) * 3 + c.country[rows]) * 2 + c.consent_cross_border[rows]
        _, first, inverse, counts = np.unique(lang, return_index=True, return_inverse=True, return_counts=True)
        first = rows[first]
        self.lang_inv = inverse.astype(np.intp).ravel()
        self.lang_counts = counts
        self.lang_class = {
            "levels": c.languages[first],
            "country": c.country[first],
            "consent_cb": c.consent_cross_border[first],
        }
        self.hs_key = (
            c.stem_background[rows].astype(np.intp) * 2 + c.accepts_shift_work[rows]
        ) * _N_HOURS + c.hours_wanted[rows]
        # Occupation: the best level (rules.OCC_*) of each candidate against an occupation is
        # computed when a vacancy first asks for it (one reduceat over the desired lists) and
        # cached as a row: no (occupations x candidates) table is held.
        self.desired = c.desired_occupations[rows]
        self.desired_starts = self.desired.indptr[:-1][np.diff(self.desired.indptr) > 0]
        self.desired_nonempty = np.diff(self.desired.indptr) > 0

        # Vacancy class keys (row computed per distinct key, shared by all vacancies with it).
        # The commute row depends on the place and, with a timetable, on the shift start hours.
        self.pt_arrive_by = engine.commute.pt_arrive_by
        shift_key = v.shift_start_hours.astype(np.int64) if self.pt_arrive_by is not None else np.zeros(v.n, np.int64)
        self.v_place_key = (v.place.astype(np.int64) + 1) << 24 | shift_key
        self.v_occ_key = v.occupation.astype(np.int64)
        self.v_edu_key = v.min_eqf.astype(np.int64) * 2 + v.requires_min_secondary
        self.v_lang_key = _lang_key(v.languages) * 2 + v.country
        self.v_hs_key = (v.is_stem.astype(np.int64) * 2 + v.shift_work) * _N_HOURS + v.hours_per_week
        # Processing order: vacancies sharing rows are neighbours, so cached rows get reused.
        self.order = np.lexsort((self.v_hs_key, self.v_lang_key, self.v_edu_key, self.v_occ_key, self.v_place_key))
        self.cache = _RowCache(engine.config.row_cache_mb * 2**20)

    # --- rows per vacancy value -------------------------------------------------------------------
    # A *table* holds one float32 value per candidate class (None: the same for everyone); a *row*
    # is that table gathered over the candidates (np.take with the class index) and cached.
    @staticmethod
    def _table(
        values: np.ndarray,
        fails: np.ndarray,
        counts: np.ndarray,
        reasons: tuple[int, ...],
        closable: np.ndarray | None = None,
        closed_values: np.ndarray | None = None,
    ) -> tuple[np.ndarray | None, dict[str, int]]:
        table = values.astype(np.float32) + np.where(fails != 0, rules.PENALTY, np.float32(0))
        if closable is not None and closable.any():
            # A near miss: the value as if closed, offset into the near-miss band.
            table = np.where(closable, closed_values.astype(np.float32) + rules.NEAR_MISS_OFFSET, table)
        tally = {rules.REASONS[b.bit_length() - 1]: int(counts[(fails & b) != 0].sum()) for b in reasons}
        if table.size == 0 or (not fails.any() and (table == table[0]).all()):
            return None, tally  # the same for everyone: shifts no ranking (final scores are recomputed)
        return table, tally

    @staticmethod
    def _gathered(table_tally: tuple[np.ndarray | None, dict[str, int]], index: np.ndarray):
        table, tally = table_tally
        return (None if table is None else np.take(table, index)), tally

    def place_table(self, key: int):
        vp, shift_hours = (key >> 24) - 1, key & ((1 << 24) - 1)
        cb = self.combo
        score, _, fails, _, _ = rules.commute_eval(
            self.engine.commute.minutes, cb["place"], cb["modes"], cb["max"], vp, shift_hours, self.pt_arrive_by
        )
        values = self.wf["commute"] * score if vp >= 0 else np.zeros(score.shape)
        reasons = (
            rules.F_MISSING_PLACE,
            rules.F_MISSING_MODES,
            rules.F_MISSING_MAX,
            rules.F_TOO_FAR,
            rules.F_NO_TRANSIT_SHIFT,
        )
        return self._table(values, fails, self.combo_counts, reasons)

    def education_table(self, key: int):
        classes = np.arange(self.edu_counts.size)
        score, applicable, fails = rules.education_eval(classes // 2, classes % 2 == 1, key // 2, key % 2 == 1)
        reasons = (rules.F_MISSING_DIPLOMA, rules.F_BELOW_EQF, rules.F_NO_MIN_SECONDARY)
        closable = (fails == rules.F_BELOW_EQF) & (classes // 2 == key // 2 - 1)
        closed = np.full(classes.size, self.wf["education"] * rules.EDU_EXACT_SCORE)
        values = self.wf["education"] * np.where(applicable, score, 0.0)
        return self._table(values, fails, self.edu_counts, reasons, closable, closed)

    def language_table(self, key: int):
        required = _all_lang_levels_row(key // 2)
        vc = key % 2
        lc = self.lang_class
        score, _, fails = rules.language_eval(lc["levels"], required[None, :], vc)
        fails = fails | rules.cross_border_fails(lc["country"], lc["consent_cb"], vc)
        reasons = (rules.F_NO_CROSS_BORDER, rules.F_MISSING_LANGUAGES, rules.F_LANGUAGE)
        one_short, _ = rules.closable_language(lc["levels"], required[None, :])
        closable = (fails == rules.F_LANGUAGE) & one_short
        closed = np.zeros(closable.shape)
        if closable.any():
            raised = rules.close_language(lc["levels"], required[None, :], closable)
            closed = self.wf["languages"] * rules.language_eval(raised, required[None, :], vc)[0]
        return self._table(self.wf["languages"] * score, fails, self.lang_counts, reasons, closable, closed)

    def hours_stem_table(self, key: int):
        classes = np.arange(4 * _N_HOURS)
        stem, shift, hours = classes // _N_HOURS // 2, classes // _N_HOURS % 2, classes % _N_HOURS
        v_stem, v_shift, v_hours = key // _N_HOURS // 2, key // _N_HOURS % 2, key % _N_HOURS
        s_score, s_app = rules.stem_eval(stem == 1, v_stem == 1)
        h_score, h_app = rules.hours_shift_eval(hours, shift == 1, v_hours, v_shift == 1)
        values = np.where(s_app, self.wf["stem"] * s_score, 0.0) + np.where(
            h_app, self.wf["hours_shift"] * h_score, 0.0
        )
        return self._table(values, np.zeros(classes.size, np.int64), np.zeros(classes.size), ())

    def occupation_table(self) -> np.ndarray:
        """float32 score per rules.OCC_* level (gathered with ``occupation_levels(occ)``)."""
        return (rules.occupation_level_scores() * self.wf["occupation"]).astype(np.float32)

    def occupation_levels(self, occ: int) -> np.ndarray:
        """int8 (n,) best rules.OCC_* level of each candidate's desired occupations against ``occ``."""
        levels = np.zeros(self.n, dtype=np.int8)
        if self.desired.nnz:
            per_wish = self.engine.level_matrix[self.desired.indices, occ]
            levels[self.desired_nonempty] = np.maximum.reduceat(per_wish, self.desired_starts)
        return levels

    def place_row(self, key: int):
        return self.cache.get(("place", key), lambda: self._gathered(self.place_table(key), self.combo_inv))

    def occupation_row(self, occ: int):
        def compute():
            if occ < 0:
                return None, {}
            return np.take(self.occupation_table(), self.occupation_levels(occ)), {}

        return self.cache.get(("occupation", occ), compute)

    def education_row(self, key: int):
        return self.cache.get(("education", key), lambda: self._gathered(self.education_table(key), self.edu_key))

    def language_row(self, key: int):
        return self.cache.get(("languages", key), lambda: self._gathered(self.language_table(key), self.lang_inv))

    def hours_stem_row(self, key: int):
        return self.cache.get(("hours_stem", key), lambda: self._gathered(self.hours_stem_table(key), self.hs_key))

    # --- a chunk of vacancies --------------------------------------------------------------------
    def skill_rows(self, js: np.ndarray) -> np.ndarray:
        """float32 (len(js), n) weighted skill scores, C-contiguous (one sparse product)."""
        if not self.n:
            return np.zeros((len(js), 0), np.float32)
        return np.ascontiguousarray((self.vw[js] @ self.xt).toarray(), dtype=np.float32)

    def essential_met(self, js: np.ndarray) -> sp.csr_matrix:
        """CSR (len(js), n): essential skills of vacancy js[c] each candidate has (absent = none)."""
        return (self.ve[js] @ self.xt).tocsr()

    def essential_row(self, j: int, met_indices: np.ndarray, met_counts: np.ndarray, n: int) -> np.ndarray | None:
        """float32 (n,) the essential-skills filter of vacancy j over n candidates of which
        ``met_indices`` have ``met_counts`` essential skills (the others none); None: no essentials."""
        n_ess = int(self.n_ess[j])
        if n_ess == 0:
            return None
        w = self.w_one_essential[j]
        by_missing = np.full(n_ess + 1, rules.PENALTY, np.float32)  # missing count -> row value
        by_missing[0] = 0
        for gap in range(1, min(rules.MAX_CLOSABLE_SKILLS, n_ess) + 1):
            by_missing[gap] = rules.NEAR_MISS_OFFSET + np.float32(gap) * w
        row = np.full(n, by_missing[n_ess], np.float32)
        row[met_indices] = by_missing[n_ess - met_counts.astype(np.int64)]
        return row

    # --- one vacancy, through the inverted index -------------------------------------------------
    @cached_property
    def filter_index(self) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Inverted index of the hard-filter classes: class -> its candidates (built on first use).

        Per rule (commute = home place x modes x limit, i.e. the travel-time band a vacancy's place
        accepts; education; languages with country and cross-border consent): (class index per
        candidate, candidate positions grouped by class, start of each class's group).
        Availability needs none: candidates are sorted by it, so it is a prefix.
        """
        index = {}
        for name, inv, n_classes in (
            ("commute", self.combo_inv, self.combo_counts.size),
            ("education", self.edu_key, self.edu_counts.size),
            ("languages", self.lang_inv, self.lang_counts.size),
        ):
            grouped = np.argsort(inv, kind="stable")
            starts = np.searchsorted(inv[grouped], np.arange(n_classes + 1))
            index[name] = (inv, grouped, starts)
        return index

    @cached_property
    def x_rows(self) -> sp.csr_matrix:
        """Candidate-major CSR (n, U) of the used skills, for scoring a subset of candidates."""
        return self.xt.T.tocsr()

    def match_one(self, j: int, k: int, near_k: int = 0) -> tuple[PairBatch, np.ndarray, dict, int, np.ndarray]:
        """The shortlist of vacancy row j scoring only the candidates that pass its hard filters
        (or fail closable ones only: the near misses).

        The candidates come from the inverted index of the most selective filter, are checked
        against the others through their classes, and only they are scored (float32 row, the
        same block-maximum top-K, exact float64 re-score): cost follows the candidates who can
        match, not the register.  Essential skills are not indexed: a candidate without them may
        be a near miss; their count over everyone is one sparse row product.  Same result as
        score_chunk: (batch, shortlist positions, exclusions, eligible, near-miss positions).
        """
        engine = self.engine
        tally = dict.fromkeys(rules.REASONS, 0)
        tally["no_consent_matching"] = self.n_no_consent
        tables = {
            name: self.cache.get(("table", name, key), lambda f=table_of, key=key: f(key))
            for name, table_of, key in (
                ("commute", self.place_table, int(self.v_place_key[j])),
                ("education", self.education_table, int(self.v_edu_key[j])),
                ("languages", self.language_table, int(self.v_lang_key[j])),
            )
        }
        key = int(self.v_hs_key[j])
        hours_stem, _ = self.cache.get(("table", "hours_stem", key), lambda: self.hours_stem_table(key))
        cut = self.n
        start = int(engine.vacancies.start_day[j])
        if start >= 0:
            cut = int(np.searchsorted(self.available_from, start, side="right"))
            tally["not_available_in_time"] = self.n - cut
        passing: dict[str, np.ndarray] = {}
        for name, (table, counts) in tables.items():
            tally.update(counts)
            if table is not None:
                passing[name] = table > _REACHABLE
        sizes = {name: int(np.diff(self.filter_index[name][2])[ok].sum()) for name, ok in passing.items()}
        if sizes and min(sizes.values()) < cut:
            name = min(sizes, key=sizes.get)
            _, grouped, starts = self.filter_index[name]
            classes = np.flatnonzero(passing[name])
            lengths = starts[classes + 1] - starts[classes]
            offsets = np.repeat(starts[classes] - np.cumsum(lengths) + lengths, lengths)
            positions = grouped[np.arange(int(lengths.sum())) + offsets]
            keep = positions < cut
        else:
            name, positions = "", np.arange(cut)
            keep = np.ones(cut, dtype=bool)
        for other, ok in passing.items():
            if other != name:
                keep &= ok[self.filter_index[other][0][positions]]
        positions = np.sort(positions[keep])

        row = np.zeros(positions.size, np.float32)
        if positions.size and self.vw.shape[1]:
            row += (self.x_rows[positions] @ self.vw[j].T).toarray().ravel()
        for name, (table, _) in tables.items():
            if table is not None:
                row += np.take(table, self.filter_index[name][0][positions])
        if hours_stem is not None:
            row += np.take(hours_stem, self.hs_key[positions])
        if self.n_ess[j]:
            met = (self.ve[j] @ self.xt).tocsr()
            met.sort_indices()
            tally["missing_essential_skills"] = self.n - int(np.count_nonzero(met.data >= self.n_ess[j]))
            at = np.minimum(np.searchsorted(met.indices, positions), max(met.indices.size - 1, 0))
            has = (met.indices[at] == positions) if met.indices.size else np.zeros(positions.size, bool)
            row += self.essential_row(j, np.flatnonzero(has), met.data[at[has]], positions.size)
        occ = int(self.v_occ_key[j])
        if occ >= 0 and positions.size:
            sub = self.desired[positions]
            nonempty = np.diff(sub.indptr) > 0
            levels = np.zeros(positions.size, dtype=np.int8)
            if sub.nnz:
                levels[nonempty] = np.maximum.reduceat(engine.level_matrix[sub.indices, occ], sub.indptr[:-1][nonempty])
            row += np.take(self.occupation_table(), levels)
        js = np.array([j])
        batch, top, near = self._rescore(
            js, [positions[_select_top(row, k)]], [positions[_select_near(row, near_k)]], k, near_k
        )
        return batch, top[0], tally, int(np.count_nonzero(row > _ELIGIBLE)), near[0]

    def score_chunk(
        self, js: np.ndarray, k: int, near_k: int = 0
    ) -> tuple[PairBatch, list[np.ndarray], list[dict], np.ndarray, list[np.ndarray]]:
        """Shortlists for the vacancy rows ``js``: (batch, positions in batch per vacancy, exclusions,
        eligible, positions of the near misses per vacancy)."""
        v = self.engine.vacancies
        rows = self.skill_rows(js)
        met = self.essential_met(js)
        near: list[np.ndarray] = []
        selections: list[np.ndarray] = []
        exclusions: list[dict] = []
        eligible = np.zeros(len(js), dtype=np.int64)
        for c, j in enumerate(js.tolist()):
            row = rows[c]
            tally = dict.fromkeys(rules.REASONS, 0)
            tally["no_consent_matching"] = self.n_no_consent
            for extra, counts in (
                self.place_row(int(self.v_place_key[j])),
                self.occupation_row(int(self.v_occ_key[j])),
                self.education_row(int(self.v_edu_key[j])),
                self.language_row(int(self.v_lang_key[j])),
                self.hours_stem_row(int(self.v_hs_key[j])),
            ):
                if extra is not None:
                    np.add(row, extra, out=row)
                tally.update(counts)
            start = int(v.start_day[j])
            if start >= 0:
                cut = int(np.searchsorted(self.available_from, start, side="right"))
                if cut < self.n:
                    row[cut:] += rules.PENALTY
                tally["not_available_in_time"] = self.n - cut
            part = slice(met.indptr[c], met.indptr[c + 1])
            essential = self.essential_row(j, met.indices[part], met.data[part], self.n)
            if essential is not None:
                np.add(row, essential, out=row)
                tally["missing_essential_skills"] = self.n - int(np.count_nonzero(met.data[part] >= self.n_ess[j]))
            eligible[c] = np.count_nonzero(row > _ELIGIBLE)
            selections.append(_select_top(row, k))
            near.append(_select_near(row, near_k))
            exclusions.append(tally)
        del rows
        batch, positions, near_positions = self._rescore(js, selections, near, k, near_k)
        return batch, positions, exclusions, eligible, near_positions

    def _rescore(
        self, js: np.ndarray, selections: list[np.ndarray], near: list[np.ndarray], k: int, near_k: int
    ) -> tuple[PairBatch, list[np.ndarray], list[np.ndarray]]:
        """Exact float64 scores of the pre-selected candidates (positions in the bulk order) of
        each vacancy js[c]; the shortlist (score desc, id asc, at most k) and the near misses
        (score as if closed desc, id asc, at most near_k) as positions in the batch."""
        engine = self.engine
        lengths = [s.size for s in selections] + [s.size for s in near]
        picked = selections + near
        cand_rows = self.cand_rows[np.concatenate(picked)] if picked else np.zeros(0, np.int64)
        batch = evaluate_pairs(
            engine.candidates,
            engine.vacancies,
            engine.commute,
            engine.weights,
            engine.level_matrix,
            cand_rows,
            np.concatenate([np.repeat(js, lengths[: len(js)]), np.repeat(js, lengths[len(js) :])]),
        )
        ids = engine.candidates.ids[batch.cand_rows]
        positions, near_positions = [], []
        start = 0
        for c, length in enumerate(lengths):
            part = np.arange(start, start + length)
            if c < len(js):
                positions.append(part[np.lexsort((ids[part], -batch.total[part]))[:k]])
            else:
                part = part[batch.gap_kind[part] != rules.GAP_NONE]
                near_positions.append(part[np.lexsort((ids[part], -batch.closed_total[part]))[:near_k]])
            start += length
        return batch, positions, near_positions


def _all_lang_levels_row(key: int) -> np.ndarray:
    return np.array([key // _N_LANG_LEVELS**k % _N_LANG_LEVELS for k in range(len(LANGUAGES))], dtype=np.int64)


class MatchingEngine:
    """Scores candidates against vacancies; see the package docstring for the API."""

    def __init__(
        self,
        places: Places,
        taxonomy: Taxonomy,
        candidates: CandidateProfiles,
        vacancies: VacancyProfiles,
        weights: Weights | None = None,
        *,
        commute: CommuteModel | None = None,
        config: EngineConfig | None = None,
    ) -> None:
        self.places, self.taxonomy = places, taxonomy
        self.candidates, self.vacancies = candidates, vacancies
        self.weights = weights or Weights()
        self.config = config or EngineConfig()
        self._check_consistency()
        self.commute = commute or build_commute_model(places)
        if self.commute.n_places != places.n:
            raise ValueError("commute model and places disagree on the number of places")
        arrive_by = self.commute.pt_arrive_by
        if arrive_by is not None and arrive_by.shape != (rules.HOURS_PER_DAY, places.n, places.n):
            raise ValueError("commute model: pt_arrive_by must be (24, P, P)")
        self.level_matrix = rules.occupation_level_matrix(taxonomy.occupation_isco)
        self.gaps = rules.candidate_gaps(candidates)
        self._cand_index = _IdIndex(candidates.ids, "candidate")
        self._vac_index = _IdIndex(vacancies.ids, "vacancy")
        labels = Labels.from_taxonomy(taxonomy, places.names)
        builder = ReasonBuilder(candidates, vacancies, self.commute, taxonomy, labels, self.config.reason_text)
        self._factory = _MatchFactory(builder, labels, candidates.ids, vacancies.ids)
        self._bulk: _Bulk | None = None
        self._bulk_lock = threading.Lock()

    def _check_consistency(self) -> None:
        c, v, t, p = self.candidates, self.vacancies, self.taxonomy, self.places
        if c.skills.shape[1] != t.n_skills or v.essential_skills.shape[1] != t.n_skills:
            raise ValueError("skill matrices must have taxonomy.n_skills columns")
        if c.desired_occupations.shape[1] != t.n_occupations:
            raise ValueError("desired_occupations must have taxonomy.n_occupations columns")
        if (c.place >= p.n).any() or (v.place >= p.n).any():
            raise ValueError("a place index is out of range")
        if (v.occupation >= t.n_occupations).any():
            raise ValueError("an occupation index is out of range")

    @property
    def bulk(self) -> _Bulk:
        with self._bulk_lock:
            if self._bulk is None:
                self._bulk = _Bulk(self)
            return self._bulk

    def prepare(self) -> None:
        """Do the precomputation for shortlists now (otherwise done on the first run)."""
        self.bulk  # noqa: B018

    # --- shortlists ------------------------------------------------------------------------------
    def run_chunks(
        self, vacancy_ids: Iterable[int] | None = None, *, explain: bool = False
    ) -> Iterator[list[VacancyResult]]:
        """Shortlists of the given vacancies (default: all), one list per chunk, streamed.

        explain=True builds every result's ``matches`` in the worker threads (worth it when the
        consumer persists them all); otherwise they are built on first access.
        """
        bulk = self.bulk
        if vacancy_ids is None:
            order = bulk.order
        else:
            rows = self._vac_index.rows(vacancy_ids)
            order = rows[np.argsort(np.argsort(bulk.order, kind="stable")[rows], kind="stable")]
        size = self.config.chunk_size
        chunks = [order[s : s + size] for s in range(0, order.size, size)]
        threads = _threads(self.config.n_threads)
        if threads == 1 or len(chunks) <= 1:
            for js in chunks:
                yield self._chunk_results(js, explain)
            return
        with ThreadPoolExecutor(threads) as pool:
            pending = []
            for js in chunks:  # keep a bounded number of chunks in flight (memory)
                pending.append(pool.submit(self._chunk_results, js, explain))
                if len(pending) > threads:
                    yield pending.pop(0).result()
            for future in pending:
                yield future.result()

    def run(self, vacancy_ids: Iterable[int] | None = None, *, explain: bool = False) -> Iterator[VacancyResult]:
        """Shortlists of the given vacancies (default: all), one VacancyResult per vacancy."""
        for chunk in self.run_chunks(vacancy_ids, explain=explain):
            yield from chunk

    def n_chunks(self, n_vacancies: int | None = None) -> int:
        n = self.vacancies.n if n_vacancies is None else n_vacancies
        return -(-n // self.config.chunk_size)

    def match_vacancy(self, vacancy_id: int) -> VacancyResult:
        """The shortlist of one vacancy (incremental rematch after the vacancy changed).

        Scores only the candidates that can pass the vacancy's hard filters (``_Bulk.match_one``);
        the same result as ``run([vacancy_id])``.
        """
        j = int(self._vac_index.rows([vacancy_id])[0])
        batch, pos, exclusions, eligible, near = self.bulk.match_one(j, self.weights.top_k, self.config.near_miss_k)
        return VacancyResult(
            vacancy_id=int(self.vacancies.ids[j]),
            candidate_ids=self.candidates.ids[batch.cand_rows[pos]],
            scores=batch.total[pos],
            factor_scores=np.where(batch.applicable[pos], batch.scores[pos], np.nan),
            candidates_total=self.candidates.n,
            eligible=eligible,
            exclusions=exclusions,
            _batch=batch,
            _positions=pos,
            _factory=self._factory,
            _near_positions=near,
        )

    def _chunk_results(self, js: np.ndarray, explain: bool = False) -> list[VacancyResult]:
        k = self.weights.top_k
        batch, positions, exclusions, eligible, near = self.bulk.score_chunk(js, k, self.config.near_miss_k)
        out = []
        for c, j in enumerate(js.tolist()):
            pos = positions[c]
            factor_scores = np.where(batch.applicable[pos], batch.scores[pos], np.nan)
            out.append(
                VacancyResult(
                    vacancy_id=int(self.vacancies.ids[j]),
                    candidate_ids=self.candidates.ids[batch.cand_rows[pos]],
                    scores=batch.total[pos],
                    factor_scores=factor_scores,
                    candidates_total=self.candidates.n,
                    eligible=int(eligible[c]),
                    exclusions=exclusions[c],
                    _batch=batch,
                    _positions=pos,
                    _factory=self._factory,
                    _near_positions=near[c],
                )
            )
        if explain:
            for result in out:
                result.matches  # noqa: B018 (cached_property: built here, in the worker)
                result.near_misses  # noqa: B018
        return out

    # --- explicit pairs ---------------------------------------------------------------------------
    def evaluate_pairs(self, candidate_ids: Iterable[int], vacancy_ids: Iterable[int]) -> PairResults:
        """Score the pairs (candidate_ids[p], vacancy_ids[p]) even if they fail filters.

        For refreshing approved matches: ``fails``/``failed_filters`` say which filters fail now.
        """
        c_rows = self._cand_index.rows(candidate_ids)
        v_rows = self._vac_index.rows(vacancy_ids)
        if c_rows.shape != v_rows.shape:
            raise ValueError("candidate_ids and vacancy_ids must have the same length")
        return self._pair_results(c_rows, v_rows)

    def score_candidate(self, candidate_id: int) -> PairResults:
        """One candidate against every vacancy (incremental rematch after the candidate changed).

        Compare ``scores[eligible]`` with each vacancy's current K-th score to update shortlists.
        """
        row = self._cand_index.rows([candidate_id])[0]
        v_rows = np.arange(self.vacancies.n)
        return self._pair_results(np.full(v_rows.size, row), v_rows)

    def _pair_results(self, c_rows: np.ndarray, v_rows: np.ndarray) -> PairResults:
        batch = evaluate_pairs(
            self.candidates, self.vacancies, self.commute, self.weights, self.level_matrix, c_rows, v_rows
        )
        return PairResults(
            candidate_ids=self.candidates.ids[c_rows],
            vacancy_ids=self.vacancies.ids[v_rows],
            scores=batch.total,
            fails=batch.fails,
            _batch=batch,
            _factory=self._factory,
        )

    # --- benchmarks ---------------------------------------------------------------------------------
    def floor_data(self) -> FloorData:
        """The engine's own arrays (and a fresh row cache), for timing floor_chunk on the same data."""
        fresh = copy.copy(self.bulk)  # same arrays, empty cache: the floor computes its rows itself
        fresh.cache = _RowCache(self.config.row_cache_mb * 2**20)

        def rows(j: int) -> list[np.ndarray]:
            found = (
                fresh.place_row(int(fresh.v_place_key[j])),
                fresh.occupation_row(int(fresh.v_occ_key[j])),
                fresh.education_row(int(fresh.v_edu_key[j])),
                fresh.language_row(int(fresh.v_lang_key[j])),
                fresh.hours_stem_row(int(fresh.v_hs_key[j])),
            )
            return [row for row, _ in found if row is not None]

        return FloorData(
            xt=fresh.xt,
            vw=fresh.vw,
            ve=fresh.ve,
            n_ess=fresh.n_ess,
            k=self.weights.top_k,
            ids=self.candidates.ids[fresh.cand_rows],
            available_from=fresh.available_from,
            start_day=self.vacancies.start_day,
            order=fresh.order,
            rows=rows,
            exact=lambda positions, js: (
                evaluate_pairs(
                    self.candidates,
                    self.vacancies,
                    self.commute,
                    self.weights,
                    self.level_matrix,
                    fresh.cand_rows[positions],
                    js,
                ).total
            ),
        )

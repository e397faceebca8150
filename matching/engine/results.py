"""Outputs of the engine: shortlists per vacancy, scores per candidate, explained matches."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat

import numpy as np

from . import rules
from .data import FACTORS
from .explain import Labels, ReasonBuilder, reasons_text
from .pairs import PairBatch

ENGINE_VERSION = "1.1"


@dataclass(slots=True)
class Match:
    """One explained (candidate, vacancy) match, ready to persist.

    score: total in [0, 1].  rank: 1-based place on the vacancy's shortlist (None outside one).
    factors: score in [0, 1] of each factor that applies to the vacancy (others are absent).
    contributions: share of the total per applicable factor (weight share x score; they sum to
        ``score``).
    failed_filters: rules.REASONS codes of the hard filters the pair fails (empty on a
        shortlist; non-empty = the match must be flagged).
    reasons: structured explanation, a list of JSON-safe dicts with a "code", its parameters and
        (unless EngineConfig.reason_text is False) an English "text" (see explain.py).  Indices in
        them (occupations, skills, places) are positions in the engine's inputs.
    text: English rendering of all reasons, "; "-separated.
    """

    candidate_id: int
    vacancy_id: int
    score: float
    rank: int | None
    factors: dict[str, float]
    contributions: dict[str, float]
    failed_filters: tuple[str, ...]
    reasons: list[dict]
    labels: Labels = field(repr=False)

    @property
    def flagged(self) -> bool:
        return bool(self.failed_filters)

    @property
    def text(self) -> str:
        return reasons_text(self.reasons, self.labels)

    def to_dict(self) -> dict:
        """JSON-safe dict (the fields of matching.models.Match the engine fills)."""
        return {
            "candidate_id": self.candidate_id,
            "vacancy_id": self.vacancy_id,
            "score": self.score,
            "rank": self.rank,
            "factors": dict(self.factors),
            "contributions": dict(self.contributions),
            "failed_filters": list(self.failed_filters),
            "explanation": list(self.reasons),
            "engine_version": ENGINE_VERSION,
        }


@dataclass(slots=True)
class NearMiss:
    """A candidate one closable gap away from a vacancy (rules.py, "Near misses"); never on the
    shortlist.

    score: total as if the gap were closed (what near misses are ranked by); rank: 1-based among
    the vacancy's near misses.  gap: ``{"kind": "skills"|"language"|"education", "skills": [skill
    indices], "language": {"code", "required", "has"} | None, "education": {"required", "has"} |
    None}`` with engine indices.  reasons: the pair's structured reasons plus ``near_miss_gap``.
    """

    candidate_id: int
    vacancy_id: int
    score: float
    rank: int
    gap: dict
    reasons: list[dict]

    @property
    def kind(self) -> str:
        return self.gap["kind"]

    def to_dict(self) -> dict:
        return {
            "candidate_id": self.candidate_id,
            "vacancy_id": self.vacancy_id,
            "score": self.score,
            "rank": self.rank,
            "kind": self.kind,
            "gap": {**self.gap, "skills": list(self.gap["skills"])},
            "explanation": list(self.reasons),
            "engine_version": ENGINE_VERSION,
        }


class _MatchFactory:
    """Turns rows of a PairBatch into Match objects (shared by the result types)."""

    def __init__(self, builder: ReasonBuilder, labels: Labels, cand_ids: np.ndarray, vac_ids: np.ndarray) -> None:
        self.builder, self.labels, self.cand_ids, self.vac_ids = builder, labels, cand_ids, vac_ids

    def make_many(self, batch: PairBatch, positions: np.ndarray, ranked: bool) -> list[Match]:
        # Many small dicts: the cyclic GC would rescan all live objects again and again (2x slower);
        # nothing here makes cycles, so it is paused for the duration.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._make_many(batch, positions, ranked)
        finally:
            if was_enabled:
                gc.enable()

    def _make_many(self, batch: PairBatch, positions: np.ndarray, ranked: bool) -> list[Match]:
        positions = np.asarray(positions, dtype=np.int64)
        reasons = self.builder.reasons_many(batch, positions)
        applicable = batch.applicable[positions].tolist()
        scores = batch.scores[positions].tolist()
        contributions = (batch.scores[positions] * batch.weights[positions]).tolist()
        totals = batch.total[positions].tolist()
        fails = batch.fails[positions].tolist()
        cand_ids = self.cand_ids[batch.cand_rows[positions]].tolist()
        vac_ids = self.vac_ids[batch.vac_rows[positions]].tolist()
        names = list(enumerate(FACTORS))
        out = []
        for p in range(len(totals)):
            app, sc, co = applicable[p], scores[p], contributions[p]
            out.append(
                Match(
                    candidate_id=cand_ids[p],
                    vacancy_id=vac_ids[p],
                    score=totals[p],
                    rank=p + 1 if ranked else None,
                    factors={name: sc[f] for f, name in names if app[f]},
                    contributions={name: co[f] for f, name in names if app[f]},
                    failed_filters=rules.reasons_of(fails[p]) if fails[p] else (),
                    reasons=reasons[p],
                    labels=self.labels,
                )
            )
        return out

    def stored_rows(self, batch: PairBatch, positions: np.ndarray, ranked: bool, ids: tuple) -> list[dict]:
        """The rows of the pairs at ``positions`` as stored (matching.models.Match fields): the
        same values as ``make_many`` plus per-reason id mapping and rounding, built per column.

        No Match objects, no contributions, reasons with database ``ids`` ((occupation, skill,
        place) id arrays per engine index) and factors rounded to 4 digits as Python's ``round``
        does (correctly rounded; numpy's rounding may differ in the last digit)."""
        was_enabled = gc.isenabled()
        gc.disable()  # many small dicts, no cycles (see make_many)
        try:
            return self._stored_rows(batch, np.asarray(positions, dtype=np.int64), ranked, ids)
        finally:
            if was_enabled:
                gc.enable()

    def _stored_rows(self, batch: PairBatch, positions: np.ndarray, ranked: bool, ids: tuple) -> list[dict]:
        k = positions.size
        if k == 0:
            return []
        reasons = self.builder.reasons_many(batch, positions, ids)
        applicable, scores = batch.applicable[positions], batch.scores[positions]
        # one factor dict per row, built per pattern of applicable factors (a handful per chunk)
        factors: list[dict | None] = [None] * k
        patterns = applicable.astype(np.int64) @ (1 << np.arange(len(FACTORS), dtype=np.int64))
        for pattern in np.unique(patterns).tolist():
            rows = np.flatnonzero(patterns == pattern)
            cols = [f for f in range(len(FACTORS)) if pattern >> f & 1]
            names, width = [FACTORS[f] for f in cols], len(cols)
            values = scores[np.ix_(rows, cols)].ravel().tolist()
            rounded = list(map(round, values, repeat(4, len(values))))
            for row, at in zip(rows.tolist(), range(0, len(rounded), width)):
                factors[row] = dict(zip(names, rounded[at : at + width]))
        fails = batch.fails[positions].tolist()
        cand_ids = self.cand_ids[batch.cand_rows[positions]].tolist()
        vac_ids = self.vac_ids[batch.vac_rows[positions]].tolist()
        totals = np.clip(batch.total[positions], 0.0, 1.0).tolist()
        flag_reasons = [list(rules.reasons_of(f)) if f else [] for f in fails]
        return [
            {
                "candidate_id": cand_ids[p],
                "vacancy_id": vac_ids[p],
                "score": totals[p],
                "rank": p + 1 if ranked else None,
                "factors": factors[p],
                "explanation": reasons[p],
                "is_flagged": bool(flag_reasons[p]),
                "flag_reasons": flag_reasons[p],
            }
            for p in range(k)
        ]

    def near_misses(self, batch: PairBatch, positions: np.ndarray) -> list[NearMiss]:
        """The near misses at ``positions`` of the batch (ranked in that order)."""
        positions = np.asarray(positions, dtype=np.int64)
        if positions.size == 0:
            return []
        reasons = self.builder.reasons_many(batch, positions)
        gaps = self.builder.near_miss_gaps(batch, positions)
        cand_ids = self.cand_ids[batch.cand_rows[positions]].tolist()
        vac_ids = self.vac_ids[batch.vac_rows[positions]].tolist()
        closed = batch.closed_total[positions].tolist()
        return [
            NearMiss(
                candidate_id=cand_ids[p],
                vacancy_id=vac_ids[p],
                score=closed[p],
                rank=p + 1,
                gap=gaps[p][0],
                reasons=[*reasons[p], gaps[p][1]],
            )
            for p in range(len(cand_ids))
        ]

    def near_miss_rows(self, batch: PairBatch, positions: np.ndarray, ids: tuple) -> list[tuple]:
        """The near misses at ``positions`` as stored: (candidate id, vacancy id, score as if
        closed, gap, reasons) with database ``ids`` in the reasons and the gap (the same values as
        ``near_misses`` mapped by ``reasons_for_db``), without NearMiss objects."""
        positions = np.asarray(positions, dtype=np.int64)
        if positions.size == 0:
            return []
        was_enabled = gc.isenabled()
        gc.disable()  # many small dicts, no cycles (see make_many)
        try:
            reasons = self.builder.reasons_many(batch, positions, ids)
            gaps = self.builder.near_miss_gaps(batch, positions)
        finally:
            if was_enabled:
                gc.enable()
        skill_ids = ids[1]
        cand_ids = self.cand_ids[batch.cand_rows[positions]].tolist()
        vac_ids = self.vac_ids[batch.vac_rows[positions]].tolist()
        closed = batch.closed_total[positions].tolist()
        rows = []
        for p in range(len(cand_ids)):
            gap = gaps[p][0]
            gap = {**gap, "skills": skill_ids[gap["skills"]].tolist() if gap["skills"] else []}
            rows.append((cand_ids[p], vac_ids[p], closed[p], gap, [*reasons[p], {"code": "near_miss_gap", **gap}]))
        return rows


@dataclass(frozen=True, eq=False)
class VacancyResult:
    """The shortlist of one vacancy and the counts of who was left out, and why.

    candidate_ids: int64 (k,) best first (score desc, then candidate id asc); k <= top_k.
    scores: float64 (k,) totals in [0, 1].
    factor_scores: float64 (k, 7) in FACTORS order, NaN where the factor does not apply.
    candidates_total: number of candidates given to the engine.
    eligible: candidates passing every hard filter (the shortlist is the best of these).
    exclusions: reason code -> number of candidates failing that filter (every rules.REASONS code
        is present; a candidate failing two filters counts under both).  "no_consent_matching"
        candidates are not considered at all and are counted only under that code.
    matches: the explained Match objects (built on first access: Python work, top-k only).
    near_misses: NearMiss objects, at most EngineConfig.near_miss_k, best first (score as if
        closed desc, candidate id asc); near_miss_ids: their candidate ids (int64), cheap.
    """

    vacancy_id: int
    candidate_ids: np.ndarray
    scores: np.ndarray
    factor_scores: np.ndarray
    candidates_total: int
    eligible: int
    exclusions: dict[str, int]
    _batch: PairBatch = field(repr=False)
    _positions: np.ndarray = field(repr=False)
    _factory: _MatchFactory = field(repr=False)
    _near_positions: np.ndarray = field(repr=False, default_factory=lambda: np.zeros(0, np.int64))

    @cached_property
    def matches(self) -> list[Match]:
        return self._factory.make_many(self._batch, self._positions, ranked=True)

    @cached_property
    def near_misses(self) -> list[NearMiss]:
        return self._factory.near_misses(self._batch, self._near_positions)

    def stored_rows(self, ids: tuple) -> list[dict]:
        """The shortlist as stored rows (_MatchFactory.stored_rows): what persistence writes,
        without building the Match objects (``matches``)."""
        return self._factory.stored_rows(self._batch, self._positions, True, ids)

    def near_miss_rows(self, ids: tuple) -> list[tuple]:
        """The near misses as stored (_MatchFactory.near_miss_rows), best first."""
        return self._factory.near_miss_rows(self._batch, self._near_positions, ids)

    @property
    def near_miss_ids(self) -> np.ndarray:
        return self._factory.cand_ids[self._batch.cand_rows[self._near_positions]]

    @property
    def near_miss_scores(self) -> np.ndarray:
        return self._batch.closed_total[self._near_positions]


@dataclass(frozen=True, eq=False)
class PairResults:
    """Scores of explicit pairs (including pairs failing filters), e.g. one candidate x all vacancies.

    candidate_ids, vacancy_ids: int64 (L,).  scores: float64 (L,) totals in [0, 1].
    fails: int64 (L,) rules.REASONS bitmask (0 = eligible); eligible: bool (L,).
    near_miss: bool (L,) the pair is a near miss (one closable gap, rules.py); ``near_miss_at(p)``
        its NearMiss (gap, score as if closed; rank 0: not ranked among the vacancy's).
    """

    candidate_ids: np.ndarray
    vacancy_ids: np.ndarray
    scores: np.ndarray
    fails: np.ndarray
    _batch: PairBatch = field(repr=False)
    _factory: _MatchFactory = field(repr=False)

    @property
    def eligible(self) -> np.ndarray:
        return self.fails == 0

    @property
    def near_miss(self) -> np.ndarray:
        return self._batch.gap_kind != rules.GAP_NONE

    @property
    def closed_scores(self) -> np.ndarray:
        return self._batch.closed_total

    def near_miss_at(self, p: int) -> NearMiss:
        if not self.near_miss[p]:
            raise ValueError("this pair is not a near miss")
        found = self._factory.near_misses(self._batch, np.array([p]))[0]
        found.rank = 0
        return found

    def failed_filters(self, p: int) -> tuple[str, ...]:
        return rules.reasons_of(int(self.fails[p]))

    def match(self, p: int) -> Match:
        return self._factory.make_many(self._batch, np.array([p]), ranked=False)[0]

    def stored_rows(self, ids: tuple) -> list[dict]:
        """Every pair as a stored row, unranked (_MatchFactory.stored_rows)."""
        return self._factory.stored_rows(self._batch, np.arange(len(self.scores)), False, ids)

    def matches(self, *, only_eligible: bool = False) -> list[Match]:
        positions = np.flatnonzero(self.eligible) if only_eligible else np.arange(len(self.scores))
        return self._factory.make_many(self._batch, positions, ranked=False)

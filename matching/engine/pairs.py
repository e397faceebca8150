"""Exact (float64) evaluation of explicit (candidate, vacancy) pairs, vectorised over the pairs.

Used for the final scores and explanations of shortlisted pairs, for re-checking approved
matches (which may now fail a filter: the failures are reported, the score is still computed),
and for scoring one candidate against all vacancies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import rules
from .commute import CommuteModel
from .data import FACTORS, CandidateProfiles, VacancyProfiles, Weights


@dataclass(frozen=True, eq=False)
class PairBatch:
    """Per-pair results for L pairs (all arrays have first axis L).

    cand_rows, vac_rows: int64 row indices into the profiles.
    total: float64 total score in [0, 1] (computed even when a filter fails).
    scores: float64 (L, 7) factor scores in FACTORS order; applicable: bool (L, 7).
    weights: float64 (L, 7) share of each factor in the total (0 when not applicable); sums to 1
        over a pair's applicable factors, so ``scores * weights`` are the contributions.
    fails: int64 failure bitmask (rules.REASONS), 0 = passes every hard filter.
    occupation_level: rules.OCC_* level (-1 when the vacancy has no occupation); best_desired: the
        candidate's desired occupation that gave it (-1 if none).
    essential_met/total, optional_met/total: skill counts.
    commute_minutes, commute_mode: fastest of the candidate's modes that counts for the vacancy
        (public transport only if it reaches every shift start), -1 when unknown or none.
    gap_kind: rules.GAP_* (GAP_NONE unless the pair is a near miss: one closable failure only);
        gap_language: the short language's index for GAP_LANGUAGE, else -1.
    closed_total: float64 total as if the gap were closed (= total when there is no gap): the
        score near misses are ranked by.
    """

    cand_rows: np.ndarray
    vac_rows: np.ndarray
    total: np.ndarray
    scores: np.ndarray
    applicable: np.ndarray
    weights: np.ndarray
    fails: np.ndarray
    occupation_level: np.ndarray
    best_desired: np.ndarray
    essential_met: np.ndarray
    essential_total: np.ndarray
    optional_met: np.ndarray
    optional_total: np.ndarray
    commute_minutes: np.ndarray
    commute_mode: np.ndarray
    gap_kind: np.ndarray
    gap_language: np.ndarray
    closed_total: np.ndarray

    def __len__(self) -> int:
        return int(self.total.shape[0])


def _row_overlap(a: sp.csr_matrix, a_rows: np.ndarray, b: sp.csr_matrix, b_rows: np.ndarray) -> np.ndarray:
    """Number of common columns between row a_rows[p] of ``a`` and row b_rows[p] of ``b``."""
    if a_rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    product = a[a_rows].multiply(b[b_rows])
    return np.asarray(product.sum(axis=1)).ravel().astype(np.int64)


def best_occupation_level(
    desired: sp.csr_matrix, cand_rows: np.ndarray, vac_occupation: np.ndarray, level_matrix: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(best rules.OCC_* level, the desired occupation giving it or -1) for each pair.

    On equal levels the lowest occupation index wins (for a stable explanation).
    """
    sub = desired[cand_rows]
    counts = np.diff(sub.indptr)
    level = np.zeros(cand_rows.shape[0], dtype=np.int64)
    which = np.full(cand_rows.shape[0], -1, dtype=np.int64)
    nonempty = counts > 0
    if sub.nnz:
        occ_per_nz = np.repeat(np.where(vac_occupation >= 0, vac_occupation, 0), counts)
        levels = level_matrix[sub.indices, occ_per_nz].astype(np.int64)
        shift = np.int64(1 << 32)
        key = levels * shift + (shift - 1 - sub.indices)  # max key = best level, then lowest index
        best = np.maximum.reduceat(key, sub.indptr[:-1][nonempty])
        level[nonempty] = best // shift
        which[nonempty] = shift - 1 - best % shift
    return level, np.where(level > 0, which, -1)


def evaluate_pairs(
    candidates: CandidateProfiles,
    vacancies: VacancyProfiles,
    commute: CommuteModel,
    weights: Weights,
    level_matrix: np.ndarray,
    cand_rows: np.ndarray,
    vac_rows: np.ndarray,
) -> PairBatch:
    """Evaluate the pairs (cand_rows[p], vac_rows[p]) under every rule, in float64."""
    c_rows = np.asarray(cand_rows, dtype=np.int64)
    v_rows = np.asarray(vac_rows, dtype=np.int64)
    c, v = candidates, vacancies

    met_ess = _row_overlap(c.skills, c_rows, v.essential_skills, v_rows)
    met_opt = _row_overlap(c.skills, c_rows, v.optional_skills, v_rows)
    n_ess = np.diff(v.essential_skills.indptr)[v_rows]
    n_opt = np.diff(v.optional_skills.indptr)[v_rows]
    scores: dict[str, np.ndarray] = {}
    applicable: dict[str, np.ndarray] = {}
    scores["skills"], applicable["skills"] = rules.skills_eval(met_ess, n_ess, met_opt, n_opt, weights)

    vocc = v.occupation[v_rows]
    level, best_desired = best_occupation_level(c.desired_occupations, c_rows, vocc, level_matrix)
    level_scores = rules.occupation_level_scores()
    scores["occupation"] = level_scores[level]
    applicable["occupation"] = vocc >= 0
    level = np.where(vocc >= 0, level, -1)

    scores["education"], applicable["education"], f_edu = rules.education_eval(
        c.eqf[c_rows], c.has_min_secondary[c_rows], v.min_eqf[v_rows], v.requires_min_secondary[v_rows]
    )
    scores["commute"], applicable["commute"], f_com, minutes, mode = rules.commute_eval(
        commute.minutes,
        c.place[c_rows],
        c.commute_modes[c_rows],
        c.max_commute_minutes[c_rows],
        v.place[v_rows],
        v.shift_start_hours[v_rows],
        commute.pt_arrive_by,
    )
    scores["languages"], applicable["languages"], f_lang = rules.language_eval(
        c.languages[c_rows], v.languages[v_rows], v.country[v_rows]
    )
    scores["stem"], applicable["stem"] = rules.stem_eval(c.stem_background[c_rows], v.is_stem[v_rows])
    scores["hours_shift"], applicable["hours_shift"] = rules.hours_shift_eval(
        c.hours_wanted[c_rows], c.accepts_shift_work[c_rows], v.hours_per_week[v_rows], v.shift_work[v_rows]
    )

    fails = (
        np.where(c.consent_matching[c_rows], 0, rules.F_NO_CONSENT)
        | rules.cross_border_fails(c.country[c_rows], c.consent_cross_border[c_rows], v.country[v_rows])
        | f_com
        | f_edu
        | f_lang
        | rules.availability_fails(c.available_from[c_rows], v.start_day[v_rows])
        | rules.essential_fails(met_ess, n_ess)
    ).astype(np.int64)

    total, den = rules.combine(weights, scores, applicable)

    # Near misses: exactly one closable failure, and the total as if it were closed.
    missing = n_ess - met_ess
    gap_skills = (fails == rules.F_MISSING_ESSENTIAL) & (missing <= rules.MAX_CLOSABLE_SKILLS)
    lang_ok, gap_language = rules.closable_language(c.languages[c_rows], v.languages[v_rows])
    gap_lang = (fails == rules.F_LANGUAGE) & lang_ok
    gap_edu = (fails == rules.F_BELOW_EQF) & (c.eqf[c_rows].astype(np.int64) == v.min_eqf[v_rows].astype(np.int64) - 1)
    gap_kind = np.select(
        [gap_skills, gap_lang, gap_edu], [rules.GAP_SKILLS, rules.GAP_LANGUAGE, rules.GAP_EDUCATION], rules.GAP_NONE
    ).astype(np.int8)
    closed_total = total
    if gap_kind.any():
        closed = dict(scores)
        closed["skills"] = np.where(
            gap_skills, rules.skills_eval(n_ess, n_ess, met_opt, n_opt, weights)[0], scores["skills"]
        )
        closed["education"] = np.where(gap_edu, rules.EDU_EXACT_SCORE, scores["education"])
        raised = rules.close_language(c.languages[c_rows], v.languages[v_rows], gap_lang)
        closed["languages"] = np.where(
            gap_lang, rules.language_eval(raised, v.languages[v_rows], v.country[v_rows])[0], scores["languages"]
        )
        closed_total = np.where(gap_kind != rules.GAP_NONE, rules.combine(weights, closed, applicable)[0], total)
    score_matrix = np.stack([np.broadcast_to(scores[f], total.shape) for f in FACTORS], axis=1)
    app_matrix = np.stack([np.broadcast_to(applicable[f], total.shape) for f in FACTORS], axis=1)
    w = np.array(weights.factor_weights())
    share = np.where(app_matrix, w[None, :], 0.0) / np.where(den > 0, den, 1.0)[:, None]
    return PairBatch(
        cand_rows=c_rows,
        vac_rows=v_rows,
        total=total,
        scores=score_matrix,
        applicable=app_matrix,
        weights=share,
        fails=fails,
        occupation_level=level,
        best_desired=best_desired,
        essential_met=met_ess,
        essential_total=n_ess,
        optional_met=met_opt,
        optional_total=n_opt,
        commute_minutes=minutes,
        commute_mode=mode,
        gap_kind=gap_kind,
        gap_language=np.where(gap_lang, gap_language, -1),
        closed_total=closed_total,
    )

"""The NSP Talent Portal matching engine: pure Python + numpy/scipy, no Django.

Plain data in, ranked and explained matches out.  The database side builds the inputs in bulk;
nothing here touches a model, a setting or the network.

Inputs (``data.py``; every field is documented on its dataclass)
-------------------------------------------------------------------
* ``Places`` (P): latitude, longitude, country (0 NL, 1 BE), bank of the Westerschelde
  (0 n/a, 1 north, 2 south), names.
* ``Taxonomy``: occupation_isco (O 4-digit ISCO-08 unit groups), occupation_labels, skill_labels (S).
* ``CandidateProfiles`` (N rows): ids, country, place, commute_modes (car 1 | bike 2 | PT 4),
  max_commute_minutes, eqf, has_min_secondary, stem_background, languages (N, 4) CEFR 0-6 for
  nl/fr/en/de, skills CSR (N, S), desired_occupations CSR (N, O), available_from (days since
  1970-01-01, -1 unknown), hours_wanted, accepts_shift_work, consent_matching, consent_cross_border.
* ``VacancyProfiles`` (M rows): ids, country, place, occupation, is_stem, min_eqf,
  requires_min_secondary, languages (M, 4) required levels, essential_skills / optional_skills CSR
  (M, S), start_day, hours_per_week, shift_work.
* ``Weights``: factor weights (occupation, skills, education, commute, languages, stem,
  hours_shift), essential/optional skill weights, top_k.  ``Weights.from_dict(row)`` / ``to_dict()``.
* ``EngineConfig``: chunk_size, n_threads, reason_text (performance only).

Use
---
::

    engine = MatchingEngine(places, taxonomy, candidates, vacancies, weights)
    for result in engine.run():            # every vacancy, streamed chunk by chunk
        result.vacancy_id, result.candidate_ids, result.scores, result.exclusions, result.eligible
        for match in result.matches:       # explained, best first (score desc, candidate id asc)
            match.to_dict()                # candidate_id, vacancy_id, score, rank, factors,
                                           # contributions, failed_filters, explanation, engine_version
    engine.match_vacancy(vacancy_id)       # one shortlist (after a vacancy changed)
    engine.score_candidate(candidate_id)   # one candidate x all vacancies (after a candidate changed)
    engine.evaluate_pairs(cand_ids, vac_ids)  # given pairs even if they fail filters (flag approved matches)
    engine.gaps                            # missing data per candidate (flags) and counted (counts)

The rules (hard filters, factors, missing data) are described in ``rules.py``; the travel-time
model, with the Westerschelde tunnel and ferry and the land border, in ``commute.py``; the
structured explanation codes in ``explain.py``.  ``naive.score_pair_naive`` restates the rules pair
by pair for checks; ``synthetic.SyntheticWorld`` makes realistic test data; ``python -m
matching.engine.bench`` times the engine against the floor (``engine.floor_chunk``) and the
naive scorer.
"""
from .commute import CommuteModel, build_commute_model, route_text
from .data import (ALL_MODES, BANK_NONE, BANK_NORTH, BANK_SOUTH, CEFR_LABELS, COUNTRY_BE, COUNTRY_CODES, COUNTRY_NL,
                   COUNTRY_OTHER, EPOCH_ORDINAL, FACTORS, LANGUAGES, MODE_BIKE, MODE_CAR, MODE_NAMES, MODE_PT,
                   UNKNOWN_DAY, CandidateProfiles, EngineConfig, Places, Taxonomy, VacancyProfiles, Weights)
from .engine import FloorData, MatchingEngine, floor_chunk, floor_run
from .explain import Labels, reason_text
from .naive import score_pair_naive
from .results import ENGINE_VERSION, Match, PairResults, VacancyResult
from .rules import GAPS, REASONS, CandidateGaps, candidate_gaps

__all__ = [
    "ALL_MODES", "BANK_NONE", "BANK_NORTH", "BANK_SOUTH", "CEFR_LABELS", "COUNTRY_BE", "COUNTRY_CODES", "COUNTRY_NL",
    "COUNTRY_OTHER", "EPOCH_ORDINAL", "FACTORS", "LANGUAGES", "MODE_BIKE", "MODE_CAR", "MODE_NAMES", "MODE_PT",
    "UNKNOWN_DAY", "CandidateProfiles", "EngineConfig", "Places", "Taxonomy", "VacancyProfiles", "Weights",
    "CommuteModel", "build_commute_model", "route_text", "FloorData", "MatchingEngine", "floor_chunk", "floor_run",
    "Labels", "reason_text", "score_pair_naive", "ENGINE_VERSION", "Match", "PairResults", "VacancyResult", "GAPS",
    "REASONS", "CandidateGaps", "candidate_gaps",
]

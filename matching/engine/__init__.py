"""The NSP Talent Portal matching engine: pure Python + numpy/scipy, no Django.

Plain data in, ranked and explained matches out.  The database side builds the inputs in bulk;
nothing here touches a model, a setting or the network.  Row positions in the input arrays are
the engine's indices (places, occupations, skills); database ids travel in the ``ids`` arrays.

Inputs (``data.py``; every field is documented on its dataclass)
-------------------------------------------------------------------
* ``Places`` (P): latitude, longitude (float64), country (0 NL, 1 BE), bank of the Westerschelde
  (0 n/a, 1 north, 2 south), names.
* ``Taxonomy``: occupation_isco (O strings of 4 digits, ISCO-08 unit group), occupation_labels,
  skill_labels (S).
* ``CandidateProfiles`` (N rows): ids int64, country (0 NL, 1 BE, 2 other), place (-1 unknown),
  commute_modes (car 1 | bike 2 | PT 4, 0 none), max_commute_minutes (0 unknown), eqf (0 none),
  has_min_secondary, stem_background, languages int8 (N, 4) CEFR 0-6 for nl/fr/en/de, skills CSR
  (N, S), desired_occupations CSR (N, O), available_from (days since 1970-01-01, -1 unknown),
  hours_wanted (0 unknown), accepts_shift_work, consent_matching, consent_cross_border.
* ``VacancyProfiles`` (M rows): ids, country (0/1), place (-1 unknown), occupation (-1 none),
  is_stem, min_eqf (0 none), requires_min_secondary, languages int8 (M, 4) required levels,
  essential_skills / optional_skills CSR (M, S), start_day (-1 unknown), hours_per_week (0
  unknown), shift_work, shift_start_hours (optional bitmask: bit h = a shift starts in hour h).
* ``Weights``: occupation, skills, education, commute, languages, stem, hours_shift (>= 0, any
  scale), essential_skill_weight, optional_skill_weight, top_k.  ``Weights.from_dict(row)``.
* ``EngineConfig``: chunk_size, n_threads, reason_text, row_cache_mb (speed/memory only), and
  near_miss_k (near misses kept per vacancy, default 10).

Outputs (``results.py``)
------------------------
* ``VacancyResult`` per vacancy: vacancy_id, candidate_ids (best first: score desc, candidate id
  asc; at most top_k), scores (float64 in [0, 1]), factor_scores (k, 7; NaN = not applicable),
  candidates_total, eligible (passing every hard filter), exclusions {reason: count} over
  ``REASONS``, ``matches``, and ``near_misses`` (``NearMiss``: candidates one closable gap away,
  never on the shortlist; rules.py "Near misses").
* ``NearMiss``: candidate_id, vacancy_id, score (as if the gap were closed), rank, gap {kind,
  skills, language, education} in engine indices, reasons (ending with ``near_miss_gap``),
  ``to_dict()``.
* ``Match``: candidate_id, vacancy_id, score, rank (None off a shortlist), factors {name: score}
  and contributions {name: share of the score} for the applicable factors, failed_filters
  (REASONS codes; non-empty = flag it), reasons (structured explanation: JSON-safe dicts with a
  "code", parameters, and an English "text"; see ``explain.py``), text, ``to_dict()``.
* ``PairResults`` for explicit pairs: candidate_ids, vacancy_ids, scores, fails (bitmask over
  REASONS), eligible, failed_filters(p), match(p), matches(), near_miss (bool per pair),
  near_miss_at(p).
* ``engine.gaps`` (``CandidateGaps``): missing data per candidate (flags over ``GAPS``) and counts.

Use
---
::

    engine = MatchingEngine(places, taxonomy, candidates, vacancies, weights)   # commute=, config=
    for result in engine.run():             # every vacancy (or run(vacancy_ids)), streamed by chunk
        for match in result.matches:        # built on first access (run(explain=True): in the workers)
            store(match.to_dict())
    engine.run_chunks(vacancy_ids)          # the same, one list per chunk (progress: engine.n_chunks())
    engine.match_vacancy(vacancy_id)        # one shortlist, after a vacancy changed (scores only
                                            # the candidates its hard filters let through)
    engine.score_candidate(candidate_id)    # one candidate x every vacancy, after a candidate changed
    engine.evaluate_pairs(cand_ids, vac_ids)  # given pairs even if they fail filters (flag them)

Where the rules live: hard filters, factors and missing data in ``rules.py``; travel times with
the Westerscheldetunnel, the Vlissingen-Breskens ferry and the land border in ``commute.py``;
explanation codes in ``explain.py``; how the bulk scoring stays fast in ``engine.py``.
``naive.score_pair_naive`` restates the rules pair by pair (tests check the engine ranks exactly
as it does); ``synthetic.SyntheticWorld`` makes realistic data; ``python -m matching.engine.bench``
times the engine against the floor (``floor_chunk``) and the naive scorer.  ``shards`` ranks
candidate shards apart (``rank_shard``, each engine holding one shard) and ``merge``s their
partial top-K lists into exactly the unsharded shortlists.
"""

from .commute import CommuteModel, build_commute_model, route_text
from .data import (
    ALL_MODES,
    BANK_NONE,
    BANK_NORTH,
    BANK_SOUTH,
    CEFR_LABELS,
    COUNTRY_BE,
    COUNTRY_CODES,
    COUNTRY_NL,
    COUNTRY_OTHER,
    EPOCH_ORDINAL,
    FACTORS,
    LANGUAGES,
    MODE_BIKE,
    MODE_CAR,
    MODE_NAMES,
    MODE_PT,
    UNKNOWN_DAY,
    CandidateProfiles,
    EngineConfig,
    Places,
    Taxonomy,
    VacancyProfiles,
    Weights,
)
from .engine import FloorData, MatchingEngine, floor_chunk, floor_run
from .explain import Labels, reason_text
from .naive import score_pair_naive
from .results import ENGINE_VERSION, Match, NearMiss, PairResults, VacancyResult
from .rules import GAPS, REASONS, CandidateGaps, candidate_gaps

__all__ = [
    "ALL_MODES",
    "BANK_NONE",
    "BANK_NORTH",
    "BANK_SOUTH",
    "CEFR_LABELS",
    "COUNTRY_BE",
    "COUNTRY_CODES",
    "COUNTRY_NL",
    "COUNTRY_OTHER",
    "EPOCH_ORDINAL",
    "FACTORS",
    "LANGUAGES",
    "MODE_BIKE",
    "MODE_CAR",
    "MODE_NAMES",
    "MODE_PT",
    "UNKNOWN_DAY",
    "CandidateProfiles",
    "EngineConfig",
    "Places",
    "Taxonomy",
    "VacancyProfiles",
    "Weights",
    "CommuteModel",
    "build_commute_model",
    "route_text",
    "FloorData",
    "MatchingEngine",
    "floor_chunk",
    "floor_run",
    "Labels",
    "reason_text",
    "score_pair_naive",
    "ENGINE_VERSION",
    "Match",
    "NearMiss",
    "PairResults",
    "VacancyResult",
    "GAPS",
    "REASONS",
    "CandidateGaps",
    "candidate_gaps",
]

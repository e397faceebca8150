"""Run the engine on database data and persist its shortlists (the worker's services).

Writes are idempotent: one bulk upsert per batch keyed on (candidate, vacancy), so running a
rematch twice leaves the same rows. A rematch never erases a caseworker's decision: approved
and rejected matches keep their status and reviewer; their score is refreshed, and when they
no longer pass a hard filter they are flagged instead of deleted. Proposed matches that fell
off the shortlist are deleted, except two kinds a rematch never touches (AI Act Art. 14):
matches a caseworker added by hand (``source=manual``), and the matches of candidates whose
employment service paused matching (``matching.pause.frozen_candidate_ids``: neither added,
refreshed nor deleted; their ranks are still renumbered). A portal-wide pause is checked by
the tasks (matching/tasks.py): they do nothing.
"""

import gc
import io
import logging
import queue
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import orjson
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from candidates.models import Candidate
from vacancies.models import Vacancy

from . import runlog
from .engine.commute import CommuteModel
from .engine.data import CandidateProfiles, EngineConfig
from .engine.engine import MatchingEngine
from .engine.results import ENGINE_VERSION, VacancyResult
from .models import (
    Match,
    MatchingState,
    MatchingWeights,
    MatchSource,
    NearMiss,
    NearMissSkill,
    ReviewStatus,
    ShortlistSummary,
)
from .pause import frozen_candidate_ids
from .profiles import (
    ReferenceIndex,
    candidate_profiles_build,
    reference_index_build,
    vacancy_profiles_build,
    weights_versioned,
)
from .requirements import requirement_costs_store
from .travel import commute_model_build

logger = logging.getLogger(__name__)


@dataclass
class EngineInputs:
    key: tuple
    index: ReferenceIndex
    commute: CommuteModel
    candidates: CandidateProfiles


_cache: dict[str, EngineInputs] = {}
_cache_lock = threading.Lock()


def engine_inputs() -> EngineInputs:
    """All candidates as engine profiles, cached per worker process until a candidate or the
    reference data changes (MatchingState versions); a warm worker rematches a vacancy fast."""
    state = MatchingState.current()
    # The version counters move with every change made through the services; the aggregate
    # also catches writes that bypass them (the admin, bulk seeding, fixtures).
    seen = Candidate.objects.aggregate(n=Count("id"), last_id=Max("id"), last_change=Max("updated_at"))
    key = (state.candidates_version, state.reference_version, seen["n"], seen["last_id"], seen["last_change"])
    with _cache_lock:
        cached = _cache.get("inputs")
        if cached is not None and cached.key == key:
            return cached
        index = reference_index_build()
        inputs = EngineInputs(
            key=key,
            index=index,
            commute=commute_model_build(index.places),
            candidates=candidate_profiles_build(index=index),
        )
        _cache["inputs"] = inputs
        return inputs


def engine_config() -> EngineConfig:
    # English reason texts are not stored: the pages translate the structured reasons.
    return EngineConfig(
        chunk_size=settings.MATCHING_ENGINE_CHUNK,
        n_threads=settings.MATCHING_ENGINE_THREADS,
        reason_text=False,
        row_cache_mb=settings.MATCHING_ENGINE_ROW_CACHE_MB,
    )


def rebuild_engine(inputs: EngineInputs) -> MatchingEngine:
    """One engine over every open vacancy, reused by the chunks a worker process runs during a
    rebuild (its candidate-side arrays are built once), until a vacancy, a candidate or the
    weights (a new version) change."""
    seen = Vacancy.objects.aggregate(n=Count("id"), last_id=Max("id"), last_change=Max("updated_at"))
    weights_version = MatchingWeights.objects.aggregate(v=Max("version"))["v"]
    key = (*inputs.key, seen["n"], seen["last_id"], seen["last_change"], weights_version)
    with _cache_lock:
        cached = _cache.get("rebuild_engine")
        if cached is not None and cached[0] == key:
            return cached[1]
        _cache.pop("rebuild_engine", None)  # let the old one go before building the new one
        engine = build_engine(inputs=inputs)
        _cache["rebuild_engine"] = (key, engine)
        return engine


def build_engine(
    *, inputs: EngineInputs, vacancies=None, candidates: CandidateProfiles | None = None
) -> MatchingEngine:
    weights, weights_version = weights_versioned()
    engine = MatchingEngine(
        inputs.index.places,
        inputs.index.taxonomy,
        candidates if candidates is not None else inputs.candidates,
        vacancy_profiles_build(index=inputs.index, vacancies=vacancies),
        weights,
        commute=inputs.commute,
        config=engine_config(),
    )
    engine.weights_version = weights_version  # logged with the scoring run (matching/runlog.py)
    return engine


# --- explanations: engine indices -> database ids -------------------------------------------------


def reasons_for_db(reasons: list[dict], index: ReferenceIndex) -> list[dict]:
    """Engine reasons carry positions in the engine's arrays; store database ids instead."""
    occupation_ids, skill_ids, place_ids = index.id_lists
    out = []
    for reason in reasons:
        code = reason["code"]
        if code == "occupation":
            reason = dict(reason)
            for key in ("vacancy_occupation", "desired_occupation"):
                if reason[key] is not None:
                    reason[key] = occupation_ids[reason[key]]
        elif code == "skills_met":
            if reason["missing"]:
                reason = {**reason, "missing": [skill_ids[s] for s in reason["missing"]]}
        elif code == "near_miss_gap":
            reason = {**reason, "skills": [skill_ids[s] for s in reason["skills"]]}
        elif code == "commute":
            reason = dict(reason)
            for key in ("from_place", "to_place"):
                if reason[key] is not None:
                    reason[key] = place_ids[reason[key]]
        out.append(reason)
    return out


def _db_ids(index: ReferenceIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(occupation, skill, place) database id per engine index: the engine maps its reasons
    with them per column (ReasonBuilder.reasons_many) instead of ``reasons_for_db`` per reason."""
    return index.occupation_ids, index.skill_ids, index.place_ids


# --- persistence -------------------------------------------------------------------------------------

UPSERT_COLUMNS = ("candidate_id", "vacancy_id", "score", "rank", "factors", "explanation", "is_flagged", "flag_reasons")


def _copy_text(value: bytes) -> bytes:
    """JSON text as a field of COPY's text format: orjson escapes control characters itself,
    so only backslashes need doubling (rare: most rows have none, and the check is a memchr)."""
    return value.replace(b"\\", b"\\\\") if b"\\" in value else value


def _copy_rows(cursor, rows: list[dict] | bytes) -> None:
    """COPY rows (or their ``_copy_bytes``) into the session's temporary upsert table."""
    data = rows if isinstance(rows, bytes) else _copy_bytes(rows)
    cursor.copy_expert(f"COPY match_upsert ({', '.join(UPSERT_COLUMNS)}) FROM STDIN", io.BytesIO(data))


def _copy_bytes(rows: list[dict]) -> bytes:
    """Rows in COPY's text format: one orjson.dumps per JSON column and a join per row (the CSV
    writer scanned every character to quote the JSON, the largest cost of the write on the
    Python side). Built apart from the COPY so that the rebuild's writer thread only waits on
    PostgreSQL while the caller builds the next batch (``_ChunkWriter``)."""
    dumps = orjson.dumps
    lines = [
        b"\t".join(
            (
                b"%d" % r["candidate_id"],
                b"%d" % r["vacancy_id"],
                repr(float(r["score"])).encode(),
                b"\\N" if r["rank"] is None else b"%d" % r["rank"],
                _copy_text(dumps(r["factors"])),
                _copy_text(dumps(r["explanation"])),
                b"t" if r["is_flagged"] else b"f",
                _copy_text(dumps(r["flag_reasons"])),
            )
        )
        for r in rows
    ]
    lines.append(b"")
    return b"\n".join(lines)


def _persist_postgresql(rows: bytes, vacancy_ids: list[int], refresh_decided, frozen: set[int]) -> bool:
    """One chunk in SQL: COPY, refresh decided matches off the list, upsert, drop stale proposals.

    ``rows``: the shortlists' rows as ``_copy_bytes``.  Returns whether decided matches were
    refreshed (then ranks need renumbering)."""
    table = Match._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS match_upsert (candidate_id bigint, vacancy_id bigint, score double precision,"
            " rank integer, factors jsonb, explanation jsonb, is_flagged boolean, flag_reasons jsonb)"
        )
        cursor.execute("TRUNCATE match_upsert")
        _copy_rows(cursor, rows)
        cursor.execute(
            f"""SELECT m.candidate_id, m.vacancy_id FROM {table} m
                WHERE m.vacancy_id = ANY(%s) AND m.review_status <> %s AND NOT EXISTS (
                    SELECT 1 FROM match_upsert u WHERE u.candidate_id = m.candidate_id AND u.vacancy_id = m.vacancy_id)""",
            [vacancy_ids, ReviewStatus.PROPOSED],
        )
        decided = refresh_decided(cursor.fetchall())
        if decided:
            _copy_rows(cursor, decided)
        # Only rows whose content changed are written: a nightly rebuild rewrites little.
        cursor.execute(
            f"""
            INSERT INTO {table} AS m (candidate_id, vacancy_id, score, rank, factors, explanation, is_flagged,
                                      flag_reasons, engine_version, review_status, reason, note, candidate_response,
                                      created_at, updated_at)
            SELECT candidate_id, vacancy_id, score, rank, factors, explanation, is_flagged, flag_reasons,
                   %s, %s, '', '', 'pending', now(), now()
            FROM match_upsert
            ON CONFLICT (candidate_id, vacancy_id) DO UPDATE SET
                score = EXCLUDED.score, rank = EXCLUDED.rank, factors = EXCLUDED.factors,
                explanation = EXCLUDED.explanation, is_flagged = EXCLUDED.is_flagged,
                flag_reasons = EXCLUDED.flag_reasons, engine_version = EXCLUDED.engine_version, updated_at = now()
            WHERE (m.score, m.rank, m.is_flagged, m.engine_version, m.factors, m.explanation, m.flag_reasons)
                IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.rank, EXCLUDED.is_flagged, EXCLUDED.engine_version,
                                  EXCLUDED.factors, EXCLUDED.explanation, EXCLUDED.flag_reasons)
            """,
            [ENGINE_VERSION, ReviewStatus.PROPOSED],
        )
        cursor.execute(
            f"""DELETE FROM {table} m WHERE m.vacancy_id = ANY(%s) AND m.review_status = %s
                    AND m.source <> %s AND NOT (m.candidate_id = ANY(%s)) AND NOT EXISTS (
                    SELECT 1 FROM match_upsert u WHERE u.candidate_id = m.candidate_id AND u.vacancy_id = m.vacancy_id)""",
            [vacancy_ids, ReviewStatus.PROPOSED, MatchSource.MANUAL, sorted(frozen)],
        )
        cursor.execute("TRUNCATE match_upsert")
    return bool(decided)


def _upsert_portable(rows: list[dict]) -> None:
    now = timezone.now()
    Match.objects.bulk_create(
        [Match(**r, engine_version=ENGINE_VERSION, created_at=now, updated_at=now) for r in rows],
        update_conflicts=True,
        unique_fields=["candidate", "vacancy"],
        update_fields=[
            "score",
            "rank",
            "factors",
            "explanation",
            "is_flagged",
            "flag_reasons",
            "engine_version",
            "updated_at",
        ],
        batch_size=2000,
    )


def _persist_portable(rows: list[dict], vacancy_ids: list[int], refresh_decided, frozen: set[int]) -> bool:
    """The same as _persist_postgresql with the ORM (SQLite in the quick start)."""
    on_list = {(r["candidate_id"], r["vacancy_id"]) for r in rows}
    existing = (
        Match.objects.filter(vacancy_id__in=vacancy_ids)
        .exclude(source=MatchSource.MANUAL, review_status=ReviewStatus.PROPOSED)
        .exclude(candidate_id__in=frozen, review_status=ReviewStatus.PROPOSED)
        .values_list("candidate_id", "vacancy_id", "review_status")
    )
    stale_proposed, decided_off_list = [], []
    for candidate_id, vacancy_id, status in existing:
        if (candidate_id, vacancy_id) not in on_list:
            (stale_proposed if status == ReviewStatus.PROPOSED else decided_off_list).append((candidate_id, vacancy_id))
    decided = refresh_decided(decided_off_list)
    _upsert_portable(rows + decided)
    if stale_proposed:
        Match.objects.filter(_pairs_q(stale_proposed), review_status=ReviewStatus.PROPOSED).delete()
    return bool(decided)


def matches_upsert(rows: list[dict]) -> None:
    """Insert or refresh these rows (decisions untouched); nothing is deleted."""
    if rows:
        _upsert_portable(rows)


def _refresh_decided(engine: MatchingEngine, index: ReferenceIndex, pairs: list[tuple[int, int]]) -> list[dict]:
    """Re-score decided matches that are off the new shortlist; they are kept and flagged."""
    known = set(engine.candidates.ids.tolist())
    pairs = [(c, v) for c, v in pairs if c in known]
    if not pairs:
        return []
    results = engine.evaluate_pairs([c for c, _ in pairs], [v for _, v in pairs])
    return results.stored_rows(_db_ids(index))


@transaction.atomic
def shortlists_persist(*, results: list[VacancyResult], engine: MatchingEngine, index: ReferenceIndex) -> int:
    """Write the shortlists of these vacancies: upsert, drop stale proposals, refresh decisions."""
    prepared = _chunk_prepare(results, index, frozen_candidate_ids(), postgresql=connection.vendor == "postgresql")
    return _chunk_write(prepared, engine, index)


@dataclass
class _PreparedChunk:
    """What ``shortlists_persist`` writes for a batch of results, built in Python without the
    database: the rows (as COPY bytes on PostgreSQL) and the near-miss rows."""

    results: list[VacancyResult]
    vacancy_ids: list[int]
    frozen: set[int]
    rows: list[dict] | bytes
    n_rows: int
    near_misses: dict[int, list]
    near_miss_copy: tuple[bytes, bytes] | None


def _chunk_prepare(
    results: list[VacancyResult], index: ReferenceIndex, frozen: set[int], *, postgresql: bool
) -> _PreparedChunk:
    # Hundreds of thousands of small dicts, no cycles, most freed as soon as their bytes are
    # built: with the collector on, each batch triggered collections that rescanned every live
    # object (a third of this function's time at the default thresholds; see also
    # tasks.tune_garbage_collector).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _chunk_build(results, index, frozen, postgresql=postgresql)
    finally:
        if was_enabled:
            gc.enable()


def _chunk_build(
    results: list[VacancyResult], index: ReferenceIndex, frozen: set[int], *, postgresql: bool
) -> _PreparedChunk:
    ids = _db_ids(index)
    rows = [row for r in results for row in r.stored_rows(ids) if row["candidate_id"] not in frozen]
    near_misses = _near_misses_new(results, index, frozen)
    return _PreparedChunk(
        results=results,
        vacancy_ids=[r.vacancy_id for r in results],
        frozen=frozen,
        rows=_copy_bytes(rows) if postgresql else rows,
        n_rows=len(rows),
        near_misses=near_misses,
        near_miss_copy=_near_miss_copy_bytes(near_misses) if postgresql else None,
    )


def _chunk_write(prepared: _PreparedChunk, engine: MatchingEngine, index: ReferenceIndex) -> int:
    """The database side of ``shortlists_persist`` (in the caller's transaction)."""
    vacancy_ids, frozen = prepared.vacancy_ids, prepared.frozen
    persist = _persist_postgresql if connection.vendor == "postgresql" else _persist_portable
    refreshed = persist(
        prepared.rows,
        vacancy_ids,
        lambda pairs: _refresh_decided(engine, index, [(c, v) for c, v in pairs if c not in frozen]),
        frozen,
    )
    if refreshed:
        _rerank(vacancy_ids=set(vacancy_ids), top_k=settings.MATCHING_TOP_K)
    counts = near_misses_write(prepared.results, index, frozen, new=prepared.near_misses, copy=prepared.near_miss_copy)
    summaries_write(prepared.results, counts)
    return prepared.n_rows


class _ChunkWriter:
    """Writes prepared batches of a rebuild in a thread with its own database connection, one
    transaction per batch as ``shortlists_persist``, in the order given: PostgreSQL parses and
    indexes one batch while the caller ranks and builds the next (psycopg2 releases the GIL while
    it waits for the server).  At most one batch waits in the queue (memory).  The first error
    stops the writing (later batches are dropped, not written) and is raised in the caller by
    ``submit`` or ``close``; the thread's connection is closed at the end."""

    def __init__(self, engine: MatchingEngine, index: ReferenceIndex) -> None:
        self.engine, self.index = engine, index
        self.written = 0
        self._error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._run, name="shortlists-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            while (prepared := self._queue.get()) is not None:
                if self._error is None:
                    try:
                        with transaction.atomic():
                            self.written += _chunk_write(prepared, self.engine, self.index)
                    except BaseException as error:  # noqa: BLE001 (handed to the caller, raised there)
                        self._error = error
        finally:
            connection.close()  # this thread's own connection

    def submit(self, prepared: _PreparedChunk) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(prepared)

    def close(self) -> int:
        """Wait for the batches handed over; raise the writer's error if one failed."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.written


def _writer_thread_usable() -> bool:
    """The writer thread has its own connection: only where this one is in autocommit (a worker,
    the benchmark), since a connection inside a transaction could not see its uncommitted rows."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


@dataclass(slots=True)
class _NearMissRow:
    """An unsaved near miss: the fields of NearMiss (a model instance costs ~30 µs to build,
    more than the rest of the row; the model is built only where the ORM writes it)."""

    vacancy_id: int
    candidate_id: int
    score: float
    rank: int
    kind: str
    gap: dict
    explanation: list

    def model(self) -> NearMiss:
        return NearMiss(
            vacancy_id=self.vacancy_id,
            candidate_id=self.candidate_id,
            score=self.score,
            rank=self.rank,
            kind=self.kind,
            gap=self.gap,
            explanation=self.explanation,
            engine_version=ENGINE_VERSION,
        )


def _near_miss_rows(
    result: VacancyResult, index: ReferenceIndex, frozen: set[int]
) -> list[tuple[_NearMissRow, list[int]]]:
    """The vacancy's near misses as unsaved rows (database ids in the gap), with their skill ids.
    Candidates of a paused service are left out, like new proposals."""
    rows, rank = [], 0
    for candidate_id, vacancy_id, score, gap, explanation in result.near_miss_rows(_db_ids(index)):
        if candidate_id in frozen:
            continue
        rank += 1
        rows.append(
            (
                _NearMissRow(
                    vacancy_id=vacancy_id,
                    candidate_id=candidate_id,
                    score=min(1.0, max(0.0, score)),
                    rank=rank,
                    kind=gap["kind"],
                    gap=gap,
                    explanation=explanation,
                ),
                gap["skills"],
            )
        )
    return rows


def _near_misses_new(results: list[VacancyResult], index: ReferenceIndex, frozen: set[int]) -> dict[int, list]:
    return {r.vacancy_id: _near_miss_rows(r, index, frozen) for r in results}


def near_misses_write(
    results: list[VacancyResult],
    index: ReferenceIndex,
    frozen: set[int],
    *,
    only_changed: bool = False,
    new: dict[int, list] | None = None,
    copy: tuple[bytes, bytes] | None = None,
) -> dict[int, int]:
    """Replace the near misses of these vacancies with the engine's (bounded like the shortlist:
    EngineConfig.near_miss_k); ``only_changed``: leave a vacancy's rows alone when the candidates,
    gaps and scores are the same (a candidate rematch ranks every vacancy again, and most lists
    do not move); ``new``: their rows, built beforehand (``_near_misses_new``), and ``copy``
    (PostgreSQL) their ``_near_miss_copy_bytes``.  Returns vacancy id -> near misses stored."""
    if not results:
        return {}
    new = _near_misses_new(results, index, frozen) if new is None else new
    counts = {vacancy_id: len(rows) for vacancy_id, rows in new.items()}
    if only_changed:
        stored: dict[int, list] = {}
        for vacancy_id, candidate_id, score, gap in (
            NearMiss.objects.filter(vacancy_id__in=new)
            .order_by("vacancy_id", "rank")
            .values_list("vacancy_id", "candidate_id", "score", "gap")
        ):
            stored.setdefault(vacancy_id, []).append((candidate_id, round(score, 9), gap))
        copy = None  # it held every vacancy: built again for those that changed
        new = {
            vacancy_id: rows
            for vacancy_id, rows in new.items()
            if stored.get(vacancy_id, []) != [(n.candidate_id, round(n.score, 9), n.gap) for n, _ in rows]
        }
    if new and connection.vendor == "postgresql":
        _near_misses_replace_postgresql(new, copy)
    elif new:
        NearMiss.objects.filter(vacancy_id__in=new).delete()
        pending = [row for rows in new.values() for row in rows]
        created = NearMiss.objects.bulk_create([near.model() for near, _ in pending])  # ids set (PostgreSQL, SQLite)
        NearMissSkill.objects.bulk_create(
            [
                NearMissSkill(near_miss_id=made.pk, skill_id=skill_id)
                for made, (_, skill_ids) in zip(created, pending)
                for skill_id in skill_ids
            ]
        )
    return counts


def _near_miss_copy_bytes(new: dict[int, list[tuple[_NearMissRow, list[int]]]]) -> tuple[bytes, bytes]:
    """The near misses and their skills in COPY's text format (as ``_copy_bytes`` for matches):
    built where the rows are built, so that the writer thread only waits on PostgreSQL."""
    dumps = orjson.dumps
    near_lines, skill_lines = [], []
    for rows in new.values():
        for near, skills in rows:
            near_lines.append(
                b"\t".join(
                    (
                        b"%d" % near.vacancy_id,
                        b"%d" % near.candidate_id,
                        repr(float(near.score)).encode(),
                        b"%d" % near.rank,
                        near.kind.encode(),
                        _copy_text(dumps(near.gap)),
                        _copy_text(dumps(near.explanation)),
                    )
                )
            )
            pair = b"%d\t%d\t" % (near.vacancy_id, near.candidate_id)
            skill_lines.extend(pair + b"%d" % skill_id for skill_id in skills)
    near_lines.append(b"")
    skill_lines.append(b"")
    return b"\n".join(near_lines), b"\n".join(skill_lines)


def _near_misses_replace_postgresql(
    new: dict[int, list[tuple[_NearMissRow, list[int]]]], copy: tuple[bytes, bytes] | None = None
) -> None:
    """The same rows as the ORM path: two DELETEs (the ORM's delete loaded every old row and its
    JSON to cascade by hand), a COPY of the near misses and of their skills into temporary
    tables (``copy``: ``_near_miss_copy_bytes(new)``, built beforehand), and one statement that
    inserts both (the skills joined to the new ids)."""
    near_table, skill_table = NearMiss._meta.db_table, NearMissSkill._meta.db_table
    vacancy_ids = list(new)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {skill_table} s USING {near_table} n WHERE s.near_miss_id = n.id AND n.vacancy_id = ANY(%s)",
            [vacancy_ids],
        )
        cursor.execute(f"DELETE FROM {near_table} WHERE vacancy_id = ANY(%s)", [vacancy_ids])
        if not any(new.values()):
            return
        near_data, skill_data = copy if copy is not None else _near_miss_copy_bytes(new)
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS near_miss_upsert (vacancy_id bigint, candidate_id bigint,"
            " score double precision, rank integer, kind text, gap jsonb, explanation jsonb)"
        )
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS near_miss_skill_upsert (vacancy_id bigint, candidate_id bigint, skill_id bigint)"
        )
        cursor.execute("TRUNCATE near_miss_upsert, near_miss_skill_upsert")
        cursor.copy_expert(
            "COPY near_miss_upsert (vacancy_id, candidate_id, score, rank, kind, gap, explanation) FROM STDIN",
            io.BytesIO(near_data),
        )
        cursor.copy_expert(
            "COPY near_miss_skill_upsert (vacancy_id, candidate_id, skill_id) FROM STDIN", io.BytesIO(skill_data)
        )
        cursor.execute(
            f"""WITH made AS (
                    INSERT INTO {near_table} (vacancy_id, candidate_id, score, rank, kind, gap, explanation,
                                              engine_version, computed_at)
                    SELECT vacancy_id, candidate_id, score, rank, kind, gap, explanation, %s, %s FROM near_miss_upsert
                    RETURNING id, vacancy_id, candidate_id)
                INSERT INTO {skill_table} (near_miss_id, skill_id)
                SELECT made.id, s.skill_id FROM made JOIN near_miss_skill_upsert s USING (vacancy_id, candidate_id)""",
            [ENGINE_VERSION, timezone.now()],
        )
        cursor.execute("TRUNCATE near_miss_upsert, near_miss_skill_upsert")


def summaries_write(results: list[VacancyResult], near_misses: dict[int, int] | None = None) -> None:
    """Store each vacancy's "N scored, M passed, excluded: ..." exactly as the engine counted it
    (the one counting rule, shared by every rematch), and the near misses stored for it."""
    if not results:
        return
    near_misses = near_misses or {}
    ShortlistSummary.objects.bulk_create(
        [
            ShortlistSummary(
                vacancy_id=r.vacancy_id,
                candidates_total=r.candidates_total,
                eligible=r.eligible,
                exclusions=r.exclusions,
                near_misses=near_misses.get(r.vacancy_id, len(r.near_misses)),
                engine_version=ENGINE_VERSION,
            )
            for r in results
        ],
        update_conflicts=True,
        unique_fields=["vacancy"],
        update_fields=["candidates_total", "eligible", "exclusions", "near_misses", "engine_version", "computed_at"],
    )


def _lists_missing_someone(pairs: list[tuple[int, int]]) -> set[int]:
    """The vacancies among these (candidate id, vacancy id) pairs, the engine's new top K, where
    a candidate has no unflagged match yet: their shortlist must be rewritten (someone enters)."""
    if not pairs:
        return set()
    vacancy_ids = sorted({v for _, v in pairs})
    if connection.vendor == "postgresql":
        # One row per vacancy (aggregated in the database): the ORM would build a tuple per match.
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT vacancy_id, array_agg(candidate_id) FROM {Match._meta.db_table}
                    WHERE vacancy_id = ANY(%s) AND NOT is_flagged GROUP BY vacancy_id""",
                [vacancy_ids],
            )
            on_list = {vacancy_id: set(candidate_ids) for vacancy_id, candidate_ids in cursor.fetchall()}
    else:
        on_list = {}
        for vacancy_id, candidate_id in Match.objects.filter(vacancy_id__in=vacancy_ids, is_flagged=False).values_list(
            "vacancy_id", "candidate_id"
        ):
            on_list.setdefault(vacancy_id, set()).add(candidate_id)
    return {v for c, v in pairs if c not in on_list.get(v, ())}


def _pairs_q(pairs) -> Q:
    """Q matching exactly these (candidate id, vacancy id) pairs, grouped by vacancy."""
    vacancy_to_candidates: dict[int, list[int]] = {}
    for candidate_id, vacancy_id in pairs:
        vacancy_to_candidates.setdefault(vacancy_id, []).append(candidate_id)
    q = Q(pk__in=[])
    for vacancy_id, candidate_ids in vacancy_to_candidates.items():
        q |= Q(vacancy_id=vacancy_id, candidate_id__in=candidate_ids)
    return q


# --- the three rematches ---------------------------------------------------------------------------


def vacancy_rematch(*, vacancy_id: int) -> dict:
    """Rebuild one vacancy's shortlist (after the vacancy changed); not open = no proposals."""
    started = time.monotonic()
    inputs = engine_inputs()
    if not Vacancy.objects.open_for_matching().filter(pk=vacancy_id).exists():
        deleted, _ = removable_proposals(Match.objects.filter(vacancy_id=vacancy_id)).delete()
        NearMiss.objects.filter(vacancy_id=vacancy_id).delete()
        return {"vacancy": vacancy_id, "open": False, "deleted": deleted}
    engine = build_engine(inputs=inputs, vacancies=Vacancy.objects.filter(pk=vacancy_id))
    result = engine.match_vacancy(vacancy_id)
    written = shortlists_persist(results=[result], engine=engine, index=inputs.index)
    requirement_costs_store(engine=engine, index=inputs.index, vacancy_id=vacancy_id)  # same warm engine
    runlog.scoring_run_record(
        scope="vacancy_rematch",
        engine=engine,
        started=started,
        exclusions=runlog.exclusions_total([result]),
        subject=("vacancy", vacancy_id),
        vacancy_ids=[vacancy_id],
    )
    return {"vacancy": vacancy_id, "open": True, "shortlist": len(result.matches), "written": written}


def open_vacancies_keep(vacancy_ids: list[int]) -> list[int]:
    """The open ones of these vacancies; the proposals and near misses of the others are dropped."""
    open_ids = list(Vacancy.objects.open_for_matching().filter(pk__in=vacancy_ids).values_list("pk", flat=True))
    closed = set(vacancy_ids) - set(open_ids)
    if closed:
        removable_proposals(Match.objects.filter(vacancy_id__in=closed)).delete()
        NearMiss.objects.filter(vacancy_id__in=closed).delete()
    return open_ids


def vacancies_rematch(*, vacancy_ids: list[int], run_id: int | None = None) -> int:
    """Rebuild the shortlists of a batch of vacancies (one chunk of a full rebuild)."""
    started = time.monotonic()
    inputs = engine_inputs()
    open_ids = open_vacancies_keep(vacancy_ids)
    if not open_ids:
        return 0
    engine = rebuild_engine(inputs)
    known = set(engine.vacancies.ids.tolist())
    if not set(open_ids) <= known:  # opened after the engine was built
        engine = build_engine(inputs=inputs, vacancies=Vacancy.objects.filter(pk__in=open_ids))
    return rebuild_results_persist(
        results_chunks=engine.run_chunks(open_ids),
        engine=engine,
        index=inputs.index,
        started=started,
        run_id=run_id,
        vacancy_ids=vacancy_ids,
        open_ids=open_ids,
    )


def rebuild_results_persist(
    *, results_chunks, engine, index, started: float, run_id, vacancy_ids: list[int], open_ids: list[int], extra=None
) -> int:
    """Persist a rebuild part's results (lists of VacancyResult) and log its scoring run: the one
    road of the unsharded part and of the merged shards (matching/sharding.py).

    In autocommit (a worker's chunk) each batch is built here and written by a ``_ChunkWriter``
    thread while the engine ranks and this thread builds the next one; inside a transaction
    (the shard merge, tests) batch after batch through ``shortlists_persist``.  Either way one
    transaction per batch, and the same rows."""
    written, exclusions = 0, Counter()
    if _writer_thread_usable():
        writer = _ChunkWriter(engine, index)
        try:
            for results in results_chunks:
                writer.submit(_chunk_prepare(results, index, frozen_candidate_ids(), postgresql=True))
                exclusions.update(runlog.exclusions_total(results))
        finally:
            written = writer.close()  # also when ranking failed: the batches handed over are written
    else:
        for results in results_chunks:
            written += shortlists_persist(results=results, engine=engine, index=index)
            exclusions.update(runlog.exclusions_total(results))
    runlog.scoring_run_record(
        scope="rebuild_chunk",
        engine=engine,
        started=started,
        exclusions=dict(sorted(exclusions.items())),
        subject=("rebuild_run", run_id) if run_id else None,
        vacancy_ids=open_ids,
        # The chunk's first vacancy names the chunk: a chunk the watchdog sent again is logged
        # twice, and the run's record counts it once (runlog.rebuild_run_record).
        extra={"rebuild_run": run_id, "scored_vacancies": len(open_ids), "chunk": min(vacancy_ids), **(extra or {})},
    )
    return written


# Candidate rematches take turns (a PostgreSQL session lock, held across their chunks' transactions):
# each loads the profiles after the previous one wrote, so the last to write saw the latest change
# and an older rematch can never overwrite fresher counts. A dead worker's lock goes with its connection.
CANDIDATE_REMATCH_LOCK = 0x4E535001


@contextmanager
def _candidate_rematches_in_turn():
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [CANDIDATE_REMATCH_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [CANDIDATE_REMATCH_LOCK])


def candidate_rematch(*, candidate_id: int) -> dict:
    """Bring every open vacancy's shortlist and summary up to date after one candidate changed.

    Choice: the counts are recomputed, not patched. A candidate's change can move them on any
    open vacancy (withdrawn consent moves every vacancy's "no consent" count), and the
    candidate's outcome before the change is not stored, so a delta cannot be exact. So the
    engine ranks every open vacancy again, the same per-vacancy ranking a full rebuild runs
    (``MatchingEngine.run_chunks``, one counting rule), and per chunk of
    ``MATCHING_CHUNK_VACANCIES`` vacancies, in one transaction:

    * a shortlist is rewritten (``shortlists_persist``, as a vacancy rematch writes it: freed
      places refilled from the next-best eligible candidates, decisions kept and flagged,
      hand-added and frozen rows untouched) when this candidate has a match on it, or when the
      engine's top K holds someone who is not on it (this candidate entering, a place freed by
      a deleted candidate);
    * every other vacancy's summary is written only where its counts differ.

    Cost: one engine pass over all candidates x open vacancies (the engine's bulk arrays built
    once per worker and change, as for a rebuild chunk), explanations built only for the
    rewritten shortlists, on top of the profile load (``engine_inputs``) that any rematch after
    a candidate change pays. Measured on 2026-11-27 on the shared 2-core machine (seed_demo
    regions, seed 1; 7 candidates, median; "before" = the former score-one-candidate rematch
    that left the counts stale): 300 candidates x 60 vacancies (the demo) 0.49-0.78 s after a
    change (before: 0.16 s), 0.08-0.14 s with warm profiles and engine; 3,000 x 600: 1.8-2.4 s
    (before: 0.71 s), 0.7-0.8 s warm. It grows with candidates x vacancies like the engine's
    full ranking (about 4 s at 100,000 x 10,000, docs/performance.md): fine for a queued
    worker task, and the reason candidate rematches never run inside a request.

    Candidates of a paused service keep their rows (neither added, refreshed nor deleted), but
    the counts are still brought up to date: they describe the region, not a match.
    Consent withdrawn: their hand-added proposals go too (no one may be matched without consent).
    """
    with _candidate_rematches_in_turn():
        return _candidate_rematch(candidate_id=candidate_id)


def _candidate_rematch(*, candidate_id: int) -> dict:
    started = time.monotonic()
    inputs = engine_inputs()
    positions = np.flatnonzero(inputs.candidates.ids == candidate_id)
    exists = positions.size > 0
    consenting = exists and bool(inputs.candidates.consent_matching[positions[0]])
    frozen = frozen_candidate_ids()
    paused = candidate_id in frozen
    if paused:
        logger.info("Candidate %s: matches frozen (their employment service paused matching)", candidate_id)
    before = set(
        Match.objects.filter(candidate_id=candidate_id, review_status=ReviewStatus.PROPOSED).values_list(
            "vacancy_id", flat=True
        )
    )
    open_ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("pk", flat=True))
    if exists and not consenting and not paused:
        # Proposals on vacancies no rematch looks at (not open) go at once.
        Match.objects.filter(candidate_id=candidate_id, review_status=ReviewStatus.PROPOSED).exclude(
            vacancy_id__in=open_ids
        ).delete()
    if not open_ids:
        if exists and not paused:
            removable_proposals(Match.objects.filter(candidate_id=candidate_id)).delete()
        return {"candidate": candidate_id, "exists": exists, "paused": paused, "entered": 0, "left": len(before)}
    engine = rebuild_engine(inputs)
    if not set(open_ids) <= set(engine.vacancies.ids.tolist()):  # opened after the engine was built
        engine = build_engine(inputs=inputs, vacancies=Vacancy.objects.filter(pk__in=open_ids))
    known = set(engine.vacancies.ids.tolist())
    open_ids = [v for v in open_ids if v in known]
    rewritten, summaries = [], 0
    size = settings.MATCHING_CHUNK_VACANCIES
    for start in range(0, len(open_ids), size):
        results = [r for part in engine.run_chunks(open_ids[start : start + size]) for r in part]
        chunk_rewritten, chunk_summaries = _candidate_chunk_persist(
            candidate_id=candidate_id,
            results=results,
            engine=engine,
            index=inputs.index,
            frozen=frozen,
            drop_proposals=exists and not consenting and not paused,
            own_rows=not paused,
        )
        rewritten += chunk_rewritten
        summaries += chunk_summaries
    runlog.scoring_run_record(
        scope="candidate_rematch",
        engine=engine,
        started=started,
        exclusions=runlog.exclusions_of_pairs(engine.score_candidate(candidate_id).fails) if exists else {},
        subject=("candidate", candidate_id),
        vacancy_ids=rewritten,
        extra={"shortlists_rewritten": len(rewritten), "summaries_updated": summaries},
    )
    after = set(
        Match.objects.filter(candidate_id=candidate_id, review_status=ReviewStatus.PROPOSED).values_list(
            "vacancy_id", flat=True
        )
    )
    return {
        "candidate": candidate_id,
        "exists": exists,
        "paused": paused,
        "entered": len(after - before),
        "left": len(before - after),
        "shortlists_rewritten": len(rewritten),
        "summaries_updated": summaries,
    }


@transaction.atomic
def _candidate_chunk_persist(
    *,
    candidate_id: int,
    results: list[VacancyResult],
    engine: MatchingEngine,
    index: ReferenceIndex,
    frozen: set[int],
    drop_proposals: bool,
    own_rows: bool,
) -> tuple[list[int], int]:
    """One chunk of a candidate rematch: rewrite the shortlists that change, fix the counts of
    the others. Returns (vacancies whose shortlist was rewritten, summaries written)."""
    vacancy_ids = [r.vacancy_id for r in results]
    if drop_proposals:
        Match.objects.filter(
            candidate_id=candidate_id, vacancy_id__in=vacancy_ids, review_status=ReviewStatus.PROPOSED
        ).delete()
    short = _lists_missing_someone(
        [(c, r.vacancy_id) for r in results for c in r.candidate_ids.tolist() if c not in frozen]
    )
    has_row = (
        set(
            Match.objects.filter(candidate_id=candidate_id, vacancy_id__in=vacancy_ids).values_list(
                "vacancy_id", flat=True
            )
        )
        if own_rows
        else set()
    )
    stored = {
        row[0]: row[1:]
        for row in ShortlistSummary.objects.filter(vacancy_id__in=vacancy_ids).values_list(
            "vacancy_id", "candidates_total", "eligible", "exclusions", "near_misses", "engine_version"
        )
    }
    rewrite, others = [], []
    for result in results:
        (rewrite if result.vacancy_id in has_row or result.vacancy_id in short else others).append(result)
    # Near misses of the other vacancies: rows replaced only where the list moved (this candidate
    # entering or leaving one, within the vacancy's bound).
    near_counts = near_misses_write(others, index, frozen, only_changed=True)
    recount = [
        result
        for result in others
        if stored.get(result.vacancy_id)
        != (
            result.candidates_total,
            result.eligible,
            result.exclusions,
            near_counts[result.vacancy_id],
            ENGINE_VERSION,
        )
    ]
    if rewrite:
        shortlists_persist(results=rewrite, engine=engine, index=index)
    summaries_write(recount, near_counts)
    return [r.vacancy_id for r in rewrite], len(rewrite) + len(recount)


def _rerank(*, vacancy_ids: set[int], top_k: int) -> None:
    """Renumber the shortlists of these vacancies and drop proposals pushed beyond the top K.

    The rank is the position by score among the vacancy's unflagged matches, whatever their
    review status; flagged matches have no rank."""
    if not vacancy_ids:
        return
    rows = list(
        Match.objects.filter(vacancy_id__in=vacancy_ids, is_flagged=False)
        .order_by("vacancy_id", "-score", "candidate_id")
        .values_list("id", "vacancy_id", "review_status", "rank")
    )
    updates, beyond, position, current = [], [], 0, None
    for match_id, vacancy_id, status, rank in rows:
        position = position + 1 if vacancy_id == current else 1
        current = vacancy_id
        if position > top_k and status == ReviewStatus.PROPOSED:
            beyond.append(match_id)
        elif rank != position:
            updates.append(Match(id=match_id, rank=position))
    Match.objects.bulk_update(updates, ["rank"], batch_size=2000)
    Match.objects.filter(vacancy_id__in=vacancy_ids, is_flagged=True, rank__isnull=False).update(rank=None)
    if beyond:
        removable_proposals(Match.objects.filter(id__in=beyond)).delete()


def removable_proposals(matches):
    """The proposals among ``matches`` that a rematch may delete: not hand-added, not frozen by
    a service's pause."""
    return (
        matches.filter(review_status=ReviewStatus.PROPOSED)
        .exclude(source=MatchSource.MANUAL)
        .exclude(candidate_id__in=frozen_candidate_ids())
    )

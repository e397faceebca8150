"""What matching writes to the audit log (AI Act Art. 12): its scoring runs and the context of
each decision on a match.

A scoring run event holds the engine version, the weights version, a SHA-256 of the engine's
inputs as scored (every array of the candidate and vacancy profiles), the candidates excluded
per hard filter and the duration. The shortlist summaries remember the run that made them, so
a decision is logged with the run, score, rank and explanation version the caseworker saw.
"""

import hashlib
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import fields

import numpy as np
import scipy.sparse as sp

from audit.services import AuditEntry, audit_record, audit_record_many

from .engine.results import ENGINE_VERSION
from .engine.rules import reasons_of
from .models import ShortlistSummary

SCORING_RUN = "scoring_run"
MATCH_DECISION = "match_decision"
WEIGHTS_VERSION = "weights_version"


# --- the inputs' digest ---------------------------------------------------------------------------


def _update(digest, value) -> None:
    if sp.issparse(value):
        value = value.tocsr()
        digest.update(f"csr{value.shape}".encode())
        for part in (value.indptr, value.indices, value.data):
            _update(digest, part)
    elif isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        digest.update(f"{array.dtype.str}{array.shape}".encode())
        digest.update(array.tobytes())
    else:
        digest.update(repr(value).encode())


def profiles_digest(profiles) -> str:
    """SHA-256 over every field of engine profiles (CandidateProfiles or VacancyProfiles),
    remembered on the object (a worker's cached candidate profiles are hashed once)."""
    cached = getattr(profiles, "_audit_digest", None)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    for field in fields(profiles):
        digest.update(field.name.encode())
        _update(digest, getattr(profiles, field.name))
    value = digest.hexdigest()
    with suppress(AttributeError, TypeError):  # a slotted class: hashed again next time
        object.__setattr__(profiles, "_audit_digest", value)
    return value


def inputs_digest(*, candidates, vacancies) -> str:
    combined = f"{profiles_digest(candidates)}:{profiles_digest(vacancies)}"
    return hashlib.sha256(combined.encode()).hexdigest()


# --- scoring runs ---------------------------------------------------------------------------------


def exclusions_total(results: Iterable) -> dict[str, int]:
    """The engine's per-filter exclusion counts summed over vacancy results."""
    total: Counter = Counter()
    for result in results:
        total.update(result.exclusions)
    return dict(sorted(total.items()))


def exclusions_of_pairs(fails: np.ndarray) -> dict[str, int]:
    """Per-filter counts from the failure bitmasks of scored pairs (a candidate rematch)."""
    total: Counter = Counter()
    values, counts = np.unique(np.asarray(fails, dtype=np.int64), return_counts=True)
    for value, count in zip(values.tolist(), counts.tolist()):
        for code in reasons_of(int(value)):
            total[code] += count
    return dict(sorted(total.items()))


def scoring_run_record(
    *,
    scope: str,
    engine,
    started: float,
    exclusions: dict[str, int],
    subject: tuple[str, int | None] | None = None,
    vacancy_ids: list[int] | None = None,
    extra: dict | None = None,
) -> int:
    """Log one scoring run and link the shortlists it wrote (their summaries) to it.

    ``started`` is a ``time.monotonic()`` reading taken before the inputs were built."""
    weights_version = getattr(engine, "weights_version", None)
    event = audit_record(
        kind=SCORING_RUN,
        subject=subject,
        where=f"matching.{scope}",
        data={
            "scope": scope,
            "engine_version": ENGINE_VERSION,
            "weights_version": weights_version,
            "inputs_sha256": inputs_digest(candidates=engine.candidates, vacancies=engine.vacancies),
            "candidates": int(engine.candidates.n),
            "vacancies": int(engine.vacancies.n),
            "exclusions": exclusions,
            "duration_ms": round((time.monotonic() - started) * 1000),
            **(extra or {}),
        },
    )
    if vacancy_ids:
        ShortlistSummary.objects.filter(vacancy_id__in=vacancy_ids).update(
            run_seq=event.seq, weights_version=weights_version
        )
    return event.seq


# --- decisions ------------------------------------------------------------------------------------

_pending: ContextVar[list | None] = ContextVar("matching_decisions_pending", default=None)


def _decision_entries(matches_and_data: list[tuple]) -> list[AuditEntry]:
    vacancy_ids = {match.vacancy_id for match, _ in matches_and_data}
    runs = {
        row["vacancy_id"]: row
        for row in ShortlistSummary.objects.filter(vacancy_id__in=vacancy_ids).values(
            "vacancy_id", "run_seq", "weights_version"
        )
    }
    entries = []
    for match, data in matches_and_data:
        run = runs.get(match.vacancy_id, {})
        entries.append(
            AuditEntry(
                kind=MATCH_DECISION,
                subject_type="candidate",
                subject_id=match.candidate_id,
                where="matching.match_decide",
                data={
                    "match": match.pk,
                    "vacancy": match.vacancy_id,
                    "score": match.score,
                    "rank": match.rank,
                    "engine_version": match.engine_version,
                    "weights_version": run.get("weights_version"),
                    "run_seq": run.get("run_seq"),
                    **data,
                },
            )
        )
    return entries


@contextmanager
def decisions_batch(*, reviewer) -> Iterator[None]:
    """Collect the decisions made inside (a bulk decision) and log them in one write."""
    if _pending.get() is not None:  # nested: the outer batch logs
        yield
        return
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    # Reached only when the block succeeded (an exception propagates past this line).
    if pending:
        audit_record_many(actor=reviewer, entries=_decision_entries(pending))


def decision_log(*, match, reviewer, decision: str, reason: str) -> None:
    """Log a decision on ``match`` with the score and rank it had (what the caseworker saw),
    in the decision's transaction."""
    data = {"decision": decision, "reason": reason}
    pending = _pending.get()
    if pending is not None:
        pending.append((match, data))
    else:
        audit_record_many(actor=reviewer, entries=_decision_entries([(match, data)]))


def weights_version_log(*, weights, actor) -> None:
    audit_record(
        kind=WEIGHTS_VERSION,
        actor=actor,
        subject=("matching_weights", weights.version),
        where="matching.weights_version_create",
        data={"version": weights.version, **{name: getattr(weights, name) for name in weights.FACTORS}},
    )


def rebuild_run_record(*, run, inputs) -> int:
    """Log a finished full rebuild: its chunks' scoring runs, the inputs as a whole (every
    candidate, every open vacancy), the candidates' gaps, and how long it took."""
    from audit.models import AuditEvent

    from .profiles import vacancy_profiles_build, weights_versioned

    vacancies = vacancy_profiles_build(index=inputs.index)
    chunk_events = list(
        AuditEvent.objects.filter(kind=SCORING_RUN, subject_type="rebuild_run", subject_id=run.pk)
        .order_by("seq")
        .values_list("seq", "data")
    )
    # A chunk sent again by the watchdog ran twice: count its latest run only.
    latest_per_chunk = {data.get("chunk", seq): (seq, data) for seq, data in chunk_events}
    chunk_events = sorted(latest_per_chunk.values(), key=lambda event: event[0])
    exclusions: Counter = Counter()
    for _seq, data in chunk_events:
        exclusions.update(data.get("exclusions", {}))
    weights_versions = sorted({data.get("weights_version") for _seq, data in chunk_events} - {None})
    event = audit_record(
        kind=SCORING_RUN,
        subject=("rebuild_run", run.pk),
        where="matching.rebuild",
        data={
            "scope": "rebuild",
            "rebuild_run": run.pk,
            "engine_version": ENGINE_VERSION,
            "weights_version": weights_versions[-1] if weights_versions else weights_versioned()[1],
            "inputs_sha256": inputs_digest(candidates=inputs.candidates, vacancies=vacancies),
            "candidates": int(inputs.candidates.n),
            "vacancies": int(vacancies.n),
            "exclusions": dict(sorted(exclusions.items())),
            "candidate_gaps": run.exclusions,
            "chunk_runs": [seq for seq, _data in chunk_events],
            "duration_ms": round((run.finished_at - run.started_at).total_seconds() * 1000),
        },
    )
    return event.seq

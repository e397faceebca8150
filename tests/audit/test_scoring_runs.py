"""Scoring runs in the log: each rematch and rebuild records the engine and weights versions,
a digest of its inputs, the exclusions per filter and its duration; weights are versions."""

import pytest

from audit.models import AuditEvent
from matching import shortlists
from matching.engine.results import ENGINE_VERSION
from matching.models import MatchingWeights, ShortlistSummary
from matching.rebuild import rebuild_start
from matching.services import weights_version_create
from tests.matching.conftest import make_candidate, make_vacancy

pytestmark = pytest.mark.django_db


def runs(scope: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind="scoring_run", data__scope=scope).order_by("seq"))


def test_a_new_weights_version_reaches_the_next_rebuild_and_the_inputs_digest_is_stable(occupation, occupation_skills):
    make_candidate(occupation=occupation, skills=occupation_skills)
    make_candidate(occupation=occupation, skills=occupation_skills, home="Axel", consent_matching_at=None)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    first_version = MatchingWeights.objects.order_by("-version").first().version
    rebuild_start()
    values = dict.fromkeys(MatchingWeights.FACTORS, 0.1)
    newer = weights_version_create(values=values, created_by=None)
    assert newer.version == first_version + 1
    assert MatchingWeights.objects.count() == 2
    rebuild_start()  # the same worker process: its cached engine must see the new weights
    first, second = runs("rebuild_chunk")
    assert (first.data["weights_version"], second.data["weights_version"]) == (first_version, newer.version)
    assert first.data["inputs_sha256"] == second.data["inputs_sha256"]  # same profiles, same digest
    assert first.data["exclusions"]["no_consent_matching"] == 1
    assert ShortlistSummary.objects.get(vacancy=vacancy).run_seq == second.seq
    assert ShortlistSummary.objects.get(vacancy=vacancy).weights_version == newer.version
    logged = AuditEvent.objects.get(kind="weights_version")
    assert (logged.subject_type, logged.subject_id, logged.actor_label) == ("matching_weights", newer.version, "system")
    assert [e.data["chunk_runs"] for e in runs("rebuild")] == [[first.seq], [second.seq]]


def test_vacancy_and_candidate_rematches_are_scoring_runs(occupation, occupation_skills):
    candidate = make_candidate(occupation=occupation, skills=occupation_skills)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    shortlists.candidate_rematch(candidate_id=candidate.pk)
    (vacancy_run,) = runs("vacancy_rematch")
    (candidate_run,) = runs("candidate_rematch")
    assert (vacancy_run.subject_type, vacancy_run.subject_id) == ("vacancy", vacancy.pk)
    assert (candidate_run.subject_type, candidate_run.subject_id) == ("candidate", candidate.pk)
    for run in (vacancy_run, candidate_run):
        assert run.data["engine_version"] == ENGINE_VERSION
        assert run.data["weights_version"] == MatchingWeights.objects.order_by("-version").first().version
        assert run.data["duration_ms"] >= 0
        assert len(run.data["inputs_sha256"]) == 64
        assert run.actor_label == "system"
    assert vacancy_run.data["candidates"] >= 1
    assert candidate_run.data["candidates"] == 1
    # The candidate's rematch rewrote the shortlist they are on: the summary names that run.
    assert candidate_run.data["shortlists_rewritten"] == 1
    assert ShortlistSummary.objects.get(vacancy=vacancy).run_seq == candidate_run.seq > vacancy_run.seq


def test_weight_versions_are_never_edited_in_the_admin(client):
    from django.urls import reverse

    from tests.factories import UserFactory

    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    current = MatchingWeights.objects.order_by("-version").first()
    response = client.post(reverse("admin:matching_matchingweights_add"), dict.fromkeys(MatchingWeights.FACTORS, 0.2))
    assert response.status_code == 302
    assert MatchingWeights.objects.count() == 2
    current.refresh_from_db()
    assert current.skills != 0.2 or current.occupation != 0.2  # the old version is untouched
    delete = reverse("admin:matching_matchingweights_delete", args=[current.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403


def test_a_chunk_that_ran_twice_counts_once_in_the_rebuild_record(occupation, occupation_skills):
    """The watchdog may send a slow chunk again while the first copy still runs: both finish and
    log, and the run's record keeps the later one, so exclusions are not counted twice."""
    make_candidate(occupation=occupation, skills=occupation_skills, consent_matching_at=None)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    from matching.models import RebuildRun, RebuildStatus
    from matching.rebuild import rebuild_finish

    run = rebuild_start()  # eager in tests: the chunk ran and the run finished
    shortlists.vacancies_rematch(vacancy_ids=[vacancy.pk], run_id=run.pk)  # the copy the watchdog sent
    RebuildRun.objects.filter(pk=run.pk).update(status=RebuildStatus.RUNNING)  # as if it finished now
    AuditEvent.objects.filter(kind="scoring_run", data__scope="rebuild").delete()
    rebuild_finish(run_id=run.pk)
    chunks = runs("rebuild_chunk")
    records = runs("rebuild")
    assert len(chunks) == 2
    assert records[-1].data["chunk_runs"] == [chunks[-1].seq]
    assert records[-1].data["exclusions"] == chunks[-1].data["exclusions"]

"""Issue 14's acceptance for the logs: change the weights, rebuild, decide, view and export,
then read the log an auditor gets; every event carries the engine and weights versions it
concerns, and tampering is caught by ``manage.py verify_logs``."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from matching.engine.results import ENGINE_VERSION
from matching.models import Match, MatchingWeights, ReviewStatus, ShortlistSummary
from matching.profiles import weights_current
from matching.rebuild import rebuild_start
from matching.services import match_respond
from tests.factories import CaseworkerFactory, EmployerUserFactory, UserFactory, service
from tests.matching.conftest import make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

WEIGHTS = {
    "occupation": 0.2,
    "skills": 0.4,
    "education": 0.1,
    "commute": 0.1,
    "languages": 0.1,
    "stem": 0.05,
    "hours_shift": 0.05,
}


def url(name: str, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(name, kwargs=kwargs or None)


def read_log(**filters) -> list[dict]:
    out = io.StringIO()
    args = [f"--{key}={value}" for key, value in filters.items()]
    call_command("export_logs", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_weights_rebuild_decisions_views_and_exports_are_logged_with_versions(client, occupation, occupation_skills):
    # 1. A portal admin changes the weights in the Django admin: a new version, the old one kept.
    before = MatchingWeights.objects.order_by("-version").first()
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(url("admin:matching_matchingweights_change", object_id=before.pk), WEIGHTS)
    assert response.status_code == 302
    assert MatchingWeights.objects.count() == 2
    newest = MatchingWeights.objects.order_by("-version").first()
    assert newest.version == before.version + 1
    assert newest.created_by == admin
    MatchingWeights.objects.get(pk=before.pk)  # never edited in place
    assert weights_current().skills == pytest.approx(0.4)

    # 2. A full rebuild (tasks run eagerly here).
    candidates = [
        make_candidate(occupation=occupation, skills=occupation_skills, home=home) for home in ("Terneuzen", "Axel")
    ]
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    rebuild_start()
    matches = list(Match.objects.filter(vacancy=vacancy).order_by("rank"))
    assert [m.candidate_id for m in matches] == [c.pk for c in candidates]
    summary = ShortlistSummary.objects.get(vacancy=vacancy)
    assert summary.weights_version == newest.version

    # 3. A caseworker opens the shortlist and approves both at once, then opens one match.
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    client.force_login(caseworker)
    assert client.get(url("matching:shortlist", pk=vacancy.pk)).status_code == 200
    response = client.post(
        url("matching:shortlist", pk=vacancy.pk),
        {"selected": [m.pk for m in matches], "decision": ReviewStatus.APPROVED},
    )
    assert response.status_code == 302
    assert client.get(url("matching:match_detail", pk=matches[0].pk)).status_code == 200

    # 4. The first candidate shares their profile; the employer views the shortlist and exports it.
    match_respond(match=matches[0], user=candidates[0].user, accept=True)
    client.force_login(EmployerUserFactory(employer=vacancy.employer))
    assert client.get(url("matching:employer_shortlist", pk=vacancy.pk)).status_code == 200
    assert client.get(url("matching:employer_shortlist_export", pk=vacancy.pk)).status_code == 200

    # 5. The log, as an auditor exports it.
    log = read_log()
    kinds = [e["kind"] for e in log]

    weights = next(e for e in log if e["kind"] == "weights_version")
    assert weights["data"]["version"] == newest.version
    assert weights["data"]["skills"] == pytest.approx(0.4)
    assert weights["actor_id"] == admin.pk

    runs = [e for e in log if e["kind"] == "scoring_run"]
    chunk = next(e for e in runs if e["data"]["scope"] == "rebuild_chunk")
    rebuild = next(e for e in runs if e["data"]["scope"] == "rebuild")
    for run in (chunk, rebuild):
        assert run["data"]["engine_version"] == ENGINE_VERSION
        assert run["data"]["weights_version"] == newest.version
        assert len(run["data"]["inputs_sha256"]) == 64
        assert run["data"]["duration_ms"] >= 0
        assert "no_consent_matching" in run["data"]["exclusions"]
    assert rebuild["data"]["chunk_runs"] == [chunk["seq"]]
    assert ShortlistSummary.objects.get(vacancy=vacancy).run_seq == chunk["seq"]

    decisions = [e for e in log if e["kind"] == "match_decision"]
    assert {e["subject_id"] for e in decisions} == {c.pk for c in candidates}
    assert len({e["seq"] for e in decisions}) == 2
    for event in decisions:
        match = next(m for m in matches if m.pk == event["data"]["match"])
        assert event["data"]["decision"] == "approved"
        assert event["data"]["score"] == pytest.approx(match.score)
        assert event["data"]["rank"] == match.rank
        assert event["data"]["engine_version"] == ENGINE_VERSION
        assert event["data"]["weights_version"] == newest.version
        assert event["data"]["run_seq"] == chunk["seq"]
        assert event["actor_id"] == caseworker.pk
        assert event["service"] == "uwv"

    views = {(e["where"], e["subject_id"]) for e in log if e["kind"] == "personal_data_view"}
    assert {("matching:shortlist", c.pk) for c in candidates} <= views
    assert ("matching:match_detail", matches[0].candidate_id) in views
    assert ("matching:employer_shortlist", candidates[0].pk) in views
    exports = [e for e in log if e["kind"] == "export"]
    assert [(e["where"], e["subject_id"]) for e in exports] == [
        ("matching:employer_shortlist_export", candidates[0].pk)
    ]
    assert kinds.index("weights_version") < kinds.index("scoring_run") < kinds.index("match_decision")
    # No names in the log: ids, roles and service codes only.
    text = json.dumps(log)
    for candidate in candidates:
        assert candidate.user.last_name not in text
        assert candidate.user.email not in text

    # 6. Tampering with a row is detected, and the row is named.
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_logs", stdout=out, stderr=err)
    assert out.getvalue() == f"{len(log)} events verified\n"
    victim = decisions[0]
    AuditEvent.objects.filter(seq=victim["seq"]).update(data={**victim["data"], "decision": "rejected"})
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_logs", stdout=out, stderr=err)
    assert exit_info.value.code == 1
    assert f"seq {victim['seq']}" in err.getvalue()

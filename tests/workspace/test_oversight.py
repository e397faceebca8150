"""Human oversight (AI Act Art. 14): the indicators on a seeded history, computed by hand; the
oversight page for coordinators and its stop button."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from matching.models import MatchDecision, MatchingPause, ReviewStatus
from tests.factories import CaseworkerFactory, UserFactory, service
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy
from workspace.oversight import AUTOMATIC_MIN_DECISIONS, oversight_indicators

pytestmark = pytest.mark.django_db

A, R = ReviewStatus.APPROVED, ReviewStatus.REJECTED


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs=kwargs or None)


def seed(match, reviewer, decision, seconds, bulk=False, opened=False, differs=False, days_ago=0):
    row = MatchDecision.objects.create(
        match=match,
        decision=decision,
        reviewer=reviewer,
        reviewer_service=reviewer.employment_service.code,
        seconds_spent=seconds,
        bulk=bulk,
        opened_candidate=opened,
        differs_from_order=differs,
    )
    if days_ago:
        MatchDecision.objects.filter(pk=row.pk).update(at=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def history():
    anna = CaseworkerFactory(employment_service=service("uwv"), first_name="Anna", last_name="Aa")
    bert = CaseworkerFactory(employment_service=service("uwv"), first_name="Bert", last_name="Bee")
    cees = CaseworkerFactory(employment_service=service("vdab"), first_name="Cees", last_name="Cee")
    match = make_match(vacancy=published_vacancy(), candidate=candidate_with_profile())
    seed(match, anna, A, 5, bulk=True)
    seed(match, anna, A, 7, bulk=True, differs=True)
    seed(match, anna, A, 20, opened=True)
    seed(match, anna, R, 60, opened=True)
    seed(match, anna, A, 1, bulk=True, days_ago=100)  # before the period: left out
    seed(match, anna, ReviewStatus.PROPOSED, None)  # a hand addition, not a decision: left out
    seed(match, bert, A, None, differs=True)
    seed(match, bert, R, 30, opened=True)
    seed(match, cees, A, 3, bulk=True)
    return {"anna": anna, "bert": bert, "cees": cees}


def figures(indicators):
    return (
        indicators.decisions,
        round(indicators.approval_rate, 4),
        indicators.median_seconds,
        round(indicators.differs_share, 4),
        indicators.bulk_unopened,
    )


def test_the_indicators_equal_the_hand_computed_values(history):
    coordinator = CaseworkerFactory(employment_service=service("uwv"), is_coordinator=True)
    result = oversight_indicators(user=coordinator)
    # UWV: 6 decisions, 4 approvals; seconds 5, 7, 20, 60, 30 (one unknown) -> median 20;
    # 2 of 6 in another order; 2 approvals in bulk without opening. VDAB is not theirs.
    assert [s.label for s in result.services] == ["UWV"]
    assert figures(result.services[0]) == (6, round(4 / 6, 4), 20, round(2 / 6, 4), 2)
    by_name = {c.label: c for c in result.caseworkers}
    assert set(by_name) == {"Anna Aa", "Bert Bee"}
    # Anna: 4 decisions, 3 approvals; median of 5, 7, 20, 60 = 13.5; 1 of 4 differs; 2 bulk unopened.
    assert figures(by_name["Anna Aa"]) == (4, 0.75, 13.5, 0.25, 2)
    assert by_name["Anna Aa"].bulk_unopened_share == pytest.approx(2 / 3)
    # Bert: 2 decisions, 1 approval; one timed decision of 30 s; 1 of 2 differs.
    assert figures(by_name["Bert Bee"]) == (2, 0.5, 30, 0.5, 0)
    assert all(not c.warnings for c in result.caseworkers)  # fewer than 20 decisions: no warning


def test_an_admin_sees_every_service_and_a_plain_caseworker_nothing(history):
    result = oversight_indicators(user=UserFactory(role="admin"))
    assert [(s.label, s.decisions) for s in result.services] == [("UWV", 6), ("VDAB", 1)]
    assert len(result.caseworkers) == 3
    plain = oversight_indicators(user=history["anna"])
    assert plain.services == []
    assert plain.caseworkers == []


@translation.override("en")
def test_an_automatic_pattern_raises_a_warning():
    fast = CaseworkerFactory(employment_service=service("wsp-zvl"), first_name="Snel")
    match = make_match(vacancy=published_vacancy(), candidate=candidate_with_profile(service_code="wsp-zvl"))
    for _ in range(AUTOMATIC_MIN_DECISIONS - 1):
        seed(match, fast, A, 4, opened=True)
    admin = UserFactory(role="admin")
    assert oversight_indicators(user=admin).caseworkers[0].warnings == []  # 19: too few to judge
    seed(match, fast, A, 4, opened=True)
    warnings = oversight_indicators(user=admin).caseworkers[0].warnings
    assert len(warnings) == 1
    assert "few seconds" in warnings[0]
    for _ in range(AUTOMATIC_MIN_DECISIONS + 1):
        seed(match, fast, A, 40, bulk=True)  # slower, but the bulk of them never opened
    assert len(oversight_indicators(user=admin).caseworkers[0].warnings) == 1
    assert "nobody opened" in oversight_indicators(user=admin).caseworkers[0].warnings[0]


# --- the page and its stop button ---------------------------------------------------------------


def test_the_page_is_for_coordinators_and_admins(client, history):
    client.force_login(history["anna"])
    assert client.get(url("oversight")).status_code == 403
    client.force_login(CaseworkerFactory(employment_service=service("uwv"), is_coordinator=True))
    html = client.get(url("oversight")).content.decode()
    assert "Anna Aa" in html
    assert "Cees Cee" not in html
    client.force_login(UserFactory(role="admin"))
    assert "Cees Cee" in client.get(url("oversight")).content.decode()


def test_a_coordinator_pauses_and_resumes_their_own_service_only(client):
    coordinator = CaseworkerFactory(employment_service=service("uwv"), is_coordinator=True)
    client.force_login(coordinator)
    # Another service, or the portal, is not among their choices: nothing is paused.
    for scope in (str(service("vdab").pk), "portal"):
        client.post(url("oversight_pause"), {"scope": scope, "reason": "x"})
    assert not MatchingPause.objects.exists()
    client.post(url("oversight_pause"), {"scope": str(service("uwv").pk), "reason": "Steekproef"})
    pause = MatchingPause.objects.get()
    assert (pause.service, pause.paused_by, pause.reason) == (service("uwv"), coordinator, "Steekproef")
    assert "Steekproef" in client.get(url("oversight")).content.decode()
    # The portal's pause (by an admin) is shown but not theirs to lift.
    portal = MatchingPause.objects.create(service=None, reason="Storing", paused_by=UserFactory(role="admin"))
    assert client.post(url("oversight_resume", pk=portal.pk)).status_code == 404
    assert client.post(url("oversight_resume", pk=pause.pk)).status_code == 302
    pause.refresh_from_db()
    assert pause.resumed_by == coordinator
    portal.refresh_from_db()
    assert portal.resumed_at is None

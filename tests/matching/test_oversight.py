"""Human oversight in matching (AI Act Art. 14): the stop button, candidates added by hand, and
what each decision records for the oversight indicators. Tasks run in this process here; the
paused worker is tested with a real worker in tests/matching/test_oversight_worker.py."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEvent
from matching import shortlists, tasks
from matching.models import (
    Match,
    MatchDecision,
    MatchingPause,
    MatchSource,
    PendingRematch,
    ReviewOpening,
    ReviewStatus,
)
from matching.pause import frozen_candidate_ids, portal_pause
from matching.services import (
    match_add_by_hand,
    match_decide,
    match_decide_many,
    matching_pause,
    matching_resume,
    review_opening_record,
    vacancy_rematch_request,
)
from tests.factories import CaseworkerFactory, UserFactory, service
from tests.matching.conftest import make_candidate, make_vacancy
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy

pytestmark = pytest.mark.django_db


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"matching:{name}", kwargs=kwargs or None)


@pytest.fixture
def admin():
    return UserFactory(role="admin")


@pytest.fixture
def uwv():
    return CaseworkerFactory(employment_service=service("uwv"), first_name="Ria", last_name="Kok")


def rows(vacancy):
    return list(
        Match.objects.filter(vacancy=vacancy)
        .order_by("candidate_id")
        .values_list("candidate_id", "rank", "score", "review_status", "source")
    )


# --- the stop button ---------------------------------------------------------------------------


def test_only_an_admin_pauses_the_portal_and_a_coordinator_only_their_service(admin, uwv):
    coordinator = CaseworkerFactory(employment_service=service("uwv"), is_coordinator=True)
    with pytest.raises(PermissionDenied):
        matching_pause(user=uwv, service=service("uwv"), reason="x")  # not a coordinator
    with pytest.raises(PermissionDenied):
        matching_pause(user=coordinator, service=None, reason="x")  # not the portal
    with pytest.raises(PermissionDenied):
        matching_pause(user=coordinator, service=service("vdab"), reason="x")  # not another service
    with pytest.raises(ValidationError):
        matching_pause(user=coordinator, service=service("uwv"), reason="  ")
    pause = matching_pause(user=coordinator, service=service("uwv"), reason="Audit van de scores")
    with pytest.raises(ValidationError):
        matching_pause(user=coordinator, service=service("uwv"), reason="twice")
    assert pause.paused_by == coordinator
    matching_pause(user=admin, service=None, reason="Storing")
    assert portal_pause() is not None


def test_a_paused_portal_lets_the_tasks_do_nothing_and_a_resume_catches_up(
    admin, occupation, occupation_skills, django_capture_on_commit_callbacks
):
    make_candidate(occupation=occupation, skills=occupation_skills)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    matching_pause(user=admin, reason="Gewichten worden herzien")
    with django_capture_on_commit_callbacks(execute=True):
        vacancy_rematch_request(vacancy=vacancy)  # the eager task runs and returns paused
    assert rows(vacancy) == []
    assert tasks.rematch_vacancy(vacancy.pk) == {"vacancy": vacancy.pk, "paused": True}
    assert tasks.rebuild_all() == 0
    assert rows(vacancy) == []
    assert PendingRematch.objects.filter(kind="vacancy", object_id=vacancy.pk).exists()  # kept for the resume
    with django_capture_on_commit_callbacks(execute=True):
        pause = matching_resume(user=admin)
    assert pause.resumed_by == admin
    assert list(AuditEvent.objects.filter(subject_type="matching_pause").values_list("kind", flat=True)) == [
        "matching_paused",
        "matching_resumed",
    ]
    assert pause.resumed_at is not None
    assert len(rows(vacancy)) == 1
    assert not PendingRematch.objects.filter(kind="vacancy", object_id=vacancy.pk).exists()


def test_a_paused_service_freezes_its_candidates_rows_only(admin, occupation, occupation_skills):
    frozen = make_candidate(occupation=occupation, skills=occupation_skills, service="uwv")
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    before = Match.objects.get(candidate=frozen, vacancy=vacancy)
    matching_pause(user=admin, service=service("uwv"), reason="Controle UWV")
    assert frozen_candidate_ids() == {frozen.pk}
    newcomer_frozen = make_candidate(occupation=occupation, skills=occupation_skills, service="uwv")
    newcomer_free = make_candidate(
        occupation=occupation, skills=occupation_skills, service="vdab", home="Zelzate", country="BE"
    )
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert shortlists.candidate_rematch(candidate_id=frozen.pk)["paused"] is True
    after = {m.candidate_id: m for m in Match.objects.filter(vacancy=vacancy)}
    assert newcomer_free.pk in after  # other services are matched as usual
    assert newcomer_frozen.pk not in after  # not newly proposed
    assert after[frozen.pk].updated_at == before.updated_at  # not refreshed, not removed
    vacancy.status = "closed"
    vacancy.save()
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert list(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)) == [frozen.pk]


# --- candidates added by hand ------------------------------------------------------------------


def test_a_hand_added_candidate_appears_with_its_reason_and_audit_row_and_survives_a_rematch(
    client, occupation, occupation_skills
):
    caseworker = CaseworkerFactory(employment_service=service("uwv"), first_name="Ria", last_name="Kok")
    make_candidate(occupation=occupation, skills=occupation_skills)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    # Wants another occupation and lives far away: the engine would never propose her.
    outsider = candidate_with_profile(first_name="Olga", last_name="Handmatig", home="Zelzate", country="BE")
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    assert not Match.objects.filter(vacancy=vacancy, candidate=outsider).exists()

    client.force_login(caseworker)
    page = client.get(url("shortlist", pk=vacancy.pk), {"add_q": "Handmatig"}).content.decode()
    assert "What the matching does not know" in page
    assert f'name="candidate" value="{outsider.pk}"' in page
    response = client.post(
        url("shortlist_add", pk=vacancy.pk), {"candidate": outsider.pk, "reason": "Kent het werk uit een stage"}
    )
    assert response.status_code == 302
    match = Match.objects.get(vacancy=vacancy, candidate=outsider)
    assert (match.source, match.added_by, match.added_reason) == (
        MatchSource.MANUAL,
        caseworker,
        "Kent het werk uit een stage",
    )
    audit = MatchDecision.objects.get(match=match)
    event = AuditEvent.objects.get(kind="match_added_by_hand", subject_id=match.pk)
    assert event.data["candidate"] == outsider.pk
    assert "Kent het werk" not in str(event.data)  # the log keeps ids; the reason is in the note
    assert event.actor_id == caseworker.pk
    assert (audit.decision, audit.reviewer, audit.note) == (
        ReviewStatus.PROPOSED,
        caseworker,
        "Kent het werk uit een stage",
    )
    page = client.get(url("shortlist", pk=vacancy.pk)).content.decode()
    assert "Added by hand" in page
    assert "Kent het werk uit een stage" in page
    assert "Olga Handmatig" in page

    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    shortlists.vacancies_rematch(vacancy_ids=[vacancy.pk])
    shortlists.candidate_rematch(candidate_id=outsider.pk)
    assert Match.objects.filter(pk=match.pk, source=MatchSource.MANUAL).exists()


def test_adding_by_hand_is_scoped_and_needs_a_reason(uwv):
    vacancy = published_vacancy()
    other = candidate_with_profile(service_code="vdab", country="BE", home="Zelzate")  # no cross-border consent
    no_consent = candidate_with_profile()
    no_consent.consent_matching_at = None
    no_consent.save()
    mine = candidate_with_profile()
    with pytest.raises(PermissionDenied):
        match_add_by_hand(vacancy=vacancy, candidate=other, user=uwv, reason="x")
    with pytest.raises(PermissionDenied):
        match_add_by_hand(vacancy=vacancy, candidate=no_consent, user=uwv, reason="x")
    with pytest.raises(ValidationError):
        match_add_by_hand(vacancy=vacancy, candidate=mine, user=uwv, reason=" ")
    match_add_by_hand(vacancy=vacancy, candidate=mine, user=uwv, reason="Goed gesprek")
    with pytest.raises(ValidationError):
        match_add_by_hand(vacancy=vacancy, candidate=mine, user=uwv, reason="twice")


def test_the_add_form_finds_only_candidates_the_caseworker_may_see(client, uwv):
    vacancy = published_vacancy()
    candidate_with_profile(
        service_code="vdab", country="BE", home="Zelzate", first_name="Verborgen", last_name="Zoekterm"
    )
    client.force_login(uwv)
    response = client.get(url("shortlist", pk=vacancy.pk), {"add_q": "Zoekterm"})
    assert response.context["add_results"] == []
    other = candidate_with_profile(service_code="vdab", country="BE", home="Zelzate")
    response = client.post(url("shortlist_add", pk=vacancy.pk), {"candidate": other.pk, "reason": "x"})
    assert response.status_code == 404
    assert not Match.objects.filter(candidate=other).exists()


# --- what a decision records for oversight ------------------------------------------------------


def test_a_decision_records_time_spent_opening_and_machine_order(uwv):
    vacancy = published_vacancy()
    first, second, third = (
        make_match(vacancy=vacancy, candidate=candidate_with_profile(), score=score, rank=rank)
        for score, rank in ((0.9, 1), (0.8, 2), (0.7, 3))
    )
    opened = review_opening_record(user=uwv, vacancy=vacancy)
    ReviewOpening.objects.filter(pk=opened.pk).update(opened_at=timezone.now() - timedelta(seconds=40))
    # Approving rank 3 while rank 1 and 2 wait: another order than the machine's.
    match_decide(match=third, reviewer=uwv, decision=ReviewStatus.APPROVED)
    decision = MatchDecision.objects.get(match=third)
    assert decision.differs_from_order is True
    assert 40 <= decision.seconds_spent <= 42
    assert (decision.bulk, decision.opened_candidate) == (False, False)
    # Opening the match page counts as opening the candidate; a rejection never differs.
    review_opening_record(user=uwv, vacancy=vacancy, match=first)
    match_decide(match=first, reviewer=uwv, decision=ReviewStatus.REJECTED, reason="skills")
    decision = MatchDecision.objects.get(match=first)
    assert (decision.opened_candidate, decision.differs_from_order) == (True, False)
    assert decision.seconds_spent <= 2


def test_a_bulk_approval_of_the_top_follows_the_machine_and_shares_its_time(uwv):
    vacancy = published_vacancy()
    matches = [
        make_match(vacancy=vacancy, candidate=candidate_with_profile(), score=0.9 - i / 10, rank=i + 1)
        for i in range(4)
    ]
    opened = review_opening_record(user=uwv, vacancy=vacancy)
    ReviewOpening.objects.filter(pk=opened.pk).update(opened_at=timezone.now() - timedelta(seconds=30))
    # Ticked in another order than the ranks: still the top three, so no departure.
    match_decide_many(match_ids=[matches[2].pk, matches[0].pk, matches[1].pk], reviewer=uwv, decision="approved")
    decisions = list(MatchDecision.objects.filter(match__vacancy=vacancy))
    assert len(decisions) == 3
    assert {d.differs_from_order for d in decisions} == {False}
    assert {d.bulk for d in decisions} == {True}
    assert {d.opened_candidate for d in decisions} == {False}
    assert all(10 <= d.seconds_spent <= 11 for d in decisions)  # 30 s shared by three


def test_opening_the_pages_records_the_start_of_the_review(client, uwv):
    vacancy = published_vacancy()
    match = make_match(vacancy=vacancy, candidate=candidate_with_profile())
    client.force_login(uwv)
    client.get(url("shortlist", pk=vacancy.pk))
    client.get(url("match_detail", pk=match.pk))
    assert list(ReviewOpening.objects.values_list("user_id", "vacancy_id", "match_id")) == [
        (uwv.pk, vacancy.pk, None),
        (uwv.pk, vacancy.pk, match.pk),
    ]


def test_the_shortlist_is_labelled_while_matching_is_paused(client, uwv, admin):
    vacancy = published_vacancy()
    matching_pause(user=admin, reason="Onderhoud")
    client.force_login(uwv)
    html = client.get(url("shortlist", pk=vacancy.pk)).content.decode()
    assert "Matching paused since" in html
    assert "Onderhoud" in html
    html = client.get(reverse("workspace:work_queue")).content.decode()
    assert "Matching paused since" in html
    MatchingPause.objects.update(resumed_at=timezone.now())
    assert "Matching paused since" not in client.get(url("shortlist", pk=vacancy.pk)).content.decode()

"""Transparency to the people matched (AI Act Art. 13, 26(11), 86): the public page with the live
weights, the jobseeker's own explanations and exclusion counts, and requests for human review
(submitted, scoped to the candidate's service, answered once, mailed once)."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import OutgoingEmail
from audit.models import AuditEvent
from candidates.models import CandidateLanguage
from matching.models import (
    MatchDecision,
    MatchingWeights,
    ReviewRequest,
    ReviewRequestKind,
    ReviewRequestStatus,
    ReviewStatus,
)
from matching.notifications import notify_review_request_answered
from matching.services import review_request_answer, review_request_submit, weights_version_create
from tests.factories import CaseworkerFactory, UserFactory, service
from tests.matching.conftest import make_candidate, make_vacancy
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy, queries_of

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def weight_cells(body: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-factor="(\w+)">.*?<td class="num">(\d+%)</td></tr>', body, re.S))


# --- the public page ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_the_public_page_shows_the_live_weights_in_each_language(client, language):
    response = client.get(url("matching:how_it_works", language))
    assert response.status_code == 200  # no login
    body = response.content.decode()
    with translation.override(language):
        title = gettext("How matching works")
        filter_text = gettext("Languages: every language the vacancy asks is at or above the required level (CEFR).")
    if language != "en":
        assert title != "How matching works", "the page's title is not translated"
    assert f"<h1>{title}</h1>" in body
    assert filter_text in body
    # The default weights: 0.25 0.30 0.10 0.15 0.05 0.05 0.10 (sum 1.0).
    assert weight_cells(body) == {
        "occupation": "25%",
        "skills": "30%",
        "education": "10%",
        "commute": "15%",
        "languages": "5%",
        "stem": "5%",
        "hours_shift": "10%",
    }


def test_changing_the_weights_changes_the_page(client):
    before = client.get(url("matching:how_it_works")).content.decode()
    current = MatchingWeights.objects.order_by("-version").first()
    assert f"(version {current.version})" in before
    values = {name: getattr(current, name) for name in MatchingWeights.FACTORS}
    weights_version_create(values={**values, "skills": 0.9, "stem": 0.0}, created_by=None)  # sum 1.55
    body = client.get(url("matching:how_it_works")).content.decode()
    assert f"(version {current.version + 1})" in body
    cells = weight_cells(body)
    assert cells["skills"] == f"{round(0.9 / 1.55 * 100)}%"
    assert cells["stem"] == "0%"
    assert cells["occupation"] == f"{round(0.25 / 1.55 * 100)}%"


def test_the_footer_and_my_matches_link_to_the_public_page(client):
    candidate = candidate_with_profile()
    assert url("matching:how_it_works", "nl") in client.get(url("home", "nl")).content.decode()
    client.force_login(candidate.user)
    body = client.get(url("matching:my_matches")).content.decode()
    assert url("matching:why_not") in body


# --- the jobseeker's explanation of one match ---------------------------------------------------


def test_a_jobseeker_sees_their_own_explanation_but_not_the_caseworkers_note(client):
    candidate = candidate_with_profile(language="en")
    vacancy = published_vacancy()
    match = make_match(
        vacancy=vacancy,
        candidate=candidate,
        review_status=ReviewStatus.REJECTED,
        reason="skills",
        note="Internal: spoke to the employer about this one",
        reviewed_at=timezone.now(),
    )
    client.force_login(candidate.user)
    response = client.get(url("matching:my_match", pk=match.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert vacancy.title in body
    assert "80%" in body  # the score
    assert "Skills do not fit" in body  # the reason category of the rejection
    assert "Internal: spoke to the employer" not in body
    assert "Ask for a review by a caseworker" in body  # a rejection can be contested


def test_another_jobseekers_match_is_a_404(client):
    mine, theirs = candidate_with_profile(), candidate_with_profile()
    match = make_match(vacancy=published_vacancy(), candidate=theirs)
    client.force_login(mine.user)
    assert client.get(url("matching:my_match", pk=match.pk)).status_code == 404
    response = client.post(url("matching:review_request_create"), {"match": match.pk, "text": "Let me in"})
    assert response.status_code == 404
    assert not ReviewRequest.objects.exists()


# --- why (not) on shortlists ------------------------------------------------------------------------


@pytest.fixture
def gaps(occupation, occupation_skills):
    """A candidate without languages and with a short commute limit; four open vacancies that all
    ask Dutch, one of them in Vlissingen (beyond 10 minutes from Terneuzen)."""
    candidate = make_candidate(occupation=occupation, skills=occupation_skills, max_commute_minutes=10)
    CandidateLanguage.objects.filter(candidate=candidate).delete()
    for _ in range(3):
        make_vacancy(occupation=occupation, skills=occupation_skills)
    make_vacancy(occupation=occupation, skills=occupation_skills, where="Vlissingen")
    return candidate


def test_why_not_counts_the_vacancies_per_filter_with_the_step_to_complete(client, gaps):
    client.force_login(gaps.user)
    response = client.get(url("matching:why_not"))
    assert response.status_code == 200
    report = response.context["report"]
    assert report.vacancies_open == 4
    assert report.eligible == 0
    assert report.counts["missing_languages"] == 4
    assert report.counts["commute_too_far"] == 1
    assert report.counts["no_consent_matching"] == 0
    assert [(row.code, row.count, row.step) for row in report.rows] == [
        ("missing_languages", 4, "languages"),
        ("commute_too_far", 1, "commute"),
    ]
    body = response.content.decode()
    assert "4 vacancies: the vacancy asks for a language and you have entered none." in body
    assert "1 vacancy: the job is beyond your maximum commuting time." in body
    assert url("candidates:step", step="languages") in body


def test_why_not_lists_every_stored_match_of_mine_and_no_one_elses(client):
    candidate, other = candidate_with_profile(), candidate_with_profile()
    vacancy = published_vacancy()
    proposed = make_match(vacancy=vacancy, candidate=candidate)
    make_match(vacancy=vacancy, candidate=other)
    client.force_login(candidate.user)
    response = client.get(url("matching:why_not"))
    assert [row["match"] for row in response.context["scored"]] == [proposed]


# --- requests for human review ----------------------------------------------------------------------


def rejected_match(candidate, reviewer):
    match = make_match(
        vacancy=published_vacancy(),
        candidate=candidate,
        review_status=ReviewStatus.REJECTED,
        reason="language",
        rank=3,
        reviewer=reviewer,
        reviewed_at=timezone.now(),
    )
    MatchDecision.objects.create(
        match=match, decision=ReviewStatus.REJECTED, reviewer=reviewer, reviewer_service="uwv", reason="language"
    )
    return match


@pytest.fixture
def uwv():
    return CaseworkerFactory(employment_service=service("uwv"))


def test_a_contested_rejection_logs_the_context_once(client, uwv):
    candidate = candidate_with_profile(service_code="uwv")
    match = rejected_match(candidate, uwv)
    client.force_login(candidate.user)
    response = client.post(url("matching:review_request_create"), {"match": match.pk, "text": "I speak Dutch at C1."})
    assert response.status_code == 302
    request = ReviewRequest.objects.get()
    assert request.kind == ReviewRequestKind.REJECTION
    assert request.status == ReviewRequestStatus.OPEN
    assert (request.match, request.vacancy, request.requested_by) == (match, match.vacancy, candidate.user)
    assert request.context["score"] == 0.8
    assert request.context["rank"] == 3
    assert request.context["decision"] == "rejected"
    assert request.context["reason"] == "language"
    assert request.context["reviewer_service"] == "uwv"
    assert request.context["explanation"] == match.explanation
    # Asking again while the first is open: refused, still one request.
    client.post(url("matching:review_request_create"), {"match": match.pk, "text": "Again"})
    assert ReviewRequest.objects.count() == 1


def test_only_a_rejection_or_a_known_exclusion_can_be_contested(uwv):
    candidate = candidate_with_profile()
    proposed = make_match(vacancy=published_vacancy(), candidate=candidate)
    with pytest.raises(ValidationError):
        review_request_submit(user=candidate.user, text="Why?", match=proposed)
    with pytest.raises(ValidationError):
        review_request_submit(user=candidate.user, text="Why?", filter_reason="age")
    with pytest.raises(ValidationError):
        review_request_submit(user=candidate.user, text="  ", filter_reason="commute_too_far")
    with pytest.raises(PermissionDenied):
        review_request_submit(user=uwv, text="Why?", filter_reason="commute_too_far")
    assert not ReviewRequest.objects.exists()


def test_a_contested_exclusion_logs_the_counts(client, gaps):
    client.force_login(gaps.user)
    client.post(url("matching:review_request_create"), {"filter_reason": "commute_too_far", "text": "I can move."})
    request = ReviewRequest.objects.get()
    assert request.kind == ReviewRequestKind.EXCLUSION
    assert request.filter_reason == "commute_too_far"
    assert request.context["vacancies_open"] == 4
    assert request.context["exclusions"] == {"missing_languages": 4, "commute_too_far": 1}


def test_the_request_reaches_only_the_candidates_service_and_admins(client, uwv):
    candidate = candidate_with_profile(service_code="uwv")
    request = review_request_submit(user=candidate.user, text="Please look again", match=rejected_match(candidate, uwv))
    vdab = CaseworkerFactory(employment_service=service("vdab"))
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    page = url("matching:review_request_answer", pk=request.pk)
    for user, status, in_queue in ((uwv, 200, True), (admin, 200, True), (vdab, 404, False)):
        client.force_login(user)
        assert client.get(page).status_code == status, user
        # Opening it shows the candidate's data: logged as a view (AI Act Art. 26(6)), only when shown.
        views = AuditEvent.objects.filter(kind="personal_data_view", where="matching:review_request_answer")
        assert views.filter(actor_id=user.pk, subject_id=candidate.pk).count() == (1 if status == 200 else 0)
        queue = client.get(url("workspace:work_queue"))
        assert (request in queue.context["review_requests"].object_list) is in_queue, user
    with pytest.raises(PermissionDenied):
        review_request_answer(review_request=request, user=vdab, answer="No")
    client.force_login(candidate.user)
    assert client.get(page).status_code == 403


def test_the_answer_is_recorded_mailed_once_in_the_jobseekers_language_and_shown(client, uwv):
    candidate = candidate_with_profile(service_code="uwv", language="fr")
    request = review_request_submit(user=candidate.user, text="Please look again", match=rejected_match(candidate, uwv))
    client.force_login(uwv)
    response = client.post(url("matching:review_request_answer", pk=request.pk), {"answer": "You are right: approved."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ReviewRequestStatus.ANSWERED
    assert (request.answer, request.answered_by) == ("You are right: approved.", uwv)
    assert request.answered_at is not None
    with pytest.raises(ValidationError):
        review_request_answer(review_request=request, user=uwv, answer="A second answer")
    notify_review_request_answered(review_request_id=request.pk)  # the same event again
    mails = OutgoingEmail.objects.filter(key__startswith=f"review-answered:{request.pk}:")
    assert mails.count() == 1
    mail = mails.get()
    assert mail.to == candidate.user.email
    assert mail.language == "fr"
    with translation.override("fr"):
        assert mail.subject == gettext("Your request for human review has been answered")
    assert mail.subject != "Your request for human review has been answered"
    assert "You are right: approved." in mail.body
    # Both steps are in the audit log, with ids and never the texts.
    events = AuditEvent.objects.filter(
        subject_type="candidate", subject_id=candidate.pk, kind__in=("review_request", "review_answer")
    ).order_by("seq")
    assert [(e.kind, e.data["review_request"]) for e in events] == [
        ("review_request", request.pk),
        ("review_answer", request.pk),
    ]
    assert all("look again" not in str(e.data) and "approved." not in str(e.data) for e in events)
    client.force_login(candidate.user)
    body = client.get(url("matching:my_match", pk=request.match_id)).content.decode()
    assert "You are right: approved." in body
    assert "You are right: approved." in client.get(url("matching:why_not")).content.decode()


def test_the_work_queue_runs_as_many_queries_for_one_request_as_for_many(client, uwv, django_assert_num_queries):
    def contest():
        candidate = candidate_with_profile(service_code="uwv")
        review_request_submit(user=candidate.user, text="Why?", match=rejected_match(candidate, uwv))

    contest()
    client.force_login(uwv)
    one = queries_of(lambda: client.get(url("workspace:work_queue")))
    for _ in range(4):
        contest()
    with django_assert_num_queries(one):
        response = client.get(url("workspace:work_queue"))
    assert len(response.context["review_requests"].object_list) == 5


def test_the_requests_are_in_my_data_export_and_go_with_my_account(uwv):
    from nsp_portal.privacy import account_erase, personal_data_export

    candidate = candidate_with_profile(service_code="uwv")
    request = review_request_submit(user=candidate.user, text="Please look again", match=rejected_match(candidate, uwv))
    review_request_answer(review_request=request, user=uwv, answer="Looked again.")
    exported = personal_data_export(user=candidate.user)["review_requests"]
    assert [(r["your_request"], r["answer"], r["status"]) for r in exported] == [
        ("Please look again", "Looked again.", "answered")
    ]
    account_erase(user=candidate.user)
    assert not ReviewRequest.objects.filter(candidate=candidate).exists()

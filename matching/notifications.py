"""Emails about matches, each in the recipient's language.

* a caseworker approved a match: the jobseeker is asked whether to share their profile;
* the jobseeker accepted: the employer's users can now see the candidate on the shortlist.
"""

from accounts.models import User
from accounts.notifications import event_stamp, reverse_in, send_to_user

from .models import CandidateResponse, Match, ReviewStatus


def notify_match_approved(*, match_id: int) -> bool:
    match = (
        Match.objects.select_related("candidate__user", "vacancy__employer", "vacancy__place")
        .filter(pk=match_id, review_status=ReviewStatus.APPROVED)
        .first()
    )
    if match is None:
        return False
    user = match.candidate.user
    # The approval (a decision row) is the event: a match approved again later is told again.
    decision = match.decisions.filter(decision=ReviewStatus.APPROVED).order_by("-pk").first()
    return send_to_user(
        user=user,
        template="matching/email/match_approved",
        event=f"match-approved:{match.pk}:{decision.pk if decision else '-'}",
        context={
            "match": match,
            "vacancy": match.vacancy,
            "link": reverse_in(user.preferred_language, "matching:my_matches"),
        },
    )


def notify_candidate_accepted(*, match_id: int) -> int:
    match = (
        Match.objects.select_related("candidate__user", "vacancy__employer")
        .filter(pk=match_id, review_status=ReviewStatus.APPROVED, candidate_response=CandidateResponse.ACCEPTED)
        .first()
    )
    if match is None:
        return 0
    sent = 0
    for user in User.objects.filter(employer_id=match.vacancy.employer_id, is_active=True).exclude(email=""):
        link = reverse_in(user.preferred_language, "matching:employer_shortlist", kwargs={"pk": match.vacancy_id})
        sent += send_to_user(
            user=user,
            template="matching/email/candidate_accepted",
            event=f"candidate-accepted:{match.pk}:{event_stamp(match.responded_at)}",
            context={"match": match, "vacancy": match.vacancy, "candidate": match.candidate, "link": link},
        )
    return sent


def notify_review_request_answered(*, review_request_id: int) -> bool:
    """A caseworker answered a jobseeker's request for human review: the answer, by mail."""
    from .models import ReviewRequest, ReviewRequestStatus

    review_request = (
        ReviewRequest.objects.select_related("candidate__user", "vacancy")
        .filter(pk=review_request_id, status=ReviewRequestStatus.ANSWERED)
        .first()
    )
    if review_request is None:
        return False
    user = review_request.candidate.user
    return send_to_user(
        user=user,
        template="matching/email/review_answered",
        event=f"review-answered:{review_request.pk}",
        context={
            "review_request": review_request,
            "vacancy": review_request.vacancy,
            "link": reverse_in(user.preferred_language, "matching:why_not"),
        },
    )

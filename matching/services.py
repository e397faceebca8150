"""Writes of the matching app: rematch requests and the decisions of caseworkers and candidates.

The engine-driven writes (persisting shortlists) live in ``matching/shortlists.py``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from vacancies.models import Vacancy, VacancyStatus

from . import outbox
from .models import (
    CandidateResponse,
    Match,
    MatchDecision,
    PendingRematch,
    RebuildRun,
    RebuildStatus,
    RejectionReason,
    RematchKind,
    ReviewStatus,
)
from .permissions import can_decide


def rematch_request(*, kind: str, object_id: int | None = None) -> PendingRematch:
    """Ask for a rematch after the current transaction commits (outbox-backed).

    Returns the outbox row: its ``task_id`` is what the API reports and the task status follows.
    """
    return outbox.request(kind=kind, object_id=object_id)


def vacancy_rematch_request(*, vacancy: Vacancy) -> PendingRematch:
    """“Rematch this vacancy now”, from the shortlist page and the API alike: published vacancies only."""
    if vacancy.status != VacancyStatus.PUBLISHED:
        raise ValidationError({"vacancy": _("Only a published vacancy can be matched.")})
    return rematch_request(kind=RematchKind.VACANCY, object_id=vacancy.pk)


def shortlists_rebuild_request() -> PendingRematch:
    """“Rebuild every shortlist”, from the rebuild page and the API alike: not while one is running."""
    latest = RebuildRun.objects.order_by("-started_at", "-pk").first()
    if latest is not None and latest.status == RebuildStatus.RUNNING:
        raise ValidationError(_("A rebuild is running already."))
    return rematch_request(kind=RematchKind.ALL)


@transaction.atomic
def match_decide(*, match: Match, reviewer: User, decision: str, reason: str = "", note: str = "") -> Match:
    """Approve or reject a match; the decision is audited and survives every rematch."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("candidate", "vacancy__place", "reviewer")
        .get(pk=match.pk)
    )
    if not can_decide(reviewer, match):
        raise PermissionDenied(_("You may not decide on this candidate's match."))
    if decision not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED):
        raise ValidationError({"decision": _("Choose approve or reject.")})
    if decision == ReviewStatus.REJECTED:
        if reason not in RejectionReason.values:
            raise ValidationError({"reason": _("Choose a reason for the rejection.")})
        if reason == RejectionReason.OTHER and not note.strip():
            raise ValidationError({"note": _("Please explain the rejection in a note.")})
    if match.review_status == decision and match.reason == reason and match.note == note:
        return match  # the same decision twice (a double click) is recorded once
    was_approved = match.review_status == ReviewStatus.APPROVED
    match.review_status = decision
    match.reason = reason if decision == ReviewStatus.REJECTED else ""
    match.note = note
    match.reviewer = reviewer
    match.reviewed_at = timezone.now()
    if decision == ReviewStatus.REJECTED:
        match.candidate_response = CandidateResponse.PENDING
        match.responded_at = None
    match.save()
    MatchDecision.objects.create(
        match=match,
        decision=decision,
        reviewer=reviewer,
        reviewer_service=reviewer.employment_service.code if reviewer.employment_service_id else "",
        reason=match.reason,
        note=note,
    )
    if decision == ReviewStatus.APPROVED and not was_approved:
        _notify("approved", match.pk)
    return match


def match_decide_many(
    *, match_ids: list[int], reviewer: User, decision: str, reason: str = "", note: str = ""
) -> list[Match]:
    """Several decisions at once; all or nothing."""
    with transaction.atomic():
        return [
            match_decide(match=Match(pk=match_id), reviewer=reviewer, decision=decision, reason=reason, note=note)
            for match_id in match_ids
        ]


@transaction.atomic
def match_respond(*, match: Match, user: User, accept: bool) -> Match:
    """The jobseeker says yes (share my profile with this employer) or no to an approved match."""
    match = Match.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=match.pk)
    if match.candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your match."))
    if match.review_status != ReviewStatus.APPROVED:
        raise ValidationError(_("Only a match that a caseworker approved can be accepted or declined."))
    already_accepted = match.candidate_response == CandidateResponse.ACCEPTED
    match.candidate_response = CandidateResponse.ACCEPTED if accept else CandidateResponse.DECLINED
    match.responded_at = timezone.now()
    match.save(update_fields=["candidate_response", "responded_at", "updated_at"])
    if accept and not already_accepted:
        _notify("accepted", match.pk)
    return match


def _notify(event: str, match_id: int) -> None:
    """Email the jobseeker (approved) or the employer (accepted): recorded in the decision's
    transaction, sent by a task once it commits."""
    from accounts.notifications import notify

    from . import notifications

    if event == "approved":
        notify(notifications.notify_match_approved, match_id=match_id)
    else:
        notify(notifications.notify_candidate_accepted, match_id=match_id)

"""Writes of the matching app: rematch requests and the decisions of caseworkers and candidates.

The engine-driven writes (persisting shortlists) live in ``matching/shortlists.py``.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import EmploymentService, User
from accounts.roles import is_coordinator, is_portal_admin
from audit.services import audit_record
from candidates.models import Candidate
from vacancies.models import Vacancy, VacancyStatus

from . import outbox, runlog
from .models import (
    CandidateResponse,
    Match,
    MatchDecision,
    MatchingPause,
    MatchingWeights,
    MatchSource,
    PendingRematch,
    RebuildRun,
    RebuildStatus,
    RejectionReason,
    RematchKind,
    ReviewOpening,
    ReviewRequest,
    ReviewRequestKind,
    ReviewRequestStatus,
    ReviewStatus,
)
from .permissions import can_decide, candidate_visible_q

logger = logging.getLogger(__name__)


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
        raise ValidationError(_("A rebuild is running already."), code="already_running")
    return rematch_request(kind=RematchKind.ALL)


def differs_from_machine_order(match: Match) -> bool:
    """Whether approving ``match`` now departs from the machine's order.

    It does when the decision is an approval and, among the same vacancy's ranked matches (the
    unflagged ones), a match with a better (lower) rank is not approved at that moment: it is
    still proposed (skipped) or rejected. A match without a rank (flagged, or added by hand
    before a rematch ranked it) counts as ranked below every ranked match. Rejections never
    differ. Bulk approvals are decided in rank order, so approving the top three at once does
    not differ.
    """
    others = Match.objects.filter(vacancy_id=match.vacancy_id, rank__isnull=False).exclude(pk=match.pk)
    if match.rank is not None:
        others = others.filter(rank__lt=match.rank)
    return others.exclude(review_status=ReviewStatus.APPROVED).exists()


def _time_spent(*, match: Match, reviewer: User, share: int) -> tuple[int | None, bool]:
    """Seconds since the reviewer opened the shortlist or this match (the latest of the two),
    divided among the ``share`` matches decided together; and whether the match was opened."""
    openings = ReviewOpening.objects.filter(user=reviewer, vacancy_id=match.vacancy_id).filter(
        Q(match__isnull=True) | Q(match_id=match.pk)
    )
    latest = openings.order_by("-opened_at", "-id").values_list("opened_at", flat=True).first()
    opened = openings.filter(match_id=match.pk).exists()
    if latest is None:
        return None, opened
    elapsed = max(0.0, (timezone.now() - latest).total_seconds())
    return round(elapsed / max(1, share)), opened


def review_opening_record(*, user: User, vacancy: Vacancy, match: Match | None = None) -> ReviewOpening:
    """A caseworker opened a shortlist or a match: the start of the time their decision takes.

    One insert, atomic by itself (no savepoint: it runs on every opening of the page)."""
    return ReviewOpening.objects.create(user=user, vacancy=vacancy, match=match)


@transaction.atomic
def match_decide(
    *,
    match: Match,
    reviewer: User,
    decision: str,
    reason: str = "",
    note: str = "",
    bulk: bool = False,
    share: int = 1,
) -> Match:
    """Approve or reject a match; the decision is audited and survives every rematch.

    The audit row carries the oversight measures: the seconds spent, whether it was part of a
    bulk decision (``share`` = how many were decided together), whether the reviewer opened the
    match first, and whether it departs from the machine's order."""
    match = (
        Match.objects.select_for_update(of=("self",))
        .select_related("candidate", "vacancy__place", "reviewer")
        .get(pk=match.pk)
    )
    if not can_decide(reviewer, match):
        raise PermissionDenied(_("You may not decide on this candidate's match."))
    # ROUTED (the third decision) comes only from routes.services.route_propose, which opens the
    # training route in the same transaction; the shortlist's forms offer approve and reject.
    if decision not in (ReviewStatus.APPROVED, ReviewStatus.REJECTED, ReviewStatus.ROUTED):
        raise ValidationError({"decision": _("Choose approve or reject.")})
    if decision == ReviewStatus.REJECTED:
        if reason not in RejectionReason.values:
            raise ValidationError({"reason": _("Choose a reason for the rejection.")})
        if reason == RejectionReason.OTHER and not note.strip():
            raise ValidationError({"note": _("Please explain the rejection in a note.")})
    if match.review_status == decision and match.reason == reason and match.note == note:
        return match  # the same decision twice (a double click) is recorded once
    was_approved = match.review_status == ReviewStatus.APPROVED
    differs = decision == ReviewStatus.APPROVED and differs_from_machine_order(match)
    seconds, opened = _time_spent(match=match, reviewer=reviewer, share=share)
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
        seconds_spent=seconds,
        bulk=bulk,
        opened_candidate=opened,
        differs_from_order=differs,
    )
    runlog.decision_log(match=match, reviewer=reviewer, decision=decision, reason=match.reason)
    if decision == ReviewStatus.APPROVED and not was_approved:
        _notify("approved", match.pk)
    return match


def match_decide_many(
    *, match_ids: list[int], reviewer: User, decision: str, reason: str = "", note: str = ""
) -> list[Match]:
    """Several decisions at once; all or nothing. Decided in the machine's rank order, so that
    approving the top of a list is not counted as departing from that order."""
    ranks = dict(Match.objects.filter(pk__in=match_ids).values_list("pk", "rank"))
    ordered = sorted(match_ids, key=lambda pk: (ranks.get(pk) is None, ranks.get(pk) or 0, pk))
    with transaction.atomic(), runlog.decisions_batch(reviewer=reviewer):  # one audit write for all
        decided = {
            match_id: match_decide(
                match=Match(pk=match_id),
                reviewer=reviewer,
                decision=decision,
                reason=reason,
                note=note,
                bulk=len(match_ids) > 1,
                share=len(match_ids),
            )
            for match_id in ordered
        }
    return [decided[match_id] for match_id in match_ids]


@transaction.atomic
def weights_version_create(*, values: dict[str, float], created_by: User | None) -> MatchingWeights:
    """A new version of the engine's weights (the newest is in force); versions are never edited."""
    latest = MatchingWeights.objects.select_for_update().order_by("-version").first()
    weights = MatchingWeights(
        **{name: values[name] for name in MatchingWeights.FACTORS if name in values},
        version=(latest.version + 1) if latest else 1,
        created_by=created_by,
    )
    weights.full_clean()
    weights.save()
    runlog.weights_version_log(weights=weights, actor=created_by)
    return weights


@transaction.atomic
def match_respond(*, match: Match, user: User, accept: bool) -> Match:
    """The jobseeker says yes (share my profile with this employer) or no to an approved match."""
    match = Match.objects.select_for_update(of=("self",)).select_related("candidate").get(pk=match.pk)
    if match.candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your match."))
    if match.review_status != ReviewStatus.APPROVED:
        raise ValidationError(
            _("Only a match that a caseworker approved can be accepted or declined."), code="not_approved"
        )
    already_accepted = match.candidate_response == CandidateResponse.ACCEPTED
    match.candidate_response = CandidateResponse.ACCEPTED if accept else CandidateResponse.DECLINED
    match.responded_at = timezone.now()
    match.save(update_fields=["candidate_response", "responded_at", "updated_at"])
    if accept and not already_accepted:
        _notify("accepted", match.pk)
    return match


# --- adding a candidate by hand (AI Act Art. 14: the machine's list is not the only road) ---------


@transaction.atomic
def match_add_by_hand(*, vacancy: Vacancy, candidate: Candidate, user: User, reason: str) -> Match:
    """Put a candidate on a vacancy's shortlist by hand, with the caseworker's reason.

    The match is marked ``source=manual`` with a score of 0 and no factors (the engine did not
    propose it; a later rematch may fill in its score), is never deleted by a rematch, and is
    audited as a ``proposed`` decision row carrying the reason. It still needs an approval like
    any other match. Allowed while matching is paused: the pause stops the machine, not people.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you add this candidate.")})
    if not Candidate.objects.filter(candidate_visible_q(user), pk=candidate.pk).exists():
        raise PermissionDenied(_("You may not add this candidate."))
    if not Vacancy.objects.open_for_matching().filter(pk=vacancy.pk).exists():
        raise ValidationError({"vacancy": _("Only a published vacancy can be matched.")})
    if Match.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        raise ValidationError({"candidate": _("This candidate is on the shortlist already.")})
    match = Match(
        vacancy=vacancy,
        candidate=candidate,
        score=0.0,
        rank=None,
        factors={},
        explanation=[],
        engine_version="manual",
        source=MatchSource.MANUAL,
        added_by=user,
        added_reason=reason,
    )
    match.full_clean(exclude=["vacancy", "candidate", "factors", "explanation"])  # empty: no engine scores
    match.save()
    MatchDecision.objects.create(
        match=match,
        decision=ReviewStatus.PROPOSED,
        reviewer=user,
        reviewer_service=user.employment_service.code if user.employment_service_id else "",
        note=reason,
    )
    audit_record(
        kind="match_added_by_hand",
        actor=user,
        subject=("match", match.pk),
        # Ids only: the reason may name the person; it lives in the decision's note, erased with them.
        data={"vacancy": vacancy.pk, "candidate": candidate.pk, "decision_note": True},
    )
    return match


# --- the stop button (AI Act Art. 14(4)(e)); the state is read through matching/pause.py --------


def _may_pause(user: User, service: EmploymentService | None) -> bool:
    if is_portal_admin(user):
        return True
    return service is not None and is_coordinator(user) and user.employment_service_id == service.pk


@transaction.atomic
def matching_pause(*, user: User, service: EmploymentService | None = None, reason: str) -> MatchingPause:
    """Pause automatic matching: the whole portal (``service=None``, portal admins) or one
    service's candidates (that service's coordinators, or an admin). See ``MatchingPause``."""
    if not _may_pause(user, service):
        raise PermissionDenied(_("You may not pause matching here."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you pause the matching.")})
    if MatchingPause.objects.select_for_update().filter(service=service, resumed_at__isnull=True).exists():
        raise ValidationError(_("Matching is paused here already."))
    pause = MatchingPause.objects.create(service=service, reason=reason, paused_by=user)
    audit_record(
        kind="matching_paused",
        actor=user,
        subject=("matching_pause", pause.pk),
        data={"service": service.code if service else "", "reason": reason},
    )
    logger.warning("Matching paused (%s) by user %s: %s", service.code if service else "portal", user.pk, reason)
    return pause


@transaction.atomic
def matching_resume(*, user: User, service: EmploymentService | None = None) -> MatchingPause:
    """Resume matching and catch up: every waiting rematch is sent again and a full rebuild
    is requested (it covers what changed during the pause)."""
    if not _may_pause(user, service):
        raise PermissionDenied(_("You may not resume matching here."))
    pause = MatchingPause.objects.select_for_update().filter(service=service, resumed_at__isnull=True).first()
    if pause is None:
        raise ValidationError(_("Matching is not paused here."))
    pause.resumed_at = timezone.now()
    pause.resumed_by = user
    pause.save(update_fields=["resumed_at", "resumed_by"])
    audit_record(
        kind="matching_resumed",
        actor=user,
        subject=("matching_pause", pause.pk),
        data={"service": service.code if service else "", "paused_at": pause.paused_at.isoformat()},
    )
    logger.warning("Matching resumed (%s) by user %s", service.code if service else "portal", user.pk)
    waiting = list(PendingRematch.objects.exclude(kind=RematchKind.ALL).values_list("kind", "object_id", "task_id"))
    for kind, object_id, task_id in waiting:
        transaction.on_commit(lambda k=kind, o=object_id, t=task_id: outbox.enqueue(kind=k, object_id=o, task_id=t))
    rematch_request(kind=RematchKind.ALL)
    return pause


def _notify(event: str, match_id: int) -> None:
    """Email the jobseeker (approved) or the employer (accepted): recorded in the decision's
    transaction, sent by a task once it commits."""
    from accounts.notifications import notify

    from . import notifications

    if event == "approved":
        notify(notifications.notify_match_approved, match_id=match_id)
    else:
        notify(notifications.notify_candidate_accepted, match_id=match_id)


# --- requests for human review (AI Act Art. 86) --------------------------------------------------

REVIEW_TEXT_MAX = 2000


def _review_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Tell the caseworker what you want reviewed and why.")})
    if len(text) > REVIEW_TEXT_MAX:
        raise ValidationError({"text": _("Please keep it under %(n)s characters.") % {"n": REVIEW_TEXT_MAX}})
    return text


def _rejection_context(match: Match) -> dict:
    """What the caseworker saw and decided, as logged when the jobseeker contests it."""
    decision = match.decisions.order_by("-at", "-id").first()
    return {
        "score": match.score,
        "rank": match.rank,
        "factors": match.factors,
        "explanation": match.explanation,
        "engine_version": match.engine_version,
        "is_flagged": match.is_flagged,
        "flag_reasons": match.flag_reasons,
        "decision": match.review_status,
        "reason": match.reason,
        "decided_at": match.reviewed_at.isoformat() if match.reviewed_at else None,
        "decision_id": decision.pk if decision else None,
        "reviewer_service": decision.reviewer_service if decision else "",
    }


@transaction.atomic
def review_request_submit(
    *, user: User, text: str, match: Match | None = None, filter_reason: str = ""
) -> ReviewRequest:
    """A jobseeker asks a human to review a rejection of one of their matches (``match``) or an
    exclusion by a hard filter (``filter_reason``, an engine REASONS code). The context at this
    moment is logged with the request; one open request per subject."""
    from candidates.selectors import candidate_id_of

    from .engine.rules import REASONS
    from .transparency import candidate_exclusions

    candidate_id = candidate_id_of(user)
    if candidate_id is None:
        raise PermissionDenied(_("Only a jobseeker with a profile can ask for a review."))
    text = _review_text(text)
    # One request at a time per candidate: a double click cannot open the same subject twice.
    Candidate.objects.select_for_update().filter(pk=candidate_id).first()
    requests = ReviewRequest.objects.for_candidate(candidate_id).open()
    if match is not None:
        match = Match.objects.select_related("vacancy").filter(pk=match.pk, candidate_id=candidate_id).first()
        if match is None:
            raise PermissionDenied(_("This is not your match."))
        if match.review_status != ReviewStatus.REJECTED:
            raise ValidationError(_("Only a rejection can be contested."))
        if requests.filter(match=match).exists():
            raise ValidationError(_("You have asked for a review of this already; a caseworker will answer."))
        fields = {
            "kind": ReviewRequestKind.REJECTION,
            "match": match,
            "vacancy": match.vacancy,
            "context": _rejection_context(match),
        }
    else:
        if filter_reason not in REASONS:
            raise ValidationError({"filter_reason": _("Choose the exclusion you want reviewed.")})
        if requests.filter(kind=ReviewRequestKind.EXCLUSION, filter_reason=filter_reason).exists():
            raise ValidationError(_("You have asked for a review of this already; a caseworker will answer."))
        fields = {
            "kind": ReviewRequestKind.EXCLUSION,
            "filter_reason": filter_reason,
            "context": candidate_exclusions(candidate_id=candidate_id).as_context(),
        }
    review_request = ReviewRequest(candidate_id=candidate_id, requested_by=user, text=text, **fields)
    review_request.full_clean()
    review_request.save()
    _review_request_audit(review_request, actor=user, kind="review_request")
    return review_request


def _review_request_audit(review_request: ReviewRequest, *, actor: User, kind: str) -> None:
    """The request and its answer in the audit log: ids and the subject, never the texts."""
    from audit.services import audit_record

    audit_record(
        kind=kind,
        actor=actor,
        subject=("candidate", review_request.candidate_id),
        where=f"matching.{kind}",
        data={
            "review_request": review_request.pk,
            "about": review_request.kind,
            "match": review_request.match_id,
            "vacancy": review_request.vacancy_id,
            "filter_reason": review_request.filter_reason,
        },
    )


@transaction.atomic
def review_request_answer(*, review_request: ReviewRequest, user: User, answer: str) -> ReviewRequest:
    """A caseworker of the candidate's service (or a portal admin) answers; the answer is recorded
    once and mailed to the jobseeker in their language (outbox)."""
    from accounts.notifications import notify

    from . import notifications

    review_request = (
        ReviewRequest.objects.for_caseworker(user).select_for_update(of=("self",)).filter(pk=review_request.pk).first()
    )
    if review_request is None:
        raise PermissionDenied(_("You may not answer this request."))
    if review_request.status == ReviewRequestStatus.ANSWERED:
        raise ValidationError(_("This request has been answered already."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer the jobseeker will receive.")})
    review_request.status = ReviewRequestStatus.ANSWERED
    review_request.answer = answer
    review_request.answered_by = user
    review_request.answered_at = timezone.now()
    review_request.full_clean()
    review_request.save()
    _review_request_audit(review_request, actor=user, kind="review_answer")
    notify(notifications.notify_review_request_answered, review_request_id=review_request.pk)
    return review_request

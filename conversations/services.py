"""Writes to threads and interviews: write a message, read a thread, propose slots, pick one or
ask for another, remind the day before, erase. The pages and the API call these.

Every interview step is recorded in the application's history (``ApplicationStatusChange``
with a note); proposing moves an application to the "interview" stage when it may go there.
Mails go through the outbox (``accounts.notifications.notify``); their keys start with
``conversation:<application id>:`` so an erasure finds them all.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from applications.models import Application, ApplicationStatus, ApplicationStatusChange
from applications.services import ALLOWED_TRANSITIONS, FINAL_STATUSES, application_set_status

from .ics import ICS_TIMEZONE
from .models import InterviewProposal, InterviewSlot, Message, ProposalStatus, Side
from .selectors import participant_side, unread_total_refresh_employer, unread_totals_refresh

MESSAGE_MAX_CHARS = 5000
MAX_SLOTS = 5
REMINDER_AHEAD = timedelta(hours=24)


def _writing_side(*, application: Application, user) -> str:
    """The side ``user`` writes for on this application; PermissionDenied for anyone else."""
    side = participant_side(user)
    if side == Side.CANDIDATE and application.candidate.user_id == user.pk:
        return side
    if side == Side.EMPLOYER and application.vacancy.employer_id == user.employer_id:
        return side
    raise PermissionDenied(_("Only the candidate and the employer write in this thread."))


def _history(application: Application, *, user, note: str) -> None:
    ApplicationStatusChange.objects.create(
        application=application,
        from_status=application.status,
        to_status=application.status,
        changed_by=user,
        note=note,
    )


@transaction.atomic
def message_send(*, application: Application, user, body: str) -> Message:
    """Write a message to the other side; they get a mail."""
    application = Application.objects.select_related("candidate", "vacancy").get(pk=application.pk)
    side = _writing_side(application=application, user=user)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message first.")}, code="required")
    if len(body) > MESSAGE_MAX_CHARS:
        raise ValidationError(
            {"body": _("A message has at most %(max)d characters.") % {"max": MESSAGE_MAX_CHARS}}, code="max_length"
        )
    message = Message(application=application, sender=user, sender_side=side, body=body)
    message.full_clean()
    message.save()
    from .notifications import notify_new_message

    notify(notify_new_message, message_id=message.pk)
    _refresh_unread_on_commit(application.pk)
    return message


def _refresh_unread_on_commit(application_id: int) -> None:
    transaction.on_commit(lambda: unread_totals_refresh(application_id=application_id))


@transaction.atomic
def thread_mark_read(*, application: Application, user) -> int:
    """The user opened the thread: the other side's messages are read. Returns how many were new."""
    side = participant_side(user)
    if side not in (Side.CANDIDATE, Side.EMPLOYER):
        return 0  # a caseworker reading along marks nothing read
    read = Message.objects.filter(application=application).unread_for(side).update(read_at=timezone.now())
    if read:
        _refresh_unread_on_commit(application.pk)
    return read


def _clean_slots(slots: list[dict], *, now) -> list[InterviewSlot]:
    if not slots:
        raise ValidationError({"slots": _("Propose at least one time.")}, code="required")
    if len(slots) > MAX_SLOTS:
        raise ValidationError({"slots": _("Propose at most %(max)d times.") % {"max": MAX_SLOTS}}, code="too_many")
    cleaned = []
    for data in slots:
        slot = InterviewSlot(
            starts_at=data.get("starts_at"),
            duration_minutes=data.get("duration_minutes") or 45,
            location=(data.get("location") or "").strip(),
            video_url=(data.get("video_url") or "").strip(),
        )
        if slot.starts_at is None:
            raise ValidationError({"slots": _("Every time needs a date and an hour.")}, code="required")
        if slot.starts_at <= now:
            raise ValidationError({"slots": _("Propose times in the future.")}, code="in_the_past")
        if not slot.location and not slot.video_url:
            raise ValidationError({"slots": _("Give a place or a video link for every time.")}, code="no_place")
        if not 5 <= slot.duration_minutes <= 480:
            raise ValidationError({"slots": _("An interview lasts 5 to 480 minutes.")}, code="duration")
        cleaned.append(slot)
    if len({slot.starts_at for slot in cleaned}) != len(cleaned):
        raise ValidationError({"slots": _("Propose different times.")}, code="duplicate")
    return cleaned


@transaction.atomic
def interview_propose(
    *, application: Application, user, contact_person: str, slots: list[dict], contact_phone: str = "", note: str = ""
) -> InterviewProposal:
    """The employer proposes interview times (each with a place or a video link) and a contact person."""
    application = Application.objects.select_for_update().select_related("candidate", "vacancy").get(pk=application.pk)
    if _writing_side(application=application, user=user) != Side.EMPLOYER:
        raise PermissionDenied(_("Only the employer proposes interview times."))
    if application.status in FINAL_STATUSES:
        raise ValidationError(_("This application is closed."), code="final_status")
    if not (contact_person or "").strip():
        raise ValidationError({"contact_person": _("Name the contact person.")}, code="required")
    cleaned = _clean_slots(slots, now=timezone.now())
    # An open proposal gives way to the new one: the candidate answers the latest only.
    InterviewProposal.objects.filter(
        application=application, status__in=[ProposalStatus.PROPOSED, ProposalStatus.OTHER_REQUESTED]
    ).update(status=ProposalStatus.OTHER_REQUESTED)
    proposal = InterviewProposal(
        application=application,
        proposed_by=user,
        contact_person=contact_person.strip(),
        contact_phone=(contact_phone or "").strip(),
        note=(note or "").strip(),
    )
    proposal.full_clean()
    proposal.save()
    for slot in cleaned:
        slot.proposal = proposal
        slot.full_clean()
    InterviewSlot.objects.bulk_create(cleaned)
    note_text = _("Interview: %(count)d time(s) proposed") % {"count": len(cleaned)}
    if ApplicationStatus.INTERVIEW in ALLOWED_TRANSITIONS.get(application.status, set()):
        application_set_status(
            application=application, status=ApplicationStatus.INTERVIEW, changed_by=user, note=note_text
        )
    else:
        _history(application, user=user, note=note_text)
    from .notifications import notify_interview_proposed

    notify(notify_interview_proposed, proposal_id=proposal.pk)
    return proposal


def _candidate_proposal(proposal: InterviewProposal, user) -> InterviewProposal:
    proposal = (
        InterviewProposal.objects.select_for_update(of=("self",))
        .select_related("application__candidate", "application__vacancy")
        .get(pk=proposal.pk)
    )
    if _writing_side(application=proposal.application, user=user) != Side.CANDIDATE:
        raise PermissionDenied(_("Only the candidate answers an interview proposal."))
    if proposal.status != ProposalStatus.PROPOSED:
        raise ValidationError(_("This proposal was answered already."), code="answered")
    if proposal.application.status in FINAL_STATUSES:
        raise ValidationError(_("This application is closed."), code="final_status")
    return proposal


@transaction.atomic
def interview_pick(*, proposal: InterviewProposal, user, slot_id: int) -> InterviewProposal:
    """The candidate picks one of the proposed times: both sides get the .ics invitation."""
    proposal = _candidate_proposal(proposal, user)
    slot = InterviewSlot.objects.filter(proposal=proposal, pk=slot_id).first()
    if slot is None:
        raise ValidationError({"slot": _("Choose one of the proposed times.")}, code="invalid_slot")
    if slot.starts_at <= timezone.now():
        raise ValidationError({"slot": _("This time has passed; ask for another.")}, code="in_the_past")
    proposal.chosen_slot = slot
    proposal.status = ProposalStatus.ACCEPTED
    proposal.sequence += 1
    proposal.save(update_fields=["chosen_slot", "status", "sequence", "updated_at"])
    _history(
        proposal.application,
        user=user,
        note=_("Interview planned: %(when)s")
        % {"when": slot.starts_at.astimezone(ICS_TIMEZONE).strftime("%Y-%m-%d %H:%M")},
    )
    from .notifications import notify_interview_planned

    notify(notify_interview_planned, proposal_id=proposal.pk)
    return proposal


@transaction.atomic
def interview_request_other(*, proposal: InterviewProposal, user, note: str) -> InterviewProposal:
    """The candidate asks for another time, saying why; the message goes into the thread too."""
    proposal = _candidate_proposal(proposal, user)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say which times suit you better.")}, code="required")
    proposal.status = ProposalStatus.OTHER_REQUESTED
    proposal.response_note = note
    proposal.save(update_fields=["status", "response_note", "updated_at"])
    _history(proposal.application, user=user, note=_("Interview: the candidate asked for another time"))
    message_send(application=proposal.application, user=user, body=note)
    return proposal


def interview_reminders_send(*, now=None) -> int:
    """The day-before mail (with the .ics) for planned interviews starting within 24 hours."""
    now = now or timezone.now()
    due = list(
        InterviewProposal.objects.filter(
            status=ProposalStatus.ACCEPTED,
            reminder_sent_at__isnull=True,
            chosen_slot__starts_at__gt=now,
            chosen_slot__starts_at__lte=now + REMINDER_AHEAD,
        ).values_list("pk", flat=True)
    )
    from .notifications import notify_interview_reminder

    sent = 0
    for proposal_id in due:
        with transaction.atomic():
            claimed = InterviewProposal.objects.filter(pk=proposal_id, reminder_sent_at__isnull=True).update(
                reminder_sent_at=now
            )
            if claimed:
                sent += notify(notify_interview_reminder, proposal_id=proposal_id) or 0
    return sent


@transaction.atomic
def conversations_erase_for_candidate(*, candidate) -> int:
    """Erase a candidate's threads and interviews (their words, times and places): delete them."""
    applications = Application.objects.filter(candidate=candidate)
    employer_ids = set(applications.values_list("vacancy__employer_id", flat=True))
    InterviewProposal.objects.filter(application__in=applications).delete()
    deleted, _rows = Message.objects.filter(application__in=applications).delete()
    for employer_id in employer_ids:  # the erased messages leave the employers' nav counts
        transaction.on_commit(lambda employer_id=employer_id: unread_total_refresh_employer(employer_id=employer_id))
    return deleted

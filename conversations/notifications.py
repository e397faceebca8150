"""Who gets which mail about a thread or an interview, in their own language.

The candidate gets the mails about their application; on the employer's side, the user who
proposed the interview (or, for messages and when that user is gone, every active user of the
company). Keys: ``conversation:<application>:<event>:...`` (the erasure deletes them by that
prefix; the outbox attaches the .ics to ``interview-planned`` and ``interview-reminder``).
"""

from django.contrib.auth import get_user_model

from accounts.notifications import reverse_in, send_to_user

from .models import InterviewProposal, Message, Side


def _employer_users(employer_id: int):
    return get_user_model().objects.filter(employer_id=employer_id, is_active=True).order_by("pk")


def _thread_link(user, application, side: str) -> str:
    name = "conversations:jobseeker_thread" if side == Side.CANDIDATE else "conversations:employer_thread"
    return reverse_in(user.preferred_language, name, kwargs={"pk": application.pk})


def _send(*, users, side: str, template: str, event: str, application, **context) -> int:
    sent = 0
    for user in users:
        sent += send_to_user(
            user=user,
            template=f"conversations/email/{template}",
            event=f"conversation:{application.pk}:{event}",
            context={
                "application": application,
                "vacancy": application.vacancy,
                "link": _thread_link(user, application, side),
                **context,
            },
        )
    return sent


def notify_new_message(*, message_id: int) -> int:
    """The other side has a new message (the mail says who and where, not what: read it on the portal)."""
    message = (
        Message.objects.select_related("application__vacancy__employer", "application__candidate__user")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0
    application = message.application
    if message.sender_side == Side.CANDIDATE:
        users, side = _employer_users(application.vacancy.employer_id), Side.EMPLOYER
    else:
        users, side = [application.candidate.user], Side.CANDIDATE
    return _send(
        users=users,
        side=side,
        template="new_message",
        event=f"message:{message.pk}",
        application=application,
        from_side=message.sender_side,
    )


def _proposal(proposal_id: int) -> InterviewProposal | None:
    return (
        InterviewProposal.objects.select_related(
            "chosen_slot", "proposed_by", "application__vacancy__employer", "application__candidate__user"
        )
        .prefetch_related("slots")
        .filter(pk=proposal_id)
        .first()
    )


def _employer_side_of(proposal: InterviewProposal):
    proposer = proposal.proposed_by
    if proposer is not None and proposer.is_active and proposer.employer_id == proposal.application.vacancy.employer_id:
        return [proposer]
    return list(_employer_users(proposal.application.vacancy.employer_id))


def notify_interview_proposed(*, proposal_id: int) -> int:
    proposal = _proposal(proposal_id)
    if proposal is None:
        return 0
    return _send(
        users=[proposal.application.candidate.user],
        side=Side.CANDIDATE,
        template="interview_proposed",
        event=f"interview-proposed:{proposal.pk}",
        application=proposal.application,
        proposal=proposal,
    )


def notify_interview_planned(*, proposal_id: int) -> int:
    """Both sides: the chosen time, with the .ics attached at delivery."""
    proposal = _proposal(proposal_id)
    if proposal is None or proposal.chosen_slot is None:
        return 0
    common = {
        "template": "interview_planned",
        "event": f"interview-planned:{proposal.pk}:{proposal.sequence}",
        "application": proposal.application,
        "proposal": proposal,
        "slot": proposal.chosen_slot,
    }
    return _send(users=[proposal.application.candidate.user], side=Side.CANDIDATE, **common) + _send(
        users=_employer_side_of(proposal), side=Side.EMPLOYER, **common
    )


def notify_interview_reminder(*, proposal_id: int) -> int:
    proposal = _proposal(proposal_id)
    if proposal is None or proposal.chosen_slot is None:
        return 0
    common = {
        "template": "interview_reminder",
        "event": f"interview-reminder:{proposal.pk}:{proposal.sequence}",
        "application": proposal.application,
        "proposal": proposal,
        "slot": proposal.chosen_slot,
    }
    return _send(users=[proposal.application.candidate.user], side=Side.CANDIDATE, **common) + _send(
        users=_employer_side_of(proposal), side=Side.EMPLOYER, **common
    )

"""The candidate's mail about an invitation to apply, in their language."""

from accounts.models import User
from accounts.notifications import reverse_in, send_to_user

from .models import CandidateInvitation, InvitationStatus


def notify_invitation_received(*, invitation_id: int) -> bool:
    invitation = (
        CandidateInvitation.objects.select_related("candidate__user", "vacancy__employer")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return False
    user = invitation.candidate.user
    return send_to_user(
        user=user,
        template="talent/email/invitation_received",
        event=f"talent-invitation:{invitation.pk}",
        context={
            "invitation": invitation,
            "vacancy": invitation.vacancy,
            "link": reverse_in(user.preferred_language, "talent:invitation_list"),
        },
    )


def notify_invitation_answered(*, invitation_id: int) -> int:
    """The employer hears that the candidate accepted (with a link to the full profile) or declined.

    A decline keeps the candidate anonymous: the mail names only the vacancy.
    """
    invitation = (
        CandidateInvitation.objects.select_related("candidate__user", "vacancy", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.status == InvitationStatus.PENDING:
        return 0
    accepted = invitation.status == InvitationStatus.ACCEPTED
    # The colleague who invited hears it; if they left, the company's other users do.
    inviter = invitation.invited_by
    if inviter is not None and inviter.is_active and inviter.employer_id == invitation.employer_id:
        recipients = [inviter]
    else:
        recipients = list(User.objects.filter(employer_id=invitation.employer_id, is_active=True))
    sent = 0
    for user in recipients:
        if accepted:
            link = reverse_in(
                user.preferred_language, "talent:candidate_profile", kwargs={"pk": invitation.candidate_id}
            )
        else:
            link = reverse_in(user.preferred_language, "talent:employer_invitation_list")
        sent += send_to_user(
            user=user,
            template=f"talent/email/invitation_{invitation.status}",
            event=f"talent-invitation-{invitation.status}:{invitation.pk}",
            context={"invitation": invitation, "vacancy": invitation.vacancy, "link": link},
        )
    return sent

"""The candidate's mail about an invitation to apply, in their language."""

from accounts.notifications import reverse_in, send_to_user

from .models import CandidateInvitation


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

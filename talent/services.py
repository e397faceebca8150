"""Writes of the candidate search: invitations sent, answered, and the one-click application."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from applications.models import Application
from applications.services import application_create
from audit.services import audit_record
from candidates.models import Candidate
from vacancies.models import Vacancy

from .models import CandidateInvitation, InvitationStatus
from .notifications import notify_invitation_answered, notify_invitation_received
from .selectors import findable_candidates, invitable_vacancies, may_search_candidates, pending_invitation_count_refresh


def _refresh_count_on_commit(user_id: int) -> None:
    transaction.on_commit(lambda: pending_invitation_count_refresh(user_id=user_id))


@transaction.atomic
def invitation_send(*, user: User, candidate: Candidate, vacancy: Vacancy, message: str = "") -> CandidateInvitation:
    """A verified employer's user invites a findable candidate to apply to an open vacancy of theirs."""
    if not may_search_candidates(user):
        raise PermissionDenied(_("Only verified employers can invite candidates."))
    if not findable_candidates(user=user).filter(pk=candidate.pk).exists():
        raise ValidationError(_("This candidate can no longer be found."), code="not_findable")
    if not invitable_vacancies(user=user).filter(pk=vacancy.pk).exists():
        raise ValidationError({"vacancy": _("Choose one of your open vacancies.")}, code="vacancy_closed")
    invitation = CandidateInvitation(
        employer_id=user.employer_id, invited_by=user, candidate=candidate, vacancy=vacancy, message=message.strip()
    )
    invitation.full_clean(exclude=["candidate", "vacancy", "employer"], validate_unique=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as exc:
        raise ValidationError(_("This candidate was already invited to this vacancy."), code="already_invited") from exc
    audit_record(
        kind="talent_invitation",
        actor=user,
        subject=("candidate", candidate.pk),
        where="talent:invite",
        data={"invitation": invitation.pk, "vacancy": vacancy.pk},
    )
    notify(notify_invitation_received, invitation_id=invitation.pk)
    _refresh_count_on_commit(candidate.user_id)
    return invitation


@transaction.atomic
def invitation_respond(*, invitation: CandidateInvitation, accept: bool) -> CandidateInvitation:
    """The candidate accepts (the employer then sees the full profile) or declines; once only."""
    invitation = CandidateInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("You have already answered this invitation."), code="already_answered")
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    notify(notify_invitation_answered, invitation_id=invitation.pk)
    _refresh_count_on_commit(invitation.candidate.user_id)
    return invitation


def invitation_apply(*, invitation: CandidateInvitation) -> Application:
    """Apply in one click to the vacancy of an accepted invitation (the profile is the application)."""
    if invitation.status != InvitationStatus.ACCEPTED:
        raise ValidationError(_("Accept the invitation first."), code="not_accepted")
    return application_create(
        candidate=invitation.candidate,
        vacancy=invitation.vacancy,
        motivation=_("I accept your invitation to apply."),
    )

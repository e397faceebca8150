"""Invitations to apply that verified employers send to findable candidates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for your answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class CandidateInvitation(models.Model):
    """An employer asks a findable candidate to apply to one of its vacancies.

    Until the candidate accepts, the employer knows only the anonymised card; once accepted,
    the employer sees the full profile (as for an application).
    """

    employer = models.ForeignKey(
        "accounts.Employer", on_delete=models.CASCADE, related_name="candidate_invitations", verbose_name=_("employer")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("candidate")
    )
    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.CASCADE, related_name="candidate_invitations", verbose_name=_("vacancy")
    )
    message = models.TextField(pgettext_lazy("talent", "message"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation to apply")
        verbose_name_plural = _("invitations to apply")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "vacancy"], name="candidateinvitation_once_per_vacancy"),
        ]
        indexes = [models.Index(fields=["candidate", "status"])]

    def __str__(self) -> str:
        return f"{self.employer_id} → {self.candidate_id} ({self.vacancy_id}, {self.status})"

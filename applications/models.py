"""A jobseeker's application to a vacancy, with its stages and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate
from vacancies.models import Vacancy


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    INTERVIEW = "interview", _("Interview")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApplicationQuerySet(models.QuerySet):
    def of_candidate(self, candidate_id: int) -> "ApplicationQuerySet":
        return self.filter(candidate_id=candidate_id)

    def of_employer(self, employer_id: int) -> "ApplicationQuerySet":
        return self.filter(vacancy__employer_id=employer_id)


def cv_upload_to(instance: "Application", filename: str) -> str:
    # Never reuse the uploader's file name: it may carry personal data or path tricks.
    import uuid

    return f"cvs/{instance.vacancy_id}/{uuid.uuid4().hex}.pdf"


class Application(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="applications")
    motivation = models.TextField(_("motivation"))
    cv = models.FileField(_("CV (PDF)"), upload_to=cv_upload_to, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "vacancy"], name="application_unique_candidate_vacancy"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.vacancy}"


class ApplicationStatusChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=ApplicationStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status} ({self.at:%Y-%m-%d %H:%M})"

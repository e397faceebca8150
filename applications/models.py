"""A jobseeker's application to a vacancy, with its stages and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from candidates.models import Candidate, CvCheck  # noqa: F401 (CvCheck: one list of states for both CVs)
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
    # The CV is shown and downloadable by the employer only once the worker passed it.
    cv_check = models.CharField(_("CV check"), max_length=10, choices=CvCheck.choices, default=CvCheck.PASSED)
    cv_check_reason = models.CharField(_("reason the CV was refused"), max_length=40, blank=True)
    cv_check_requested_at = models.DateTimeField(null=True, blank=True)
    cv_check_attempts = models.PositiveSmallIntegerField(default=0)
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
        indexes = [
            # The sweep's query: the few CVs still waiting for the worker.
            models.Index(
                fields=["cv_check_requested_at"],
                condition=models.Q(cv_check="checking"),
                name="application_cv_checking",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.vacancy}"

    @property
    def cv_passed(self) -> bool:
        """A CV an employer may see and download."""
        return bool(self.cv) and self.cv_check == CvCheck.PASSED

    @property
    def cv_rejection_message(self) -> str:
        from core.pdf import pdf_rejection_message

        if self.cv_check != CvCheck.REJECTED:
            return ""
        return pdf_rejection_message(self.cv_check_reason, max_pages=settings.CV_MAX_PAGES)


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

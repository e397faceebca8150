"""Saved searches and what each already sent: jobseekers' job alerts (vacancies) and
caseworkers' candidate searches (candidates of their service)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class SearchKind(models.TextChoices):
    VACANCIES = "vacancies", _("Vacancies")
    CANDIDATES = "candidates", _("Candidates")


class SavedSearchQuerySet(models.QuerySet):
    def of_owner(self, user) -> "SavedSearchQuerySet":
        return self.filter(owner_id=getattr(user, "pk", None))

    def due(self, frequency: str) -> "SavedSearchQuerySet":
        return self.filter(frequency=frequency, is_active=True, owner__is_active=True)


class SavedSearch(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=120)
    # A jobseeker saves vacancy searches; a caseworker saves candidate searches (the workspace page).
    kind = models.CharField(_("searches for"), max_length=12, choices=SearchKind.choices, default=SearchKind.VACANCIES)
    # The search page's query string (vacancies.filters.VacancyFilter, or for candidates
    # alerts.forms.CandidateSearchForm), normalised and validated.
    query = models.CharField(_("search"), max_length=2000, blank=True)
    frequency = models.CharField(_("frequency"), max_length=12, choices=Frequency.choices, default=Frequency.DAILY)
    # The mail's language: the user's at save time.
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    is_active = models.BooleanField(_("active"), default=True)
    # Only vacancies published from this moment on are alerted (saved, or switched on again).
    since = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    objects = SavedSearchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name


class SentAlert(models.Model):
    """A vacancy (or, for a candidate search, a candidate) counted in a saved search's mail:
    never sent again for it. A candidate's erasure deletes the rows naming them (CASCADE)."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="sent")
    vacancy = models.ForeignKey("vacancies.Vacancy", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(
        "candidates.Candidate", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["saved_search", "vacancy"], name="sent_alert_once_per_search"),
            models.UniqueConstraint(fields=["saved_search", "candidate"], name="sent_candidate_once_per_search"),
            models.CheckConstraint(
                condition=models.Q(vacancy__isnull=False, candidate__isnull=True)
                | models.Q(vacancy__isnull=True, candidate__isnull=False),
                name="sent_alert_vacancy_or_candidate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} → {self.vacancy_id or f'candidate {self.candidate_id}'}"

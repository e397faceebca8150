"""Vacancies posted by employers, with their requirements and lifecycle."""

from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Employer
from taxonomy.models import CefrLevel, EqfLevel, Language, Occupation, Place, Skill

from .shifts import validate_shift_start_times


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")
    EXPIRED = "expired", _("Expired")


class ContractType(models.TextChoices):
    PERMANENT = "permanent", _("Permanent")
    FIXED_TERM = "fixed_term", _("Fixed term")
    TEMPORARY = "temporary", _("Temporary (agency)")
    INTERNSHIP = "internship", _("Internship / dual learning")
    FREELANCE = "freelance", _("Freelance")


class SalaryPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class VacancyQuerySet(models.QuerySet):
    def published(self) -> "VacancyQuerySet":
        return self.filter(status=VacancyStatus.PUBLISHED)

    def open_for_matching(self) -> "VacancyQuerySet":
        """Published and not past the expiry date: the vacancies the worker scores."""
        now = timezone.now()
        return self.published().filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def of_employer(self, employer_id: int) -> "VacancyQuerySet":
        return self.filter(employer_id=employer_id)

    def with_details(self) -> "VacancyQuerySet":
        # The search document is for the database's matching only: never worth fetching.
        return self.select_related("employer", "place", "occupation", "occupation__isco_group").defer(
            "search_text", "search_vector"
        )


class Vacancy(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    reference = models.CharField(
        _("employer's reference"),
        max_length=64,
        blank=True,
        help_text=_("Your own reference for this vacancy; used to keep imports idempotent."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("occupation (ESCO)")
    )
    essential_skills = models.ManyToManyField(
        Skill, blank=True, related_name="vacancies_essential", verbose_name=_("essential skills")
    )
    optional_skills = models.ManyToManyField(
        Skill, blank=True, related_name="vacancies_optional", verbose_name=_("optional skills")
    )
    is_stem = models.BooleanField(_("STEM vacancy"), default=False)
    min_eqf_level = models.PositiveSmallIntegerField(
        _("minimum education level (EQF)"), choices=EqfLevel.choices, null=True, blank=True
    )
    requires_min_secondary = models.BooleanField(_("requires a minimum secondary diploma"), default=False)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("place of work")
    )
    contract_type = models.CharField(_("contract type"), max_length=12, choices=ContractType.choices)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    shift_work = models.BooleanField(_("shift work"), default=False)
    # "HH:MM" strings, sorted, at most four (vacancies/shifts.py); matching counts public
    # transport only when a journey arrives before each of them.
    shift_start_times = models.JSONField(
        _("shift start times"),
        default=list,
        blank=True,
        validators=[validate_shift_start_times],
        help_text=_("When the shifts start, e.g. 06:00, 14:00, 22:00 (at most four)."),
    )
    salary_min = models.DecimalField(_("minimum salary"), max_digits=9, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(_("maximum salary"), max_digits=9, decimal_places=2, null=True, blank=True)
    salary_period = models.CharField(
        _("salary period"), max_length=5, choices=SalaryPeriod.choices, default=SalaryPeriod.MONTH
    )
    openings = models.PositiveSmallIntegerField(_("number of openings"), default=1, validators=[MinValueValidator(1)])
    start_date = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    expiry_warning_sent_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.TextField(_("moderation note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The stored search document (vacancies/search.py keeps it fresh): the normalised forms of the
    # title, the occupation's and the skills' labels in every language, and the description.
    # search_text serves SQLite; on PostgreSQL search_vector (GIN-indexed by migration 0003) does.
    search_text = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    # An import gave no occupation (or no skills) and the portal suggested them from the text
    # (vacancies.jobposting.resolve): shown as "suggested by the portal — check" until someone does.
    codes_suggested = models.BooleanField(_("codes suggested by the portal"), default=False, editable=False)
    # What was suggested: {"occupation": {...}, "skills": [...]}, each with its confidence and triggers.
    code_suggestions = models.JSONField(_("suggested codes"), default=dict, blank=True, editable=False)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "reference"], condition=~Q(reference=""), name="vacancy_unique_employer_reference"
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="vacancy_salary_range_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"]),
            # The newest published first (home, search without words, the API list): read in this
            # order from the index instead of sorting every published vacancy per request.
            models.Index(
                fields=["-published_at", "-created_at"],
                condition=Q(status=VacancyStatus.PUBLISHED),
                name="vacancy_published_newest",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def country(self) -> str:
        return self.place.country


class VacancyLanguage(models.Model):
    """A language the job requires, at a minimum CEFR level."""

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    min_level = models.PositiveSmallIntegerField(_("minimum level"), choices=CefrLevel.choices)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["vacancy", "language"], name="vacancylanguage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.get_min_level_display()}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded import file, run by the worker (vacancies.tasks.vacancy_import_job).

    The file itself is kept in the database (so any worker can read it, and a job the broker
    never received can be sent again by the sweep) and dropped once the job has finished.
    """

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="import_jobs", verbose_name=_("employer")
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    partial = models.BooleanField(default=False)
    dry_run = models.BooleanField(default=False)
    submit = models.BooleanField(default=True)
    language = models.CharField(max_length=10, blank=True)  # of the report, as the upload's request asked
    total = models.PositiveIntegerField(_("records"), default=0)
    checked = models.PositiveIntegerField(_("records checked"), default=0)
    processed = models.PositiveIntegerField(_("records processed"), default=0)
    report = models.JSONField(_("report"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("vacancy import")
        verbose_name_plural = _("vacancy imports")
        indexes = [models.Index(fields=["status", "enqueued_at"])]

    def __str__(self) -> str:
        return f"{self.filename or 'import'} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def is_draft(self) -> bool:
        return not self.submit

    @property
    def percent(self) -> int:
        """Checking and writing each count for half."""
        if self.status == ImportStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(50 * (self.checked + self.processed) / self.total))

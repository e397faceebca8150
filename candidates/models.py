"""Jobseekers' profiles: diplomas, skills, languages, home, commute and consents."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import EmploymentService
from taxonomy.models import CefrLevel, Country, Diploma, Language, Occupation, Place, Skill, StudyField


class ResidenceCountry(models.TextChoices):
    NETHERLANDS = "NL", _("Netherlands")
    BELGIUM = "BE", _("Belgium")
    OTHER = "XX", _("Other country")


class CvCheck(models.TextChoices):
    """Where an uploaded CV stands in the worker's check (applications.tasks.cv_check and
    applications.tasks.profile_cv_check: one check for the application's and the profile's CV).

    ``passed`` is also the value of an application without a CV (nothing to check) and of the
    CVs stored before the worker's check existed (the old in-request checks passed them).
    """

    CHECKING = "checking", _("Being checked")
    PASSED = "passed", _("Checked")
    REJECTED = "rejected", _("Refused")


class DrivingLicence(models.TextChoices):
    """The EU driving licence categories of Directive 2006/126/EC, Article 4 (AM to DE)."""

    AM = "AM", "AM"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    A = "A", "A"
    B = "B", "B"
    BE = "BE", "BE"
    C1 = "C1", "C1"
    C1E = "C1E", "C1E"
    C = "C", "C"
    CE = "CE", "CE"
    D1 = "D1", "D1"
    D1E = "D1E", "D1E"
    D = "D", "D"
    DE = "DE", "DE"


class WorkCountry(models.TextChoices):
    """Where a job was: the two countries of the region and their neighbours; others as "other"."""

    NETHERLANDS = "NL", _("Netherlands")
    BELGIUM = "BE", _("Belgium")
    GERMANY = "DE", _("Germany")
    FRANCE = "FR", _("France")
    LUXEMBOURG = "LU", _("Luxembourg")
    OTHER = "XX", _("Other country")


def profile_cv_upload_to(instance: "Candidate", filename: str) -> str:
    # Never reuse the uploader's file name: it may carry personal data or path tricks.
    return f"cvs/profiles/{uuid.uuid4().hex}.pdf"


class CandidateQuerySet(models.QuerySet):
    def matchable(self) -> "CandidateQuerySet":
        """Candidates who consented to being matched (the engine still counts the others)."""
        return self.filter(consent_matching_at__isnull=False)

    def with_details(self) -> "CandidateQuerySet":
        return self.select_related("user", "home_place", "employment_service").prefetch_related(
            "diplomas__diploma",
            "diplomas__field",
            "languages",
            "skills",
            "desired_occupations",
            "experiences__occupation",
        )


class Candidate(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="candidate")
    country = models.CharField(
        _("country of residence"), max_length=2, choices=ResidenceCountry.choices, default=Country.NETHERLANDS
    )
    home_place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="candidates", verbose_name=_("home place")
    )
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    employment_service = models.ForeignKey(
        EmploymentService,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="candidates",
        verbose_name=_("registered with"),
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="candidates", verbose_name=_("skills"))
    desired_occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="candidates", verbose_name=_("desired occupations")
    )
    commute_by_car = models.BooleanField(_("by car"), default=False)
    commute_by_bike = models.BooleanField(_("by bike"), default=False)
    commute_by_public_transport = models.BooleanField(_("by public transport"), default=False)
    max_commute_minutes = models.PositiveSmallIntegerField(
        _("maximum one-way commute (minutes)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(180)],
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    hours_wanted = models.PositiveSmallIntegerField(
        _("hours per week wanted"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    accepts_shift_work = models.BooleanField(_("accepts shift work"), default=False)
    # Optional, and never an input of the engine (matching/profiles.py does not read it; a test
    # proves it): only the bias report's age bands use it (workspace/bias.py, AI Act Art. 10).
    year_of_birth = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    # E.164 ("+32470123456"): one form whatever the user typed; shown formatted (phone_display).
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    # A JSON list of DrivingLicence codes, not an ArrayField: `make run` and the SQLite test run
    # migrate on SQLite too. The form and the API validate the codes (candidates.services orders them).
    driving_licences = models.JSONField(_("driving licences"), default=list, blank=True)
    # The profile's CV: checked by the worker as an application's CV (applications.tasks.profile_cv_check),
    # offered on the application form once it passed.
    cv = models.FileField(_("CV (PDF)"), upload_to=profile_cv_upload_to, blank=True)
    cv_check = models.CharField(_("CV check"), max_length=10, choices=CvCheck.choices, default=CvCheck.PASSED)
    cv_check_reason = models.CharField(_("reason the CV was refused"), max_length=40, blank=True)
    cv_check_requested_at = models.DateTimeField(null=True, blank=True)
    cv_check_attempts = models.PositiveSmallIntegerField(default=0)
    consent_matching_at = models.DateTimeField(_("consented to matching at"), null=True, blank=True)
    consent_cross_border_at = models.DateTimeField(_("consented to cross-border sharing at"), null=True, blank=True)
    # Off by default and withdrawable: verified employers may find an anonymised card (talent/).
    consent_findable_at = models.DateTimeField(_("consented to be findable by employers at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("jobseeker profile")
        verbose_name_plural = _("jobseeker profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def has_matching_consent(self) -> bool:
        return self.consent_matching_at is not None

    @property
    def has_cross_border_consent(self) -> bool:
        return self.consent_cross_border_at is not None

    @property
    def has_findable_consent(self) -> bool:
        return self.consent_findable_at is not None

    @property
    def cv_passed(self) -> bool:
        return bool(self.cv) and self.cv_check == CvCheck.PASSED

    @property
    def cv_rejection_message(self) -> str:
        from core.pdf import pdf_rejection_message

        if self.cv_check != CvCheck.REJECTED:
            return ""
        return pdf_rejection_message(self.cv_check_reason, max_pages=settings.CV_MAX_PAGES)

    @property
    def phone_display(self) -> str:
        """The phone number as people write it: national format at home, international abroad."""
        if not self.phone:
            return ""
        import phonenumbers

        try:
            number = phonenumbers.parse(self.phone, None)
        except phonenumbers.NumberParseException:
            return self.phone
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    @property
    def commute_modes(self) -> list[str]:
        modes = []
        if self.commute_by_car:
            modes.append("car")
        if self.commute_by_bike:
            modes.append("bike")
        if self.commute_by_public_transport:
            modes.append("public_transport")
        return modes


class CandidateDiploma(models.Model):
    """A diploma the candidate holds: country + diploma type + field of study."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="diplomas")
    diploma = models.ForeignKey(Diploma, on_delete=models.PROTECT, related_name="+", verbose_name=_("diploma"))
    field = models.ForeignKey(
        StudyField, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("field of study")
    )
    year = models.PositiveSmallIntegerField(
        _("year obtained"), null=True, blank=True, validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["-diploma__eqf_level"]
        verbose_name = _("diploma")

    def __str__(self) -> str:
        return str(self.diploma)

    @property
    def eqf_level(self) -> int:
        return self.diploma.eqf_level

    @property
    def is_minimum_secondary(self) -> bool:
        return self.diploma.is_minimum_secondary

    @property
    def is_stem(self) -> bool:
        return bool(self.field and self.field.is_stem)


class CandidateLanguage(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("level"), choices=CefrLevel.choices)

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "language"], name="candidatelanguage_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.get_level_display()}"


class Experience(models.Model):
    """A job the candidate held: occupation (ESCO), employer, country, months from-to (no end: current)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="experiences")
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation"))
    employer_name = models.CharField(_("employer"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=WorkCountry.choices, default=WorkCountry.NETHERLANDS)
    # Month precision: stored as the first day of the month.
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("to"), null=True, blank=True, help_text=_("Leave empty if you still work there."))
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        ordering = [models.F("ended_on").desc(nulls_first=True), "-started_on", "-id"]
        verbose_name = _("work experience")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="experience_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} — {self.employer_name}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class ConsentKind(models.TextChoices):
    MATCHING = "matching", _("to be matched to vacancies")
    CROSS_BORDER = "cross_border", _("to be shared with employment services and employers across the border")
    FINDABLE = "findable", _("to be findable by employers")


class ConsentEvent(models.Model):
    """Every consent given or withdrawn, with its time: the proof the GDPR asks for."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consent_events")
    kind = models.CharField(max_length=12, choices=ConsentKind.choices)
    given = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.kind} {'given' if self.given else 'withdrawn'} ({self.at:%Y-%m-%d %H:%M})"

"""Jobseekers' profiles: diplomas, skills, languages, home, commute and consents."""

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


class CandidateQuerySet(models.QuerySet):
    def matchable(self) -> "CandidateQuerySet":
        """Candidates who consented to being matched (the engine still counts the others)."""
        return self.filter(consent_matching_at__isnull=False)

    def with_details(self) -> "CandidateQuerySet":
        return self.select_related("user", "home_place", "employment_service").prefetch_related(
            "diplomas__diploma", "diplomas__field", "languages", "skills", "desired_occupations"
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
    consent_matching_at = models.DateTimeField(_("consented to matching at"), null=True, blank=True)
    consent_cross_border_at = models.DateTimeField(_("consented to cross-border sharing at"), null=True, blank=True)
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


class ConsentKind(models.TextChoices):
    MATCHING = "matching", _("to be matched to vacancies")
    CROSS_BORDER = "cross_border", _("to be shared with employment services and employers across the border")


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

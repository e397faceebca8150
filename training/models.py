"""Training offers: what a provider teaches (ESCO skills, language levels), where, when and at whose cost.

Managed by caseworkers and portal admins, importable from CSV, read by the routes (routes/) that
propose a training to a candidate who nearly fits a vacancy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from taxonomy.models import CefrLevel, Country, Language


class TrainingProvider(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    website = models.URLField(_("website"), blank=True)
    # Demo providers are fictional; a real one carries the source of its data.
    is_demo = models.BooleanField(_("demo data"), default=False)
    source = models.CharField(_("source"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.name


class Funding(models.TextChoices):
    FREE_VDAB = "free_vdab", _("Free for jobseekers registered with VDAB")
    UWV_BUDGET = "uwv_budget", _("UWV training budget (scholingsbudget)")
    EMPLOYER = "employer", _("Paid by the employer")
    PUBLIC_OTHER = "public_other", _("Other public funding")
    SELF = "self", _("Paid by the participant")


class TrainingOfferQuerySet(models.QuerySet):
    def active(self) -> "TrainingOfferQuerySet":
        return self.filter(is_active=True)


class TrainingOffer(models.Model):
    provider = models.ForeignKey(
        TrainingProvider, on_delete=models.PROTECT, related_name="offers", verbose_name=_("provider")
    )
    # The provider's own code: what a CSV import matches on (re-importing updates, never duplicates).
    reference = models.CharField(_("reference"), max_length=60)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    skills = models.ManyToManyField(
        "taxonomy.Skill", related_name="training_offers", blank=True, verbose_name=_("skills taught")
    )
    duration_weeks = models.PositiveSmallIntegerField(_("duration (weeks)"))
    hours_total = models.PositiveIntegerField(_("hours in total"))
    place = models.ForeignKey(
        "taxonomy.Place", on_delete=models.PROTECT, related_name="training_offers", verbose_name=_("place")
    )
    instruction_language = models.CharField(_("language of instruction"), max_length=2, choices=Language.choices)
    cost_eur = models.DecimalField(_("cost (EUR)"), max_digits=8, decimal_places=2, default=0)
    funding = models.CharField(_("who pays"), max_length=20, choices=Funding.choices)
    url = models.URLField(_("link"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = TrainingOfferQuerySet.as_manager()

    class Meta:
        ordering = ["title_en", "pk"]
        verbose_name = _("training offer")
        verbose_name_plural = _("training offers")
        constraints = [
            models.UniqueConstraint(fields=["provider", "reference"], name="trainingoffer_unique_provider_reference"),
            models.CheckConstraint(condition=Q(cost_eur__gte=0), name="trainingoffer_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return {"nl": self.title_nl, "fr": self.title_fr}.get((get_language() or "nl")[:2], self.title_en)


class TrainingOfferLanguage(models.Model):
    """A language level the training brings a participant to (e.g. Dutch for the workplace, B1)."""

    offer = models.ForeignKey(TrainingOffer, on_delete=models.CASCADE, related_name="language_levels")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    level = models.PositiveSmallIntegerField(_("level reached"), choices=CefrLevel.choices)

    class Meta:
        ordering = ["language"]
        constraints = [models.UniqueConstraint(fields=["offer", "language"], name="trainingofferlanguage_unique")]

    def __str__(self) -> str:
        return f"{self.get_language_display()} {self.get_level_display()}"


class TrainingStart(models.Model):
    """A date the training starts (the next ones are shown and ranked on)."""

    offer = models.ForeignKey(TrainingOffer, on_delete=models.CASCADE, related_name="starts")
    starts_on = models.DateField(_("starts on"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [models.UniqueConstraint(fields=["offer", "starts_on"], name="trainingstart_unique")]

    def __str__(self) -> str:
        return self.starts_on.isoformat()

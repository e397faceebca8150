"""Users, roles and the organisations they belong to (employers, employment services)."""
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Country, Place

from .validators import normalise_enterprise_number, normalise_kvk_number


class Role(models.TextChoices):
    JOBSEEKER = "jobseeker", _("Jobseeker")
    EMPLOYER = "employer", _("Employer")
    CASEWORKER = "caseworker", _("Caseworker")
    ADMIN = "admin", _("Portal administrator")


class EmploymentService(models.Model):
    """A public employment service (VDAB, UWV, WSP Zeeuws-Vlaanderen): data, not code."""

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employment service")
        verbose_name_plural = _("employment services")

    def __str__(self) -> str:
        return self.name


class EmployerQuerySet(models.QuerySet):
    def verified(self) -> "EmployerQuerySet":
        return self.filter(is_verified=True)


class Employer(models.Model):
    """A company that posts vacancies; identified by its KvK (NL) or KBO/BCE (BE) number."""

    legal_name = models.CharField(_("legal name"), max_length=200)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    enterprise_number = models.CharField(_("enterprise number (KBO/BCE)"), max_length=12, blank=True)
    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="employers")
    website = models.URLField(_("website"), blank=True)
    is_verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(
                fields=["kvk_number"], condition=~Q(kvk_number=""), name="employer_unique_kvk"
            ),
            models.UniqueConstraint(
                fields=["enterprise_number"], condition=~Q(enterprise_number=""), name="employer_unique_kbo"
            ),
            models.CheckConstraint(
                condition=(Q(country="NL") & ~Q(kvk_number="") & Q(enterprise_number=""))
                | (Q(country="BE") & ~Q(enterprise_number="") & Q(kvk_number="")),
                name="employer_identifier_matches_country",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    @property
    def registration_number(self) -> str:
        return self.kvk_number or self.enterprise_number

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.country == Country.NETHERLANDS:
            if not self.kvk_number:
                errors["kvk_number"] = _("A Dutch employer needs its KvK number.")
            else:
                try:
                    self.kvk_number = normalise_kvk_number(self.kvk_number)
                except ValidationError as exc:
                    errors["kvk_number"] = exc.messages
            if self.enterprise_number:
                errors["enterprise_number"] = _("A Dutch employer has a KvK number, not a KBO number.")
        elif self.country == Country.BELGIUM:
            if not self.enterprise_number:
                errors["enterprise_number"] = _("A Belgian employer needs its enterprise number (KBO/BCE).")
            else:
                try:
                    self.enterprise_number = normalise_enterprise_number(self.enterprise_number)
                except ValidationError as exc:
                    errors["enterprise_number"] = exc.messages
            if self.kvk_number:
                errors["kvk_number"] = _("A Belgian employer has a KBO number, not a KvK number.")
        if errors:
            raise ValidationError(errors)


class UserManager(BaseUserManager):
    """Email is the login; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.JOBSEEKER)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="users", verbose_name=_("employer")
    )
    employment_service = models.ForeignKey(
        EmploymentService,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="caseworkers",
        verbose_name=_("employment service"),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=[("nl", "Nederlands"), ("en", "English"), ("fr", "Français")],
        default="nl",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="employer") | Q(employer__isnull=False), name="user_employer_has_employer"
            ),
            models.CheckConstraint(
                condition=~Q(role="caseworker") | Q(employment_service__isnull=False),
                name="user_caseworker_has_service",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_jobseeker(self) -> bool:
        return self.role == Role.JOBSEEKER

    @property
    def is_employer(self) -> bool:
        return self.role == Role.EMPLOYER

    @property
    def is_caseworker(self) -> bool:
        return self.role == Role.CASEWORKER

    @property
    def is_portal_admin(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

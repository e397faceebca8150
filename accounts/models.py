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
    verified_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(fields=["kvk_number"], condition=~Q(kvk_number=""), name="employer_unique_kvk"),
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
    # A coordinator oversees their service's caseworkers (AI Act Art. 14): the oversight
    # indicators and the stop button of their own service. Meaningful for caseworkers only.
    is_coordinator = models.BooleanField(_("coordinator of the service"), default=False)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("nl", "Nederlands"), ("en", "English"), ("fr", "Français")],
        default="nl",
    )
    # The language chosen with the switcher (accounts/language.py); empty until the user chooses.
    language = models.CharField(
        _("language of the portal"),
        max_length=2,
        blank=True,
        default="",
        choices=[("nl", "Nederlands"), ("en", "English"), ("fr", "Français")],
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


class ApiScope(models.TextChoices):
    """What a system token may do; a token acts only within its scopes (docs/api.md)."""

    VACANCIES_READ = "vacancies:read", _("read vacancies (own and in moderation)")
    VACANCIES_WRITE = "vacancies:write", _("create, update, import, close and moderate vacancies")
    APPLICATIONS_READ = "applications:read", _("read applications")
    APPLICATIONS_WRITE = "applications:write", _("move applications through stages")
    MATCHES_READ = "matches:read", _("read matches and shortlists")
    MATCHES_WRITE = "matches:write", _("approve or reject matches, request rematches")
    EXPORTS_READ = "exports:read", _("download CSV exports")


# Which scopes make sense for whom: an employer never decides on matches, a service never posts vacancies.
EMPLOYER_SCOPES: tuple[str, ...] = (
    ApiScope.VACANCIES_READ,
    ApiScope.VACANCIES_WRITE,
    ApiScope.APPLICATIONS_READ,
    ApiScope.APPLICATIONS_WRITE,
    ApiScope.MATCHES_READ,
    ApiScope.EXPORTS_READ,
)
SERVICE_SCOPES: tuple[str, ...] = (
    ApiScope.VACANCIES_READ,
    ApiScope.VACANCIES_WRITE,
    ApiScope.MATCHES_READ,
    ApiScope.MATCHES_WRITE,
    ApiScope.EXPORTS_READ,
)


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A token for a system of an employer or an employment service.

    Only the SHA-256 of the token is stored; the token itself is shown once, when it is
    issued (``accounts.services.api_token_issue``). The token acts as a system user
    of its organisation, so every rule of the pages applies to it unchanged.
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses this token."))
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
        editable=False,
    )
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("employer")
    )
    employment_service = models.ForeignKey(
        EmploymentService,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("employment service"),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=(Q(employer__isnull=False) & Q(employment_service__isnull=True))
                | (Q(employer__isnull=True) & Q(employment_service__isnull=False)),
                name="apitoken_one_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def organisation(self):
        return self.employer or self.employment_service

    @property
    def is_active(self) -> bool:
        from django.utils import timezone

        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if bool(self.employer_id) == bool(self.employment_service_id):
            raise ValidationError(_("A token belongs to exactly one employer or one employment service."))
        allowed = EMPLOYER_SCOPES if self.employer_id else SERVICE_SCOPES
        scopes = list(self.scopes or [])
        unknown = [scope for scope in scopes if scope not in ApiScope.values]
        if unknown:
            raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}})
        not_allowed = [scope for scope in scopes if scope not in allowed]
        if not_allowed:
            raise ValidationError(
                {"scopes": _("Not available to this organisation: %(scopes)s") % {"scopes": ", ".join(not_allowed)}}
            )
        if not scopes:
            raise ValidationError({"scopes": _("Choose at least one scope.")})


class OutgoingEmail(models.Model):
    """One email to one user, recorded in the transaction of the event that causes it (the outbox).

    Rendered in the request (in the recipient's language), sent by a Celery task after commit
    (``accounts.tasks.email_deliver``). ``key`` names the event and the recipient, so recording
    an event twice yields one row, and ``sent_at`` makes a redelivered task send nothing.
    """

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    to = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=10)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("body"))
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    tried_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            # The sweep reads only the few unsent rows.
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outgoing_email_unsent"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.to}"

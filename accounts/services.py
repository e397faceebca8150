"""Writes to accounts and organisations, and the issuing and revoking of API tokens."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, Employer, EmploymentService, Role, User
from .roles import may_verify_employer


@transaction.atomic
def user_create(*, email: str, password: str | None, role: str = Role.JOBSEEKER, **fields: Any) -> User:
    user = User(email=User.objects.normalize_email(email).lower(), role=role, **fields)
    if role == Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def employer_register(
    *, legal_name: str, country: str, place, kvk_number: str = "", enterprise_number: str = "", website: str = ""
) -> Employer:
    """A new, unverified employer; its vacancies go to review until someone verifies it."""
    employer = Employer(
        legal_name=legal_name,
        country=country,
        place=place,
        kvk_number=kvk_number,
        enterprise_number=enterprise_number,
        website=website,
    )
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def employer_verify(*, employer: Employer, verified_by: User) -> Employer:
    from .notifications import notify, notify_employer_verified

    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if not may_verify_employer(verified_by, employer):
        raise PermissionDenied(_("Only an employment service of the company's country may verify it."))
    if employer.is_verified:
        return employer  # a second click (or a colleague) verified it already
    employer.is_verified = True
    employer.verified_at = timezone.now()
    employer.verified_by = verified_by
    employer.save(update_fields=["is_verified", "verified_at", "verified_by", "updated_at"])
    notify(notify_employer_verified, employer_id=employer.pk)
    return employer


def caseworker_create(*, email: str, password: str | None, service: EmploymentService, **fields: Any) -> User:
    return user_create(email=email, password=password, role=Role.CASEWORKER, employment_service=service, **fields)


def employer_user_create(*, email: str, password: str | None, employer: Employer, **fields: Any) -> User:
    return user_create(email=email, password=password, role=Role.EMPLOYER, employer=employer, **fields)


# --- employer journey (registration, colleagues, details) -------------------------------------

EMPLOYER_EDITABLE_FIELDS = ("legal_name", "place", "website")


@transaction.atomic
def employer_signup(*, employer_fields: dict[str, Any], user_fields: dict[str, Any], password: str) -> User:
    """Register a company together with its first employer user, all or nothing."""
    employer = employer_register(**employer_fields)
    return employer_user_create(password=password, employer=employer, **user_fields)


@transaction.atomic
def employer_user_invite(*, employer: Employer, invited_by: User | None, email: str, **fields: Any) -> User:
    """A colleague without a password yet; the invitation mail carries a one-time link to set it."""
    from .notifications import notify, notify_employer_invitation

    user = employer_user_create(email=email, password=None, employer=employer, **fields)
    notify(notify_employer_invitation, user_id=user.pk, invited_by_id=invited_by.pk if invited_by else None)
    return user


def employer_invitation_resend(*, user: User, invited_by: User | None) -> None:
    """A new one-time link for a colleague who has not set a password yet."""
    from .notifications import notify, notify_employer_invitation

    notify(notify_employer_invitation, user_id=user.pk, invited_by_id=invited_by.pk if invited_by else None)


@transaction.atomic
def employer_update(*, employer: Employer, **fields: Any) -> Employer:
    """Change the company's name, place or website (its registration number stays)."""
    unknown = set(fields) - set(EMPLOYER_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown employer fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(employer, name, value)
    employer.full_clean()
    employer.save()
    return employer


# --- API tokens for the systems of employers and employment services ----------------------------
# A token is a random string shown once when it is issued; the database keeps only its SHA-256,
# so a leaked database does not leak usable tokens. accounts.authentication checks them.

TOKEN_PREFIX = "nsp_"
SYSTEM_EMAIL_DOMAIN = "api.nsp-talent.invalid"


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def system_user_for(*, employer: Employer | None = None, employment_service: EmploymentService | None = None) -> User:
    """The user a token of this organisation acts as; created on first use, never logs in."""
    if employer is not None:
        email = f"employer-{employer.pk}@{SYSTEM_EMAIL_DOMAIN}"
        defaults = {
            "role": Role.EMPLOYER,
            "employer": employer,
            "first_name": "API",
            "last_name": employer.legal_name[:150],
        }
    elif employment_service is not None:
        email = f"service-{employment_service.code}@{SYSTEM_EMAIL_DOMAIN}"
        defaults = {
            "role": Role.CASEWORKER,
            "employment_service": employment_service,
            "first_name": "API",
            "last_name": employment_service.name[:150],
        }
    else:
        raise ValueError("A token belongs to an employer or an employment service.")
    # Inactive on purpose: it cannot log in and the portal's emails (which go to active users
    # only) never go to its .invalid address. Its tokens are what is active or revoked.
    user, created = User.objects.get_or_create(email=email, defaults={**defaults, "is_active": False})
    if created or user.is_active or user.has_usable_password():
        user.set_unusable_password()
        user.is_active = False
        user.save(update_fields=["password", "is_active"])
    return user


@transaction.atomic
def api_token_issue(
    *,
    name: str,
    scopes: Iterable[str],
    employer: Employer | None = None,
    employment_service: EmploymentService | None = None,
    created_by: User | None = None,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """Issue a token; returns the token row and the secret, which is never stored nor shown again."""
    if expires_at is not None and expires_at <= timezone.now():
        # An expiry in the past would issue a token that is dead on arrival.
        raise ValidationError({"expires_at": _("A token must expire in the future.")})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        prefix=key[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_token(key),
        employer=employer,
        employment_service=employment_service,
        scopes=sorted(set(scopes)),
        created_by=created_by,
        expires_at=expires_at,
    )
    # Validate before creating the system user, so a refused token leaves nothing behind.
    token.full_clean(exclude=["user"])
    token.user = system_user_for(employer=employer, employment_service=employment_service)
    token.save()
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token at once; a revoked token is refused on its next request."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token

"""Writes to accounts and organisations."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Employer, EmploymentService, Role, User


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
    from .notifications import after_commit, notify_employer_verified

    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if employer.is_verified:
        return employer  # a second click (or a colleague) verified it already
    after_commit(lambda: notify_employer_verified(employer_id=employer.pk))
    employer.is_verified = True
    employer.verified_at = timezone.now()
    employer.verified_by = verified_by
    employer.save(update_fields=["is_verified", "verified_at", "verified_by", "updated_at"])
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
    from .notifications import after_commit, notify_employer_invitation

    user = employer_user_create(email=email, password=None, employer=employer, **fields)
    invited_by_id = invited_by.pk if invited_by else None
    after_commit(lambda: notify_employer_invitation(user_id=user.pk, invited_by_id=invited_by_id))
    return user


def employer_invitation_resend(*, user: User, invited_by: User | None) -> None:
    """A new one-time link for a colleague who has not set a password yet."""
    from .notifications import after_commit, notify_employer_invitation

    invited_by_id = invited_by.pk if invited_by else None
    after_commit(lambda: notify_employer_invitation(user_id=user.pk, invited_by_id=invited_by_id))


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

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
        legal_name=legal_name, country=country, place=place, kvk_number=kvk_number,
        enterprise_number=enterprise_number, website=website,
    )
    employer.full_clean()
    employer.save()
    return employer


@transaction.atomic
def employer_verify(*, employer: Employer, verified_by: User) -> Employer:
    employer.is_verified = True
    employer.verified_at = timezone.now()
    employer.verified_by = verified_by
    employer.save(update_fields=["is_verified", "verified_at", "verified_by", "updated_at"])
    return employer


def caseworker_create(*, email: str, password: str | None, service: EmploymentService, **fields: Any) -> User:
    return user_create(email=email, password=password, role=Role.CASEWORKER, employment_service=service, **fields)


def employer_user_create(*, email: str, password: str | None, employer: Employer, **fields: Any) -> User:
    return user_create(email=email, password=password, role=Role.EMPLOYER, employer=employer, **fields)

"""Who is who: the one home of the portal's role rules.

Every role check in the portal is one of these predicates: the view decorators
(``accounts.decorators``), the DRF permission classes (``accounts.permissions``), the
queryset scopes and the templates (through the ``roles`` context processor) are all made
from them. docs/architecture.md, "Roles", explains the rules; ``tests/accounts/test_roles.py``
pins them down.

The rules for the special accounts:

- A **superuser** is a portal admin, whatever its ``role`` field says, and only that: it is
  never a jobseeker or an employer (it has no candidate profile and no company), but it may
  do everything a caseworker does, for every employment service.
- A **portal admin** (``Role.ADMIN``) likewise: the caseworker's pages and API for every
  service, the Django admin, and the admin-only actions (a full rebuild, tokens, weights).
- A **caseworker without an employment service** cannot exist (a database constraint); should
  one appear (a service removed by hand), it is treated as no caseworker at all: it sees and
  decides nothing.
- An **employer user without a company** likewise (a database constraint): no employer pages.

Who moderates and verifies (``may_moderate_vacancy``, ``may_verify_employer``): an employer
belongs to the country of its registration (KvK: NL, KBO/BCE: BE; ``Employer.country``). A
service caseworker, and a service's API token (it acts as the service's system user), verifies
the employers of its own service's country and moderates their vacancies (VDAB: BE; UWV and WSP
Zeeuws-Vlaanderen: NL): the service that can check the register is the one that vouches for the
company. A coordinator is a caseworker of their service here too; a portal admin may do both
everywhere. docs/architecture.md, "Roles", says why.
"""

from __future__ import annotations

from typing import Any

from .models import Role

__all__ = [
    "Role",
    "is_caseworker",
    "is_coordinator",
    "is_employer",
    "is_jobseeker",
    "is_portal_admin",
    "is_service_caseworker",
    "may_moderate_vacancy",
    "may_verify_employer",
    "moderation_country_of",
    "role_flags",
    "service_code_of",
]


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_portal_admin(user: Any) -> bool:
    """A portal administrator: ``Role.ADMIN`` or a superuser."""
    return _authenticated(user) and (user.is_superuser or user.role == Role.ADMIN)


def is_jobseeker(user: Any) -> bool:
    """A jobseeker; never a superuser (a superuser has no candidate profile)."""
    return _authenticated(user) and user.role == Role.JOBSEEKER and not user.is_superuser


def is_employer(user: Any) -> bool:
    """A user of an employer (company); never a superuser."""
    return (
        _authenticated(user) and user.role == Role.EMPLOYER and user.employer_id is not None and not user.is_superuser
    )


def is_service_caseworker(user: Any) -> bool:
    """A caseworker of an employment service (VDAB, UWV, WSP), not a portal admin."""
    return (
        _authenticated(user)
        and user.role == Role.CASEWORKER
        and user.employment_service_id is not None
        and not user.is_superuser
    )


def is_caseworker(user: Any) -> bool:
    """Who may use the caseworker's pages and API: a service's caseworker or a portal admin."""
    return is_service_caseworker(user) or is_portal_admin(user)


def is_coordinator(user: Any) -> bool:
    """Who oversees the caseworkers' decisions and may pause matching (AI Act Art. 14): a
    service caseworker flagged as their service's coordinator (for their own service only),
    or a portal admin (for every service and the whole portal)."""
    return (is_service_caseworker(user) and bool(user.is_coordinator)) or is_portal_admin(user)


def service_code_of(user: Any) -> str:
    """The code of the user's employment service ("" for anyone who is not a service caseworker)."""
    if not is_service_caseworker(user):
        return ""
    return user.employment_service.code


def moderation_country_of(user: Any) -> str | None:
    """The country whose employers the user verifies and whose vacancies they moderate: their
    service's country; ``None`` for a portal admin (every country) and "" for anyone else (none)."""
    if is_portal_admin(user):
        return None
    if not is_service_caseworker(user):
        return ""
    return user.employment_service.country


def may_verify_employer(user: Any, employer: Any) -> bool:
    """A portal admin, or a caseworker (or token) of a service of the employer's country."""
    country = moderation_country_of(user)
    return country is None or (country != "" and employer.country == country)


def may_moderate_vacancy(user: Any, vacancy: Any) -> bool:
    """Whoever may verify the vacancy's employer: the service that vouches for the company
    decides whether its vacancies go online while it is unverified."""
    return may_verify_employer(user, vacancy.employer)


def role_flags(user: Any) -> dict[str, bool]:
    """The predicates as a dict, for templates (``{% if roles.jobseeker %}``)."""
    return {
        "jobseeker": is_jobseeker(user),
        "employer": is_employer(user),
        "caseworker": is_caseworker(user),
        "service_caseworker": is_service_caseworker(user),
        "portal_admin": is_portal_admin(user),
        "coordinator": is_coordinator(user),
    }

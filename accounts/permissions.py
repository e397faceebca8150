"""The DRF permission classes: the API's role checks, made from the predicates of ``accounts.roles``.

They come on top of the scoped queryset, as the decorators do on the pages: another user's
object is a 404, the wrong role a 403. A token acts as its organisation's system user (an
employer user or a caseworker of the service, see ``accounts.authentication``), so the same
predicates decide for it; its scopes are checked apart (``ScopePermission``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from . import roles

__all__ = [
    "IsCaseworker",
    "IsEmployer",
    "IsEmployerOrCaseworker",
    "IsJobseeker",
    "IsJobseekerOrEmployer",
    "IsParticipant",
    "IsPortalAdmin",
    "MayModerateVacancy",
    "RolePermission",
]


class RolePermission(BasePermission):
    """Lets in the users for whom one of ``predicates`` holds (403 for the wrong role)."""

    message = _("Your role may not do this.")
    # Plain functions in a tuple: not bound as methods, so each gets the user only.
    predicates: ClassVar[tuple[Callable[[Any], bool], ...]] = ()

    def test(self, user: Any) -> bool:
        return any(predicate(user) for predicate in self.predicates)

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and self.test(user))


class IsJobseeker(RolePermission):
    message = _("Only a jobseeker may do this.")
    predicates = (roles.is_jobseeker,)


class IsEmployer(RolePermission):
    message = _("Only an employer may do this.")
    predicates = (roles.is_employer,)


class IsCaseworker(RolePermission):
    """A caseworker of an employment service, or a portal administrator (as on the pages)."""

    message = _("Only a caseworker may do this.")
    predicates = (roles.is_caseworker,)


class IsPortalAdmin(RolePermission):
    message = _("Only a portal administrator may do this.")
    predicates = (roles.is_portal_admin,)


class IsJobseekerOrEmployer(RolePermission):
    message = _("Only the jobseeker or the employer may do this.")
    predicates = (roles.is_jobseeker, roles.is_employer)


class IsEmployerOrCaseworker(RolePermission):
    message = _("Only an employer or a caseworker may do this.")
    predicates = (roles.is_employer, roles.is_caseworker)


class IsParticipant(RolePermission):
    """Jobseekers, employers and caseworkers each see their own part (e.g. of the matches)."""

    predicates = (roles.is_jobseeker, roles.is_employer, roles.is_caseworker)


class MayModerateVacancy(BasePermission):
    """On a vacancy the caseworker can see (in review): only a service of its employer's country,
    or a portal admin, may moderate it (``roles.may_moderate_vacancy``); others get a 403 before
    the body is read, as on the page. The service checks the same rule again."""

    message = _("Only an employment service of the employer's country may moderate this vacancy.")

    def has_object_permission(self, request, view, obj) -> bool:
        return roles.may_moderate_vacancy(request.user, obj)

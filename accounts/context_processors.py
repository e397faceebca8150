"""The role predicates for templates: ``{% if roles.jobseeker %}`` instead of comparing ``user.role``."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .roles import role_flags


def roles(request: HttpRequest) -> dict[str, SimpleLazyObject]:
    # Lazy, like Django's ``user``: a page that never asks does not touch the session.
    return {"roles": SimpleLazyObject(lambda: role_flags(getattr(request, "user", None)))}

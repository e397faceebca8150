"""The view decorators: the one module that guards server-rendered pages by role.

Made from the predicates of ``accounts.roles``. The house rule: a view first scopes its
queryset to what the user may see (another user's object is a 404); the decorator puts the
role check on top: anonymous users go to the login page, a logged-in user of another role
gets a 403 with a message in their language.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from . import roles


def role_required(test: Callable[[object], bool]) -> Callable:
    """A decorator that lets in the users for whom ``test(user)`` holds."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied(_("This page is for another kind of account."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


jobseeker_required = role_required(roles.is_jobseeker)
employer_required = role_required(roles.is_employer)
caseworker_required = role_required(roles.is_caseworker)
admin_required = role_required(roles.is_portal_admin)
coordinator_required = role_required(roles.is_coordinator)

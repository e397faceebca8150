"""Role checks for the server-rendered pages (employer and caseworker journeys).

The order is the house rule: a view first scopes its queryset to what the user may see (so
another user's object is a 404), and these decorators put the role check on top:
anonymous users go to the login page, a logged-in user of the wrong role gets a 403.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import Role, User


def is_employer_user(user: User) -> bool:
    return user.is_authenticated and user.role == Role.EMPLOYER and user.employer_id is not None


def is_caseworker_or_admin(user: User) -> bool:
    """Caseworkers of an employment service, and portal admins (who may do all they do)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role == Role.CASEWORKER and user.employment_service_id is not None


def is_portal_admin(user: User) -> bool:
    return user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN)


def _role_required(test: Callable[[User], bool]) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


employer_required = _role_required(is_employer_user)
caseworker_required = _role_required(is_caseworker_or_admin)
admin_required = _role_required(is_portal_admin)

"""Role checks for views: anonymous users go to the login page, the wrong role gets a 403."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


def role_required(*roles: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles:
                raise PermissionDenied(_("This page is for another kind of account."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


jobseeker_required = role_required("jobseeker")

"""How the API knows who a request is: API tokens for the systems of employers and
employment services, and what their scopes allow.

Tokens are issued and revoked by ``accounts.services`` (``api_token_issue``,
``api_token_revoke``), which keeps only their SHA-256. A token acts as the *system user* of
its organisation (an employer user, or a caseworker of the service), so the querysets and
services of the pages apply to it unchanged; on top of that it may only do what its scopes
allow (``ScopePermission``). The generic rest of the API's request policy (throttles,
pagination, errors) is in ``core.api``.

Clients send ``Authorization: Token <token>`` (``Bearer`` is accepted too).

DRF imports the classes named in ``settings.REST_FRAMEWORK`` while ``rest_framework.views``
is still loading, so this module must not import that (nor ``accounts.api``).
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import ApiToken
from .services import TOKEN_PREFIX, hash_token

KEYWORDS = (b"token", b"bearer")
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The active token for this secret, or None."""
    if not key.startswith(TOKEN_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__employer", "user__employment_service")
        .filter(key_hash=hash_token(key))
        .first()
    )
    if token is None or not token.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Token nsp_…`` for systems; ``request.auth`` is the ApiToken."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give the token after the keyword."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from exc
        token = api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


# --- scopes ------------------------------------------------------------------------------------


def token_of(request: Request) -> ApiToken | None:
    """The token a request authenticated with, or None for a browser session or no credentials."""
    return request.auth if isinstance(request.auth, ApiToken) else None


class ScopePermission(BasePermission):
    """A token may do only what its scopes allow; a browser session is not limited by scopes.

    A view names the scope per action (or per HTTP method) in ``required_scopes``. Reading
    public data needs no scope; a token may not write through a view that names no scope.
    """

    def has_permission(self, request, view) -> bool:
        token = token_of(request)
        if token is None:
            return True
        scopes = getattr(view, "required_scopes", {}) or {}
        action = getattr(view, "action", None)
        scope = scopes.get(action) if action else None
        if scope is None:
            scope = scopes.get(request.method)
        if scope is None:
            if request.method in ("GET", "HEAD", "OPTIONS"):
                return True
            self.message = _("A token cannot do this.")
            return False
        if token.has_scope(scope):
            return True
        self.message = _("This token lacks the scope “%(scope)s”.") % {"scope": scope}
        return False

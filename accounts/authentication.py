"""API tokens for the systems of employers and employment services.

A token is a random string shown once when it is issued; the database keeps only its
SHA-256, so a leaked database does not leak usable tokens. A token acts as the *system
user* of its organisation (an employer user, or a caseworker of the service), so the
querysets and services of the pages apply to it unchanged; on top of that it may only do
what its scopes allow (``accounts.api.ScopePermission``).

Clients send ``Authorization: Token <token>`` (``Bearer`` is accepted too).
"""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from .models import ApiToken, Employer, EmploymentService, Role, User

TOKEN_PREFIX = "nsp_"
KEYWORDS = (b"token", b"bearer")
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=5)
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


# --- the request policy DRF loads as defaults (settings.REST_FRAMEWORK) -------------------------
# Here rather than in accounts/api.py: DRF imports its default classes while
# rest_framework.views is still loading, so this module must not import it.
def token_of(request) -> ApiToken | None:
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


# --- throttling -----------------------------------------------------------------------------------


class _SettingsRate:
    """Read the rate from the settings on every request (so tests and deployments can change it)."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Per user; a token counts against its organisation's system user."""


class ImportThrottle(_SettingsRate, ScopedRateThrottle):
    pass


# --- pagination, ETags, sync --------------------------------------------------------------------


class PortalPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

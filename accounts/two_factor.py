"""Two-factor authentication (TOTP): who must use it, the devices, and the middleware that enforces it.

The one home of the rule. Caseworkers, coordinators and portal admins see candidates' personal
data, and staff users reach the Django admin; public-sector baselines (the Dutch BIO) require a
second factor for such access. So for these users every page and every session-authenticated
/api/ request needs a session verified with a code from their authenticator app (django-otp's
TOTP device). Jobseekers and employers are not asked (it may be offered to them later).

Token-authenticated API requests are not affected: a token is issued by an admin to a system,
not typed in by a person (docs/operations.md, "Two-factor authentication").

The flow: password login → (no confirmed device) the set-up page: QR code and the secret,
confirmed with a first code; (a confirmed device) the "enter your code" page → the page asked
for (``?next=``, checked to be on this site). Wrong codes are throttled by django-otp (1, 2, 4,
8 … seconds after successive failures). An admin resets a user's device from the user list
(admin action), after which the user sets up a new one at the next login.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import is_caseworker, is_coordinator

__all__ = [
    "DEVICE_ID_SESSION_KEY",
    "TwoFactorMiddleware",
    "confirmed_device",
    "device_secret",
    "enrolment_device",
    "is_verified",
    "safe_next",
    "device_confirm",
    "two_factor_required",
    "two_factor_reset",
    "session_verify",
]

logger = logging.getLogger(__name__)

DEVICE_NAME = "authenticator"

# Pages an unverified user of 2FA may open: to log in or out, to set up or enter the code, to
# switch language; and the health checks of the load balancer.
EXEMPT_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "admin:logout",
        "set_language",
        "healthz",
        "readyz",
    }
)
TOKEN_KEYWORDS = ("token", "bearer")  # accounts.authentication.KEYWORDS: DRF then never reads the session


def two_factor_required(user: Any) -> bool:
    """Caseworkers, coordinators, portal admins and superusers, and staff (the Django admin)."""
    if not (user is not None and getattr(user, "is_authenticated", False)):
        return False
    return is_caseworker(user) or is_coordinator(user) or bool(user.is_staff)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session was verified with a code (django-otp's OTPMiddleware sets ``is_verified``)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check and check())


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (one per user; the same secret on every reload of the page)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def device_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it for manual entry: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _accept(request: HttpRequest, device: TOTPDevice) -> None:
    otp_login(request, device)
    # A new privilege level for this session: a new session key, as Django does at login.
    request.session.cycle_key()


def device_confirm(request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Set-up: the first code confirms the device and verifies this session."""
    with transaction.atomic():
        accepted = verify_token(request.user, device.persistent_id, code)
        if accepted is None:
            return False
        accepted.confirmed = True
        accepted.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    _accept(request, accepted)
    logger.info("two-factor device set up for user %s", request.user.pk)
    return True


def session_verify(request: HttpRequest, device: TOTPDevice, code: str) -> bool:
    """Login: a code of the user's confirmed device verifies this session."""
    accepted = verify_token(request.user, device.persistent_id, code)
    if accepted is None or not accepted.confirmed:
        logger.warning("wrong two-factor code for user %s", request.user.pk)
        return False
    _accept(request, accepted)
    return True


@transaction.atomic
def two_factor_reset(*, user: Any) -> int:
    """Remove every device of the user (lost phone): they set up a new one at their next login.
    Sessions verified with the old device lose their verification (django-otp finds no device)."""
    deleted, _details = TOTPDevice.objects.filter(user=user).delete()
    logger.warning("two-factor devices reset for user %s", user.pk)
    return deleted


def safe_next(request: HttpRequest, value: str | None) -> str:
    """``value`` if it is a path on this site, else ""."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _uses_token(request: HttpRequest) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "").split()
    return bool(header) and header[0].lower() in TOKEN_KEYWORDS


class TwoFactorMiddleware:
    """A user who must use 2FA gets no page (except ``EXEMPT_VIEWS``) and no session API answer
    until the session is verified: pages redirect to set-up or "enter your code" with ``?next=``,
    /api/ answers 403 ``two_factor_required`` in the JSON envelope. After django-otp's
    OTPMiddleware (it tells whether the session is verified)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEWS:
            return None
        is_api = request.path_info.startswith("/api/")
        if is_api and _uses_token(request):
            return None
        user = getattr(request, "user", None)
        if not two_factor_required(user) or is_verified(request):
            return None
        if is_api:
            body = {
                "status": 403,
                "code": "two_factor_required",
                "detail": _("Verify this session with your two-factor code first (log in on the portal)."),
            }
            return JsonResponse(body, status=403)
        target = "accounts:two_factor_verify" if confirmed_device(user) else "accounts:two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")

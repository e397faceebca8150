"""The second step of logging in for caseworkers and admins: set up the authenticator app, or enter
its code. The rule and the device handling are in ``accounts.two_factor``."""

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import mark_safe
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import TwoFactorCodeForm
from .two_factor import (
    confirmed_device,
    device_confirm,
    device_secret,
    enrolment_device,
    is_verified,
    safe_next,
    session_verify,
    two_factor_required,
)
from .views_public import _start_page_for as start_page_for


def _next_of(request: HttpRequest) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + (f"?{urlencode({'next': next_url})}" if next_url else "")


def _done(request: HttpRequest, next_url: str) -> HttpResponse:
    return redirect(next_url or start_page_for(request.user))


def _throttled(form: TwoFactorCodeForm, device) -> bool:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return False
    until = (info or {}).get("locked_until")
    form.add_error(
        "code",
        _("Too many wrong codes. Try again after %(time)s.") % {"time": date_format(localtime(until), "TIME_FORMAT")}
        if until
        else _("Too many wrong codes. Wait a moment and try again."),
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up: QR code and secret of a new device; the first code confirms it."""
    next_url = _next_of(request)
    if not two_factor_required(request.user):
        return _done(request, next_url)
    if confirmed_device(request.user) is not None:
        # Only an admin's reset replaces a confirmed device: a password alone must not.
        return redirect(_with_next("accounts:two_factor_verify", next_url))
    device = enrolment_device(request.user)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid() and not _throttled(form, device):
        if device_confirm(request, device, form.cleaned_data["code"]):
            return _done(request, next_url)
        form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            # segno's SVG draws with attributes, no style: allowed by the Content-Security-Policy.
            "qr_svg": mark_safe(qr.svg_inline(scale=5, border=2, svgclass="qr-code")),  # noqa: S308 (our own SVG)
            "secret": device_secret(device),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Log in, second step: the code of the confirmed device."""
    next_url = _next_of(request)
    if not two_factor_required(request.user) or is_verified(request):
        return _done(request, next_url)
    device = confirmed_device(request.user)
    if device is None:
        return redirect(_with_next("accounts:two_factor_setup", next_url))
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None, initial={"next": next_url})
    if request.method == "POST" and form.is_valid() and not _throttled(form, device):
        if session_verify(request, device, form.cleaned_data["code"]):
            return _done(request, next_url)
        form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})

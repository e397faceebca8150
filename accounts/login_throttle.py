"""Login throttling on top of django-axes: password spraying and the client address.

django-axes locks an (account, IP) pair after ``AXES_FAILURE_LIMIT`` failures. A spraying bot
tries one or two passwords on many accounts from one address and never reaches that limit, so
``SprayAwareDatabaseHandler`` also locks an address whose failures over all accounts reach
``AXES_IP_FAILURE_LIMIT`` within the cool-off time (axes has one failure limit for all its
lockout parameters; an office behind one NAT address needs a higher limit per address than per
account). The per-address sum is read from axes' own ``AccessAttempt`` rows, so a successful
login (which resets only that account's pair) does not wipe the spraying count.

``client_ip_address`` is the address axes records (``AXES_CLIENT_IP_CALLABLE``): the TCP peer,
unless ``TRUSTED_PROXY_COUNT`` proxies stand in front of the web server; then the address the
outermost of them saw, from ``X-Forwarded-For``. Without trusted proxies the header is ignored,
so a client cannot name another address to slip out of a lock-out.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or with N trusted proxies the N-th entry from the
    right of ``X-Forwarded-For`` (each proxy appends the peer it saw; entries further left were
    written by the client and are not trusted)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # Fewer hops than configured: the request did not come through the proxies.
        return remote
    return forwarded[-proxies]


def ip_failures(ip_address: str | None, request: HttpRequest) -> int:
    """Failed logins from this address over all accounts within the cool-off time."""
    if not ip_address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class SprayAwareDatabaseHandler(AxesDatabaseHandler):
    """axes' database handler, plus a lock-out per address across accounts."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if ip_failures(getattr(request, "axes_ip_address", None), request) >= settings.AXES_IP_FAILURE_LIMIT:
            # Report the address as at the limit: axes then locks it with its usual page.
            return max(failures, get_failure_limit(request, credentials))
        return failures

"""The API's throttles: anonymous, per user, and the ``import`` scope for bulk uploads.

In ``core`` because they are the defaults for every endpoint (``REST_FRAMEWORK
["DEFAULT_THROTTLE_CLASSES"]``). DRF imports them while ``rest_framework.views`` is still
loading, so this module must not import that (nor ``core.api.errors``).
"""

import logging

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

__all__ = ["AnonThrottle", "ImportThrottle", "UserThrottle"]

logger = logging.getLogger(__name__)


class _FailOpen:
    """Let the request through when the cache that keeps the counters is down (Redis restarting).

    Throttling protects the portal; it must not take the whole API down with the cache. The
    failure is logged so that monitoring sees it.
    """

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # any cache/connection error: the counter is unknown, let it pass
            logger.warning("API throttling skipped: the cache is unavailable", exc_info=True)
            return True


class _SettingsRate:
    """Read the rate from the settings on every request (so tests and deployments can change it)."""

    scope: str | None

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_FailOpen, _SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_FailOpen, _SettingsRate, UserRateThrottle):
    """Per user; a token counts against its organisation's system user."""


class ImportThrottle(_FailOpen, _SettingsRate, ScopedRateThrottle):
    pass

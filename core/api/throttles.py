"""The API's throttles: anonymous, per user, and the ``import`` scope for bulk uploads.

In ``core`` because they are the defaults for every endpoint (``REST_FRAMEWORK
["DEFAULT_THROTTLE_CLASSES"]``). DRF imports them while ``rest_framework.views`` is still
loading, so this module must not import that (nor ``core.api.errors``).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

__all__ = ["AnonThrottle", "ImportThrottle", "UserThrottle"]


class _SettingsRate:
    """Read the rate from the settings on every request (so tests and deployments can change it)."""

    scope: str | None

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRate, UserRateThrottle):
    """Per user; a token counts against its organisation's system user."""


class ImportThrottle(_SettingsRate, ScopedRateThrottle):
    pass

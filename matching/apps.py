from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        # Connect to the change hooks that vacancies and candidates send (they never import us).
        from . import receivers  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "conversations"
    verbose_name = _("Messages and interviews")

    def ready(self) -> None:
        # The outbox (accounts) attaches an interview's .ics at delivery without importing this app.
        from accounts.notifications import ATTACHMENT_LOADERS

        from .ics import ics_attachments_for_email

        if ics_attachments_for_email not in ATTACHMENT_LOADERS:
            ATTACHMENT_LOADERS.append(ics_attachments_for_email)

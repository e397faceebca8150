"""Mail delivery (``email_deliver``, enqueued when a notification's transaction commits) and its
beat job (``email_sweep``); the flow is described in ``accounts/notifications.py``."""

from smtplib import SMTPException

from celery import shared_task
from django.conf import settings

from .login_records import login_records_expire as expire_login_records
from .notifications import email_deliver as deliver
from .notifications import email_sweep as sweep


@shared_task(
    name="accounts.tasks.email_deliver",
    # SMTPException covers a refused recipient or message (4xx/5xx); OSError a refused or
    # dropped connection and timeouts. Anything else (a bad address) is not worth retrying.
    autoretry_for=(SMTPException, OSError),
    retry_backoff=settings.EMAIL_RETRY_BACKOFF,
    retry_backoff_max=settings.EMAIL_RETRY_BACKOFF_MAX,
    max_retries=settings.EMAIL_MAX_RETRIES,
)
def email_deliver(pk: int) -> bool:
    """Send the recorded email ``pk`` once; a redelivered task sends nothing."""
    return deliver(pk=pk)


@shared_task(name="accounts.tasks.email_sweep")
def email_sweep() -> int:
    """Re-enqueue emails whose task was never queued (the broker was down at commit)."""
    return sweep()


@shared_task(name="accounts.tasks.login_records_expire")
def login_records_expire() -> int:
    """Beat's daily job: delete login-throttle records older than LOGIN_RECORDS_KEEP_DAYS."""
    return expire_login_records()

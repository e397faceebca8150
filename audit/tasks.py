"""Beat's audit job: purge the events older than the retention (AUDIT_RETENTION_DAYS)."""

from celery import shared_task

from . import services


@shared_task(name="audit.tasks.audit_purge")
def audit_purge() -> int:
    return services.audit_purge()

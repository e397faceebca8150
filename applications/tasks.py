"""Beat's and the web's jobs for applications: the worker's check of an uploaded CV, its sweep
(checks left "checking" are queued again) and the media job (files no row references)."""

from celery import shared_task
from django.conf import settings

from . import services
from .services import media_orphans_sweep as sweep


@shared_task(name="applications.tasks.media_orphans_sweep")
def media_orphans_sweep() -> int:
    """Delete orphaned uploads older than MEDIA_ORPHAN_MIN_AGE_MINUTES."""
    return sweep()


# Soft limit: the check gives up and rejects the file ("too slow"); the hard limit, 10 s later,
# kills a parse stuck inside qpdf, and the sweep's next try counts the attempt.
@shared_task(
    name="applications.tasks.cv_check",
    soft_time_limit=settings.CV_CHECK_SECONDS,
    time_limit=settings.CV_CHECK_SECONDS + 10,
)
def cv_check(application_id: int) -> str | None:
    """Check one application's uploaded CV (passed: sanitised copy; rejected: file deleted)."""
    return services.application_cv_check(application_id=application_id)


@shared_task(
    name="applications.tasks.profile_cv_check",
    soft_time_limit=settings.CV_CHECK_SECONDS,
    time_limit=settings.CV_CHECK_SECONDS + 10,
)
def profile_cv_check(candidate_id: int) -> str | None:
    """Check the CV on a jobseeker's profile: the same check as an application's CV."""
    return services.profile_cv_check(candidate_id=candidate_id)


@shared_task(name="applications.tasks.cv_check_sweep")
def cv_check_sweep() -> int:
    """Queue again the CV checks waiting longer than CV_CHECK_REQUEUE_MINUTES."""
    return services.cv_checks_requeue()

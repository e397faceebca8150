"""Beat's media job: delete uploaded files that no row references (``media_orphans_sweep``)."""

from celery import shared_task

from .services import media_orphans_sweep as sweep


@shared_task(name="applications.tasks.media_orphans_sweep")
def media_orphans_sweep() -> int:
    """Delete orphaned uploads older than MEDIA_ORPHAN_MIN_AGE_MINUTES."""
    return sweep()

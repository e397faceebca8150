"""Beat's job for interviews: the reminder mail the day before."""

from celery import shared_task

from . import services


@shared_task(name="conversations.tasks.interview_reminders")
def interview_reminders() -> int:
    """Mail both sides (with the .ics) about the planned interviews of the next 24 hours."""
    return services.interview_reminders_send()

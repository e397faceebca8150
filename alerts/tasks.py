"""Tasks of job alerts (beat: ``alerts.tasks.send_alerts`` per frequency, see settings).

Thin: the service is idempotent (a vacancy is sent once per saved search), so a task that
runs twice sends nothing twice.
"""

from celery import shared_task

from .services import saved_searches_send


@shared_task(name="alerts.tasks.send_alerts")
def send_alerts(frequency: str) -> dict[str, int]:
    return saved_searches_send(frequency=frequency)

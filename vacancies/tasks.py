"""Periodic tasks of vacancies (beat: ``vacancies.tasks.expire_vacancies``, hourly).

Thin: they call the services, which are idempotent, so a task that runs twice is harmless.
"""

from celery import shared_task

from .services import vacancy_expire_due, vacancy_warn_expiring


@shared_task(
    name="vacancies.tasks.expire_vacancies",
    autoretry_for=(Exception,),
    retry_backoff=2,
    retry_backoff_max=300,
    max_retries=5,
)
def expire_vacancies() -> dict[str, int]:
    """Warn employers a week before their vacancies expire, then expire those past their date."""
    warned = vacancy_warn_expiring()
    expired = vacancy_expire_due()
    return {"warned": warned, "expired": expired}

"""Tasks of vacancies: the periodic expiry (beat: ``vacancies.tasks.expire_vacancies``, hourly),
import jobs (``vacancy_import_job``) and their sweep (beat: ``vacancies.tasks.sweep_import_jobs``).

Thin: they call the services, which are idempotent, so a task that runs twice is harmless.
"""

from celery import shared_task

from .imports import import_job_run, import_jobs_sweep
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


@shared_task(name="vacancies.tasks.vacancy_import_job")
def vacancy_import_job(job_id: int) -> str:
    """Run an uploaded import. No retry: a failure is recorded on the job, which its owner sees;
    a re-delivered task for a finished job does nothing."""
    job = import_job_run(job_id=job_id)
    return job.status if job is not None else "missing"


@shared_task(name="vacancies.tasks.sweep_import_jobs")
def sweep_import_jobs() -> int:
    """Send the import jobs the broker did not get (it was down at upload time) again."""
    return import_jobs_sweep()

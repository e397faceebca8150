"""The portal's Celery application.

Workers start with ``celery -A nsp_portal worker``; the beat schedule lives in settings
(``CELERY_BEAT_SCHEDULE``) so that it is configured from one place.
"""

import os

from celery import Celery
from celery.signals import celeryd_init, worker_process_init

# Every process imports this module (nsp_portal/__init__.py), so this connects the database
# timeouts' connection_created receiver everywhere; core.db_busy reads no setting at import.
from core import db_busy

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp_portal.settings.dev")

app = Celery("nsp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_init.connect
@worker_process_init.connect
def use_worker_database_timeouts(**kwargs) -> None:
    """The worker's tasks (chunks of a full rebuild) may run minutes: its connections get the
    longer worker limits instead of the web's (core/db_busy.py). celeryd_init runs in the main
    process before it forks (any pool); the children inherit the variable."""
    os.environ[db_busy.TIMEOUTS_ENV] = "worker"

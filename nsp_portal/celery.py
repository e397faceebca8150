"""The portal's Celery application.

Workers start with ``celery -A nsp_portal worker``; the beat schedule lives in settings
(``CELERY_BEAT_SCHEDULE``) so that it is configured from one place.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nsp_portal.settings.dev")

app = Celery("nsp_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

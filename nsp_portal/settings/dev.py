"""Development: the quick start. SQLite and in-process (eager) Celery tasks by default."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Only for a local quick start; production.py requires SECRET_KEY from the environment.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-only")
# Serve static files from the apps and static/ directly (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

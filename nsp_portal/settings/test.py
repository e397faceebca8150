"""Tests: a real PostgreSQL and Redis, started by scripts/test.sh (DATABASE_URL, REDIS_URL)."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-test-only")
# Serve static files from the apps and static/ directly (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The erasure ledger file is appended by every committed erasure: not into the work tree (tests/backups
# give each test its own directory).
BACKUP_DIR = env.path("BACKUP_DIR", default=Path(tempfile.gettempdir()) / f"nsp-test-backups-{os.getpid()}")

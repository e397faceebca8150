"""The suite runs against the real services that scripts/test.sh starts."""

import os
import subprocess
import sys

import pytest
import redis
from django.conf import settings
from django.db import connection


@pytest.mark.django_db
def test_database_is_a_real_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000


def test_redis_is_real_and_answers():
    client = redis.Redis.from_url(settings.REDIS_URL)
    assert client.ping() is True
    client.set("nsp-test-key", "waarde", ex=5)
    assert client.get("nsp-test-key") == b"waarde"
    assert "redis_version" in client.info("server")


def _manage(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=settings.BASE_DIR,
    )


def test_system_check_is_clean():
    result = _manage("check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr


def test_no_missing_migrations():
    result = _manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_is_clean_with_production_settings():
    """The production settings with the environment the README documents pass --deploy."""
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DJANGO_SETTINGS_MODULE": "nsp_portal.settings.production",
            "SECRET_KEY": "x7#k2!qv9-production-like-secret-key-of-sufficient-length-and-entropy-4f8a",
            "ALLOWED_HOSTS": "talent.northseaport.example",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example:587",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "nsp_portal.settings.production"
    env["ALLOWED_HOSTS"] = "talent.northseaport.example"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

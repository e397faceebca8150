"""The suite runs against the real services that scripts/test.sh starts."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import redis
import yaml
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


def _documented_production_env(work: Path, **changes: str | None) -> dict[str, str]:
    """The environment README.md documents for production: .env.example with SECRET_KEY set (as it
    says), and the compose stack's own variables; nothing inherited from the test run but PATH.
    SECURE_SSL_REDIRECT=false is .env.example's "local try-out without TLS": production keeps the default."""
    env = {}
    for line in (settings.BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    for name, value in compose["x-portal"]["environment"].items():
        env[name] = re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: env.get(m.group(1)) or m.group(2), str(value))
    del env["SECURE_SSL_REDIRECT"]
    env.update(
        SECRET_KEY="x7#k2!qv9-production-like-secret-key-of-sufficient-length-and-entropy-4f8a",
        DATABASE_URL=os.environ["DATABASE_URL"],  # the compose host name does not resolve here
        MEDIA_ROOT=str(work / "media"),
        BACKUP_DIR=str(work / "backups"),
        PATH=os.environ["PATH"],
        HOME=str(work),
    )
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    assert env["DJANGO_SETTINGS_MODULE"] == "nsp_portal.settings.production"
    return env


def _deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    """Every installed app's checks, the security ones (--deploy) and drf-spectacular's schema
    warnings included: not one message, and none silenced."""
    result = _deploy_check(_documented_production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr


@pytest.mark.integration  # one more real process: the proof that the check above can fail
def test_the_deploy_check_fails_on_a_single_warning(tmp_path):
    # Without the https redirect, Django's deploy check warns (security.W008): the check above would fail.
    result = _deploy_check(_documented_production_env(tmp_path, SECURE_SSL_REDIRECT="false"))
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "nsp_portal.settings.production"
    env["ALLOWED_HOSTS"] = "talent.northseaport.example"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

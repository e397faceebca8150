"""docker-compose.yml cannot run here (no Docker engine), so check what can be checked:
the services are there with health checks, and every command they run exists."""

import importlib
import re
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_stack_has_every_service_with_a_health_check():
    services = COMPOSE["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, name


def _command_text(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


def test_web_migrates_on_start_and_serves_with_gunicorn():
    web = _command_text(COMPOSE["services"]["web"])
    assert web.index("migrate") < web.index("gunicorn")
    for command in re.findall(r"manage\.py (\w+)", web):
        assert command in get_commands(), command
    module, attribute = re.search(r"gunicorn (\S+):(\w+)", web).groups()
    assert hasattr(importlib.import_module(module), attribute)


@pytest.mark.parametrize("service", ["worker", "beat"])
def test_celery_services_point_at_the_project_app(service):
    text = _command_text(COMPOSE["services"][service])
    app = re.search(r"celery -A (\w+)", text).group(1)
    module = importlib.import_module(app)
    assert module.celery_app.main == "nsp_portal"


def test_beat_schedules_the_nightly_rebuild_and_the_outbox_sweep():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"matching.tasks.rebuild_all", "matching.tasks.sweep_pending_rematches"} <= tasks


def test_the_image_installs_the_pinned_requirements():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert "==" in line, f"unpinned requirement: {line}"


def test_the_backup_service_backs_up_on_a_schedule_with_the_media_read_only():
    backup = COMPOSE["services"]["backup"]
    text = _command_text(backup)
    assert "manage.py backup" in text
    assert "BACKUP_INTERVAL_SECONDS" in text
    assert "sleep" in text
    assert {"backup", "restore"} <= set(get_commands())
    assert "media:/app/media:ro" in backup["volumes"]
    assert "backups:/app/backups" in backup["volumes"]
    assert "backups" in COMPOSE["volumes"]
    assert backup["healthcheck"]["test"][-2:] == ["backup", "--check"]
    # The web and worker processes append erasures to the ledger file in the same volume.
    for name in ("web", "worker"):
        assert "backups:/app/backups" in COMPOSE["services"][name]["volumes"]
        assert COMPOSE["services"][name]["environment"]["BACKUP_DIR"] == "/app/backups"
    # pg_dump/pg_restore of the server's major version (postgres:15-bookworm; bookworm's client is 15).
    assert "postgresql-client" in (ROOT / "Dockerfile").read_text()
    assert COMPOSE["services"]["postgres"]["image"].startswith("postgres:15-bookworm")

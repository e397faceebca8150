"""`make run` (scripts/run.sh) sets PORTAL_BASE_URL to the address it serves, so e-mail links work (issue 11)."""

import os
import subprocess
from pathlib import Path

from django.conf import settings

RUN_SCRIPT = Path(settings.BASE_DIR) / "scripts" / "run.sh"


def portal_base_url(**env: str) -> str:
    """Evaluate the script's PORTAL_BASE_URL line alone (the rest installs and serves)."""
    lines = [line for line in RUN_SCRIPT.read_text().splitlines() if line.startswith("export PORTAL_BASE_URL=")]
    assert len(lines) == 1, "scripts/run.sh must export PORTAL_BASE_URL once"
    clean = {k: v for k, v in os.environ.items() if k not in ("HOST", "PORT", "PORTAL_BASE_URL")}
    result = subprocess.run(
        ["bash", "-c", lines[0] + '; printf %s "$PORTAL_BASE_URL"'],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_run_sets_portal_base_url_to_the_address_it_serves():
    assert portal_base_url() == "http://127.0.0.1:8000"
    assert portal_base_url(HOST="0.0.0.0", PORT="8123") == "http://0.0.0.0:8123"
    assert portal_base_url(PORTAL_BASE_URL="https://talent.example") == "https://talent.example"

"""The README's run command on an empty database: it serves the portal with demo data and a
person can log in as each demo role; run again, it reuses what it made."""

import http.cookiejar
import os
import re
import signal
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings

from demo.services import DEMO_DOMAIN, DEMO_PASSWORD
from tests.matching.worker_support import free_port, wait_for

ROOT = Path(settings.BASE_DIR)
ROLES = ["admin", "caseworker-vdab", "caseworker-uwv", "caseworker-wsp-zvl", "employer", "jobseeker"]
# The demo logins that must use two-factor authentication (accounts/two_factor.py decides who).
TWO_FACTOR_LOGINS = {"admin", "caseworker-vdab", "caseworker-uwv", "caseworker-wsp-zvl"}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def start_portal(tmp_path: Path, port: int) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"run-{time.monotonic_ns()}.log"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL")}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PORT=str(port), PYTHONUNBUFFERED="1")
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return process, log


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)


def serving(port: int) -> bool:
    try:
        return urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status == 200
    except OSError:
        return False


def log_in(port: int, email: str) -> tuple[str, str]:
    """Log in through the login form like a browser; returns the account page's final address and text."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": email, "password": DEMO_PASSWORD}).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    landing = opener.open(request)
    assert landing.status == 200
    assert "sessionid" in {c.name for c in jar}, f"{email} was not logged in"
    account = opener.open(f"{base}/accounts/account/")
    return account.geturl(), account.read().decode()


def test_run_command_serves_the_demo_and_every_role_can_log_in(tmp_path):
    port = free_port()
    process, log = start_portal(tmp_path, port)
    try:
        wait_for(lambda: serving(port) or process.poll() is not None, 300, interval=1, message="the portal to serve")
        assert process.poll() is None, log.read_text()
        output = log.read_text()
        for role in ROLES:
            email = f"{role}@{DEMO_DOMAIN}"
            assert email in output  # the demo logins are printed
            landed_on, page = log_in(port, email)
            if role in TWO_FACTOR_LOGINS:
                # Two-factor is required for them: the first login leads to setting up the app.
                assert "/accounts/two-factor/setup/" in landed_on, landed_on
                assert 'id="id_code"' in page or 'name="code"' in page
            else:
                assert email in page
    finally:
        stop(process)

    # Again: the same database is reused, nothing is seeded twice.
    process, log = start_portal(tmp_path, port)
    try:
        wait_for(lambda: serving(port) or process.poll() is not None, 300, interval=1, message="the second start")
        assert "already seeded; reusing it" in log.read_text()
    finally:
        stop(process)

"""Schemathesis against the live OpenAPI schema of a running server, as every role.

A real server (pytest-django's live_server, the real PostgreSQL of the test command) serves
/api/schema/; Schemathesis (v4, its command line) generates requests for every operation —
the documented examples, the coverage phase's edge cases and a few fuzzed ones — as each
role: anonymous, a jobseeker, an employer, a caseworker of each service (browser sessions
with their CSRF token), and system tokens of an employer and of a service. It checks that
no response is a 5xx and that every response conforms to the schema (status code, content
type, headers, body). Bounded: the examples and a few fuzzed cases per operation, a fixed
seed, two roles at a time — under a minute on two cores. The coverage phase (thousands of
edge cases per role, minutes each) runs with SCHEMATHESIS_PHASES=examples,coverage,fuzzing.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings as django_settings
from django.test import Client

from .conftest import build_world

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
PHASES = os.environ.get("SCHEMATHESIS_PHASES", "examples,fuzzing")
PARALLEL = int(os.environ.get("SCHEMATHESIS_PARALLEL", "2"))
SEED = os.environ.get("SCHEMATHESIS_SEED", "20261122")
SESSION_ROLES = ("jobseeker", "employer", "caseworker_vdab", "caseworker_uwv", "caseworker_wsp")
TOKEN_ROLES = ("token_employer", "token_service")
CSRF = "schemathesisCsrfToken0123456789x"  # 32 characters: the format of Django's unmasked secret


def _session_headers(user) -> list[str]:
    client = Client()
    client.force_login(user)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [
        f"Cookie: {django_settings.SESSION_COOKIE_NAME}={session}; {django_settings.CSRF_COOKIE_NAME}={CSRF}",
        f"X-CSRFToken: {CSRF}",
    ]


def _start(url: str, headers: list[str], report: Path, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        url,
        "--checks",
        CHECKS,
        "--phases",
        PHASES,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        SEED,
        "--workers",
        "1",
        "--no-shrink",
        "--request-timeout",
        "60",
        "--request-retries",
        "2",
        "--suppress-health-check",
        "all",
        "--report",
        "junit",
        "--report-junit-path",
        str(report),
        "--output-truncate",
        "true",
    ]
    for header in headers:
        command += ["--header", header]
    return subprocess.Popen(
        command,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )


def test_every_endpoint_conforms_to_the_schema_for_every_role(live_server, reference_data, settings, tmp_path):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute", "import": "100000/minute"},
    }
    world = build_world()
    url = f"{live_server.url}/api/schema/?format=json"
    identities: dict[str, list[str]] = {"anonymous": []}
    for role in SESSION_ROLES:
        identities[role] = _session_headers(world.users[role])
    for role in TOKEN_ROLES:
        identities[role] = [f"Authorization: Token {world.tokens[role]}"]

    if os.environ.get("SCHEMATHESIS_ROLES"):
        identities = {role: identities[role] for role in os.environ["SCHEMATHESIS_ROLES"].split(",")}
    failures, timings, running = {}, {}, {}
    queue = list(identities.items())
    started = time.monotonic()
    while queue or running:
        while queue and len(running) < PARALLEL:
            role, headers = queue.pop(0)
            log = tmp_path / f"{role}.log"
            running[role] = (_start(url, headers, tmp_path / f"{role}.xml", log), log, time.monotonic())
        time.sleep(0.5)
        for role, (process, log, since) in list(running.items()):
            if process.poll() is None:
                if time.monotonic() - since > 600:
                    process.kill()
                continue
            del running[role]
            timings[role] = round(time.monotonic() - since, 1)
            if process.returncode != 0:
                failures[role] = log.read_text()[-8000:]
    print(f"schemathesis: {round(time.monotonic() - started)} s in all; seconds per role: {timings}")
    assert not failures, "\n\n".join(f"=== {role} ===\n{output}" for role, output in failures.items())

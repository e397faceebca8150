"""Real processes for the integration tests: a Redis server we may stop and start, a Celery
worker (with embedded beat), and portal code run in a separate process, each configured only
through the environment as in production."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout: float, interval: float = 0.1, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.binary = os.environ.get("REDIS_SERVER_BIN") or shutil.which("redis-server")
        self.dir = tempfile.mkdtemp(prefix="nsp-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, message="redis to start")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        wait_for(lambda: not self._answers(), 10, message="redis to stop")

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def portal_env(redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a portal process talking to the test database and this Redis."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nsp_portal.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


class Worker:
    """`celery -A nsp_portal worker -B`: the production command, with embedded beat."""

    def __init__(self, redis_url: str, queues: str | None = None, **extra_env: str) -> None:
        self.queues = queues  # -Q: the queues this worker consumes (default: the default queue)
        self.dir = tempfile.mkdtemp(prefix="nsp-worker-")
        self.log_path = Path(self.dir) / "worker.log"
        self.env = portal_env(redis_url, MATCHING_SWEEP_SECONDS="1", **extra_env)
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        self.log = open(self.log_path, "ab")  # noqa: SIM115 (open while the worker runs; closed in stop())
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "nsp_portal",
                "worker",
                "-B",
                "--loglevel",
                "INFO",
                "--concurrency",
                "1",
                "--schedule",
                str(Path(self.dir) / "beat-schedule"),
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{os.getpid()}-{time.monotonic_ns()}@localhost",
                *(["-Q", self.queues] if self.queues else []),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(
            lambda: b" ready." in self.log_path.read_bytes() or self.process.poll() is not None,
            60,
            message="the worker to be ready",
        )
        assert self.process.poll() is None, self.output()
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the worker and its children, as when a machine dies."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


def run_portal_code(code: str, redis_url: str, **extra_env: str) -> str:
    """Run Python code in a fresh portal process (`manage.py shell -c`); returns its stdout."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=portal_env(redis_url, **extra_env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout

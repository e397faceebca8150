"""The pages under load: seed a region, serve it with gunicorn, drive it with N concurrent clients.

Run it on a throwaway stack with ``scripts/bench_web.sh`` (docs/performance.md, "Pages under load").
Each page is driven in turn by ``--clients`` threads for ``--seconds`` seconds (keep-alive
connections, no think time); /healthz first, the floor: a request that touches the database
and Redis and renders no template. Every page is reported as p50/p95/p99, requests per second,
errors (anything but the expected status, or a failed connection) and its p50 over the floor's
p50 measured in the same run, so a shared machine shows in both.

gunicorn runs the production settings (DEBUG off, whitenoise) as a web process: the web's
database options (statement timeout, ``jit=off``), no management-command limits. The users are
logged in through the database: a session row per user, made by ``bench_session_cookie`` (the
one place that would also mark the session as 2FA-verified), so no login page is driven.
"""

import http.client
import importlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from accounts.models import EmploymentService, User
from candidates.models import Candidate
from demo.services import DEMO_DOMAIN, demo_logins_ensure
from matching.models import Match
from taxonomy.models import Place
from vacancies.models import Vacancy

API_PAGE = 50  # the API list page driven (or the last one on a small region)


@dataclass
class PageResult:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    error_statuses: dict = field(default_factory=dict)  # status (or "connection") -> count

    def percentile(self, q: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def as_dict(self, floor_p50: float | None) -> dict:
        p50 = self.percentile(0.50)
        return {
            "page": self.name,
            "requests": len(self.latencies) + self.errors,
            "errors": self.errors,
            "p50_ms": _ms(p50),
            "p95_ms": _ms(self.percentile(0.95)),
            "p99_ms": _ms(self.percentile(0.99)),
            "req_per_s": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0.0,
            "p50_over_floor": round(p50 / floor_p50, 2) if p50 and floor_p50 else None,
            "error_statuses": self.error_statuses,
        }


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)


def bench_session_cookie(user: User) -> str:
    """A logged-in session for ``user``, written to the session store (no login page driven).

    When two-factor authentication is installed (django-otp), the session is also marked as
    verified with a confirmed device of the user, as after entering a code.
    """
    store = importlib.import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend that loads users (django-axes' comes first but only guards the login).
    store[BACKEND_SESSION_KEY] = next(path for path in settings.AUTHENTICATION_BACKENDS if "axes" not in path)
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if "django_otp" in settings.INSTALLED_APPS:
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="bench", confirmed=True
        )
        store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return store.session_key


def _database_url() -> str:
    """This process's PostgreSQL database as a URL for the child processes (also a test database)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Command(BaseCommand):
    help = "Load-test the pages (gunicorn, N concurrent clients) on a seeded region; see docs/performance.md."

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=2000)
        parser.add_argument("--vacancies", type=int, default=200)
        parser.add_argument("--clients", type=int, default=32)
        parser.add_argument("--seconds", type=float, default=10.0, help="How long each page is driven.")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="Print the results as one JSON line at the end.")

    def say(self, text: str) -> None:
        self.stderr.write(text) if self.json_only else self.stdout.write(text)

    def handle(self, *args, candidates, vacancies, clients, seconds, workers, seed, **options):
        if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            raise CommandError("bench_web needs PostgreSQL (DATABASE_URL); run scripts/bench_web.sh.")
        self.json_only = options["json"]
        self._ensure_region(candidates, vacancies, seed)
        targets = self._targets(random.Random(seed))
        port = _free_port()
        server = self._serve(port, workers)
        try:
            targets = [self._api_page(port, target) if target[0] == "API list" else target for target in targets]
            results = self._drive(port, targets, clients, seconds)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            shutil.rmtree(self.static_root, ignore_errors=True)
        floor = results[0].percentile(0.5)
        rows = [result.as_dict(floor) for result in results]
        report = {
            "candidates": Candidate.objects.count(),
            "vacancies": Vacancy.objects.open_for_matching().count(),
            "matches": Match.objects.count(),
            "clients": clients,
            "seconds_per_page": seconds,
            "gunicorn_workers": workers,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "pages": rows,
        }
        self.say(f"{'page':<22}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}{'errors':>8}{'x floor':>9}")
        for row in rows:
            self.say(
                f"{row['page']:<22}{row['p50_ms'] or 0:>9.1f}{row['p95_ms'] or 0:>9.1f}{row['p99_ms'] or 0:>9.1f}"
                f"{row['req_per_s']:>9.1f}{row['errors']:>8}{row['p50_over_floor'] or 0:>9.2f}"
            )
        self.say(f"load average {report['load_average']}")
        if options["json"]:
            self.stdout.write(json.dumps(report))

    # --- the region and what is driven ----------------------------------------------------------------

    def _ensure_region(self, candidates: int, vacancies: int, seed: int) -> None:
        have_c = Candidate.objects.count()
        have_v = Vacancy.objects.open_for_matching().count()
        if have_c < candidates or have_v < vacancies:
            start = time.perf_counter()
            call_command(
                "seed_demo",
                candidates=max(0, candidates - have_c),
                vacancies=max(0, vacancies - have_v),
                seed=seed,
                no_rematch=True,
                stdout=self.stderr if self.json_only else self.stdout,
            )
            self.say(f"Seeded in {time.perf_counter() - start:.1f} s.")
        if not Match.objects.exists():
            start = time.perf_counter()
            # A full rebuild in its own process, as bench_matching does (shortlists for every vacancy).
            subprocess.run(
                [sys.executable, "manage.py", "rematch", "--all", "--wait"],
                cwd=settings.BASE_DIR,
                check=True,
                stdout=subprocess.DEVNULL,
                env={**os.environ, "DATABASE_URL": _database_url()},
            )
            self.say(f"Shortlists made in {time.perf_counter() - start:.1f} s ({Match.objects.count():,} matches).")

    def _targets(self, rng: random.Random) -> list[tuple[str, list[str], str | None, int]]:
        """(page, URLs to pick from, session cookie, expected status) in the order they are driven."""
        demo_logins_ensure()
        service = EmploymentService.objects.get(code="uwv")
        caseworker = User.objects.get(email=f"caseworker-{service.code}@{DEMO_DOMAIN}")
        cookie = bench_session_cookie(caseworker)
        open_ids = list(Vacancy.objects.open_for_matching().values_list("pk", flat=True)[:2000])
        if not open_ids:
            raise CommandError("No open vacancy in the region.")
        shortlisted = list(
            Match.objects.for_caseworker(caseworker)
            .filter(vacancy__status="published")
            .values_list("vacancy_id", flat=True)
            .distinct()[:500]
        )
        words = [
            title.split()[0]
            # by id: many seeded vacancies share a publication time, so the default order would
            # let the query plan pick the words (and so the search's workload)
            for title in Vacancy.objects.open_for_matching().order_by("pk").values_list("title", flat=True)[:200]
            if title.split() and len(title.split()[0]) > 3
        ] or ["monteur"]
        places = list(Place.objects.filter(country="NL").values_list("pk", flat=True)[:50])
        searches = [
            "/vacancies/?"
            + urlencode(
                {
                    "q": rng.choice(words),
                    "country": rng.choice(["NL", "BE"]),
                    "from_place": rng.choice(places),
                    "max_minutes": rng.choice([45, 60, 90]),
                }
            )
            for _ in range(50)
        ]
        return [
            ("healthz (floor)", ["/healthz"], None, 200),
            ("home", ["/"], None, 200),
            ("vacancy page", [f"/vacancies/{pk}/" for pk in rng.sample(open_ids, min(200, len(open_ids)))], None, 200),
            ("search", searches, None, 200),
            ("API list", ["/api/v1/vacancies"], cookie, 200),  # the page: _api_page
            ("work queue", ["/workspace/"], cookie, 200),
            ("shortlist", [f"/workspace/vacancies/{pk}/shortlist/" for pk in shortlisted] or [], cookie, 200),
        ]

    def _api_page(self, port: int, target: tuple) -> tuple:
        """Page API_PAGE of the API's vacancy list, or its last page on a smaller region."""
        _, urls, cookie, expected = target
        status, body = _get(http.client.HTTPConnection("127.0.0.1", port, timeout=60), urls[0], cookie)
        if status != expected:
            raise CommandError(f"The API list answered {status}: {body[:300]!r}")
        first = json.loads(body)
        per_page = max(1, len(first["results"]))
        page = max(1, min(API_PAGE, -(-first["count"] // per_page)))
        return f"API list page {page}", [f"{urls[0]}?page={page}"], cookie, expected

    # --- serving and driving -------------------------------------------------------------------------

    def _serve(self, port: int, workers: int) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),  # this process's database (also a test database)
            "DJANGO_SETTINGS_MODULE": "nsp_portal.settings.production",
            "SECRET_KEY": settings.SECRET_KEY,  # the sessions made here are signed with it
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            # The drivers are one user each: the per-user API rate limit would answer 429.
            "API_THROTTLE_USER": "1000000/minute",
            "API_THROTTLE_ANON": "1000000/minute",
        }
        env.pop("NSP_DB_TIMEOUTS", None)  # a web process: the web's limits and options
        # Static files collected for whitenoise, as in production (a temporary directory).
        env["STATIC_ROOT"] = self.static_root = tempfile.mkdtemp(prefix="bench-web-static-")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=env,
            check=True,
        )
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "nsp_portal.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            start_new_session=True,  # its own process group: stopped with its workers
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = _get(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/healthz", None)
                if status == 200:
                    return server
            except OSError:
                pass
            if server.poll() is not None:
                raise CommandError("gunicorn stopped while starting.")
            time.sleep(0.3)
        os.killpg(server.pid, signal.SIGTERM)
        raise CommandError("gunicorn did not answer /healthz within 60 s.")

    def _drive(self, port: int, targets, clients: int, seconds: float) -> list[PageResult]:
        results = []
        for name, urls, cookie, expected in targets:
            result = PageResult(name)
            if not urls:
                self.say(f"{name}: nothing to drive (no shortlist in the region)")
                results.append(result)
                continue
            # Warm-up: every worker's first request of a page (imports, template compilation).
            warm = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for url in urls[:3] * 3:
                _get(warm, url, cookie)
            warm.close()
            lock = threading.Lock()
            stop_at = time.monotonic() + seconds

            def client(
                seed: int, urls=urls, cookie=cookie, expected=expected, result=result, stop_at=stop_at, lock=lock
            ):
                rng = random.Random(seed)
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                latencies, errors = [], {}
                while time.monotonic() < stop_at:
                    start = time.perf_counter()
                    try:
                        status, _ = _get(connection, rng.choice(urls), cookie)
                    except (OSError, http.client.HTTPException):
                        status = None
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    if status == expected:
                        latencies.append(time.perf_counter() - start)
                    else:
                        errors[str(status or "connection")] = errors.get(str(status or "connection"), 0) + 1
                connection.close()
                with lock:
                    result.latencies.extend(latencies)
                    result.errors += sum(errors.values())
                    for status, count in errors.items():
                        result.error_statuses[status] = result.error_statuses.get(status, 0) + count

            threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            result.seconds = time.perf_counter() - started
            results.append(result)
            self.say(f"{name}: {len(result.latencies)} requests, {result.errors} errors {result.error_statuses or ''}")
        return results


def _get(connection: http.client.HTTPConnection, url: str, session_key: str | None) -> tuple[int, bytes]:
    headers = {"X-Forwarded-Proto": "https", "Accept-Language": "nl"}
    if session_key:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session_key}"
    connection.request("GET", url, headers=headers)
    response = connection.getresponse()
    return response.status, response.read()

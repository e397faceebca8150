import os
import time

from django.core.management.base import BaseCommand
from django.db import connection

from demo.services import DEMO_PASSWORD, demo_logins_ensure, demo_region_seed
from vacancies.models import Vacancy


class Command(BaseCommand):
    help = (
        "Seed a believable North Sea Port region (fictional employers; real places, occupations and diplomas). "
        "Without sizes: a small quick-start region, only once. With --candidates/--vacancies: add that many "
        "(deterministic for --seed), e.g. for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=None)
        parser.add_argument("--vacancies", type=int, default=None)
        parser.add_argument("--employers", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--no-rematch", action="store_true", help="Don't queue a full rematch afterwards.")
        parser.add_argument(
            "--timing",
            action="store_true",
            help="Print the seeding's wall time, this process's CPU time and the database backend's CPU time.",
        )

    def handle(self, *args, candidates, vacancies, employers, seed, no_rematch, timing, **options):
        quick_start = candidates is None and vacancies is None
        if quick_start and Vacancy.objects.filter(reference__startswith="DEMO-").exists():
            self.stdout.write("Demo region already seeded; reusing it.")
        else:
            backend_start = _backend_cpu_seconds() if timing else None
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            report = demo_region_seed(
                candidates=300 if candidates is None else candidates,
                vacancies=60 if vacancies is None else vacancies,
                employers=employers,
                seed=seed,
            )
            self.stdout.write(
                f"Seeded {report.candidates} candidates and {report.vacancies} vacancies "
                f"({report.employers} employers)."
            )
            if timing:
                backend = _backend_cpu_seconds()
                backend_text = "n/a" if None in (backend, backend_start) else f"{backend - backend_start:.1f} s"
                self.stdout.write(
                    f"Seeding took {time.perf_counter() - wall_start:.1f} s wall, "
                    f"{time.process_time() - cpu_start:.1f} s CPU in this process, "
                    f"{backend_text} CPU in the database backend "
                    f"(load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})."
                )
            if not no_rematch:
                from django.core.management import call_command

                call_command("rematch", "--all", stdout=self.stdout)
        # The demo training offers (training/data/): loaded, or refreshed in place, on every run.
        from django.core.management import call_command as run_command

        run_command("seed_training_offers", stdout=self.stdout)
        logins = demo_logins_ensure()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for email, role in logins.items():
            self.stdout.write(f"  {role:<11} {email}")


def _backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend process, when it runs on this machine
    (read from /proc); None elsewhere (SQLite, a remote server, no /proc)."""
    host = connection.settings_dict.get("HOST") or ""
    if connection.vendor != "postgresql" or not (host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")):
        return None  # a backend on another machine: its pid means nothing here
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # Fields 14 and 15 of proc(5) (utime, stime), counted after the ")" that ends the command name.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

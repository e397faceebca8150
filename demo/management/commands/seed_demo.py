from django.core.management.base import BaseCommand

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

    def handle(self, *args, candidates, vacancies, employers, seed, no_rematch, **options):
        quick_start = candidates is None and vacancies is None
        if quick_start and Vacancy.objects.filter(reference__startswith="DEMO-").exists():
            self.stdout.write("Demo region already seeded; reusing it.")
        else:
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
            if not no_rematch:
                from django.core.management import call_command

                call_command("rematch", "--all", stdout=self.stdout)
        logins = demo_logins_ensure()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {DEMO_PASSWORD}):"))
        for email, role in logins.items():
            self.stdout.write(f"  {role:<11} {email}")

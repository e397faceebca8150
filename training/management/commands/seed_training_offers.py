"""Load the demo training offers (training/data/demo_training_offers.csv): fictional providers
marked as demo data; running it again updates the same offers. ``manage.py seed_demo`` calls it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.imports import import_training_offers

from .import_training_offers import write_report

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_training_offers.csv"


class Command(BaseCommand):
    help = "Load (or refresh) the demo training offers."

    def handle(self, *args, **options) -> None:
        report = import_training_offers(DEMO_FILE.read_bytes(), source="assumption: demo data", demo=True)
        if options["verbosity"] > 1 or report.failed:
            write_report(self, report)
        if report.failed:
            raise CommandError(f"{report.failed} demo training offer(s) not loaded.")
        self.stdout.write(f"Demo training offers: {report.created} created, {report.updated} updated.")

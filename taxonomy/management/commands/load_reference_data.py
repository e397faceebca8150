from django.core.management.base import BaseCommand

from taxonomy.services import reference_data_load


class Command(BaseCommand):
    help = "Load (or refresh) diplomas, study fields, ISCO-08, ESCO, places and postcodes. Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Reload even if the data files did not change.")

    def handle(self, *args, **options) -> None:
        report = reference_data_load(force=options["force"])
        self.stdout.write(self.style.SUCCESS(f"Reference data: {report}"))

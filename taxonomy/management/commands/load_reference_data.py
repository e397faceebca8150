from django.core.management.base import BaseCommand

from taxonomy.services import reference_data_load


class Command(BaseCommand):
    help = "Load (or refresh) diplomas, study fields, ISCO-08, ESCO, places and postcodes. Idempotent."

    def handle(self, *args, **options) -> None:
        report = reference_data_load()
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {report}"))

"""python manage.py import_vacancies FILE [--employer ID] [--partial] [--dry-run] [--draft]

Imports schema.org JobPosting JSON (one document, a list, or an @graph) or the CSV template
(docs/api.md) and prints what happened to each record. All or nothing unless --partial;
importing the same file again changes nothing. Exits with an error when nothing was written
because of refused records (or with --partial, when a record was refused).
"""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Employer
from vacancies.imports import ImportRefused, vacancy_import_file


class Command(BaseCommand):
    help = "Import vacancies from a JobPosting JSON or CSV file, reporting per record."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .json/.jsonld (JobPosting) or .csv (template) file")
        parser.add_argument(
            "--employer",
            type=int,
            help="id of the employer the vacancies belong to; without it "
            "each JobPosting's hiringOrganization (KvK/KBO number or legal name) decides",
        )
        parser.add_argument("--partial", action="store_true", help="import the good records even if others are refused")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
        parser.add_argument("--draft", action="store_true", help="keep new vacancies as drafts instead of publishing")

    def handle(self, *args, **options):
        employer = None
        if options["employer"] is not None:
            employer = Employer.objects.filter(pk=options["employer"]).first()
            if employer is None:
                raise CommandError(f"No employer with id {options['employer']}.")
        try:
            report = vacancy_import_file(
                employer=employer,
                path=options["file"],
                partial=options["partial"],
                dry_run=options["dry_run"],
                submit=not options["draft"],
            )
        except FileNotFoundError as exc:
            raise CommandError(f"No such file: {options['file']}") from exc
        except (ImportRefused, IsADirectoryError, PermissionError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError(
                "Some records were refused; see above."
                if report.committed or options["partial"]
                else "Nothing was imported; see above."
            )

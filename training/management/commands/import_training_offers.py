"""Import training offers from a CSV file (layout: docs/operations.md, "Training offers: CSV import").

Usage: ``manage.py import_training_offers FILE [--source TEXT]``. Prints one line per row (created,
updated or the errors); exits with status 1 when a row or the file could not be imported.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from training.imports import MAX_BYTES, ImportFileError, ImportReport, import_training_offers


def write_report(command: BaseCommand, report: ImportReport) -> None:
    for row in report.rows:
        line = f"row {row.row} {row.reference or '-'}: {row.outcome}"
        if row.errors:
            line += " — " + "; ".join(row.errors)
        command.stdout.write(line)
    command.stdout.write(f"{report.created} created, {report.updated} updated, {report.failed} with errors.")


class Command(BaseCommand):
    help = "Import training offers from a CSV file; a row whose (provider, reference) exists updates that offer."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="", help="Where the data comes from (stored on new providers).")

    def handle(self, *args, file: Path, source: str, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        with file.open("rb") as handle:
            content = handle.read(MAX_BYTES + 1)
        try:
            report = import_training_offers(content, source=source)
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        write_report(self, report)
        if report.failed:
            raise CommandError(f"{report.failed} row(s) not imported.")

"""Export the audit log for an auditor: CSV or JSON on standard output (or a file)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from audit.exports import FORMATS, write_csv, write_json
from audit.selectors import events_for_export, export_rows


class Command(BaseCommand):
    help = "Export the audit log as CSV or JSON (--since YYYY-MM-DD, --kind KIND)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--since", help="Only events on or after this date (YYYY-MM-DD).")
        parser.add_argument("--kind", default="", help="Only events of this kind, e.g. scoring_run.")
        parser.add_argument("--output", help="Write to this file instead of standard output.")

    def handle(self, *args, **options):
        since = None
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError("--since must be a date, YYYY-MM-DD.") from exc
        rows = export_rows(events_for_export(since=since, kind=options["kind"]))
        write = write_csv if options["format"] == "csv" else write_json
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as out:
                count = write(rows, out)
            self.stderr.write(f"{count} events written to {options['output']}")
        else:
            write(rows, self.stdout._out)

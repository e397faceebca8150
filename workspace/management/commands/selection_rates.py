"""Print the bias report: selection rates per group at each stage and the four-fifths flags
(workspace/bias.py; the same rows as the page /workspace/figures/selection-rates/ and its CSV)."""

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from accounts.models import EmploymentService
from workspace import bias


class Command(BaseCommand):
    help = (
        "Selection rates per group (country, Westerschelde side, urban/rural, age band, diploma country, "
        "service) at each stage: scored, eligible, shortlisted, approved, accepted, hired; each group's rate "
        "against the best group's (four-fifths rule), flagged below 0.8. --json prints one JSON object."
    )

    def add_arguments(self, parser):
        parser.add_argument("--service", help="only the candidates of this employment service (its code, e.g. vdab)")
        parser.add_argument("--since", help="count the dated stages from this day on (YYYY-MM-DD)")
        parser.add_argument("--months", type=int, default=6, help="months of the monthly view (0: none)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        service, since, months = options.get("service"), options.get("since"), options.get("months", 6)
        employment_service = None
        if service:
            employment_service = EmploymentService.objects.filter(code=service).first()
            if employment_service is None:
                codes = ", ".join(EmploymentService.objects.order_by("code").values_list("code", flat=True))
                raise CommandError(f"Unknown employment service {service!r} (known: {codes}).")
        since_day = None
        if since:
            try:
                since_day = dt.date.fromisoformat(since)
            except ValueError as exc:
                raise CommandError(f"--since must be a date YYYY-MM-DD, not {since!r}.") from exc
        with translation.override("en"):
            report = bias.selection_report(service=employment_service, since=since_day, months=max(months, 0))
            if options.get("json"):
                self._print_json(report)
            else:
                self._print_table(report)

    def _print_json(self, report) -> None:
        self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))

    def _print_table(self, report) -> None:
        scope = report.service.name if report.service else "all services"
        period = f"since {report.since.isoformat()}" if report.since else "all time"
        self.stdout.write(f"Selection rates ({scope}, {period}); flag: ratio to the best group < {bias.FOUR_FIFTHS}")
        self.stdout.write(
            f"(groups with fewer than {bias.MIN_GROUP_SIZE} candidates at a rate's base are not flagged; "
            f"urban = home place of {bias.URBAN_POPULATION}+ inhabitants)"
        )
        widths = (8, 16, 40, 12, 10, 9, 9, 9, 9, 9, 4)
        header = (
            "period",
            "dimension",
            "group",
            "stage",
            "candidates",
            "previous",
            "step",
            "ratio",
            "overall",
            "ratio",
            "flag",
        )
        line = " ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
        current = None
        for row in report.rows():
            cells = row.csv
            if (row.period, row.dimension) != current:
                current = (row.period, row.dimension)
                self.stdout.write("")
                self.stdout.write(line)
            shown = [cells[0], cells[1], cells[3], *cells[4:]]
            self.stdout.write(" ".join(str(c)[:w].ljust(w) for c, w in zip(shown, widths, strict=True)))
        flagged = report.flagged
        self.stdout.write("")
        if flagged:
            self.stdout.write(self.style.WARNING(f"{len(flagged)} flagged (ratio below {bias.FOUR_FIFTHS}):"))
            for row in flagged:
                self.stdout.write(
                    f"  {row.dimension} / {row.group_label} at {row.stage}: step ratio {row.csv[8] or '-'}, "
                    f"overall ratio {row.csv[10] or '-'}"
                )
        else:
            self.stdout.write("No group flagged.")

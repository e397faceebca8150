"""Applications as CSV rows (the employer's download; the same columns as the page's export)."""

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Application


def application_csv_header() -> list[str]:
    return [
        _("Vacancy"),
        _("Reference"),
        _("Name"),
        _("Email"),
        _("Place"),
        _("Diplomas"),
        _("Skills"),
        _("Languages"),
        _("Stage"),
        _("Applied on"),
        _("Motivation"),
    ]


def application_csv_rows(applications: Iterable[Application]) -> Iterator[list]:
    for a in applications:
        yield [
            a.vacancy.title,
            a.vacancy.reference,
            a.candidate.user.get_full_name(),
            a.candidate.user.email,
            str(a.candidate.home_place or ""),
            ", ".join(str(d) for d in a.candidate.diplomas.all()),
            ", ".join(s.label for s in a.candidate.skills.all()),
            ", ".join(str(lang) for lang in a.candidate.languages.all()),
            a.get_status_display(),
            timezone.localtime(a.created_at).date().isoformat(),
            a.motivation,
        ]

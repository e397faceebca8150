"""CSV downloads of the portal's lists (shortlists, applications, figures).

Excel-safe: UTF-8 with a byte-order mark, ``;`` as separator where Dutch and Belgian
spreadsheets expect it, and cells that a spreadsheet would read as a formula
(``=``, ``+``, ``-``, ``@``) prefixed with an apostrophe (CSV injection).

In ``core`` because the pages and APIs of applications and matching both write CSV; it
imports no project app, so neither has to import upwards (or sideways) for it.
"""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_START):
        try:
            float(text)  # a negative number is fine as it is
        except ValueError:
            return "'" + text
    return text


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response

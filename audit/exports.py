"""The audit log as CSV or JSON for an auditor (the command and the admins' download)."""

import csv
import json
from collections.abc import Iterable
from typing import TextIO

from core.csv_export import safe_cell

from .selectors import EXPORT_FIELDS

FORMATS = ("csv", "json")


def csv_cells(row: dict) -> list[str]:
    return [safe_cell(json.dumps(row[name], sort_keys=True) if name == "data" else row[name]) for name in EXPORT_FIELDS]


def write_csv(rows: Iterable[dict], out: TextIO) -> int:
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_FIELDS)
    count = 0
    for row in rows:
        writer.writerow(csv_cells(row))
        count += 1
    return count


def write_json(rows: Iterable[dict], out: TextIO) -> int:
    """A JSON array, written row by row (the log may be long)."""
    out.write("[")
    count = 0
    for row in rows:
        out.write(("," if count else "") + "\n" + json.dumps(row, sort_keys=True, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count

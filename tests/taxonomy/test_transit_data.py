"""Checks of the public transport timetable files in taxonomy/data/transit/ (pure csv, no Django).

Run: NSP_SKIP_STYLE=1 bash scripts/test.sh tests/taxonomy/test_transit_data.py -q
"""

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

TRANSIT = Path(__file__).resolve().parents[2] / "taxonomy" / "data" / "transit"
# The region with a margin: Roosendaal (east), Blankenberge (west), Haamstede (north), Deinze (south).
LAT_RANGE, LON_RANGE = (50.9, 51.8), (3.0, 4.6)
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _rows(name: str) -> list[dict[str, str]]:
    with (TRANSIT / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


STOPS = _rows("stops.csv")
LINES = _rows("lines.csv")
LINE_STOPS = _rows("line_stops.csv")


def test_every_line_has_a_source_an_operator_and_says_what_is_assumed():
    assert len(LINES) >= 20
    for line in LINES:
        assert line["source"].strip(), line["line_id"]
        assert "http" in line["source"], f"{line['line_id']}: the source names no page"
        assert line["operator"].strip()
        assert line["name"].strip()
        assert "assumption" in line["assumptions"] or not line["assumptions"], line["line_id"]
        assert line["mode"] in {"train", "bus", "ferry", "tram/bus"}
        assert line["crossing"] in {"", "westerscheldetunnel", "ferry"}


def test_ids_are_unique_and_every_reference_resolves():
    stop_ids = [s["stop_id"] for s in STOPS]
    line_ids = [line["line_id"] for line in LINES]
    assert len(stop_ids) == len(set(stop_ids))
    assert len(line_ids) == len(set(line_ids))
    for row in LINE_STOPS:
        assert row["line_id"] in line_ids, row
        assert row["stop_id"] in stop_ids, row
    used = {row["stop_id"] for row in LINE_STOPS}
    assert used == set(stop_ids), "a stop served by no line"


def test_stops_have_coordinates_in_the_region_a_side_and_a_source():
    for stop in STOPS:
        lat, lon = float(stop["latitude"]), float(stop["longitude"])
        assert LAT_RANGE[0] <= lat <= LAT_RANGE[1], stop["stop_id"]
        assert LON_RANGE[0] <= lon <= LON_RANGE[1], stop["stop_id"]
        assert stop["country"] in {"NL", "BE"}
        assert stop["side"] in {"north", "south"}
        assert stop["source"].strip()
        if stop["country"] == "BE":
            assert stop["side"] == "south"  # Belgium lies south of the Westerschelde here


@pytest.mark.parametrize("line", LINES, ids=lambda line: line["line_id"])
def test_times_are_positive_and_increasing(line):
    seq = sorted((int(r["sequence"]), float(r["minutes"])) for r in LINE_STOPS if r["line_id"] == line["line_id"])
    assert len(seq) >= 2
    assert [n for n, _ in seq] == list(range(1, len(seq) + 1))
    minutes = [m for _, m in seq]
    assert minutes[0] == 0
    assert all(b > a for a, b in zip(minutes, minutes[1:])), "in-vehicle minutes must grow along the line"
    for key in ("headway_peak", "headway_day", "headway_evening"):
        assert 0 < float(line[key]) <= 180
    for key in ("first_out", "last_out", "first_back", "last_back"):
        assert HHMM.match(line[key]), (key, line[key])
    assert line["first_out"] < line["last_out"]
    assert line["first_back"] < line["last_back"]


def test_a_line_crossing_the_westerschelde_says_how():
    side = {s["stop_id"]: s["side"] for s in STOPS}
    sides = defaultdict(set)
    for row in LINE_STOPS:
        sides[row["line_id"]].add(side[row["stop_id"]])
    for line in LINES:
        crosses = len(sides[line["line_id"]]) == 2
        assert crosses == bool(line["crossing"]), line["line_id"]


def test_the_lines_of_issue_10_are_there():
    names = " | ".join(line["name"] for line in LINES)
    for wanted in (
        "Terneuzen–Gent Dampoort",
        "Vlissingen–Middelburg–Goes–Roosendaal",
        "Eeklo",
        "Vlissingen–Breskens fast ferry",
        "Zierikzee–Goes over the Zeelandbrug",
        "Goes–Terneuzen via the Westerscheldetunnel",
        "Vlissingen–Terneuzen fast bus",
        "Hulst–Axel–Sas van Gent–Zelzate",
        "Zelzate–Evergem–Gent",
    ):
        assert wanted in names, wanted


def test_car_reference_trips_have_a_source_each():
    rows = _rows("car_reference_trips.csv")
    assert len(rows) >= 20
    for row in rows:
        assert row["source"].strip()
        assert 0 < int(row["car_minutes"]) < 180

"""Public transport over a small network of real lines: loader, journey search, arrive-by times.

The network is a GTFS-like set of three CSV files (``taxonomy/data/transit/``, sources per line
in ``lines.csv``): stops with coordinates, lines with mode/operator/headways/first and last
departures, and each line's stop sequence with minutes from its first stop.  Every line runs both
ways ("out" in file order, "back" reversed).  ``load_network(folder)`` reads them into plain
arrays; the engine never opens a file by itself (the Django side passes the folder).

Door-to-door time (docs/commute.md):

* access and egress: walk (``WALK_KMH`` 4.5 km/h, crow-fly x ``WALK_DETOUR`` 1.3) to stops within
  ``MAX_WALK_KM`` (2 km crow-fly) or, farther, bike (15 km/h, x 1.25, 2 min to park) to stops
  within ``MAX_BIKE_KM``;
* waiting at the first stop: half the headway, at most ``MAX_FIRST_WAIT_MIN`` (15 min: people who
  know an hourly timetable leave home to catch the bus);
* in-vehicle minutes from ``line_stops.csv``;
* each change: ``CHANGE_MIN`` (5 min) plus half the next line's headway; stops within
  ``TRANSFER_WALK_KM`` can be walked between;
* a trip on foot only, when that is faster (next-door places).

The journey search is Dijkstra (scipy.sparse.csgraph) over a graph with a node per stop
"before boarding", a node per stop "after alighting" and a node per line stop, run once from
every stop; places are then joined to stops with a min-plus product, so the P x P matrix costs a
few numpy operations.

Arrive-by: for the route found above, the latest weekday departures that reach the destination
door by h:00 are found backwards leg by leg on the departure lists generated from first/last
departures and the headway of each period of the day (``PERIODS``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .geo import haversine_km

WALK_KMH = 4.5
WALK_DETOUR = 1.3
MAX_WALK_KM = 2.0
BIKE_KMH = 15.0
BIKE_DETOUR = 1.25
BIKE_PARK_MIN = 2.0
MAX_BIKE_KM = 10.0
MAX_FIRST_WAIT_MIN = 15.0
CHANGE_MIN = 5.0
TRANSFER_WALK_KM = 0.4
# When no timetabled journey arrives in time, a walk of at most this long still counts.
MAX_WALK_ONLY_MIN = 60.0
NO_TRIP = 9999

PEAK, DAY, EVENING = 0, 1, 2
# (from minute, to minute, period): weekday periods; the early morning runs at the daytime headway.
PERIODS = ((0, 420, DAY), (420, 540, PEAK), (540, 960, DAY), (960, 1080, PEAK), (1080, 1440, EVENING))
HOURS = 24

_EPS = 1e-3  # csgraph drops zero-weight edges
_KEY = 4096  # minute-of-day key stride per pattern (> 24 h + the longest line)


@dataclass(frozen=True, eq=False)
class TransitNetwork:
    """Stops, lines and the line patterns (one per direction) as plain arrays."""

    stop_ids: tuple[str, ...]
    stop_names: tuple[str, ...]
    stop_lat: np.ndarray  # float64 (S,)
    stop_lon: np.ndarray  # float64 (S,)
    stop_south: np.ndarray  # bool (S,): south of the Westerschelde (Zeeuws-Vlaanderen, Belgium)
    line_ids: tuple[str, ...]
    line_modes: tuple[str, ...]
    line_names: tuple[str, ...]
    line_crossing: tuple[str, ...]  # "", "westerscheldetunnel" or "ferry"
    line_headways: np.ndarray  # float64 (L, 3) minutes for PEAK, DAY, EVENING
    pattern_line: np.ndarray  # int32 (R,)
    pattern_offsets: np.ndarray  # int64 (R + 1,) into pattern_stops / pattern_minutes
    pattern_stops: np.ndarray  # int32 (N,)
    pattern_minutes: np.ndarray  # float64 (N,) minutes from the pattern's first stop
    pattern_first: np.ndarray  # int32 (R,) first departure (minute of day) from the first stop
    pattern_last: np.ndarray  # int32 (R,) last departure

    @property
    def n_stops(self) -> int:
        return len(self.stop_ids)

    def departures(self, pattern: int) -> np.ndarray:
        """Weekday departure minutes from the pattern's first stop."""
        line = int(self.pattern_line[pattern])
        out, t = [], int(self.pattern_first[pattern])
        while t <= int(self.pattern_last[pattern]):
            out.append(t)
            t += int(self.line_headways[line, period_of(t)])
        return np.asarray(out, np.int64)


def period_of(minute: int) -> int:
    m = minute % 1440
    return next(period for start, end, period in PERIODS if start <= m < end)


def _hhmm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_network(folder: str | Path) -> TransitNetwork:
    """Read stops.csv, lines.csv and line_stops.csv from ``folder``."""
    folder = Path(folder)
    stops = _read(folder / "stops.csv")
    lines = _read(folder / "lines.csv")
    sequence = _read(folder / "line_stops.csv")
    stop_index = {row["stop_id"]: i for i, row in enumerate(stops)}
    line_index = {row["line_id"]: i for i, row in enumerate(lines)}
    by_line: dict[int, list[tuple[int, int, float]]] = {i: [] for i in range(len(lines))}
    for row in sequence:
        by_line[line_index[row["line_id"]]].append(
            (int(row["sequence"]), stop_index[row["stop_id"]], float(row["minutes"]))
        )
    pattern_line, offsets, pattern_stops, pattern_minutes, first, last = [], [0], [], [], [], []
    for i, row in enumerate(lines):
        seq = sorted(by_line[i])
        if len(seq) < 2:
            raise ValueError(f"line {row['line_id']}: fewer than two stops")
        stops_out = [s for _, s, _ in seq]
        minutes_out = [m for _, _, m in seq]
        total = minutes_out[-1]
        directions = (
            (stops_out, minutes_out, row["first_out"], row["last_out"]),
            (stops_out[::-1], [total - m for m in minutes_out[::-1]], row["first_back"], row["last_back"]),
        )
        for stop_list, minute_list, first_dep, last_dep in directions:
            pattern_line.append(i)
            pattern_stops += stop_list
            pattern_minutes += minute_list
            offsets.append(len(pattern_stops))
            first.append(_hhmm(first_dep))
            last.append(_hhmm(last_dep))
    return TransitNetwork(
        stop_ids=tuple(row["stop_id"] for row in stops),
        stop_names=tuple(row["name"] for row in stops),
        stop_lat=np.array([float(row["latitude"]) for row in stops]),
        stop_lon=np.array([float(row["longitude"]) for row in stops]),
        stop_south=np.array([row["side"] == "south" for row in stops]),
        line_ids=tuple(row["line_id"] for row in lines),
        line_modes=tuple(row["mode"] for row in lines),
        line_names=tuple(row["name"] for row in lines),
        line_crossing=tuple(row["crossing"] for row in lines),
        line_headways=np.array(
            [[float(row["headway_peak"]), float(row["headway_day"]), float(row["headway_evening"])] for row in lines]
        ).reshape(-1, 3),
        pattern_line=np.asarray(pattern_line, np.int32),
        pattern_offsets=np.asarray(offsets, np.int64),
        pattern_stops=np.asarray(pattern_stops, np.int32),
        pattern_minutes=np.asarray(pattern_minutes, np.float64),
        pattern_first=np.asarray(first, np.int32),
        pattern_last=np.asarray(last, np.int32),
    )


@dataclass(frozen=True, eq=False)
class Leg:
    pattern: int
    board: int  # position in pattern_stops
    alight: int
    walk_after: float  # minutes walked from the alighting stop to the next boarding stop


@dataclass(frozen=True, eq=False)
class PlaceJourneys:
    """Public transport between all places (see ``place_journeys``)."""

    minutes: np.ndarray  # float64 (P, P) typical daytime door-to-door minutes
    route: np.ndarray  # int32 (P, P) index into route_texts, -1 = on foot
    route_texts: tuple[str, ...]
    arrive_by: np.ndarray  # int32 (24, P, P) door-to-door minutes arriving by h:00, NO_TRIP if none
    tunnel: np.ndarray  # bool (P, P) a leg goes through the Westerscheldetunnel
    ferry: np.ndarray  # bool (P, P) a leg is the Vlissingen-Breskens ferry


def _access_minutes(km: np.ndarray) -> np.ndarray:
    walk = km * WALK_DETOUR / WALK_KMH * 60.0
    bike = BIKE_PARK_MIN + km * BIKE_DETOUR / BIKE_KMH * 60.0
    return np.where(km <= MAX_WALK_KM, np.minimum(walk, bike), np.where(km <= MAX_BIKE_KM, bike, np.inf))


def _stop_graph(net: TransitNetwork) -> tuple[csr_matrix, int]:
    """Nodes: 0..S-1 before boarding, S..2S-1 after alighting, 2S + k on pattern position k."""
    s = net.n_stops
    rows, cols, data = [], [], []
    day = net.line_headways[:, DAY]
    for r in range(net.pattern_line.size):
        lo, hi = int(net.pattern_offsets[r]), int(net.pattern_offsets[r + 1])
        headway = float(day[net.pattern_line[r]])
        for k in range(lo, hi):
            stop = int(net.pattern_stops[k])
            if k < hi - 1:
                rows += [stop, s + stop, 2 * s + k]
                cols += [2 * s + k, 2 * s + k, 2 * s + k + 1]
                dt = max(float(net.pattern_minutes[k + 1] - net.pattern_minutes[k]), _EPS)
                data += [min(headway / 2, MAX_FIRST_WAIT_MIN), CHANGE_MIN + headway / 2, dt]
            if k > lo:
                rows.append(2 * s + k)
                cols.append(s + stop)
                data.append(_EPS)
    km = haversine_km(net.stop_lat[:, None], net.stop_lon[:, None], net.stop_lat[None, :], net.stop_lon[None, :])
    a, b = np.nonzero((km <= TRANSFER_WALK_KM) & ~np.eye(s, dtype=bool))
    rows += (s + a).tolist()
    cols += (s + b).tolist()
    data += np.maximum(km[a, b] * WALK_DETOUR / WALK_KMH * 60.0, _EPS).tolist()
    n = 2 * s + net.pattern_stops.size
    return csr_matrix((data, (rows, cols)), shape=(n, n)), s


def _legs(
    net: TransitNetwork, predecessors: np.ndarray, pattern_at: np.ndarray, s: int, origin: int, target: int
) -> list[Leg]:
    """The legs of the path origin (before boarding) -> target (after alighting)."""
    nodes = []
    node = s + target
    while node != origin and node >= 0:
        nodes.append(int(node))
        node = predecessors[origin, node]
    nodes.reverse()
    legs: list[Leg] = []
    board = prev = -1
    walk = 0.0
    for node in nodes:
        if node >= 2 * s:
            if board < 0:
                board = node - 2 * s
            prev = node - 2 * s
        elif node >= s:
            if board >= 0:
                legs.append(Leg(int(pattern_at[board]), board, prev, 0.0))
                board = -1
                last_stop = node - s
            else:  # a walk between two stops after alighting
                km = haversine_km(
                    net.stop_lat[last_stop], net.stop_lon[last_stop], net.stop_lat[node - s], net.stop_lon[node - s]
                )
                walk = float(km) * WALK_DETOUR / WALK_KMH * 60.0
                legs[-1] = Leg(legs[-1].pattern, legs[-1].board, legs[-1].alight, legs[-1].walk_after + walk)
                last_stop = node - s
    return legs


def _frequency(headway: float) -> str:
    if headway == 60:
        return "hourly"
    if headway > 60 and headway % 60 == 0:
        return f"every {int(headway // 60)} hours"
    return f"every {headway:g} min"


def _leg_text(net: TransitNetwork, leg: Leg) -> str:
    line = int(net.pattern_line[leg.pattern])
    return f"{net.line_modes[line]} {net.line_names[line]}, {_frequency(float(net.line_headways[line, DAY]))}"


def route_text_of(net: TransitNetwork, legs: list[Leg]) -> str:
    """E.g. "bus Terneuzen–Gent Dampoort, hourly, no change"."""
    if len(legs) == 1:
        return _leg_text(net, legs[0]) + ", no change"
    parts = [_leg_text(net, legs[0])]
    for leg in legs[1:]:
        stop = net.stop_names[int(net.pattern_stops[leg.board])]
        parts.append(f"change at {stop} to {_leg_text(net, leg)}")
    return "; ".join(parts)


def _departure_keys(net: TransitNetwork) -> np.ndarray:
    return np.concatenate(
        [r * _KEY + net.departures(r) for r in range(net.pattern_line.size)] or [np.zeros(0, np.int64)]
    )


def place_journeys(
    net: TransitNetwork, latitude: np.ndarray, longitude: np.ndarray, south: np.ndarray, min_trip_km: float
) -> PlaceJourneys:
    """Typical daytime minutes, the lines used and arrive-by minutes between all places.

    ``south``: bool (P,) the place lies south of the Westerschelde; nobody walks or cycles to a
    stop across the river.  Pairs without any journey get NO_TRIP minutes.
    """
    lat, lon = np.asarray(latitude, np.float64), np.asarray(longitude, np.float64)
    south = np.asarray(south, bool)
    p = lat.size
    graph, s = _stop_graph(net)
    dist, predecessors = dijkstra(graph, directed=True, indices=np.arange(s), return_predecessors=True)
    ride = dist[:, s : 2 * s].copy()  # (S, S): from arriving at stop a to alighting (and walking) at b
    np.fill_diagonal(ride, np.inf)

    access = _access_minutes(haversine_km(lat[:, None], lon[:, None], net.stop_lat[None, :], net.stop_lon[None, :]))
    access[south[:, None] != net.stop_south[None, :]] = np.inf
    via_a = access[:, :, None] + ride[None, :, :]  # (P, S_a, S_b)
    best_a = np.argmin(via_a, axis=1)  # (P, S_b)
    to_b = np.take_along_axis(via_a, best_a[:, None, :], axis=1)[:, 0, :]  # (P, S_b)
    total = to_b[:, None, :] + access[None, :, :]  # (P_o, P_d, S_b)
    best_b = np.argmin(total, axis=2)  # (P, P)
    by_line = np.take_along_axis(total, best_b[:, :, None], axis=2)[:, :, 0]
    crow = np.maximum(haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]), min_trip_km)
    on_foot = np.where(south[:, None] == south[None, :], crow * WALK_DETOUR / WALK_KMH * 60.0, np.inf)
    uses_line = by_line < on_foot
    minutes = np.minimum(np.where(uses_line, by_line, on_foot), NO_TRIP)

    origin, destination = np.nonzero(uses_line)
    stop_b = best_b[origin, destination]
    stop_a = best_a[origin, stop_b]
    pairs, pair_of = np.unique(stop_a.astype(np.int64) * s + stop_b, return_inverse=True)
    pattern_at = np.repeat(np.arange(net.pattern_line.size), np.diff(net.pattern_offsets))
    legs_of = [_legs(net, predecessors, pattern_at, s, int(key // s), int(key % s)) for key in pairs]

    texts: dict[str, int] = {}
    text_of_pair = np.array([texts.setdefault(route_text_of(net, legs), len(texts)) for legs in legs_of], np.int32)
    route = np.full((p, p), -1, np.int32)
    route[origin, destination] = text_of_pair[pair_of] if pairs.size else 0

    tunnel_pair = np.zeros(pairs.size, bool)
    ferry_pair = np.zeros(pairs.size, bool)
    for i, legs in enumerate(legs_of):
        for leg in legs:
            board, alight = int(net.pattern_stops[leg.board]), int(net.pattern_stops[leg.alight])
            if net.stop_south[board] != net.stop_south[alight]:
                crossing = net.line_crossing[int(net.pattern_line[leg.pattern])]
                tunnel_pair[i] |= crossing == "westerscheldetunnel"
                ferry_pair[i] |= crossing == "ferry"
    tunnel = np.zeros((p, p), bool)
    ferry = np.zeros((p, p), bool)
    tunnel[origin, destination] = tunnel_pair[pair_of]
    ferry[origin, destination] = ferry_pair[pair_of]

    # The backward search depends on the place pair only through the stop pair and the egress
    # minutes: run it once per (stop pair, egress rounded up to the minute).
    egress = np.ceil(access[destination, stop_b])
    combos, combo_of = np.unique(pair_of.astype(np.int64) * 4096 + egress.astype(np.int64), return_inverse=True)
    combo_ride = _arrive_by(net, legs_of, combos // 4096, (combos % 4096).astype(np.float64))
    door = combo_ride[:, combo_of] + access[origin, stop_a][None, :]
    walk = on_foot[origin, destination][None, :]
    door = np.where(walk <= MAX_WALK_ONLY_MIN, np.minimum(door, walk), door)
    arrive_by = np.where(np.isfinite(door), np.rint(door), NO_TRIP).astype(np.int32)
    out = np.where(on_foot <= MAX_WALK_ONLY_MIN, np.rint(np.minimum(on_foot, NO_TRIP)), NO_TRIP).astype(np.int32)
    out = np.broadcast_to(out, (HOURS, p, p)).copy()
    out[:, ~uses_line] = np.rint(minutes[~uses_line]).astype(np.int32)  # on foot: any hour
    out[:, origin, destination] = arrive_by
    return PlaceJourneys(minutes, route, tuple(texts), out, tunnel, ferry)


def _arrive_by(net: TransitNetwork, legs_of: list[list[Leg]], pair_of: np.ndarray, egress: np.ndarray) -> np.ndarray:
    """(24, Q) minutes from boarding the first vehicle to the destination door (after ``egress``
    minutes from the last stop) of the latest journey on the pair's route arriving by h:00; inf if none."""
    q = pair_of.size
    if q == 0:
        return np.zeros((HOURS, 0))
    k_max = max(len(legs) for legs in legs_of)
    u = len(legs_of)
    pattern = np.zeros((u, k_max), np.int64)
    board_off = np.zeros((u, k_max))
    alight_off = np.zeros((u, k_max))
    walk_after = np.zeros((u, k_max))
    n_legs = np.array([len(legs) for legs in legs_of], np.int64)
    for i, legs in enumerate(legs_of):
        for k, leg in enumerate(legs):
            start = net.pattern_offsets[leg.pattern]
            pattern[i, k] = leg.pattern
            board_off[i, k] = net.pattern_minutes[leg.board] - net.pattern_minutes[start]
            alight_off[i, k] = net.pattern_minutes[leg.alight] - net.pattern_minutes[start]
            walk_after[i, k] = leg.walk_after
    keys = _departure_keys(net)
    hours = np.arange(HOURS, dtype=np.float64)[:, None] * 60.0
    deadline = hours - egress[None, :]  # (24, Q) latest arrival at the last stop
    feasible = np.ones((HOURS, q), bool)
    arrival = np.zeros((HOURS, q))
    board = np.zeros((HOURS, q))
    n = n_legs[pair_of]
    for k in range(k_max - 1, -1, -1):
        active = (k < n)[None, :] & feasible
        pat = pattern[pair_of, k][None, :]
        latest = np.floor(deadline - walk_after[pair_of, k][None, :] - alight_off[pair_of, k][None, :])
        wanted = pat * _KEY + np.clip(latest, -1, _KEY - 1).astype(np.int64)
        idx = np.searchsorted(keys, np.where(latest < 0, pat * _KEY - 1, wanted), side="right") - 1
        found = (idx >= 0) & (keys[np.maximum(idx, 0)] // _KEY == pat) & (latest >= 0)
        start = keys[np.maximum(idx, 0)] % _KEY
        last_leg = (k == n - 1)[None, :]
        arrival = np.where(active & last_leg & found, start + alight_off[pair_of, k][None, :], arrival)
        board = np.where(active & found, start + board_off[pair_of, k][None, :], board)
        deadline = np.where(active & found, board - CHANGE_MIN, deadline)
        feasible &= ~active | found
    return np.where(feasible, arrival + egress[None, :] - board, np.inf)

"""Door-to-door travel minutes between places, by car, bike and public transport.

Precomputed once as a P x P x 3 table; the model and its sources are described in
docs/commute.md.  In short:

* Car and bike (``roads.py``): crow-fly distance x a detour factor inside a zone of the region,
  the fixed links across the water between zones (Westerscheldetunnel, Zeelandbrug,
  Oosterscheldekering, Philipsdam, the Tholen bridge), a car speed that grows with the length of the
  trip (fitted on reference trips), Gent's inner city; bikes cross the Westerschelde by the
  Vlissingen-Breskens ferry (no bikes in the tunnel).
* Public transport (``transit.py``): a journey search over the real lines of
  ``taxonomy/data/transit/`` (walk or bike to a stop, wait, ride, change, walk), with the typical
  daytime minutes in ``minutes[..., PT]``, the line(s) used in ``pt_route`` and, per hour of the
  day, the door-to-door minutes of the latest weekday journey arriving by then (``pt_arrive_by``).
  Without a network (``build_commute_model(places)``), public transport is walking only.

Every place has a *side* of the Westerschelde: south (Zeeuws-Vlaanderen, ``BANK_SOUTH``, and all
of Belgium, which in this region lies south of the river) or north.  Crossing flags record the
Westerschelde link used (tunnel by car and bus, ferry by bike and on foot) and the NL/BE land
border (recorded for explanations; it costs nothing by itself: Schengen, open roads).

Minutes are rounded to whole minutes, so that what an explanation says ("45 min") is exactly what
the commute filter compared with the candidate's limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import BANK_SOUTH, COUNTRY_BE, COUNTRY_CODES, MODE_NAMES, Places
from .geo import EARTH_RADIUS_KM, haversine_km
from .roads import (
    BIKE_DETOUR,
    CAR_DETOUR,
    CAR_OVERHEAD_MIN,
    FERRY_BRESKENS,
    FERRY_VLISSINGEN,
    LINKS,
    MIN_TRIP_KM,
    WESTERSCHELDETUNNEL,
    bike_minutes,
    car_minutes,
)
from .transit import DAY, MAX_FIRST_WAIT_MIN, NO_TRIP, WALK_DETOUR, WALK_KMH, TransitNetwork, place_journeys

__all__ = [
    "BIKE",
    "BIKE_DETOUR",
    "CAR",
    "CAR_DETOUR",
    "CAR_OVERHEAD_MIN",
    "CROSSING_CODES",
    "CROSS_BORDER",
    "CROSS_FERRY",
    "CROSS_NONE",
    "CROSS_TUNNEL",
    "EARTH_RADIUS_KM",
    "FERRY_BRESKENS",
    "FERRY_VLISSINGEN",
    "MIN_TRIP_KM",
    "PT",
    "PT_NO_TRIP",
    "TUNNEL_KM",
    "TUNNEL_NORTH_PORTAL",
    "TUNNEL_SOUTH_PORTAL",
    "CommuteModel",
    "build_commute_model",
    "haversine_km",
    "route_text",
    "south_side",
]

_TUNNEL = next(link for link in LINKS if link.name == WESTERSCHELDETUNNEL)
TUNNEL_KM = _TUNNEL.km
TUNNEL_NORTH_PORTAL = _TUNNEL.end_a  # Ellewoutsdijk
TUNNEL_SOUTH_PORTAL = _TUNNEL.end_b  # Terneuzen

# Without a network: the ferry's crossing ("ruim 20 minuten", Omroep Zeeland) and half an hourly
# headway, capped like every first wait.
FERRY_CROSSING_MIN = 23.0
FERRY_WAIT_MIN = MAX_FIRST_WAIT_MIN

PT_NO_TRIP = NO_TRIP  # pt_arrive_by value where no journey arrives by that hour

# Mode indices (bit 1 << index in the candidates' commute_modes mask).
CAR, BIKE, PT = 0, 1, 2

# Crossing flags of a route (bitmask in CommuteModel.crossing).
CROSS_NONE = 0
CROSS_TUNNEL = 1
CROSS_FERRY = 2
CROSS_BORDER = 4
CROSSING_CODES = {
    CROSS_TUNNEL: "westerscheldetunnel",
    CROSS_FERRY: "ferry_vlissingen_breskens",
    CROSS_BORDER: "land_border",
}
_CROSSING_TEXT = {
    CROSS_TUNNEL: "via the Westerscheldetunnel",
    CROSS_FERRY: "via the Vlissingen–Breskens ferry",
    CROSS_BORDER: "across the NL/BE border",
}
_MODE_TEXT = {"car": "by car", "bike": "by bike", "public_transport": "by public transport"}


@dataclass(frozen=True, eq=False)
class CommuteModel:
    """Precomputed one-way door-to-door minutes between all places.

    minutes: int32 (P, P, 3) [origin, destination, mode] with mode CAR, BIKE, PT; PT is the
        typical weekday daytime journey.
    crossing: uint8 (P, P, 3) CROSS_* flags of the route the minutes are for.
    south_side: bool (P,) the place is south of the Westerschelde (Zeeuws-Vlaanderen, Belgium).
    place_names: P names, for explanations.
    pt_arrive_by: int32 (24, P, P) door-to-door minutes of the latest weekday journey arriving at
        the destination by h:00, PT_NO_TRIP where none does; None without a network.
    pt_route: int32 (P, P) index into pt_route_texts of the line(s) used, -1 on foot / no network.
    pt_route_texts: English texts naming the lines and changes.
    """

    minutes: np.ndarray
    crossing: np.ndarray
    south_side: np.ndarray
    place_names: tuple[str, ...]
    pt_arrive_by: np.ndarray | None = None
    pt_route: np.ndarray | None = None
    pt_route_texts: tuple[str, ...] = ()

    @property
    def n_places(self) -> int:
        return int(self.minutes.shape[0])

    def best(self, origin: int, destination: int, modes: int) -> tuple[int, int] | None:
        """(minutes, mode index) of the fastest of the given modes, or None if no mode is given."""
        options = [(int(self.minutes[origin, destination, m]), m) for m in range(3) if modes >> m & 1]
        return min(options) if options else None

    def line(self, origin: int, destination: int) -> str | None:
        """The public transport line(s) of the typical journey, or None (on foot, no network)."""
        if self.pt_route is None:
            return None
        index = int(self.pt_route[origin, destination])
        return self.pt_route_texts[index] if index >= 0 else None

    def describe(self, origin: int, destination: int, mode: int) -> dict:
        """Structured route description for explanations."""
        flags = int(self.crossing[origin, destination, mode])
        return {
            "minutes": int(self.minutes[origin, destination, mode]),
            "mode": MODE_NAMES[mode],
            "crossings": [code for bit, code in CROSSING_CODES.items() if flags & bit],
            "from_place": int(origin),
            "to_place": int(destination),
            "line": self.line(origin, destination) if mode == PT else None,
        }

    def route_text(self, origin: int, destination: int, mode: int) -> str:
        """E.g. "42 min by car via the Westerscheldetunnel"."""
        return route_text(self.describe(origin, destination, mode))


def route_text(route: dict) -> str:
    """English text for a ``CommuteModel.describe`` dict (the "line" key is optional)."""
    parts = [f"{route['minutes']} min {_MODE_TEXT[route['mode']]}"]
    by_code = {code: bit for bit, code in CROSSING_CODES.items()}
    parts += [_CROSSING_TEXT[by_code[code]] for code in route["crossings"]]
    text = " ".join(parts)
    return f"{text} ({route['line']})" if route.get("line") else text


def south_side(places: Places) -> np.ndarray:
    """True for places south of the Westerschelde: Zeeuws-Vlaanderen and all of Belgium."""
    return (places.bank == BANK_SOUTH) | (places.country == COUNTRY_BE)


def _ferry_figures(network: TransitNetwork | None) -> tuple[float, float]:
    """(wait, crossing) minutes of the Vlissingen-Breskens ferry, from the network when given."""
    if network is None or "ferry" not in network.line_crossing:
        return FERRY_WAIT_MIN, FERRY_CROSSING_MIN
    line = network.line_crossing.index("ferry")
    pattern = int(np.flatnonzero(network.pattern_line == line)[0])
    lo, hi = network.pattern_offsets[pattern], network.pattern_offsets[pattern + 1]
    crossing = float(network.pattern_minutes[hi - 1] - network.pattern_minutes[lo])
    return min(float(network.line_headways[line, DAY]) / 2, MAX_FIRST_WAIT_MIN), crossing


def build_commute_model(places: Places, network: TransitNetwork | None = None) -> CommuteModel:
    """Compute minutes, crossings and (with a network) public transport routes for all pairs."""
    lat, lon = places.latitude, places.longitude
    south = south_side(places)
    across = south[:, None] != south[None, :]
    border = places.country[:, None] != places.country[None, :]

    car = car_minutes(lat, lon, south)
    bike = bike_minutes(lat, lon, south, *_ferry_figures(network))
    if network is not None:
        journeys = place_journeys(network, lat, lon, south, MIN_TRIP_KM)
        pt, pt_tunnel, pt_ferry = journeys.minutes, journeys.tunnel, journeys.ferry
        extra = {
            "pt_arrive_by": journeys.arrive_by,
            "pt_route": journeys.route,
            "pt_route_texts": journeys.route_texts,
        }
    else:  # no timetable known: on foot, on one side of the river
        crow = np.maximum(haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]), MIN_TRIP_KM)
        pt = np.where(across, PT_NO_TRIP, crow * WALK_DETOUR / WALK_KMH * 60.0)
        pt_tunnel = pt_ferry = np.zeros(across.shape, bool)
        extra = {}

    minutes = np.rint(np.stack([car, bike, pt], axis=-1)).astype(np.int32)
    border_flag = np.where(border, CROSS_BORDER, CROSS_NONE)
    pt_flags = np.where(pt_tunnel, CROSS_TUNNEL, CROSS_NONE) | np.where(pt_ferry, CROSS_FERRY, CROSS_NONE)
    crossing = np.stack(
        [
            np.where(across, CROSS_TUNNEL, CROSS_NONE) | border_flag,
            np.where(across, CROSS_FERRY, CROSS_NONE) | border_flag,
            pt_flags | border_flag,
        ],
        axis=-1,
    ).astype(np.uint8)
    return CommuteModel(minutes=minutes, crossing=crossing, south_side=south, place_names=places.names, **extra)


def country_code(country: int) -> str:
    return COUNTRY_CODES[country]

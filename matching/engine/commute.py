"""Door-to-door travel minutes between places, by car, bike and public transport.

The model is deliberately simple and every number is written down here with its source or
reasoning, so a caseworker can follow an explanation such as "42 min by car via the
Westerscheldetunnel".  It is precomputed once as a P x P x 3 table (P ~ 400: 480,000 entries).

Geometry
--------
* Distance: great-circle (haversine) distance on a sphere of radius 6371.0088 km (IUGG mean
  Earth radius) between GeoNames coordinates.
* Two places closer than ``MIN_TRIP_KM`` (including a place and itself) count as that far apart:
  a town is not a point; 2 km is a typical trip inside a Zeeland or East-Flemish town.
* Straight lines understate real routes.  A road/rail "detour factor" (route km / crow-fly km)
  of about 1.2-1.4 is the usual range reported for European road networks; we use 1.3 for car and
  public transport and 1.25 for the bike (the Dutch/Flemish cycle networks are dense, and cyclists
  take shortcuts closed to cars).

The Westerschelde
-----------------
Zeeland is split by the Westerschelde.  Every place is given a *side*: north (Walcheren,
Zuid-Beveland, Noord-Beveland, and the rest of the Netherlands) or south (Zeeuws-Vlaanderen,
``BANK_SOUTH``, and all of Belgium, which in this region lies south of the river).  A trip between
the two sides must use a crossing, so its length is origin -> crossing -> crossing -> destination,
never the straight line (Vlissingen-Terneuzen is 21 km as the crow flies, ~33 km via the tunnel):

* Westerscheldetunnel (N62, opened 14 March 2003), 6.6 km between Ellewoutsdijk (north) and
  Terneuzen (south).  Portals used here: north 51.393 N 3.822 E (Ellewoutsdijk), south 51.335 N
  3.793 E (west of Terneuzen).  Checked: they are 6.8 km apart, consistent with the 6.6 km bore,
  and their midpoint lies within 1 km of the tunnel's reference point 51.3691 N 3.7989 E
  (Wikipedia, "Westerscheldetunnel").  Motor traffic only (buses run through it); toll-free for
  cars since 30 December 2024 (lorries still pay), so no toll time or cost is modelled.
  Cyclists and pedestrians are not allowed in the tunnel.
* Vlissingen-Breskens ferry (Westerschelde Ferry, pedestrians and bicycles only since 2003):
  terminals Vlissingen 51.443 N 3.596 E (next to the railway station), Breskens 51.398 N 3.556 E.
  Crossing ``FERRY_CROSSING_MIN`` = 23 min (docs/domain.md: 20-23 min; Omroep Zeeland: "ruim 20
  minuten"; travel guides: 23 minutes).  Waiting ``FERRY_WAIT_MIN`` = 15 min: half the headway,
  assuming a half-hourly service at commuting hours (Omroep Zeeland reports one sailing an hour
  in quiet periods, so this is on the optimistic side for off-peak shifts).
* Other crossings (Kennedy and Liefkenshoek tunnels at Antwerp, ~60 km east) are never faster for
  places in the North Sea Port region and are not modelled.

Modes
-----
Car: ``CAR_KMH`` = 60 km/h average over the route (mix of N-roads at 80-100 km/h, the tunnel at
100 km/h, and town streets at 30-50) plus ``CAR_OVERHEAD_MIN`` = 5 min for getting to the car,
parking and walking to the gate.  Check: Vlissingen-Terneuzen comes out at 33 km via the tunnel
and 38 min (sanity range 35-50 min).

Bike: ``BIKE_KMH`` = 15 km/h (a typical commuting speed on an ordinary bicycle; e-bikes are faster,
so this is conservative) plus ``BIKE_OVERHEAD_MIN`` = 2 min.  Across the river: the ferry.

Public transport: ``PT_KMH`` = 35 km/h in-vehicle average over the route (regional buses at
25-30 km/h with stops, the Vlissingen-Goes-Roosendaal train faster) plus ``PT_OVERHEAD_MIN`` =
15 min (walk to and from the stops, and the wait for a 30-60 min service).  Across the river PT
takes the faster of the buses through the tunnel and the ferry (with the bus connections at
Breskens).  Across the NL/BE land border ``PT_BORDER_PENALTY_MIN`` = 60 min: cross-border lines
are few and run hourly at best, and the change at Zelzate between the Dutch (Connexxion/Qbuzz)
and Flemish (De Lijn) networks is not timed.  Calibrated so that Terneuzen-Ghent comes out at
about 2.5 h, the known journey time by bus with a change at Zelzate (docs/domain.md); the
land border costs nothing extra by car or bike (Schengen, open roads and cycle paths), but it is
recorded so explanations can mention it.

Minutes are rounded to whole minutes, so that what an explanation says ("45 min") is exactly what
the commute filter compared with the candidate's limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import BANK_SOUTH, COUNTRY_BE, COUNTRY_CODES, MODE_NAMES, Places

EARTH_RADIUS_KM = 6371.0088
MIN_TRIP_KM = 2.0

CAR_DETOUR = 1.3
BIKE_DETOUR = 1.25
PT_DETOUR = 1.3

CAR_KMH = 60.0
BIKE_KMH = 15.0
PT_KMH = 35.0

CAR_OVERHEAD_MIN = 5.0
BIKE_OVERHEAD_MIN = 2.0
PT_OVERHEAD_MIN = 15.0
PT_BORDER_PENALTY_MIN = 60.0

TUNNEL_KM = 6.6
TUNNEL_NORTH_PORTAL = (51.393, 3.822)  # Ellewoutsdijk
TUNNEL_SOUTH_PORTAL = (51.335, 3.793)  # Terneuzen

FERRY_VLISSINGEN = (51.443, 3.596)
FERRY_BRESKENS = (51.398, 3.556)
FERRY_CROSSING_MIN = 23.0
FERRY_WAIT_MIN = 15.0

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


def haversine_km(
    lat1: np.ndarray | float, lon1: np.ndarray | float, lat2: np.ndarray | float, lon2: np.ndarray | float
) -> np.ndarray:
    """Great-circle distance in km (broadcasting over arrays)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


@dataclass(frozen=True, eq=False)
class CommuteModel:
    """Precomputed one-way door-to-door minutes between all places.

    minutes: int32 (P, P, 3) [origin, destination, mode] with mode CAR, BIKE, PT.
    crossing: uint8 (P, P, 3) CROSS_* flags of the route the minutes are for.
    south_side: bool (P,) the place is south of the Westerschelde (Zeeuws-Vlaanderen, Belgium).
    place_names: P names, for explanations.
    """

    minutes: np.ndarray
    crossing: np.ndarray
    south_side: np.ndarray
    place_names: tuple[str, ...]

    @property
    def n_places(self) -> int:
        return int(self.minutes.shape[0])

    def best(self, origin: int, destination: int, modes: int) -> tuple[int, int] | None:
        """(minutes, mode index) of the fastest of the given modes, or None if no mode is given."""
        options = [(int(self.minutes[origin, destination, m]), m) for m in range(3) if modes >> m & 1]
        return min(options) if options else None

    def describe(self, origin: int, destination: int, mode: int) -> dict:
        """Structured route description for explanations."""
        flags = int(self.crossing[origin, destination, mode])
        return {
            "minutes": int(self.minutes[origin, destination, mode]),
            "mode": MODE_NAMES[mode],
            "crossings": [code for bit, code in CROSSING_CODES.items() if flags & bit],
            "from_place": int(origin),
            "to_place": int(destination),
        }

    def route_text(self, origin: int, destination: int, mode: int) -> str:
        """E.g. "42 min by car via the Westerscheldetunnel"."""
        return route_text(self.describe(origin, destination, mode))


def route_text(route: dict) -> str:
    """English text for a ``CommuteModel.describe`` dict."""
    parts = [f"{route['minutes']} min {_MODE_TEXT[route['mode']]}"]
    by_code = {code: bit for bit, code in CROSSING_CODES.items()}
    parts += [_CROSSING_TEXT[by_code[code]] for code in route["crossings"]]
    return " ".join(parts)


def south_side(places: Places) -> np.ndarray:
    """True for places south of the Westerschelde: Zeeuws-Vlaanderen and all of Belgium."""
    return (places.bank == BANK_SOUTH) | (places.country == COUNTRY_BE)


def _legs_via(
    places: Places, south: np.ndarray, north_point: tuple[float, float], south_point: tuple[float, float]
) -> np.ndarray:
    """Crow-fly km origin -> its side's end of a crossing + far end -> destination, (P, P)."""
    lat, lon = places.latitude, places.longitude
    to_north = haversine_km(lat, lon, *north_point)
    to_south = haversine_km(lat, lon, *south_point)
    own_end = np.where(south, to_south, to_north)  # origin leg, to the end on the origin's side
    return own_end[:, None] + own_end[None, :]  # the destination leg is symmetric


def build_commute_model(places: Places) -> CommuteModel:
    """Compute minutes and crossings for all ordered pairs of places (vectorised, ~ms for P=400)."""
    lat, lon = places.latitude, places.longitude
    direct = np.maximum(haversine_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]), MIN_TRIP_KM)
    south = south_side(places)
    across = south[:, None] != south[None, :]
    border = places.country[:, None] != places.country[None, :]

    tunnel_legs = _legs_via(places, south, TUNNEL_NORTH_PORTAL, TUNNEL_SOUTH_PORTAL)
    ferry_legs = _legs_via(places, south, FERRY_VLISSINGEN, FERRY_BRESKENS)
    ferry_fixed = FERRY_WAIT_MIN + FERRY_CROSSING_MIN

    car_km = np.where(across, tunnel_legs * CAR_DETOUR + TUNNEL_KM, direct * CAR_DETOUR)
    car = CAR_OVERHEAD_MIN + car_km / CAR_KMH * 60.0

    bike_km = np.where(across, ferry_legs * BIKE_DETOUR, direct * BIKE_DETOUR)
    bike = BIKE_OVERHEAD_MIN + bike_km / BIKE_KMH * 60.0 + np.where(across, ferry_fixed, 0.0)

    pt_direct = PT_OVERHEAD_MIN + direct * PT_DETOUR / PT_KMH * 60.0
    pt_tunnel = PT_OVERHEAD_MIN + (tunnel_legs * PT_DETOUR + TUNNEL_KM) / PT_KMH * 60.0
    pt_ferry = PT_OVERHEAD_MIN + ferry_legs * PT_DETOUR / PT_KMH * 60.0 + ferry_fixed
    pt_uses_ferry = across & (pt_ferry < pt_tunnel)
    pt = np.where(across, np.minimum(pt_tunnel, pt_ferry), pt_direct) + np.where(border, PT_BORDER_PENALTY_MIN, 0.0)

    minutes = np.rint(np.stack([car, bike, pt], axis=-1)).astype(np.int32)
    border_flag = np.where(border, CROSS_BORDER, CROSS_NONE)
    crossing = np.stack(
        [
            np.where(across, CROSS_TUNNEL, CROSS_NONE) | border_flag,
            np.where(across, CROSS_FERRY, CROSS_NONE) | border_flag,
            np.where(across, np.where(pt_uses_ferry, CROSS_FERRY, CROSS_TUNNEL), CROSS_NONE) | border_flag,
        ],
        axis=-1,
    ).astype(np.uint8)
    return CommuteModel(minutes=minutes, crossing=crossing, south_side=south, place_names=places.names)


def country_code(country: int) -> str:
    return COUNTRY_CODES[country]

"""Door-to-door minutes by car and by bike over the region's geography.

Places are joined by straight lines times a detour factor, but only inside one *zone*: the
water splits the region and a trip between zones must pass a fixed link (a tunnel, a bridge, a
dam or the ferry).  The shortest routes between the link ends are found with Dijkstra (scipy) and
joined to the places by two min-plus products, so a trip that needs two links (Zierikzee ->
Terneuzen: the Zeelandbrug, then the Westerscheldetunnel) takes both.

Zones: ``SOUTH`` (Zeeuws-Vlaanderen and Belgium), ``NORTH`` (Walcheren, Zuid- and
Noord-Beveland, the rest of the Netherlands), ``SCHOUWEN`` (Schouwen-Duiveland) and ``THOLEN``
(Tholen and Sint Philipsland).  Link ends are approximate positions read from OpenStreetMap; the
spans from Wikipedia (see LINKS).

Car speed depends on the length of the trip, because short trips are town streets and long ones
mostly N-roads, the N62/R4 expressways and motorways:
``speed(km) = CAR_V_LONG - (CAR_V_LONG - CAR_V_SHORT) * exp(-km / CAR_D0_KM)``.  Gent's inner
city (inside the R40, within ``GENT_INNER_KM`` of the centre) costs ``GENT_INNER_MIN`` per trip
end: traffic lights, the low-traffic circulation plan and parking.  These parameters and the west
Zeeuws-Vlaanderen detour were fitted on the reference trips of docs/commute.md (mean absolute
error there).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .geo import haversine_km

NORTH, SOUTH, SCHOUWEN, THOLEN = 0, 1, 2, 3

MIN_TRIP_KM = 2.0  # a town is not a point: a trip inside one is about this long
CAR_DETOUR = 1.3
BIKE_DETOUR = 1.25
CAR_OVERHEAD_MIN = 5.0  # to and from the car, parking
BIKE_OVERHEAD_MIN = 2.0
BIKE_KMH = 15.0

# Fitted on docs/commute.md's reference trips (scripts in that page).
CAR_V_SHORT = 62.0
CAR_V_LONG = 82.0
CAR_D0_KM = 12.0
GENT_CENTRE = (51.0543, 3.7221)  # Korenmarkt
GENT_INNER_KM = 2.5
GENT_INNER_MIN = 2.0

# West Zeeuws-Vlaanderen (west of Terneuzen, Belgian coast excluded by latitude): the N61 follows
# the creeks and the shore, Terneuzen-Breskens is ~30 km by road for 18 km as the crow flies.
WEST_ZVL_LON = 3.75
WEST_ZVL_LAT = 51.25
WEST_ZVL_CAR_DETOUR = 1.7

WESTERSCHELDETUNNEL = "westerscheldetunnel"
ZEELANDBRUG_CAR_KM = 11.0


@dataclass(frozen=True)
class Link:
    """A fixed crossing between two zones: its two ends and its length."""

    name: str
    zone_a: int
    end_a: tuple[float, float]
    zone_b: int
    end_b: tuple[float, float]
    km: float
    source: str
    car_km: float | None = None  # effective length for the car when slower than average road (None = km)


LINKS: tuple[Link, ...] = (
    Link(
        WESTERSCHELDETUNNEL,
        NORTH,
        (51.393, 3.822),
        SOUTH,
        (51.335, 3.793),
        6.6,
        "Wikipedia 'Westerscheldetunnel': 6.6 km, Ellewoutsdijk-Terneuzen; motor traffic only",
    ),
    Link(
        "zeelandbrug",
        SCHOUWEN,
        (51.640, 3.905),
        NORTH,
        (51.600, 3.858),
        5.0,
        "Wikipedia 'Zeelandbrug': 5,022 m, Schouwen-Duiveland-Noord-Beveland; ends approx. (assumption)",
        # The N256 over the bridge is a single carriageway with junctions at both ends; counted as
        # ZEELANDBRUG_CAR_KM of average road (fitted on Goes-Zierikzee and Middelburg-Zierikzee).
        ZEELANDBRUG_CAR_KM,
    ),
    Link(
        "oosterscheldekering",
        SCHOUWEN,
        (51.665, 3.700),
        NORTH,
        (51.590, 3.672),
        9.0,
        "Wikipedia 'Oosterscheldekering': N57 over the barrier, about 9 km; ends approx. (assumption)",
    ),
    Link(
        "philipsdam",
        SCHOUWEN,
        (51.655, 4.100),
        THOLEN,
        (51.622, 4.160),
        6.0,
        "N257 Grevelingendam/Philipsdam, Bruinisse-Sint Philipsland; span assumption",
    ),
    Link(
        "tholen_bridge",
        THOLEN,
        (51.530, 4.225),
        NORTH,
        (51.522, 4.250),
        1.0,
        "bridge Tholen-Bergen op Zoom over the Schelde-Rijnkanaal; position assumption",
    ),
)


def zones(latitude: np.ndarray, longitude: np.ndarray, south: np.ndarray) -> np.ndarray:
    """Zone of each place: SOUTH from the Westerschelde side, the islands from their coordinates."""
    lat, lon = np.asarray(latitude), np.asarray(longitude)
    out = np.full(lat.shape, NORTH, np.int8)
    out[south] = SOUTH
    north = ~np.asarray(south)
    schouwen = north & (lat > 51.625) & (lon < 4.12)
    out[schouwen] = SCHOUWEN
    out[north & ~schouwen & (lat > 51.52) & (lon > 4.0)] = THOLEN
    return out


def west_zeeuws_vlaanderen(latitude: np.ndarray, longitude: np.ndarray, zone: np.ndarray) -> np.ndarray:
    """Places west of Terneuzen south of the river: the N61 winds along the creeks there."""
    return (zone == SOUTH) & (np.asarray(longitude) < WEST_ZVL_LON) & (np.asarray(latitude) > WEST_ZVL_LAT)


def _route_weights(
    latitude: np.ndarray,
    longitude: np.ndarray,
    zone: np.ndarray,
    detour: float,
    link_cost: dict[str, float],
    slow: np.ndarray | None = None,
    slow_detour: float = 0.0,
) -> np.ndarray:
    """Shortest route cost between all places over the zone graph, (P, P).

    Inside a zone the cost of a leg is crow-fly km x ``detour``; a link costs ``link_cost[name]``
    (km for the car, minutes for the bike) and links missing from ``link_cost`` are closed.
    """
    links = [link for link in LINKS if link.name in link_cost]
    lat, lon, zone = np.asarray(latitude), np.asarray(longitude), np.asarray(zone)
    slow = np.zeros(lat.shape, bool) if slow is None else np.asarray(slow)

    def legs(lat_a, lon_a, zone_a, slow_a, lat_b, lon_b, zone_b, slow_b) -> np.ndarray:
        """Cost of the direct leg inside one zone (inf between zones), (A, B)."""
        crow = np.maximum(haversine_km(lat_a[:, None], lon_a[:, None], lat_b[None, :], lon_b[None, :]), 1e-6)
        factor = np.where(slow_a[:, None] | slow_b[None, :], slow_detour, detour)
        return np.where(zone_a[:, None] == zone_b[None, :], crow * factor, np.inf)

    direct = legs(lat, lon, zone, slow, lat, lon, zone, slow)
    np.fill_diagonal(direct, 0.0)
    if not links:  # no link: a zone is its own world
        return direct
    # The link ends form a tiny graph (two nodes per link): all-pairs shortest routes between
    # them, then place -> end -> ... -> end -> place as two min-plus products (cheap for any P).
    end_lat = np.array([q for k in links for q in (k.end_a[0], k.end_b[0])])
    end_lon = np.array([q for k in links for q in (k.end_a[1], k.end_b[1])])
    end_zone = np.array([z for k in links for z in (k.zone_a, k.zone_b)])
    no_slow = np.zeros(end_lat.shape, bool)
    ends = legs(end_lat, end_lon, end_zone, no_slow, end_lat, end_lon, end_zone, no_slow)
    for k, link in enumerate(links):
        ends[2 * k, 2 * k + 1] = ends[2 * k + 1, 2 * k] = link_cost[link.name]
    np.fill_diagonal(ends, 0.0)
    between = dijkstra(np.where(np.isfinite(ends), ends, 0.0), directed=False)
    to_end = legs(lat, lon, zone, slow, end_lat, end_lon, end_zone, no_slow)  # (P, E)
    via = np.min(to_end[:, :, None] + between[None, :, :], axis=1)  # (P, E): place -> any end
    return np.minimum(direct, np.min(via[:, None, :] + to_end[None, :, :], axis=2))


def car_speed_kmh(km: np.ndarray) -> np.ndarray:
    return CAR_V_LONG - (CAR_V_LONG - CAR_V_SHORT) * np.exp(-np.asarray(km) / CAR_D0_KM)


def car_minutes(latitude: np.ndarray, longitude: np.ndarray, south: np.ndarray) -> np.ndarray:
    """Car minutes between all places, float (P, P)."""
    zone = zones(latitude, longitude, south)
    link_km = {link.name: link.car_km if link.car_km is not None else link.km for link in LINKS}
    slow = west_zeeuws_vlaanderen(latitude, longitude, zone)
    km = _route_weights(latitude, longitude, zone, CAR_DETOUR, link_km, slow, WEST_ZVL_CAR_DETOUR)
    km = np.maximum(km, MIN_TRIP_KM * CAR_DETOUR)
    inner = haversine_km(latitude, longitude, *GENT_CENTRE) <= GENT_INNER_KM
    city = np.where(inner, GENT_INNER_MIN, 0.0)
    return CAR_OVERHEAD_MIN + km / car_speed_kmh(km) * 60.0 + city[:, None] + city[None, :]


def bike_minutes(
    latitude: np.ndarray, longitude: np.ndarray, south: np.ndarray, ferry_wait_min: float, ferry_crossing_min: float
) -> np.ndarray:
    """Bike minutes between all places, float (P, P): no bikes in the tunnel, so the ferry."""
    zone = zones(latitude, longitude, south)
    per_km = 60.0 / BIKE_KMH
    cost = {link.name: link.km * per_km for link in LINKS if link.name != WESTERSCHELDETUNNEL}
    minutes = _route_weights(latitude, longitude, zone, BIKE_DETOUR * per_km, cost)
    # The ferry as a link in minutes, Vlissingen -> Breskens (ends from commute.FERRY_*).
    ferry = _ferry_minutes(latitude, longitude, zone, per_km, ferry_wait_min + ferry_crossing_min)
    minutes = np.minimum(minutes, ferry)
    return BIKE_OVERHEAD_MIN + np.maximum(minutes, MIN_TRIP_KM * BIKE_DETOUR * per_km)


FERRY_VLISSINGEN = (51.443, 3.596)
FERRY_BRESKENS = (51.398, 3.556)


def _ferry_minutes(
    latitude: np.ndarray, longitude: np.ndarray, zone: np.ndarray, per_km: float, fixed: float
) -> np.ndarray:
    """Minutes of the route over the ferry between the north and south zones (inf elsewhere)."""
    to_north = haversine_km(latitude, longitude, *FERRY_VLISSINGEN) * BIKE_DETOUR * per_km
    to_south = haversine_km(latitude, longitude, *FERRY_BRESKENS) * BIKE_DETOUR * per_km
    # Off the north zone (Schouwen, Tholen) the ride to Vlissingen crosses a link first: approximate
    # it by the direct ride (those trips take hours by bike and never fit a limit anyway).
    south = zone == SOUTH
    own = np.where(south, to_south, to_north)
    across = south[:, None] != south[None, :]
    return np.where(across, own[:, None] + own[None, :] + fixed, np.inf)

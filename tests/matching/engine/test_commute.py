"""The commute model: real places, the Westerschelde crossings and the land border."""

import numpy as np
import pytest

from matching.engine import build_commute_model, route_text
from matching.engine.commute import (
    BIKE,
    CAR,
    CAR_DETOUR,
    CAR_KMH,
    CAR_OVERHEAD_MIN,
    CROSS_BORDER,
    CROSS_FERRY,
    CROSS_NONE,
    CROSS_TUNNEL,
    PT,
    TUNNEL_KM,
    TUNNEL_NORTH_PORTAL,
    TUNNEL_SOUTH_PORTAL,
    haversine_km,
)

from .helpers import PLACES, P

MODEL = build_commute_model(PLACES)


def minutes(origin: str, destination: str, mode: int) -> int:
    return int(MODEL.minutes[P[origin], P[destination], mode])


def crossing(origin: str, destination: str, mode: int) -> int:
    return int(MODEL.crossing[P[origin], P[destination], mode])


def test_vlissingen_terneuzen_is_21_km_as_the_crow_flies():
    lat, lon = PLACES.latitude, PLACES.longitude
    km = haversine_km(lat[P["Vlissingen"]], lon[P["Vlissingen"]], lat[P["Terneuzen"]], lon[P["Terneuzen"]])
    assert km == pytest.approx(21.3, abs=0.3)


def test_by_car_vlissingen_terneuzen_goes_through_the_tunnel_and_takes_longer_than_the_straight_line():
    by_car = minutes("Vlissingen", "Terneuzen", CAR)
    assert 35 <= by_car <= 50
    assert crossing("Vlissingen", "Terneuzen", CAR) == CROSS_TUNNEL
    lat, lon = PLACES.latitude, PLACES.longitude
    straight = haversine_km(lat[P["Vlissingen"]], lon[P["Vlissingen"]], lat[P["Terneuzen"]], lon[P["Terneuzen"]])
    route_km = haversine_km(lat[P["Vlissingen"]], lon[P["Vlissingen"]], *TUNNEL_NORTH_PORTAL) + haversine_km(
        *TUNNEL_SOUTH_PORTAL, lat[P["Terneuzen"]], lon[P["Terneuzen"]]
    )
    assert route_km + TUNNEL_KM > 1.2 * straight
    as_if_straight = CAR_OVERHEAD_MIN + straight * CAR_DETOUR / CAR_KMH * 60
    assert by_car > as_if_straight + 4
    assert MODEL.route_text(P["Vlissingen"], P["Terneuzen"], CAR) == f"{by_car} min by car via the Westerscheldetunnel"


def test_tunnel_portals_are_consistent_with_a_6_6_km_tunnel():
    assert 6.6 <= haversine_km(*TUNNEL_NORTH_PORTAL, *TUNNEL_SOUTH_PORTAL) <= 7.0
    midpoint = (
        (TUNNEL_NORTH_PORTAL[0] + TUNNEL_SOUTH_PORTAL[0]) / 2,
        (TUNNEL_NORTH_PORTAL[1] + TUNNEL_SOUTH_PORTAL[1]) / 2,
    )
    assert haversine_km(*midpoint, 51.3691, 3.7989) < 1.5  # the tunnel's reference point


def test_by_bike_the_ferry_applies():
    assert crossing("Vlissingen", "Terneuzen", BIKE) == CROSS_FERRY
    assert crossing("Vlissingen", "Breskens", BIKE) == CROSS_FERRY
    assert "via the Vlissingen–Breskens ferry" in MODEL.route_text(P["Vlissingen"], P["Breskens"], BIKE)
    # Breskens is right across the water: quicker by bike and ferry than by car round through the tunnel.
    assert minutes("Vlissingen", "Breskens", BIKE) < minutes("Vlissingen", "Breskens", CAR)
    assert 40 <= minutes("Vlissingen", "Breskens", BIKE) <= 60
    # Far from the ferry the bike is slow: Goes -> Terneuzen takes hours (no bikes in the tunnel).
    assert minutes("Goes", "Terneuzen", BIKE) > 180


def test_public_transport_across_the_land_border_is_slow():
    assert 120 <= minutes("Terneuzen", "Gent", PT) <= 170
    assert crossing("Terneuzen", "Gent", PT) == CROSS_BORDER
    assert minutes("Terneuzen", "Gent", PT) > 2.5 * minutes("Terneuzen", "Gent", CAR)
    assert crossing("Terneuzen", "Gent", CAR) == CROSS_BORDER  # recorded, but no penalty by car


def test_belgium_counts_as_south_of_the_river():
    assert crossing("Vlissingen", "Zelzate", CAR) == CROSS_TUNNEL | CROSS_BORDER
    assert crossing("Goes", "Evergem", BIKE) == CROSS_FERRY | CROSS_BORDER
    assert crossing("Sluiskil", "Zelzate", CAR) == CROSS_BORDER  # Zeeuws-Vlaanderen to Belgium: land border only
    assert MODEL.south_side[[P["Terneuzen"], P["Gent"], P["Breskens"]]].all()
    assert not MODEL.south_side[[P["Vlissingen"], P["Goes"], P["Borssele"], P["Middelburg"]]].any()


def test_same_bank_trips_cross_nothing_and_are_plausible():
    assert crossing("Vlissingen", "Middelburg", CAR) == CROSS_NONE
    assert 8 <= minutes("Vlissingen", "Middelburg", CAR) <= 20
    assert 25 <= minutes("Vlissingen", "Goes", CAR) <= 45
    assert 10 <= minutes("Terneuzen", "Sluiskil", CAR) <= 20
    assert minutes("Terneuzen", "Terneuzen", CAR) > 0  # a town is not a point


def test_minutes_are_whole_symmetric_and_ordered_by_distance():
    assert MODEL.minutes.dtype == np.int32
    assert (MODEL.minutes == MODEL.minutes.transpose(1, 0, 2)).all()
    assert (
        minutes("Terneuzen", "Sluiskil", CAR) < minutes("Terneuzen", "Axel", CAR) < minutes("Terneuzen", "Hulst", CAR)
    )
    no_ferry = MODEL.crossing[:, :, PT] & CROSS_FERRY == 0
    assert (MODEL.minutes[:, :, CAR] <= MODEL.minutes[:, :, PT])[no_ferry].all()
    # With the ferry, PT can beat the car round through the tunnel (Vlissingen-Breskens).
    assert minutes("Vlissingen", "Breskens", PT) <= minutes("Vlissingen", "Breskens", CAR)


def test_best_and_describe():
    modes = 1 | 2  # car and bike
    best = MODEL.best(P["Vlissingen"], P["Breskens"], modes)
    assert best == (minutes("Vlissingen", "Breskens", BIKE), BIKE)
    assert MODEL.best(P["Vlissingen"], P["Breskens"], 0) is None
    route = MODEL.describe(P["Vlissingen"], P["Gent"], CAR)
    assert route["mode"] == "car"
    assert route["crossings"] == ["westerscheldetunnel", "land_border"]
    assert route_text(route) == f"{route['minutes']} min by car via the Westerscheldetunnel across the NL/BE border"

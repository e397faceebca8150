"""Checks of the reference data files in taxonomy/data/ (pure csv, no Django).

Run: .venv/bin/python -m pytest -p no:django -p no:cacheprovider tests/taxonomy/test_data_files.py -q
"""

import csv
import gzip
import re
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "taxonomy" / "data"

HEADERS = {
    "places.csv": [
        "geonames_id",
        "name",
        "country",
        "municipality",
        "province",
        "region",
        "bank",
        "latitude",
        "longitude",
        "population",
    ],
    "be_postcodes.csv": ["postcode", "municipality", "locality", "place_geonames_id"],
    "isco08.csv": ["code", "level", "parent_code", "label_en", "label_nl"],
    "esco_occupations.csv": ["uri", "isco_code", "label_en", "label_nl", "label_fr", "sector"],
    "esco_skills.csv": ["uri", "skill_type", "label_en", "label_nl", "label_fr"],
    "occupation_skills.csv": ["occupation_uri", "skill_uri", "relation"],
    "study_fields.csv": ["code", "label_en", "label_nl", "label_fr", "is_stem"],
}

# The bounding box places.py selects in (documented in taxonomy/data/SOURCES.md).
BBOX = {"lat_min": 50.85, "lat_max": 51.75, "lon_min": 3.0, "lon_max": 4.4}

REFERENCE_COORDINATES = [
    # name, country, latitude, longitude (GeoNames, docs/domain.md)
    ("Vlissingen", "NL", 51.4425, 3.5736),
    ("Borssele", "NL", 51.4233, 3.7347),
    ("Terneuzen", "NL", 51.3358, 3.8278),
    ("Sluiskil", "NL", 51.2783, 3.8361),
    ("Axel", "NL", 51.2667, 3.9083),
    ("Hulst", "NL", 51.28, 4.0528),
    ("Breskens", "NL", 51.3958, 3.5556),
    ("Goes", "NL", 51.5042, 3.8889),
    ("Middelburg", "NL", 51.5, 3.6139),
    ("Zelzate", "BE", 51.1896, 3.8078),
    ("Evergem", "BE", 51.1131, 3.7098),
    ("Eeklo", "BE", 51.1870, 3.5565),
    ("Gent", "BE", 51.05, 3.7167),
]

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
OCCUPATION_URI = re.compile(rf"^http://data\.europa\.eu/esco/occupation/{UUID}$")
SKILL_URI = re.compile(rf"^http://data\.europa\.eu/esco/skill/{UUID}$")


def read(name):
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader]
    return header, rows


@pytest.fixture(scope="module")
def places():
    return read("places.csv")[1]


@pytest.fixture(scope="module")
def isco():
    return read("isco08.csv")[1]


@pytest.fixture(scope="module")
def occupations():
    return read("esco_occupations.csv")[1]


@pytest.fixture(scope="module")
def skills():
    return read("esco_skills.csv")[1]


@pytest.fixture(scope="module")
def links():
    return read("occupation_skills.csv")[1]


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_and_utf8(name):
    raw = (DATA / name).read_bytes()
    raw.decode("utf-8")  # strict
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    header, rows = read(name)
    assert header == HEADERS[name]
    assert rows, f"{name} is empty"
    assert len(raw) < 5_000_000


def test_sources_documented():
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    for name in [*HEADERS, *FULL_HEADERS]:
        assert name in text


# places.csv ------------------------------------------------------------------------------------


def test_places_count_and_countries(places):
    assert len(places) >= 150
    countries = Counter(p["country"] for p in places)
    assert set(countries) == {"NL", "BE"}
    assert countries["NL"] >= 50
    assert countries["BE"] >= 100


def test_places_ids_unique_and_numeric(places):
    ids = [p["geonames_id"] for p in places]
    assert all(i.isdigit() for i in ids)
    assert len(ids) == len(set(ids))


def test_places_name_unique_per_country_and_municipality(places):
    keys = Counter((p["country"], p["municipality"], p["name"]) for p in places)
    assert [k for k, n in keys.items() if n > 1] == []


def test_places_inside_bounding_box(places):
    for p in places:
        lat, lon = float(p["latitude"]), float(p["longitude"])
        assert BBOX["lat_min"] <= lat <= BBOX["lat_max"], p
        assert BBOX["lon_min"] <= lon <= BBOX["lon_max"], p


def test_places_provinces_regions_and_bank(places):
    nl_regions = {"Walcheren", "Noord-Beveland", "Zuid-Beveland", "Zeeuws-Vlaanderen", "Tholen/Schouwen"}
    be_regions = {"Meetjesland", "Gent", "Waasland", "Leiedal/other"}
    for p in places:
        assert p["municipality"]
        assert p["name"]
        assert int(p["population"]) >= 0
        if p["country"] == "NL":
            assert p["province"] == "Zeeland"
            assert p["region"] in nl_regions
            expected_bank = "south" if p["region"] == "Zeeuws-Vlaanderen" else "north"
            assert p["bank"] == expected_bank, p
        else:
            assert p["province"] in {"Oost-Vlaanderen", "West-Vlaanderen"}
            assert p["region"] in be_regions
            assert p["bank"] == "", p


def test_places_cover_the_port_regions(places):
    nl_regions = {p["region"] for p in places if p["country"] == "NL"}
    assert {"Walcheren", "Noord-Beveland", "Zuid-Beveland", "Zeeuws-Vlaanderen"} <= nl_regions
    be_regions = {p["region"] for p in places if p["country"] == "BE"}
    assert {"Meetjesland", "Gent", "Waasland"} <= be_regions


@pytest.mark.parametrize(("name", "country", "lat", "lon"), REFERENCE_COORDINATES)
def test_reference_coordinates(places, name, country, lat, lon):
    matches = [p for p in places if p["name"] == name and p["country"] == country]
    assert len(matches) == 1, f"{name} ({country})"
    p = matches[0]
    assert abs(float(p["latitude"]) - lat) <= 0.02
    assert abs(float(p["longitude"]) - lon) <= 0.02


@pytest.mark.parametrize(
    ("name", "municipality"),
    [
        ("Sluiskil", "Terneuzen"),
        ("Axel", "Terneuzen"),
        ("Breskens", "Sluis"),
        ("Borssele", "Borsele"),
        ("Vlissingen", "Vlissingen"),
        ("Goes", "Goes"),
        ("Hulst", "Hulst"),
    ],
)
def test_dutch_municipalities(places, name, municipality):
    (p,) = [p for p in places if p["name"] == name and p["country"] == "NL"]
    assert p["municipality"] == municipality


@pytest.mark.parametrize(
    ("name", "municipality"),
    [
        ("Zelzate", "Zelzate"),
        ("Evergem", "Evergem"),
        ("Ertvelde", "Evergem"),
        ("Gent", "Gent"),
        ("Desteldonk", "Gent"),
        ("Wachtebeke", "Lochristi"),
        ("Melle", "Merelbeke-Melle"),
        ("Kruibeke", "Beveren-Kruibeke-Zwijndrecht"),
        ("Zwijndrecht", "Beveren-Kruibeke-Zwijndrecht"),
    ],
)
def test_belgian_municipalities_after_2025_mergers(places, name, municipality):
    (p,) = [p for p in places if p["name"] == name and p["country"] == "BE"]
    assert p["municipality"] == municipality


def test_cross_border_duplicate_names_distinguishable(places):
    by_name = {}
    for p in places:
        by_name.setdefault(p["name"], []).append(p)
    cross_border = {n for n, ps in by_name.items() if {p["country"] for p in ps} == {"NL", "BE"}}
    assert {"Middelburg", "Westkapelle"} <= cross_border
    for name in cross_border:
        keys = {(p["country"], p["municipality"]) for p in by_name[name]}
        assert len(keys) == len(by_name[name]), name
    middelburg = {p["country"]: p["municipality"] for p in by_name["Middelburg"]}
    assert middelburg == {"NL": "Middelburg", "BE": "Maldegem"}
    westkapelle = {p["country"]: p["municipality"] for p in by_name["Westkapelle"]}
    assert westkapelle == {"NL": "Veere", "BE": "Knokke-Heist"}


# be_postcodes.csv ------------------------------------------------------------------------------


def test_postcodes(places):
    _, rows = read("be_postcodes.csv")
    assert all(re.fullmatch(r"[1-9]\d{3}", r["postcode"]) for r in rows)
    by_code = {}
    for r in rows:
        by_code.setdefault(r["postcode"], []).append(r)
    assert {r["municipality"] for r in by_code["9000"]} == {"Gent"}
    assert {r["municipality"] for r in by_code["9060"]} == {"Zelzate"}
    assert {r["municipality"] for r in by_code["9940"]} == {"Evergem"}
    be_places = {p["geonames_id"]: p for p in places if p["country"] == "BE"}
    be_municipalities = {p["municipality"] for p in be_places.values()}
    for r in rows:
        assert r["municipality"] in be_municipalities, r
        assert r["locality"]
        if r["place_geonames_id"]:
            assert be_places[r["place_geonames_id"]]["municipality"] == r["municipality"], r
    assert be_places[by_code["9000"][0]["place_geonames_id"]]["name"] == "Gent"
    assert be_places[by_code["9060"][0]["place_geonames_id"]]["name"] == "Zelzate"
    assert be_places[by_code["9940"][0]["place_geonames_id"]]["name"] == "Evergem"


# isco08.csv ------------------------------------------------------------------------------------


def test_isco_counts_per_level(isco):
    assert Counter(r["level"] for r in isco) == {"1": 10, "2": 43, "3": 130, "4": 436}


def test_isco_tree(isco):
    codes = {r["code"] for r in isco}
    assert len(codes) == len(isco)
    for r in isco:
        assert r["code"].isdigit()
        assert len(r["code"]) == int(r["level"])
        assert r["label_en"]
        if r["level"] == "1":
            assert r["parent_code"] == ""
        else:
            assert r["parent_code"] in codes
            assert r["code"].startswith(r["parent_code"])
            assert len(r["parent_code"]) == len(r["code"]) - 1
    assert {"0", "01", "011", "0110", "3", "31", "311", "3113", "3133", "7212", "8343", "9333"} <= codes


def test_isco_dutch_labels(isco, occupations):
    by_code = {r["code"]: r for r in isco}
    for r in isco:
        if r["level"] in {"1", "2"}:
            assert r["label_nl"], r
    for o in occupations:
        assert by_code[o["isco_code"]]["label_nl"], o


# ESCO ------------------------------------------------------------------------------------------


def test_esco_counts(occupations, skills):
    assert len(occupations) >= 80
    assert len(skills) >= 300


def test_esco_uris(occupations, skills, links):
    assert all(OCCUPATION_URI.match(o["uri"]) for o in occupations)
    assert all(SKILL_URI.match(s["uri"]) for s in skills)
    assert len({o["uri"] for o in occupations}) == len(occupations)
    assert len({s["uri"] for s in skills}) == len(skills)


def test_occupations_isco_is_unit_group(occupations, isco):
    unit_groups = {r["code"] for r in isco if r["level"] == "4"}
    for o in occupations:
        assert o["isco_code"] in unit_groups, o


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("chemical plant control room operator", "3133"),
        ("welder", "7212"),
        ("container crane operator", "8343"),
        ("industrial electrician", "7411"),
        ("stevedore", "9333"),
        ("forklift operator", "8344"),
    ],
)
def test_known_isco_assignments(occupations, label, code):
    (o,) = [o for o in occupations if o["label_en"] == label]
    assert o["isco_code"] == code


def test_labels_not_empty(occupations, skills):
    for row in occupations + skills:
        assert all(row[f"label_{language}"].strip() for language in ("en", "nl", "fr")), row
    for o in occupations:
        assert re.fullmatch(r"[a-z]+", o["sector"]), o


def test_skill_types(skills):
    assert {s["skill_type"] for s in skills} == {"skill", "knowledge"}


def test_occupation_skill_links(occupations, skills, links):
    occupation_uris = {o["uri"] for o in occupations}
    skill_uris = {s["uri"] for s in skills}
    pairs = [(link["occupation_uri"], link["skill_uri"]) for link in links]
    assert len(pairs) == len(set(pairs))
    for link in links:
        assert link["occupation_uri"] in occupation_uris
        assert link["skill_uri"] in skill_uris
        assert link["relation"] in {"essential", "optional"}
    per_occupation = Counter(link["occupation_uri"] for link in links)
    for uri in occupation_uris:
        assert 5 <= per_occupation[uri] <= 15, uri
        assert any(link["relation"] == "essential" for link in links if link["occupation_uri"] == uri)
    assert {link["skill_uri"] for link in links} == skill_uris  # every skill is used


def test_sectors_cover_port_jobs(occupations):
    sectors = {o["sector"] for o in occupations}
    assert {
        "chemical",
        "maintenance",
        "electrical",
        "metal",
        "logistics",
        "port",
        "lab",
        "engineering",
        "ict",
        "facility",
        "office",
        "hospitality",
        "security",
        "transport",
    } <= sectors


# the whole ESCO (taxonomy/build/esco_full.py) -----------------------------------------------------

FULL_HEADERS = {
    "esco_full_occupations.csv.gz": [
        "uri",
        "isco_code",
        "label_en",
        "label_nl",
        "label_fr",
        "sector",
        "is_port_relevant",
    ],
    "esco_full_skills.csv.gz": ["uri", "skill_type", "label_en", "label_nl", "label_fr", "is_port_relevant"],
    "esco_full_occupation_labels.csv.gz": ["uri", "language", "text", "is_preferred"],
    "esco_full_skill_labels.csv.gz": ["uri", "language", "text", "is_preferred", "is_portal_translation"],
    "esco_full_occupation_skills.csv.gz": ["occupation_uri", "skill_uri", "relation"],
}


def read_gz(name):
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, [dict(zip(header, row, strict=True)) for row in reader]


@pytest.fixture(scope="module")
def full():
    return {name: read_gz(name) for name in FULL_HEADERS}


@pytest.mark.parametrize("name", sorted(FULL_HEADERS))
def test_full_esco_files_header_size_and_reproducible_gzip(name, full):
    raw = (DATA / name).read_bytes()
    assert len(raw) < 10_000_000
    assert raw[4:8] == b"\0\0\0\0", "gzip without a timestamp (deterministic output)"
    header, rows = full[name]
    assert header == FULL_HEADERS[name]
    assert rows


def test_full_esco_counts_and_isco_groups(full, isco):
    occupations = full["esco_full_occupations.csv.gz"][1]
    skills = full["esco_full_skills.csv.gz"][1]
    assert len(occupations) >= 2900
    assert len(skills) >= 13000
    unit_groups = {r["code"] for r in isco if r["level"] == "4"}
    assert all(o["isco_code"] in unit_groups for o in occupations)
    assert all(OCCUPATION_URI.match(o["uri"]) for o in occupations)
    assert all(SKILL_URI.match(s["uri"]) for s in skills)
    assert [o["uri"] for o in occupations] == sorted(o["uri"] for o in occupations)
    assert [s["uri"] for s in skills] == sorted(s["uri"] for s in skills)
    assert {s["skill_type"] for s in skills} == {"skill", "knowledge"}
    assert all(o["label_nl"] and o["label_en"] for o in occupations)
    assert sum(1 for o in occupations if o["label_fr"]) >= 2900


def test_full_esco_contains_the_curated_subset_as_port_relevant(full, occupations, skills):
    full_occupations = {o["uri"]: o for o in full["esco_full_occupations.csv.gz"][1]}
    full_skills = {s["uri"]: s for s in full["esco_full_skills.csv.gz"][1]}
    assert {u for u, o in full_occupations.items() if o["is_port_relevant"] == "1"} == {o["uri"] for o in occupations}
    assert {u for u, s in full_skills.items() if s["is_port_relevant"] == "1"} == {s["uri"] for s in skills}
    for o in occupations:  # the portal's own wording stays the display label
        assert full_occupations[o["uri"]]["label_nl"] == o["label_nl"]
        assert full_occupations[o["uri"]]["sector"] == o["sector"]


def test_full_esco_every_occupation_has_preferred_dutch_label_and_flemish_variants(full):
    labels = full["esco_full_occupation_labels.csv.gz"][1]
    preferred_nl = {r["uri"] for r in labels if r["language"] == "nl" and r["is_preferred"] == "1"}
    assert preferred_nl == {o["uri"] for o in full["esco_full_occupations.csv.gz"][1]}
    by_text = {}
    for r in labels:
        by_text.setdefault(r["text"], set()).add(r["uri"])
    assert by_text["kinesitherapeut"] & by_text["fysiotherapeut"]
    assert by_text["soudeur"] & by_text["lasser"]


def test_full_esco_welding_skills_have_dutch_portal_labels(full):
    skills = {s["label_en"]: s["uri"] for s in full["esco_full_skills.csv.gz"][1]}
    dutch = {}
    for r in full["esco_full_skill_labels.csv.gz"][1]:
        if r["language"] == "nl":
            assert r["is_portal_translation"] == "1"
            dutch.setdefault(r["uri"], set()).add(r["text"])
    tig = dutch[skills["perform tungsten inert gas welding"]]
    assert {"TIG-lassen", "lassen"} <= tig
    assert "MIG/MAG-lassen" in dutch[skills["perform metal active gas welding"]]
    assert "booglassen" in dutch[skills["apply arc welding techniques"]]


def test_full_esco_relations(full):
    occupation_uris = {o["uri"] for o in full["esco_full_occupations.csv.gz"][1]}
    skill_uris = {s["uri"] for s in full["esco_full_skills.csv.gz"][1]}
    links = full["esco_full_occupation_skills.csv.gz"][1]
    assert len(links) >= 100_000
    pairs = [(k["occupation_uri"], k["skill_uri"]) for k in links]
    assert pairs == sorted(set(pairs))
    assert {k["relation"] for k in links} == {"essential", "optional"}
    assert {k["occupation_uri"] for k in links} <= occupation_uris
    assert {k["skill_uri"] for k in links} <= skill_uris


# study_fields.csv ------------------------------------------------------------------------------


def test_study_fields():
    _, rows = read("study_fields.csv")
    assert [r["code"] for r in rows] == [f"{i:02d}" for i in range(11)]
    assert {r["code"] for r in rows if r["is_stem"] == "true"} == {"05", "06", "07"}
    assert {r["is_stem"] for r in rows} == {"true", "false"}
    for r in rows:
        assert r["label_en"]
        assert r["label_nl"]
        assert r["label_fr"]


# sorted, deterministic output ------------------------------------------------------------------


def test_outputs_sorted(places, occupations, skills, links):
    assert [o["uri"] for o in occupations] == sorted(o["uri"] for o in occupations)
    assert [s["uri"] for s in skills] == sorted(s["uri"] for s in skills)
    assert [(k["occupation_uri"], k["skill_uri"]) for k in links] == sorted(
        (k["occupation_uri"], k["skill_uri"]) for k in links
    )
    _, postcodes = read("be_postcodes.csv")
    assert [r["postcode"] for r in postcodes] == sorted(r["postcode"] for r in postcodes)
    keys = [(p["country"], p["province"], p["municipality"], p["name"], int(p["geonames_id"])) for p in places]
    assert keys == sorted(keys)

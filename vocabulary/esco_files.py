"""Read the full ESCO files of taxonomy/data/ straight into matcher concepts, without Django.

For benchmarks and the pure tests: the portal itself builds its vocabulary from the database
(taxonomy/suggest.py). Concept ids here are row numbers; ``uris`` maps them back.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from pathlib import Path

from .matcher import OCCUPATION, SKILL, Concept

DATA = Path(__file__).resolve().parent.parent / "taxonomy" / "data"


def _rows(name: str):
    with gzip.open(DATA / name, "rt", encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def load_full_esco(data: Path = DATA) -> tuple[list[Concept], list[tuple[int, int, bool]], dict[int, str]]:
    """(concepts, relations, id → uri) from esco_full_*.csv.gz."""
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in ("esco_full_occupation_labels.csv.gz", "esco_full_skill_labels.csv.gz"):
        for row in _rows(name):
            labels[row["uri"]].append((row["language"], row["text"]))
    concepts: list[Concept] = []
    id_of: dict[str, int] = {}
    for name, kind in (("esco_full_occupations.csv.gz", OCCUPATION), ("esco_full_skills.csv.gz", SKILL)):
        for row in _rows(name):
            concept_id = len(concepts) + 1
            id_of[row["uri"]] = concept_id
            concepts.append(Concept(concept_id, kind, labels.get(row["uri"], []), row["is_port_relevant"] == "1"))
    relations = [
        (id_of[row["occupation_uri"]], id_of[row["skill_uri"]], row["relation"] == "essential")
        for row in _rows("esco_full_occupation_skills.csv.gz")
        if row["occupation_uri"] in id_of and row["skill_uri"] in id_of
    ]
    return concepts, relations, {concept_id: uri for uri, concept_id in id_of.items()}

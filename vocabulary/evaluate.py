"""Measure the text → vocabulary matcher on a labelled set (vocabulary/eval/vacancies.jsonl).

Pure: ``evaluate(items, suggest)`` takes the items and any function with the signature of
``taxonomy.suggest.suggest`` (title, text → {"occupations": [{"uri"}], "skills": [{"uri"}]})
and returns the figures, overall and per language and sector. The management command
``evaluate_vocabulary`` runs it on the portal's database; docs/vocabulary.md has the figures.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

EVAL_SET = Path(__file__).resolve().parent / "eval" / "vacancies.jsonl"


def read_items(path: Path = EVAL_SET) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@dataclass
class Tally:
    items: int = 0
    top1: int = 0
    top3: int = 0
    skills_suggested: int = 0
    skills_expected: int = 0
    skills_right: int = 0

    def add(self, item: dict, found: dict) -> None:
        expected_occupations = set(item["occupations"])
        suggested = [row["uri"] for row in found["occupations"]]
        self.items += 1
        self.top1 += bool(suggested[:1] and suggested[0] in expected_occupations)
        self.top3 += bool(expected_occupations & set(suggested[:3]))
        skills = {row["uri"] for row in found["skills"]}
        self.skills_suggested += len(skills)
        self.skills_expected += len(set(item["skills"]))
        self.skills_right += len(skills & set(item["skills"]))

    def figures(self) -> dict:
        return {
            "items": self.items,
            "occupation_top1": round(self.top1 / self.items, 3) if self.items else 0.0,
            "occupation_top3": round(self.top3 / self.items, 3) if self.items else 0.0,
            # Micro-averaged over all items: every suggested skill counts once.
            "skill_precision": round(self.skills_right / self.skills_suggested, 3) if self.skills_suggested else 0.0,
            "skill_recall": round(self.skills_right / self.skills_expected, 3) if self.skills_expected else 0.0,
        }


@dataclass
class Report:
    overall: dict
    by_language: dict[str, dict]
    by_sector: dict[str, dict]
    misses: list[dict] = field(default_factory=list)  # items whose occupation was not in the top 3

    def as_dict(self) -> dict:
        return asdict(self)


def evaluate(items: Iterable[dict], suggest: Callable[..., dict], *, skills: int = 15) -> Report:
    overall = Tally()
    by_language: dict[str, Tally] = defaultdict(Tally)
    by_sector: dict[str, Tally] = defaultdict(Tally)
    misses = []
    for item in items:
        found = suggest(item["title"], item["text"], occupations=3, skills=skills)
        for tally in (overall, by_language[item["language"]], by_sector[item["sector"]]):
            tally.add(item, found)
        if not set(item["occupations"]) & {row["uri"] for row in found["occupations"][:3]}:
            misses.append(
                {"id": item["id"], "title": item["title"], "suggested": [row["uri"] for row in found["occupations"]]}
            )
    return Report(
        overall=overall.figures(),
        by_language={key: tally.figures() for key, tally in sorted(by_language.items())},
        by_sector={key: tally.figures() for key, tally in sorted(by_sector.items())},
        misses=misses,
    )

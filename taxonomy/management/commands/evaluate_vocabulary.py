"""Print the text → vocabulary matcher's quality on the labelled set (docs/vocabulary.md)."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import translation

from taxonomy.suggest import suggest, vocabulary_current
from vocabulary.evaluate import EVAL_SET, evaluate, read_items


class Command(BaseCommand):
    help = (
        "Occupation top-1/top-3 accuracy and skill precision/recall of taxonomy.suggest on "
        "vocabulary/eval/vacancies.jsonl, overall, per language and per sector."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
        parser.add_argument("--set", type=Path, default=EVAL_SET, help="A JSONL file of labelled vacancies.")
        parser.add_argument("--misses", action="store_true", help="Also list the items whose occupation was missed.")

    def handle(self, *args, **options) -> None:
        items = read_items(options["set"])
        started = time.perf_counter()
        vocabulary_current()  # built once, timed apart from the suggestions
        build_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with translation.override("en"):
            report = evaluate(items, suggest)
        per_item_ms = 1000 * (time.perf_counter() - started) / max(len(items), 1)
        figures = report.as_dict()
        figures["timing"] = {"build_seconds": round(build_seconds, 2), "ms_per_item": round(per_item_ms, 1)}
        if not options["misses"]:
            figures.pop("misses")
        if options["json"]:
            self.stdout.write(json.dumps(figures, indent=2))
            return
        rows = [("all", figures["overall"])]
        rows += [(f"lang {key}", value) for key, value in figures["by_language"].items()]
        rows += [(f"sector {key}", value) for key, value in figures["by_sector"].items()]
        self.stdout.write(f"{'':12} {'items':>5} {'occ@1':>6} {'occ@3':>6} {'skill P':>7} {'skill R':>7}")
        for name, value in rows:
            self.stdout.write(
                f"{name:12} {value['items']:>5} {value['occupation_top1']:>6.3f} {value['occupation_top3']:>6.3f}"
                f" {value['skill_precision']:>7.3f} {value['skill_recall']:>7.3f}"
            )
        self.stdout.write(
            f"vocabulary built in {figures['timing']['build_seconds']} s; "
            f"{figures['timing']['ms_per_item']} ms per vacancy"
        )
        for miss in figures.get("misses", []):
            self.stdout.write(f"missed: {miss['id']} {miss['title']}")

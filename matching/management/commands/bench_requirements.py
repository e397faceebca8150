"""Time the requirement panel against a single-vacancy rematch (docs/performance.md)."""

import json
import statistics
import time

from django.core.management.base import BaseCommand

from matching.engine.data import EngineConfig
from matching.engine.engine import MatchingEngine
from matching.engine.relax import requirement_costs
from matching.engine.synthetic import SyntheticWorld


def bench(n_candidates: int, n_vacancies: int, sample: int, seed: int) -> dict:
    world = SyntheticWorld.build(seed=seed)
    engine = MatchingEngine(
        world.places,
        world.taxonomy,
        world.candidates(n_candidates, seed=seed),
        world.vacancies(n_vacancies, seed=seed),
        config=EngineConfig(n_threads=1),
    )
    engine.prepare()
    ids = engine.vacancies.ids[:: max(1, n_vacancies // sample)][:sample].tolist()
    engine.match_vacancy(ids[-1])  # warm-up: the worker's engine is built and used already
    requirement_costs(engine, ids[-1])
    panel, rematch, rows = [], [], []
    for vacancy_id in ids:
        t = time.perf_counter()
        costs = requirement_costs(engine, vacancy_id)
        panel.append(time.perf_counter() - t)
        t = time.perf_counter()
        result = engine.match_vacancy(vacancy_id)
        rematch.append(time.perf_counter() - t)
        assert costs.eligible == result.eligible, vacancy_id  # one home per rule
        rows.append(len(costs.rows))
    panel_ms, rematch_ms = statistics.median(panel) * 1e3, statistics.median(rematch) * 1e3
    # What a full rebuild spends per vacancy (bulk ranking by chunks): would a panel per vacancy
    # in every rebuild chunk be affordable?
    t = time.perf_counter()
    for _ in engine.run():
        pass
    ranking_ms = (time.perf_counter() - t) / n_vacancies * 1e3
    return {
        "candidates": n_candidates,
        "vacancies": n_vacancies,
        "sampled_vacancies": len(ids),
        "median_rows": statistics.median(rows),
        "panel_median_ms": round(panel_ms, 2),
        "rematch_median_ms": round(rematch_ms, 2),
        "panel_over_rematch": round(panel_ms / rematch_ms, 3),
        "rebuild_ranking_per_vacancy_ms": round(ranking_ms, 2),
        "panel_over_rebuild_ranking": round(panel_ms / ranking_ms, 1),
    }


class Command(BaseCommand):
    help = (
        "On a synthetic region (matching.engine.synthetic, no database), time the requirement panel "
        "(matching.engine.relax.requirement_costs) and a single-vacancy rematch (match_vacancy) on the same "
        "warm engine, median over a sample of vacancies, and print the ratio; then a full ranking's time per "
        "vacancy (what a rebuild chunk spends). --json prints one JSON object."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=100_000)
        parser.add_argument("--vacancies", type=int, default=1_000)
        parser.add_argument("--sample", type=int, default=15, help="vacancies timed (median)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        figures = bench(options["candidates"], options["vacancies"], options["sample"], options["seed"])
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        width = max(len(key) for key in figures)
        for key, value in figures.items():
            self.stdout.write(f"{key:<{width}}  {value}")

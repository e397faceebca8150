"""Benchmark the matching side by side in one run on the same data (docs/performance.md)."""

import json
import os
import resource
import subprocess
import sys
import time

import numpy as np
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection

from candidates.models import Candidate
from matching.engine.data import EngineConfig
from matching.engine.engine import MatchingEngine, floor_run
from matching.engine.naive import naive_candidates, naive_context, naive_vacancies, score_pair_naive
from matching.engine.shards import run_sharded
from matching.profiles import candidate_profiles_build, reference_index_build, vacancy_profiles_build, weights_current
from matching.shortlists import engine_config
from vacancies.models import Vacancy


class Command(BaseCommand):
    help = (
        "Seed (or reuse) a synthetic region of N candidates and M vacancies, then measure side by side: the engine, "
        "the floor (the cheapest known way to the same shortlists: sparse product + vectorised filters + "
        "block-maximum top-K), naive per-pair Python, the same skill overlap in one PostgreSQL "
        "query, and a full rebuild end to end with its peak memory. --json prints one JSON object last."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, default=10_000)
        parser.add_argument("--vacancies", type=int, default=1_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--naive-pairs", type=int, default=20_000, help="sample size for the naive scorer")
        parser.add_argument("--sql-vacancies", type=int, default=20, help="sample of vacancies for the SQL query")
        parser.add_argument(
            "--worker",
            action="store_true",
            help="also time a single-vacancy rematch through a real Celery worker (needs Redis)",
        )
        parser.add_argument(
            "--shards", type=int, default=0, help="also rank with candidates split into N shards in worker processes"
        )
        parser.add_argument("--workers", type=int, default=2, help="worker processes for --shards")
        parser.add_argument("--json", action="store_true")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def handle(
        self, *args, candidates: int, vacancies: int, seed: int, naive_pairs: int, sql_vacancies: int, **options
    ):
        self._ensure_region(candidates, vacancies, seed)
        index = reference_index_build()
        cand = candidate_profiles_build(index=index)
        vac = vacancy_profiles_build(index=index)
        n, m = cand.n, vac.n
        pairs = n * m
        self.say(f"Region: {n:,} candidates x {m:,} open vacancies = {pairs:,} pairs")
        weights = weights_current()
        config = engine_config()

        start = time.perf_counter()
        engine = MatchingEngine(index.places, index.taxonomy, cand, vac, weights, config=config)
        built, built_cpu = time.perf_counter(), time.process_time()  # inputs ready: the floor reuses them
        for _ in engine.run_chunks():
            pass
        engine_s = time.perf_counter() - start
        ranking_s, ranking_cpu = time.perf_counter() - built, time.process_time() - built_cpu
        self.say(f"engine      {engine_s:8.2f} s  {pairs / engine_s:14,.0f} pairs/s")
        self.say(f"  of which precomputation + ranking {ranking_s:8.2f} s")

        start, start_cpu = time.perf_counter(), time.process_time()
        data = engine.floor_data()
        floor_run(data, chunk_size=config.chunk_size, n_threads=config.n_threads)
        floor_s, floor_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        self.say(f"floor       {floor_s:8.2f} s  {pairs / floor_s:14,.0f} pairs/s")
        single_engine = self._single_vacancy_engine(engine, vac)
        self.say(
            f"single vacancy (engine, warm) median {single_engine['median_ms']:.1f} ms "
            f"(eligible scored: median {single_engine['median_eligible']:,.0f} of {n:,})"
        )

        naive_rate = self._naive(engine, cand, vac, weights, naive_pairs, seed)
        self.say(f"naive       (sample)    {naive_rate:14,.0f} pairs/s")
        sql_rate = self._sql(sql_vacancies, n) if connection.vendor == "postgresql" else None
        self.say(f"sql         (sample)    {sql_rate:14,.0f} pairs/s" if sql_rate else "sql         (not PostgreSQL)")
        del engine, data

        sharded = self._sharded(index, cand, vac, weights, options["shards"], options["workers"])
        rebuild = self._rebuild_in_process()
        self.say(
            f"rebuild     {rebuild['seconds']:8.2f} s  in-process vacancies_rematch, {rebuild['rows']:,} rows "
            f"(engine ranking of the same vacancies {rebuild['engine_ranking_seconds']:.2f} s, "
            f"explanations + persistence {rebuild['explain_persist_seconds']:.2f} s): "
            f"{rebuild['end_to_end_over_engine']:.2f}x the engine; this process's CPU {rebuild['cpu_seconds']:.2f} s "
            f"vs {rebuild['engine_ranking_cpu_seconds']:.2f} s"
        )
        end_to_end = self._end_to_end()
        self.say(f"end_to_end  {end_to_end['seconds']:8.2f} s  peak RSS {end_to_end['peak_rss_mb']:,.0f} MB")

        single = self._single_vacancy_with_worker() if options["worker"] else None
        if single:
            self.say(
                f"single vacancy rematch via a worker: median {single['median_seconds']:.3f} s "
                f"(runs: {', '.join(f'{x:.3f}' for x in single['runs'])})"
            )

        engine_rate = pairs / engine_s
        result = {
            "candidates": n,
            "vacancies": m,
            "engine": {"pairs_per_s": engine_rate, "seconds": engine_s, "ranking_seconds": ranking_s},
            "floor": {"pairs_per_s": pairs / floor_s, "seconds": floor_s},
            "naive": {"pairs_per_s": naive_rate},
            "sql": {"pairs_per_s": sql_rate},
            "end_to_end": end_to_end,
            "rebuild_in_process": rebuild,
            # a full rebuild through the worker's code against the engine's own ranking, same run and data
            "end_to_end_over_engine": rebuild["end_to_end_over_engine"],
            # precomputation + ranking against the floor on the same inputs (engine_s also counts
            # building the travel-time model, which neither needs per run)
            "engine_over_floor": ranking_s / floor_s,
            "engine_over_floor_cpu": ranking_cpu / floor_cpu,  # CPU of all threads: robust on a shared machine
            "engine_vs_naive": engine_rate / naive_rate,
            "engine_vs_sql": engine_rate / sql_rate if sql_rate else None,
            "single_vacancy_engine": single_engine,
        }
        if sharded:
            result["sharded"] = sharded
        if single:
            result["single_vacancy_rematch"] = single
        self.say(
            f"engine/floor {result['engine_over_floor']:.2f} (CPU {result['engine_over_floor_cpu']:.2f})   engine vs naive {result['engine_vs_naive']:,.0f}x"
            + (f"   engine vs sql {result['engine_vs_sql']:,.1f}x" if sql_rate else "")
        )
        if options["json"]:
            self.stdout.write(json.dumps(result))

    def _single_vacancy_engine(self, engine, vac, runs: int = 21) -> dict:
        """Engine time of one vacancy's rematch on a warm engine (what a worker pays per change)."""
        import statistics

        ids = vac.ids[np.linspace(0, vac.n - 1, min(runs, vac.n)).astype(np.int64)].tolist()
        timings, eligible = [], []
        for vacancy_id in ids:
            start = time.perf_counter()
            result = engine.match_vacancy(vacancy_id)
            timings.append(time.perf_counter() - start)
            eligible.append(result.eligible)
        return {
            "median_ms": statistics.median(timings) * 1e3,
            "max_ms": max(timings) * 1e3,
            "median_eligible": statistics.median(eligible),
        }

    def _sharded(self, index, cand, vac, weights, n_shards: int, n_workers: int) -> dict | None:
        """One worker process over all candidates, then n_shards shards over n_workers processes
        (each receives only its shard); wall time, speed-up and peak RSS per worker, side by side."""
        if n_shards < 1:
            return None
        config = EngineConfig(n_threads=1)  # one core per worker process
        runs = {}
        for label, shards, workers in (("one_worker", 1, 1), ("sharded", n_shards, n_workers)):
            merged, figures = run_sharded(
                index.places,
                index.taxonomy,
                cand,
                vac,
                weights,
                n_shards=shards,
                n_workers=workers,
                config=config,
            )
            runs[label] = {
                "shards": shards,
                "workers": workers,
                "seconds": figures["wall_s"],
                "merge_seconds": figures["merge_s"],
                "peak_rss_mb_per_worker": max(figures["worker_peak_rss_mb"]),
                # the busiest worker's CPU time: the wall time on idle cores (a shared machine
                # stretches wall times, not CPU times)
                "cpu_seconds_busiest_worker": max(max(figures["task_cpu_s"]), sum(figures["task_cpu_s"]) / workers),
                "shortlisted": int(merged.candidate_ids.size),
            }
        if runs["one_worker"]["shortlisted"] != runs["sharded"]["shortlisted"]:
            raise RuntimeError("sharded and unsharded shortlists differ in size")
        speed_up = runs["one_worker"]["seconds"] / runs["sharded"]["seconds"]
        speed_up_cpu = runs["one_worker"]["cpu_seconds_busiest_worker"] / runs["sharded"]["cpu_seconds_busiest_worker"]
        memory = runs["sharded"]["peak_rss_mb_per_worker"] / runs["one_worker"]["peak_rss_mb_per_worker"]
        for label in runs:
            r = runs[label]
            self.say(
                f"{label:<11} {r['seconds']:8.2f} s  {r['shards']} shard(s) on {r['workers']} process(es), "
                f"busiest worker CPU {r['cpu_seconds_busiest_worker']:.2f} s, "
                f"peak RSS per worker {r['peak_rss_mb_per_worker']:,.0f} MB"
            )
        self.say(
            f"sharded speed-up {speed_up:.2f}x wall, {speed_up_cpu:.2f}x by the busiest worker's CPU   "
            f"memory per worker {memory:.2f}x of one worker's"
        )
        return {**runs, "speed_up": speed_up, "speed_up_cpu": speed_up_cpu, "memory_per_worker_ratio": memory}

    def _ensure_region(self, candidates: int, vacancies: int, seed: int) -> None:
        have_c = Candidate.objects.count()
        have_v = Vacancy.objects.open_for_matching().count()
        if have_c >= candidates and have_v >= vacancies:
            self.say(f"Reusing the region in the database ({have_c:,} candidates, {have_v:,} open vacancies).")
            return
        start = time.perf_counter()
        call_command(
            "seed_demo",
            candidates=max(0, candidates - have_c),
            vacancies=max(0, vacancies - have_v),
            seed=seed,
            no_rematch=True,
            stdout=self.stdout,
        )
        self.say(f"Seeded in {time.perf_counter() - start:.1f} s.")

    def _naive(self, engine, cand, vac, weights, sample: int, seed: int) -> float:
        """Per-pair Python with the same rules, as a typical job board would do it (a sample)."""
        rng = np.random.default_rng(seed)
        rows_c = np.unique(rng.integers(0, cand.n, min(sample, cand.n)))
        rows_v = np.unique(rng.integers(0, vac.n, min(200, vac.n)))
        ctx = naive_context(engine.taxonomy, engine.commute, weights)
        people, jobs = naive_candidates(cand.take(rows_c)), naive_vacancies(vac.take(rows_v))
        picks = zip(rng.integers(0, len(people), sample).tolist(), rng.integers(0, len(jobs), sample).tolist())
        start = time.perf_counter()
        for a, b in picks:
            score_pair_naive(people[a], jobs[b], ctx)
        return sample / (time.perf_counter() - start)

    def _sql(self, sample: int, n_candidates: int) -> float:
        """Essential-skill coverage of every candidate for a sample of vacancies, top K, in one query."""
        ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("id", flat=True)[:sample])
        essential = Vacancy.essential_skills.through._meta.db_table
        skills = Candidate.skills.through._meta.db_table
        query = f"""
            WITH required AS (
                SELECT vacancy_id, skill_id, count(*) OVER (PARTITION BY vacancy_id) AS total
                FROM {essential} WHERE vacancy_id = ANY(%s)
            ), coverage AS (
                SELECT r.vacancy_id, c.candidate_id, count(*)::float / max(r.total) AS score
                FROM required r JOIN {skills} c ON c.skill_id = r.skill_id
                GROUP BY r.vacancy_id, c.candidate_id
            )
            SELECT vacancy_id, candidate_id, score FROM (
                SELECT *, row_number() OVER (PARTITION BY vacancy_id ORDER BY score DESC, candidate_id) AS position
                FROM coverage
            ) ranked WHERE position <= %s
        """
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(query, [ids, settings.MATCHING_TOP_K])
            cursor.fetchall()
        return len(ids) * n_candidates / (time.perf_counter() - start)

    def _rebuild_in_process(self) -> dict:
        """A full rebuild through ``vacancies_rematch`` (the code a worker runs per chunk), in this
        process, against the engine's own ranking of the same vacancies on the same warm engine.

        Profiles and the engine are loaded first (``load_seconds``, paid once per worker process),
        and the ranking is timed warm (its second run), so the ratio counts only what a rebuild
        adds to the ranking: explaining, mapping to database ids and writing."""
        from matching.shortlists import engine_inputs, rebuild_engine, vacancies_rematch

        open_ids = list(Vacancy.objects.open_for_matching().order_by("id").values_list("pk", flat=True))
        start = time.perf_counter()
        engine = rebuild_engine(engine_inputs())
        load_s = time.perf_counter() - start
        for _ in range(2):  # the second run counts: the row cache is as warm as the rebuild finds it
            start, start_cpu = time.perf_counter(), time.process_time()
            for _results in engine.run_chunks(open_ids):
                pass
            ranking_s, ranking_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        size = settings.MATCHING_CHUNK_VACANCIES
        start, start_cpu = time.perf_counter(), time.process_time()
        rows = sum(vacancies_rematch(vacancy_ids=open_ids[i : i + size]) for i in range(0, len(open_ids), size))
        rebuild_s, rebuild_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        return {
            "seconds": rebuild_s,
            # this process's CPU (all threads; PostgreSQL's own work is not in it): steadier than
            # wall times on a shared machine
            "cpu_seconds": rebuild_cpu,
            "engine_ranking_cpu_seconds": ranking_cpu,
            "rows": rows,
            "load_seconds": load_s,
            "engine_ranking_seconds": ranking_s,
            "explain_persist_seconds": rebuild_s - ranking_s,
            "end_to_end_over_engine": rebuild_s / ranking_s,
        }

    def _end_to_end(self) -> dict:
        """A full rebuild from the database to persisted shortlists, in a fresh process (its own peak RSS)."""
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "rematch", "--all", "--wait"],
            cwd=settings.BASE_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "DATABASE_URL": _database_url()},
        )
        seconds = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return {"seconds": seconds, "peak_rss_mb": peak_kb / 1024}

    def _single_vacancy_with_worker(self, runs: int = 5) -> dict:
        """From the commit of a vacancy change to its persisted shortlist, through Redis and a
        warm worker process (`celery -A nsp_portal worker`), several times; the median counts."""
        import statistics

        from celery import current_app

        from matching.models import ShortlistSummary
        from vacancies.services import vacancy_update

        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "MATCHING_ENGINE_THREADS": "1",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "nsp_portal",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"bench-{os.getpid()}@localhost",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        eager = current_app.conf.task_always_eager
        current_app.conf.task_always_eager = False
        try:
            vacancy = Vacancy.objects.open_for_matching().order_by("id").first()
            timings = []
            for attempt in range(runs + 1):  # the first one warms the worker (loads every candidate)
                start = time.perf_counter()
                committed_at = _now()
                vacancy_update(vacancy=vacancy, hours_per_week=36 + attempt % 3)  # commits, then enqueues
                while not ShortlistSummary.objects.filter(vacancy=vacancy, computed_at__gt=committed_at).exists():
                    if time.perf_counter() - start > 300:
                        raise RuntimeError("the worker did not persist the shortlist within 300 s")
                    time.sleep(0.005)
                if attempt:
                    timings.append(time.perf_counter() - start)
            return {"median_seconds": statistics.median(timings), "runs": timings}
        finally:
            current_app.conf.task_always_eager = eager
            worker.terminate()
            worker.wait(30)


def _database_url() -> str:
    """The database this process uses (also under the test runner's test database name)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def _now():
    from django.utils import timezone

    return timezone.now()

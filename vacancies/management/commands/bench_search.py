"""Benchmark the vacancy search and the autocomplete, before and after the stored search documents.

Seeds N published vacancies (default 10,000) on the current database with real ESCO occupations
and their essential skills, then times, side by side (median of --repeat runs, after one warm-up):

- vacancy search: the former query-time ``to_tsvector`` over title and description (plus the
  occupation's labels by ``icontains``), as vacancies/filters.py did before, against the stored,
  GIN-indexed vector (vacancies/search.py); count + first page of 20, as the search page asks;
- autocomplete: the former ``icontains`` over label_nl/en/fr of every occupation and skill
  against the trigram-indexed ``search_form`` of every label (taxonomy/selectors.py).

The seeded vacancies are removed afterwards unless --keep. Usage:
``manage.py bench_search [--vacancies 10000] [--repeat 15] [--keep]``.
"""

import random
import statistics
import time
from datetime import timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Employer
from taxonomy.models import Occupation, OccupationSkill, Place, Skill
from taxonomy.selectors import occupation_autocomplete, skill_autocomplete
from vacancies.models import ContractType, Vacancy, VacancyStatus
from vacancies.search import search_vacancies, vacancy_search_refresh
from vacancies.selectors import vacancy_list_public

REFERENCE_PREFIX = "bench-search-"
SEARCHES = ["lassen", "procesoperator", "soudeur", "elektricien ploegendienst", "zzzz yyyy"]
AUTOCOMPLETES = ["las", "lassen", "heftruck", "soudage", "welding", "operator"]
PAGE = 20
DESCRIPTION = (
    "Voor onze vestiging in {place} zoeken wij een {label}. Je werkt in ploegendienst in de Kanaalzone, "
    "volgt de veiligheidsregels (VCA) en werkt samen met collega's van beide kanten van de grens. "
    "Wij bieden een vast contract, opleiding en een goed salaris."
)


def _old_search(queryset, value: str):
    """The search as vacancies/filters.py had it: to_tsvector over every row at query time."""
    vector = SearchVector("title", weight="A", config="dutch") + SearchVector("description", weight="B", config="dutch")
    query = SearchQuery(value, config="dutch", search_type="websearch")
    return (
        queryset.annotate(rank=SearchRank(vector, query))
        .filter(Q(rank__gt=0) | Q(occupation__label_nl__icontains=value) | Q(occupation__label_en__icontains=value))
        .order_by("-rank", "-published_at")
    )


def _old_autocomplete(model, value: str):
    return list(
        model.objects.filter(
            Q(label_nl__icontains=value) | Q(label_en__icontains=value) | Q(label_fr__icontains=value)
        )[:PAGE]
    )


def _median_ms(run, repeat: int) -> float:
    run()  # warm-up: plans and caches, as on a running server
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


class Command(BaseCommand):
    help = "Time vacancy search and autocomplete before/after stored, indexed search documents."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--vacancies", type=int, default=10_000)
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument("--keep", action="store_true", help="Keep the seeded vacancies.")
        parser.add_argument("--seed", type=int, default=9)
        parser.add_argument("--explain", action="store_true", help="Print PostgreSQL's plan of each new search.")

    def handle(self, *args, vacancies: int, repeat: int, keep: bool, seed: int, explain: bool, **options) -> None:
        postgres = connection.vendor == "postgresql"
        self.stdout.write(
            f"Database: {connection.vendor}; {Occupation.objects.count()} occupations, {Skill.objects.count()} skills."
        )
        Vacancy.objects.filter(reference__startswith=REFERENCE_PREFIX).delete()
        started = time.perf_counter()
        ids = self._seed(vacancies, random.Random(seed))
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        vacancy_search_refresh(vacancy_ids=ids)
        indexed = time.perf_counter() - started
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE vacancies_vacancy")
        self.stdout.write(
            f"Seeded {len(ids)} vacancies in {seeded:.1f} s; built their search documents in {indexed:.1f} s "
            f"({Vacancy.objects.open_for_matching().count()} open vacancies in all)."
        )
        try:
            self._report(repeat, postgres)
            if explain and postgres:
                self._explain()
        finally:
            if not keep:
                Vacancy.objects.filter(reference__startswith=REFERENCE_PREFIX).delete()

    def _report(self, repeat: int, postgres: bool) -> None:
        rows = []
        for value in SEARCHES:
            new_qs = search_vacancies(vacancy_list_public(), value)
            found = new_qs.count()

            def new(new_qs=new_qs):
                new_qs.count()
                list(new_qs[:PAGE])

            if postgres:
                old_qs = _old_search(vacancy_list_public(), value)
                old_found = old_qs.count()

                def old(old_qs=old_qs):
                    old_qs.count()
                    list(old_qs[:PAGE])

                old_ms = _median_ms(old, repeat)
            else:  # SQLite had icontains over title and description
                old_qs = vacancy_list_public().filter(Q(title__icontains=value) | Q(description__icontains=value))
                old_found = old_qs.count()
                old_ms = _median_ms(lambda old_qs=old_qs: (old_qs.count(), list(old_qs[:PAGE])), repeat)
            rows.append((f"search q={value!r} (found {old_found} → {found})", old_ms, _median_ms(new, repeat)))
        for value in AUTOCOMPLETES:
            for name, model, search in (
                ("occupations", Occupation, occupation_autocomplete),
                ("skills", Skill, skill_autocomplete),
            ):
                rows.append(
                    (
                        f"autocomplete {name} {value!r}",
                        _median_ms(lambda model=model, value=value: _old_autocomplete(model, value), repeat),
                        _median_ms(lambda search=search, value=value: search(query=value, language="nl"), repeat),
                    )
                )
        width = max(len(row[0]) for row in rows)
        self.stdout.write(f"{'':{width}}  {'before ms':>10}  {'after ms':>10}  {'ratio':>7}")
        for label, before, after in rows:
            ratio = before / after if after else float("inf")
            self.stdout.write(f"{label:{width}}  {before:10.1f}  {after:10.1f}  {ratio:6.1f}x")

    def _explain(self) -> None:
        for value in SEARCHES:
            queryset = search_vacancies(vacancy_list_public(), value)[:PAGE]
            compiled, params = queryset.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + compiled, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            self.stdout.write(f"\nq={value!r}:\n{plan}")

    def _seed(self, count: int, rng: random.Random) -> list[int]:
        place_list = list(Place.objects.order_by("pk")[:60])
        employer = Employer.objects.order_by("pk").first()
        if employer is None:
            employer = Employer.objects.create(
                legal_name="Benchmark B.V.", country="NL", kvk_number="99999999", place=place_list[0], is_verified=True
            )
        port = list(Occupation.objects.filter(is_port_relevant=True).values_list("pk", "label_nl", "label_en"))
        rest = list(Occupation.objects.filter(is_port_relevant=False).values_list("pk", "label_nl", "label_en"))
        skills_of: dict[int, list[int]] = {}
        for occupation_id, skill_id in OccupationSkill.objects.filter(relation="essential").values_list(
            "occupation_id", "skill_id"
        ):
            skills_of.setdefault(occupation_id, []).append(skill_id)
        now = timezone.now()
        rows = []
        for index in range(count):
            # Two thirds port jobs, as the portal's own vacancies are.
            occupation_id, label_nl, label_en = rng.choice(port if port and rng.random() < 0.67 else rest or port)
            label = label_nl or label_en
            place = rng.choice(place_list)
            rows.append(
                Vacancy(
                    employer=employer,
                    reference=f"{REFERENCE_PREFIX}{index}",
                    title=f"{label[:1].upper()}{label[1:]} {place.name}",
                    description=DESCRIPTION.format(place=place.name, label=label),
                    occupation_id=occupation_id,
                    place=place,
                    contract_type=ContractType.PERMANENT,
                    hours_per_week=rng.choice([24, 32, 36, 38, 40]),
                    status=VacancyStatus.PUBLISHED,
                    published_at=now - timedelta(days=rng.randint(0, 50)),
                    expires_at=now + timedelta(days=30),
                )
            )
        with transaction.atomic():
            created = Vacancy.objects.bulk_create(rows, batch_size=2000)
            links = []
            through = Vacancy.essential_skills.through
            for vacancy in created:
                skill_ids = skills_of.get(vacancy.occupation_id, [])
                for skill_id in rng.sample(skill_ids, min(4, len(skill_ids))):
                    links.append(through(vacancy_id=vacancy.pk, skill_id=skill_id))
            through.objects.bulk_create(links, batch_size=5000)
        return [vacancy.pk for vacancy in created]

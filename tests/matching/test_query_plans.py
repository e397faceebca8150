"""The pages' queries use indexes and maintained counts, not scans of every match (issue 15).

Honest plans: thousands of rows are inserted in bulk, the tables analysed, and PostgreSQL's own
choice is read from EXPLAIN (no ``enable_seqscan=off``). At this size a scan would still be cheap
for the planner to pick, so a plan without one shows the index is what makes it cheaper.
"""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from matching import selectors
from matching.models import Match
from taxonomy.models import Place
from tests.factories import CaseworkerFactory, UserFactory, place, service
from tests.workspace_helpers import candidate_with_profile, published_vacancy
from vacancies.models import Vacancy
from vacancies.search import search_vacancies
from vacancies.selectors import vacancy_list_public

pytestmark = [pytest.mark.django_db]

VACANCIES = 50
CANDIDATES = 60  # 3,000 matches


@pytest.fixture
def region():
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    vacancies = [published_vacancy() for _ in range(VACANCIES)]
    candidates = [
        candidate_with_profile(service_code=("uwv", "vdab", "wsp-zvl")[n % 3], cross_border=n % 2 == 0)
        for n in range(CANDIDATES)
    ]
    with connection.cursor() as cursor:
        # One statement, as the worker's upsert writes a shortlist: the counting trigger runs once.
        cursor.execute(
            """
            INSERT INTO matching_match (candidate_id, vacancy_id, score, rank, factors, explanation,
                engine_version, is_flagged, flag_reasons, review_status, reason, note, candidate_response,
                created_at, updated_at)
            SELECT c, v, ((c * 7 + v * 13) %% 100) / 100.0, NULL, '{}', '[]', 'test', false, '[]',
                CASE WHEN (c + v) %% 5 = 0 THEN 'approved' ELSE 'proposed' END, '', '', 'pending',
                now() - ((c + v) %% 50) * interval '1 hour', now()
            FROM unnest(%s::bigint[]) AS c, unnest(%s::bigint[]) AS v
            """,
            [[c.pk for c in candidates], [v.pk for v in vacancies]],
        )
        cursor.execute("ANALYZE matching_match; ANALYZE matching_shortlistcount; ANALYZE candidates_candidate")
        cursor.execute("ANALYZE matching_queuescope")
        cursor.execute("ANALYZE vacancies_vacancy")
    return vacancies


def _plan(queryset) -> str:
    return queryset.explain()


def _copies(template_pk: int, column: str, expression: str) -> None:
    """3,000 bulk copies of one vacancy (g = 1..3000), with ``column`` set to ``expression``."""
    columns = [f.column for f in Vacancy._meta.concrete_fields if not f.primary_key and f.column != column]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO vacancies_vacancy ({listed}, {column})
            SELECT {listed}, {expression}
            FROM vacancies_vacancy, generate_series(1, 3000) AS g WHERE id = %s
            """,
            [template_pk],
        )


def test_the_work_queue_reads_the_counts_not_the_matches(region):
    assert Match.objects.count() == VACANCIES * CANDIDATES
    for user in (CaseworkerFactory(employment_service=service("uwv")), UserFactory(role="admin")):
        queue = selectors.shortlists_needing_review(user=user, filters={})
        plan = _plan(queue[:20])
        assert "matching_match" not in plan, plan
        assert "matching_queuescope" in plan, plan
        assert len(list(queue)) == VACANCIES
        filtered = selectors.shortlists_needing_review(user=user, filters={"service": service("vdab"), "stem": True})
        assert "matching_match" not in _plan(filtered)


def test_the_shortlist_page_reads_one_vacancy_through_the_index(region):
    uwv = CaseworkerFactory(employment_service=service("uwv"))
    vacancy = region[0]
    for view in ("all", "proposed", "approved"):
        page = selectors.shortlist_for_caseworker(user=uwv, vacancy=vacancy, view=view)[:50]
        plan = _plan(page)
        # Not the matches' table (the decisions' table, matching_matchdecision, may be read whole
        # while it holds a few rows, as here).
        assert not re.search(r"Seq Scan on matching_match\b", plan), plan
        # An index on the vacancy (its own, or the one on vacancy and review status for a tab).
        on_vacancy = r"(Index (Only )?Scan using \S+ on matching_match|Bitmap Index Scan on \S+)\s.*\n\s*Index Cond: \(\(?vacancy_id = "
        assert re.search(on_vacancy, plan), plan


def test_the_keys_without_an_index_of_their_own_are_served_by_the_composite_ones(region):
    """Matches and near misses keep no single-column index on their keys (migration
    matching/0013): a candidate's rows (their page, erasure) come from the unique
    (candidate, vacancy) index, a reviewer's (SET NULL when the user is deleted) from the
    partial index of rows a caseworker decided."""
    candidate_id = Match.objects.values_list("candidate_id", flat=True).first()
    plan = _plan(Match.objects.filter(candidate_id=candidate_id))
    assert "match_unique_candidate_vacancy" in plan, plan
    assert not re.search(r"Seq Scan on matching_match\b", plan), plan
    plan = _plan(Match.objects.filter(reviewer_id=UserFactory().pk))
    assert "match_reviewer_set" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('matching_match', 'matching_nearmiss')"
        )
        indexes = dict(cursor.fetchall())
    single_key = [name for name, sql in indexes.items() if sql.endswith(("(candidate_id)", "(vacancy_id)"))]
    assert single_key == [], single_key
    assert {"match_unique_candidate_vacancy", "match_added_by_set", "match_reviewer_set"} <= indexes.keys()


def test_the_search_uses_the_gin_index_on_the_stored_vector(region):
    """Search over thousands of vacancies (bulk copies of one, each with its own stored vector)."""
    _copies(region[0].pk, "search_vector", "to_tsvector('simple', 'word' || g || ' zqx' || (g %% 300))")
    with connection.cursor() as cursor:
        # Every table of the query, not only the vacancies: with stale statistics for the employers
        # (one employer holding all 3,000 copies) the planner walks that employer's vacancies instead.
        cursor.execute("ANALYZE vacancies_vacancy; ANALYZE accounts_employer; ANALYZE taxonomy_occupation")
        # Fresh rows wait in the GIN index's pending list until a VACUUM merges them, and the planner
        # prices a scan of that list in (a seq scan then looks cheaper); merge it, as autovacuum would.
        cursor.execute("SELECT gin_clean_pending_list('vacancy_search_vector_gin'::regclass)")
    results = search_vacancies(vacancy_list_public(), "zqx7")
    plan = _plan(results[:20])
    assert "vacancy_search_vector_gin" in plan, plan
    assert "Seq Scan on vacancies_vacancy" not in plan, plan
    assert results.count() == 10


def test_a_page_of_the_work_queue_is_a_range_of_the_scope_index(region):
    """With thousands of vacancies waiting, a page is 20 entries of the index on (scope,
    waiting_since, vacancy) read in order (no sort, no grouping) and its count stays on an index."""
    template = Vacancy.objects.get(pk=region[0].pk)
    # Without the search vector: the copies stay out of the GIN index the search test reads
    # (its statistics and pending list outlive this test's rollback).
    columns = [f.column for f in Vacancy._meta.concrete_fields if not f.primary_key and f.column != "search_vector"]
    listed = ", ".join(columns)
    candidates = list(Match.objects.filter(vacancy=template).values_list("candidate_id", flat=True)[:3])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO vacancies_vacancy ({listed}) SELECT {listed} FROM vacancies_vacancy, "
            "generate_series(1, 3000) WHERE id = %s",
            [template.pk],
        )
        # One statement, as the worker writes: the counting triggers run once.
        cursor.execute(
            """
            INSERT INTO matching_match (candidate_id, vacancy_id, score, rank, factors, explanation,
                engine_version, is_flagged, flag_reasons, review_status, reason, note, candidate_response,
                created_at, updated_at)
            SELECT c, v.id, 0.5, NULL, '{}', '[]', 'test', false, '[]', 'proposed', '', '', 'pending',
                now() - (v.id %% 977) * interval '1 minute', now()
            FROM unnest(%s::bigint[]) AS c, vacancies_vacancy AS v WHERE v.id > %s
            """,
            [candidates, max(v.pk for v in region)],
        )
        cursor.execute("ANALYZE matching_queuescope; ANALYZE vacancies_vacancy")
    for user in (CaseworkerFactory(employment_service=service("uwv")), UserFactory(role="admin")):
        queue = selectors.shortlists_needing_review(user=user, filters={})
        assert queue.count() > 3000
        plan = _plan(queue[:20])
        assert "Index Scan using queuescope_page" in plan, plan
        assert "Sort" not in plan, plan
        assert "Aggregate" not in plan.split("\n")[0] or "queuescope" in plan, plan
        assert "matching_shortlistcount" not in plan, plan
        assert "matching_match" not in plan, plan
        count_plan = _plan(queue.order_by().values("vacancy"))
        assert "Seq Scan" not in count_plan, count_plan
        assert "Index" in count_plan, count_plan


def test_the_web_connection_runs_without_jit():
    """JIT compiling once cost 4.2 s on a 39 ms page query (settings: the web's connection options)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def test_the_search_page_computes_travel_times_for_its_page_only(client):
    """Text + travel time over 3,000 vacancies: the page's one query (its rows and their count)
    reads the travel-time columns for its 20 rows, not for every match (EXPLAIN ANALYZE's loops)."""
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    template = published_vacancy()
    places = list(Place.objects.order_by("pk").values_list("pk", flat=True))
    columns = [
        f.column
        for f in Vacancy._meta.concrete_fields
        if not f.primary_key and f.column not in ("search_vector", "place_id")
    ]
    listed = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO vacancies_vacancy ({listed}, place_id, search_vector)
            SELECT {listed}, (%s::bigint[])[1 + g %% %s], to_tsvector('simple', 'word' || g || ' zqx' || (g %% 30))
            FROM vacancies_vacancy, generate_series(1, 3000) AS g WHERE id = %s
            """,
            [places, len(places), template.pk],
        )
        # Every table of the query (see the test above): stale employer statistics lead the planner
        # to walk one employer's vacancies instead of the GIN index.
        cursor.execute("ANALYZE vacancies_vacancy; ANALYZE accounts_employer; ANALYZE taxonomy_occupation")
    origin = place("Vlissingen")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("vacancies:list"), {"q": "zqx1", "from_place": origin.pk, "max_minutes": 600})
    assert response.status_code == 200
    page = response.context["page_obj"]
    assert page.paginator.count == 100
    assert len(page.object_list) == 20
    assert page.object_list[0].commute_minutes is not None
    # The count comes with the page's rows (core.pagination): one query reads the vacancies.
    reads = [q["sql"] for q in queries if "vacancies_vacancy" in q["sql"] and "search_vector" in q["sql"]]
    assert len(reads) == 1, reads
    assert "OVER ()" in reads[0]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + reads[0])
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
    nodes = list(_nodes(plan[0]["Plan"]))
    # Which index finds the rows (the GIN index, or the travel-time filter's when it is more selective)
    # is the planner's choice here; the test above checks the GIN index. This one checks the loops.
    per_row = [n for n in nodes if n.get("Parent Relationship") == "SubPlan"]
    assert per_row, plan  # the travel-time columns
    assert all(n["Actual Loops"] <= 20 for n in per_row), [(n["Node Type"], n["Actual Loops"]) for n in per_row]


def test_the_newest_published_vacancies_are_read_from_the_index_in_order(region):
    """The home page's newest five (and every list in the default order) over 3,000 published
    vacancies: a walk of the partial index ``vacancy_published_newest``, no sort of them all."""
    _copies(region[0].pk, "published_at", "now() - g * interval '1 minute'")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vacancies_vacancy; ANALYZE accounts_employer; ANALYZE taxonomy_occupation")
    newest = vacancy_list_public(for_rows=True)[:5]
    plan = _plan(newest)
    assert "vacancy_published_newest" in plan, plan
    assert "Sort" not in plan, plan
    published = list(
        Vacancy.objects.published().order_by("-published_at", "-created_at").values_list("pk", flat=True)[:5]
    )
    assert [v.pk for v in newest] == published

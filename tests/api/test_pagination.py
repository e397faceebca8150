"""core/api/pagination.py: the matches list counts at most ``exact_up_to + 1`` rows; above that the
count is PostgreSQL's estimate and the pages are read with one row of lookahead (issue 15)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.api.pagination import EstimatedCountPaginator
from matching.models import ReviewStatus
from tests.factories import CandidateFactory, service

from .conftest import make_match

pytestmark = pytest.mark.django_db


def _count_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].upper().startswith("SELECT COUNT(")]


def test_a_small_list_keeps_its_exact_count_from_a_bounded_query(world):
    caseworker = world.client("caseworker_vdab")  # sees m2, m3
    with CaptureQueriesContext(connection) as queries:
        body = caseworker.get("/api/v1/matches").json()
    assert body["count"] == 2
    assert len(body["results"]) == 2
    assert body["next"] is None
    counts = _count_queries(queries)
    assert len(counts) == 1
    assert f"LIMIT {EstimatedCountPaginator.exact_up_to + 1}" in counts[0], counts


def test_past_the_bound_every_match_is_reached_by_following_next(world, monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 3)
    vacancy = world["vb_pub"]
    for _ in range(9):
        make_match(CandidateFactory(employment_service=service("vdab")), vacancy, ReviewStatus.PROPOSED)
    caseworker = world.client("caseworker_vdab")
    expected = caseworker.get("/api/v1/matches", {"page_size": 100}).json()
    assert expected["count"] > 3  # an estimate, at least the bound + 1
    assert len(expected["results"]) == 11
    seen, link, pages = [], "/api/v1/matches?page_size=4", 0
    while link:
        with CaptureQueriesContext(connection) as queries:
            body = caseworker.get(link).json()
        assert all("LIMIT 4" in sql for sql in _count_queries(queries))
        seen += [row["id"] for row in body["results"]]
        link, pages = body["next"], pages + 1
    assert pages == 3
    assert seen == [row["id"] for row in expected["results"]]
    assert caseworker.get("/api/v1/matches", {"page_size": 4, "page": 9}).status_code == 404
    assert caseworker.get("/api/v1/matches", {"page_size": 4, "page": "x"}).status_code == 404

"""bench_web on a tiny region for a few seconds: gunicorn really serves it, every page answers."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PAGES = {"healthz (floor)", "home", "vacancy page", "search", "work queue", "shortlist"}


@pytest.fixture
def employment_services():
    """The migration's services again: an earlier transactional test's flush may have emptied them."""
    from importlib import import_module

    from django.apps import apps

    import_module("accounts.migrations.0002_employment_services").add_services(apps, None)


def test_bench_web_drives_every_page_without_errors(employment_services):
    out = StringIO()
    call_command(
        "bench_web",
        candidates=60,
        vacancies=12,
        clients=2,
        seconds=1,
        workers=1,
        json=True,
        stdout=out,
        stderr=StringIO(),
    )
    report = json.loads(out.getvalue().strip().splitlines()[-1])
    pages = {row["page"]: row for row in report["pages"]}
    assert set(pages) >= PAGES
    assert any(name.startswith("API list page") for name in pages)
    assert report["matches"] > 0
    for row in report["pages"]:
        assert row["errors"] == 0, row
        assert row["requests"] > 0
        assert row["req_per_s"] > 0
        assert 0 < row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"]
    assert pages["healthz (floor)"]["p50_over_floor"] == 1.0
    assert all(row["p50_over_floor"] > 0 for row in report["pages"])

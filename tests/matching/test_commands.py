"""The matching commands print what a caseworker would see; the benchmark runs at a small size."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from matching.models import Match, RebuildRun
from tests.matching.conftest import make_candidate, make_vacancy

pytestmark = pytest.mark.django_db


def test_rematch_vacancy_and_shortlist_json(occupation, occupation_skills):
    candidate = make_candidate(occupation=occupation, skills=occupation_skills)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    call_command("rematch", "--vacancy", str(vacancy.pk), "--wait", stdout=StringIO())
    out = StringIO()
    call_command("shortlist", str(vacancy.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["vacancy"]["id"] == vacancy.pk
    assert [m["candidate_id"] for m in data["matches"]] == [candidate.pk]
    assert {"occupation", "skills"} <= set(data["matches"][0]["factors"])
    assert data["summary"]["candidates_total"] >= 1


def test_shortlist_text_names_the_reasons(occupation, occupation_skills):
    make_candidate(occupation=occupation, skills=occupation_skills[:1])
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills[:1], optional=occupation_skills[1:])
    call_command("rematch", "--vacancy", str(vacancy.pk), "--wait", stdout=StringIO())
    out = StringIO()
    call_command("shortlist", str(vacancy.pk), stdout=out)
    text = out.getvalue()
    assert vacancy.title in text
    assert "skills_met: met=1" in text


def test_rematch_all_wait_reports_the_run(occupation, occupation_skills):
    make_candidate(occupation=occupation, skills=occupation_skills)
    make_vacancy(occupation=occupation, skills=occupation_skills)
    out = StringIO()
    call_command("rematch", "--all", "--wait", stdout=out)
    run = RebuildRun.objects.latest("started_at")
    assert f"Rebuild {run.pk}: done" in out.getvalue()
    assert Match.objects.count() == 1


def test_rematch_needs_exactly_one_target():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rematch", "--all", "--vacancy", "1")


@pytest.mark.django_db(transaction=True)
def test_bench_matching_json_smoke(reference_data):
    """A smoke test of the command at a small size: the keys, not the timings."""
    out = StringIO()
    call_command(
        "bench_matching",
        "--candidates",
        "300",
        "--vacancies",
        "30",
        "--naive-pairs",
        "500",
        "--sql-vacancies",
        "5",
        "--worker",
        "--shards",
        "2",
        "--workers",
        "2",
        "--json",
        stdout=out,
    )
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    for key in ("engine", "floor", "naive", "sql"):
        assert result[key]["pairs_per_s"] > 0
    assert result["end_to_end"]["seconds"] > 0
    assert result["end_to_end"]["peak_rss_mb"] > 0
    assert result["candidates"] >= 300
    assert result["vacancies"] >= 30
    for key in ("engine_over_floor", "engine_over_floor_cpu", "engine_vs_naive", "engine_vs_sql"):
        assert result[key] > 0
    assert Match.objects.exists()  # the end-to-end rebuild persisted shortlists
    rebuild = result["rebuild_in_process"]  # vacancies_rematch in-process vs the engine's ranking, same run
    assert rebuild["rows"] > 0
    assert rebuild["engine_ranking_seconds"] > 0
    assert result["end_to_end_over_engine"] == rebuild["seconds"] / rebuild["engine_ranking_seconds"] > 1
    assert result["single_vacancy_engine"]["median_ms"] > 0
    sharded = result["sharded"]  # two real processes, each with only its shard
    assert sharded["sharded"]["shortlisted"] == sharded["one_worker"]["shortlisted"] > 0
    assert sharded["speed_up"] > 0
    assert sharded["speed_up_cpu"] > 0
    assert sharded["sharded"]["peak_rss_mb_per_worker"] > 0
    single = result["single_vacancy_rematch"]  # through Redis and a real worker process
    assert len(single["runs"]) == 5
    assert single["median_seconds"] > 0

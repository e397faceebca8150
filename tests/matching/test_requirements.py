"""The requirement panel on the Django side: stored by the vacancy rematch with database ids,
asked for again from the page (CSRF, once a minute), shown labelled to the vacancy's employer
and to caseworkers only."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from candidates.models import CandidateLanguage
from matching import shortlists
from matching.models import ShortlistSummary
from tests.factories import CaseworkerFactory, EmployerUserFactory, service
from tests.matching.conftest import make_candidate, make_vacancy
from tests.workspace_helpers import queries_of

pytestmark = pytest.mark.django_db


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture(autouse=True)
def _no_refresh_records():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(occupation, occupation_skills):
    full = make_candidate(occupation=occupation, skills=occupation_skills)
    lacking_last = make_candidate(occupation=occupation, skills=occupation_skills[:-1])
    a2 = make_candidate(occupation=occupation, skills=occupation_skills)
    CandidateLanguage.objects.filter(candidate=a2).update(level=2)  # A2 where B1 is asked
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    return {"vacancy": vacancy, "full": full, "lacking_last": lacking_last, "a2": a2}


def test_the_vacancy_rematch_stores_the_panel_with_database_ids(world, occupation_skills):
    summary = ShortlistSummary.objects.get(vacancy=world["vacancy"])
    panel = summary.requirement_costs
    assert summary.requirement_costs_at is not None
    assert panel["eligible"] == summary.eligible == 1  # the engine's own count
    skill_rows = {r["skill"]: r["extra"] for r in panel["rows"] if r["kind"] == "essential_skill"}
    assert skill_rows == {s.pk: int(s == occupation_skills[-1]) for s in occupation_skills}
    (language,) = [r for r in panel["rows"] if r["kind"] == "language"]
    assert language == {"kind": "language", "language": "nl", "current": 3, "relaxed": 2, "extra": 1}
    moves = [r for r in panel["rows"] if r["kind"] == "commute"]
    assert moves
    assert all(r["current"] == world["vacancy"].place_id for r in moves)
    assert all(r["relaxed"] != r["current"] for r in moves)


def test_the_employer_sees_the_panel_labelled_with_edit_links(client, world, occupation_skills):
    vacancy = world["vacancy"]
    client.force_login(vacancy.employer.users.first() or EmployerUserFactory(employer=vacancy.employer))
    html = client.get(url("vacancies:employer_vacancy_detail", "en", pk=vacancy.pk)).content.decode()
    assert "What each requirement costs" in html
    assert "1 candidate of 3 passes every requirement now." in html
    assert f"Essential skill: {occupation_skills[-1].label_en or occupation_skills[-1].label}" in html
    assert "Dutch at B1" in html
    edit = reverse("vacancies:employer_vacancy_update", kwargs={"pk": vacancy.pk})
    assert f'href="{edit}#id_essential_skills"' in html
    assert f'href="{edit}#id_language_nl"' in html
    with translation.override("nl"):
        html_nl = client.get(url("vacancies:employer_vacancy_detail", "nl", pk=vacancy.pk)).content.decode()
    assert "Wat elke eis kost" in html_nl
    assert "Nederlands op B1" in html_nl


def test_caseworkers_see_it_without_edit_links_and_other_employers_not_at_all(client, world):
    vacancy = world["vacancy"]
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))
    html = client.get(url("matching:shortlist", "en", pk=vacancy.pk)).content.decode()
    assert "What each requirement costs" in html
    assert "#id_essential_skills" not in html
    assert url("matching:requirement_costs", "en", pk=vacancy.pk) in html

    client.force_login(EmployerUserFactory())
    assert client.get(url("vacancies:employer_vacancy_detail", "en", pk=vacancy.pk)).status_code == 404
    response = client.post(url("matching:employer_requirement_costs", "en", pk=vacancy.pk))
    assert response.status_code == 404


def test_compute_again_runs_the_task_once_a_minute(client, world, django_capture_on_commit_callbacks):
    vacancy = world["vacancy"]
    ShortlistSummary.objects.filter(vacancy=vacancy).update(requirement_costs=None, requirement_costs_at=None)
    client.force_login(vacancy.employer.users.first() or EmployerUserFactory(employer=vacancy.employer))
    target = url("matching:employer_requirement_costs", "en", pk=vacancy.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the task runs eagerly in tests
        response = client.post(target, follow=True)
    assert response.redirect_chain[-1][0].endswith("#requirements")
    summary = ShortlistSummary.objects.get(vacancy=vacancy)
    assert summary.requirement_costs["eligible"] == 1
    html = response.content.decode()
    assert "The figures are being computed." in html

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        html = client.post(target, follow=True).content.decode()
    assert not callbacks
    assert "less than a minute ago" in html
    assert client.get(target).status_code == 405


def test_the_panel_costs_a_fixed_number_of_queries(
    client, world, django_assert_num_queries, occupation, occupation_skills
):
    vacancy = world["vacancy"]
    client.force_login(vacancy.employer.users.first() or EmployerUserFactory(employer=vacancy.employer))
    page = url("vacancies:employer_vacancy_detail", "en", pk=vacancy.pk)
    expected = queries_of(lambda: client.get(page))
    for _ in range(3):  # more candidates and rows: the same queries
        make_candidate(occupation=occupation, skills=occupation_skills[1:])
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    with django_assert_num_queries(expected):
        html = client.get(page).content.decode()
    assert re.search(r"\+3\b", html)  # the first skill dropped lets the three new ones in


def test_a_draft_never_matched_shows_no_panel(client, occupation, occupation_skills):
    from vacancies.models import VacancyStatus

    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills, status=VacancyStatus.DRAFT)
    client.force_login(EmployerUserFactory(employer=vacancy.employer))
    html = client.get(url("vacancies:employer_vacancy_detail", "en", pk=vacancy.pk)).content.decode()
    assert "What each requirement costs" not in html
    response = client.post(url("matching:employer_requirement_costs", "en", pk=vacancy.pk), follow=True)
    assert "Only a published vacancy can be matched." in response.content.decode()


def test_bench_requirements_prints_the_panel_and_the_rematch_side_by_side():
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_requirements", candidates=3000, vacancies=60, sample=4, json=True, stdout=out)
    figures = json.loads(out.getvalue().strip().splitlines()[-1])
    assert figures["sampled_vacancies"] == 4
    assert figures["panel_median_ms"] > 0
    assert figures["rematch_median_ms"] > 0
    ratio = figures["panel_median_ms"] / figures["rematch_median_ms"]
    assert figures["panel_over_rematch"] == pytest.approx(ratio, abs=0.01)
    assert figures["rebuild_ranking_per_vacancy_ms"] > 0

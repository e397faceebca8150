"""The figures on work and training (issue 12): near misses per STEM occupation, the skills that
close a gap per side of the border, training routes per side and per employment service."""

import csv
import datetime as dt
import io

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import ApplicationStatus
from matching.models import GapKind, NearMiss, NearMissSkill
from routes.models import RouteEvent, RouteOrigin, RouteStage, TrainingRoute
from taxonomy.models import Occupation, Skill
from tests.factories import CaseworkerFactory, EmployerUserFactory, UserFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_application, published_vacancy, queries_of
from training.models import Funding, TrainingOffer, TrainingProvider
from vacancies.models import VacancyStatus
from workspace import figures

pytestmark = pytest.mark.django_db
NOW = timezone.now


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs=kwargs or None)


def near_miss(vacancy, candidate, kind, skills=(), rank=1):
    gap = {
        "kind": kind,
        "skills": [s.pk for s in skills],
        "language": {"code": "nl", "required": 4, "has": 3} if kind == GapKind.LANGUAGE else None,
        "education": {"required": 4, "has": 3} if kind == GapKind.EDUCATION else None,
    }
    row = NearMiss.objects.create(
        vacancy=vacancy, candidate=candidate, score=0.7, rank=rank, kind=kind, gap=gap, engine_version="test"
    )
    NearMissSkill.objects.bulk_create([NearMissSkill(near_miss=row, skill=s) for s in skills])
    return row


def offer() -> TrainingOffer:
    provider = TrainingProvider.objects.create(name="Testopleidingen", country="NL", is_demo=True)
    return TrainingOffer.objects.create(
        provider=provider,
        reference="T-1",
        title_nl="Heftruck",
        title_fr="Chariot",
        title_en="Forklift",
        duration_weeks=1,
        hours_total=16,
        place=place("Terneuzen"),
        instruction_language="nl",
        funding=Funding.UWV_BUDGET,
    )


def route(candidate, training, stage, *, completed_at=None, created_at=None):
    made = TrainingRoute.objects.create(candidate=candidate, offer=training, origin=RouteOrigin.NEAR_MISS, stage=stage)
    if completed_at:
        event = RouteEvent.objects.create(route=made, stage=RouteStage.COMPLETED)
        RouteEvent.objects.filter(pk=event.pk).update(at=completed_at)
    if created_at:
        TrainingRoute.objects.filter(pk=made.pk).update(created_at=created_at)
    return made


def hired(candidate, at):
    application = make_application(vacancy=published_vacancy(), candidate=candidate, status=ApplicationStatus.HIRED)
    application.history.update(at=at)


@pytest.fixture
def world():
    occ1, occ2 = Occupation.objects.filter(is_stem=True).order_by("uri")[:2]
    # Skills whose Dutch label differs from the English one: the labels follow the language.
    s1, s2, s3 = Skill.objects.exclude(label_nl="").exclude(label_nl=F("label_en")).order_by("uri")[:3]
    v1 = published_vacancy(occupation=occ1, is_stem=True)
    v2 = published_vacancy(occupation=occ2, is_stem=True)
    v_other = published_vacancy(occupation=occ1, is_stem=False)
    v_closed = published_vacancy(occupation=occ1, is_stem=True, status=VacancyStatus.CLOSED)
    nl1 = candidate_with_profile(service_code="uwv", first_name="Nina")
    nl2 = candidate_with_profile(service_code="uwv", first_name="Noor")
    be1 = candidate_with_profile(service_code="vdab", country="BE", home="Zelzate", cross_border=True)
    near_miss(v1, nl1, GapKind.SKILLS, [s1, s2])
    near_miss(v1, be1, GapKind.SKILLS, [s1], rank=2)
    near_miss(v1, nl2, GapKind.LANGUAGE, rank=3)
    near_miss(v2, nl1, GapKind.EDUCATION)
    near_miss(v_other, nl2, GapKind.SKILLS, [s3])  # not STEM: only in the skills figure
    near_miss(v_closed, be1, GapKind.SKILLS, [s2])  # not open: in neither
    training = offer()
    now = NOW()
    route(nl1, training, RouteStage.COMPLETED, completed_at=now - dt.timedelta(days=5))
    hired(nl1, now - dt.timedelta(days=1))  # hired after completing: a placement
    route(be1, training, RouteStage.COMPLETED, completed_at=now - dt.timedelta(days=1))
    hired(be1, now - dt.timedelta(days=10))  # hired before completing: not the route's placement
    route(nl2, training, RouteStage.PROPOSED)
    route(be1, training, RouteStage.DROPPED)
    route(nl2, training, RouteStage.STARTED, created_at=now - dt.timedelta(days=400))  # outside the period
    return {"occ": (occ1, occ2), "skills": (s1, s2, s3)}


def test_near_misses_per_stem_occupation_by_kind_with_distinct_candidates(world):
    occ1, occ2 = world["occ"]
    with translation.override("en"):
        figure = figures.near_misses_by_occupation()
        assert figure.categories == [occ1.label, occ2.label]
        assert figure.header == [
            "Occupation",
            "Essential skills missing",
            "Language level one step too low",
            "Education level one step too low",
            "Total",
            "Candidates",
        ]
    assert figure.rows[0][1:] == [2, 1, 0, 3, 3]
    assert figure.rows[1][1:] == [0, 0, 1, 1, 1]
    assert figure.total == 4  # the candidates column is not added to the chart's total
    with translation.override("nl"):
        assert figures.near_misses_by_occupation().title == "Bijna-matches per STEM-beroep"


def test_skills_that_close_a_gap_per_country_of_the_candidate(world):
    s1, s2, s3 = world["skills"]
    with translation.override("nl"):
        figure = figures.gap_skills_by_country()
        assert figure.categories == [s1.label, *sorted([s2.label, s3.label])]
        assert figure.categories[0] == s1.label_nl
        assert [name for name, _values in figure.series] == ["Nederland", "België"]
    rows = {row[0]: row[1:] for row in figure.rows}
    assert rows[s1.label_nl] == [1, 1, 2]
    assert rows[s2.label_nl] == [1, 0, 1]  # the closed vacancy's near miss is left out
    assert rows[s3.label_nl] == [1, 0, 1]
    with translation.override("en"):
        top = figures.gap_skills_by_country(top=1)
    assert top.categories == [s1.label_en]


def test_routes_per_side_of_the_border_and_per_service(world):
    with translation.override("en"):
        by_country = figures.routes_by_country(months=12)
        by_service = figures.routes_by_service(months=12)
        header = by_country.header  # built in the active language
    assert header == [
        "Country",
        "Proposed",
        "Accepted by the jobseeker",
        "Declined by the jobseeker",
        "Started",
        "Completed",
        "Dropped",
        "Total",
        "Completed, then placed",
    ]
    assert by_country.rows == [["Netherlands", 1, 0, 0, 0, 1, 0, 2, 1], ["Belgium", 0, 0, 0, 0, 1, 1, 2, 0]]
    rows = {row[0]: row[1:] for row in by_service.rows}
    assert rows == {
        "UWV": [1, 0, 0, 0, 1, 0, 2, 1],
        "VDAB": [0, 0, 0, 0, 1, 1, 2, 0],
        "WSP Zeeuws-Vlaanderen": [0, 0, 0, 0, 0, 0, 0, 0],
    }
    # A longer period takes in the old route.
    assert figures.routes_by_country(months=24).rows[0][4] == 1
    assert sum(row[-2] for row in figures.routes_by_service(months=24).rows) == 5


def test_the_csv_has_the_table_in_the_users_language(client, world):
    client.force_login(CaseworkerFactory(employment_service=service("vdab")))
    s1 = world["skills"][0]
    response = client.get(url("figure_csv", "en", slug="gap-skills"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Skill", "Netherlands", "Belgium", "Total"]
    assert rows[1] == [s1.label_en, "1", "1", "2"]
    routes_csv = client.get(url("figure_csv", "en", slug="routes-by-country"), {"months": "12"})
    lines = list(csv.reader(io.StringIO(routes_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][-1] == "Completed, then placed"
    assert lines[1] == ["Netherlands", "1", "0", "0", "0", "1", "0", "2", "1"]


def test_only_caseworkers_get_the_figures_and_they_hold_no_names(client, world):
    for user in (UserFactory(), EmployerUserFactory()):
        client.force_login(user)
        assert client.get(url("figure_csv", slug="near-misses-by-occupation")).status_code in (302, 403)
    client.force_login(CaseworkerFactory(employment_service=service("wsp-zvl")))
    html = client.get(url("figures", "en")).content.decode()
    for slug in ("near-misses-by-occupation", "gap-skills", "routes-by-country", "routes-by-service"):
        assert f'id="{slug}"' in html
    assert "Nina" not in html
    assert "Noor" not in html


def test_the_figures_page_runs_the_same_queries_for_more_rows(client, world, django_assert_num_queries):
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))
    before = queries_of(lambda: client.get(url("figures")))
    s1, s2, s3 = world["skills"]
    training = TrainingOffer.objects.get()
    for i in range(3):
        candidate = candidate_with_profile(service_code="wsp-zvl", first_name=f"Extra{i}")
        vacancy = published_vacancy(occupation=Occupation.objects.filter(is_stem=True).order_by("uri")[2 + i])
        near_miss(vacancy, candidate, GapKind.SKILLS, [s3, s2])
        route(candidate, training, RouteStage.ACCEPTED)
    with django_assert_num_queries(before):
        response = client.get(url("figures"))
    assert response.status_code == 200

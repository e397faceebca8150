"""The caseworkers' figures: the counts, the months, and the SVG charts (accessible, valid)."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.utils import timezone, translation

from applications.models import ApplicationStatus, ApplicationStatusChange
from matching.models import MatchDecision, ReviewStatus
from taxonomy.models import Occupation
from tests.factories import CaseworkerFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_application, make_match, published_vacancy
from vacancies.models import VacancyStatus
from workspace import figures

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def test_month_starts_cross_the_year():
    assert figures.month_starts(3, today=dt.date(2026, 2, 14)) == [
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    ]


@pytest.mark.parametrize(
    ("value", "top", "step"), [(0, 1, 1), (3, 3, 1), (7, 8, 2), (40, 40, 10), (97, 100, 50), (1234, 1500, 500)]
)
def test_nice_ceiling(value, top, step):
    assert figures.nice_ceiling(value) == (top, step)


def test_open_vacancies_by_sector_and_stem():
    chemical = Occupation.objects.filter(sector="chemical").first()
    office = Occupation.objects.filter(sector="office").first()
    published_vacancy(occupation=chemical, is_stem=True)
    published_vacancy(occupation=chemical, is_stem=True)
    published_vacancy(occupation=chemical, is_stem=False)
    published_vacancy(occupation=office, is_stem=False)
    published_vacancy(occupation=office, status=VacancyStatus.CLOSED)  # not open
    published_vacancy(occupation=office, expires_at=timezone.now() - dt.timedelta(days=1))  # expired
    with translation.override("en"):
        figure = figures.vacancies_by_sector()
    assert figure.categories == ["Chemical industry", "Office and administration"]
    assert figure.series == [("STEM", [2, 0]), ("Not STEM", [1, 1])]
    assert figure.rows == [["Chemical industry", 2, 1, 3], ["Office and administration", 0, 1, 1]]
    assert figure.total == 4


def test_decisions_per_month_and_per_service():
    vacancy = published_vacancy()
    match = make_match(vacancy=vacancy, candidate=candidate_with_profile())
    reviewer = CaseworkerFactory(employment_service=service("uwv"))
    MatchDecision.objects.create(match=match, decision=ReviewStatus.APPROVED, reviewer=reviewer, reviewer_service="uwv")
    MatchDecision.objects.create(
        match=match, decision=ReviewStatus.REJECTED, reviewer=reviewer, reviewer_service="vdab"
    )
    old = MatchDecision.objects.create(
        match=match, decision=ReviewStatus.APPROVED, reviewer=reviewer, reviewer_service="uwv"
    )
    MatchDecision.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=800))
    figure = figures.decisions_per_month(months=12)
    assert len(figure.categories) == 12
    assert figure.series[0][1][-1] == 1
    assert figure.series[1][1][-1] == 1
    assert sum(figure.series[0][1]) == 1  # the old one is outside the period
    only_uwv = figures.decisions_per_month(months=6, service=service("uwv"))
    assert [sum(values) for _, values in only_uwv.series] == [1, 0]


def test_cross_border_matches_and_placements_per_service():
    be_vacancy = published_vacancy(place=place("Zelzate"))
    nl_vacancy = published_vacancy(place=place("Terneuzen"))
    across = candidate_with_profile(service_code="uwv", cross_border=True)  # lives in NL
    home = candidate_with_profile(service_code="wsp-zvl")
    make_match(vacancy=be_vacancy, candidate=across, review_status=ReviewStatus.APPROVED, reviewed_at=timezone.now())
    make_match(vacancy=nl_vacancy, candidate=home, review_status=ReviewStatus.APPROVED, reviewed_at=timezone.now())
    make_match(vacancy=be_vacancy, candidate=home, review_status=ReviewStatus.PROPOSED)
    figure = figures.cross_border_matches_per_month(months=12)
    per_service = {name: sum(values) for name, values in figure.series}
    assert per_service == {"UWV": 1, "VDAB": 0, "WSP Zeeuws-Vlaanderen": 0}

    application = make_application(vacancy=nl_vacancy, candidate=home, status=ApplicationStatus.OFFER)
    ApplicationStatusChange.objects.create(application=application, from_status="offer", to_status="hired")
    placements = figures.placements_per_month(months=12)
    assert {name: values[-1] for name, values in placements.series}["WSP Zeeuws-Vlaanderen"] == 1


def test_the_chart_is_valid_accessible_svg():
    figure = figures.Figure(
        slug="demo",
        title="Tom & Jerry <test>",
        description="A description",
        category_label="M",
        categories=["jan", "feb", "a very long category label"],
        series=[("A", [1, 0, 5]), ("B", [2, 3, 0])],
        stacked=True,
    )
    root = ElementTree.fromstring(str(figure.svg()))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Tom & Jerry <test>"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 4  # one per non-zero value
    assert sorted(bar.find(f"{SVG}title").text for bar in bars)[0] == "a very long category label, A: 5"
    grouped = figures.Figure(
        slug="g", title="t", description="d", category_label="M", categories=["x"], series=[("A", [1]), ("B", [2])]
    )
    assert len(ElementTree.fromstring(str(grouped.svg())).findall(f"{SVG}rect")) == 2


def test_an_empty_chart_says_so():
    with translation.override("en"):
        figure = figures.Figure(slug="e", title="t", description="d", category_label="M", categories=[], series=[])
        svg = str(figure.svg())
    assert "No data in this period." in svg
    ElementTree.fromstring(svg)

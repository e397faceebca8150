"""Bias monitoring (AI Act Art. 9, 10, 27): the selection-rate report finds a known disparity,
and its page, CSV and command print the same numbers."""

import csv
import datetime as dt
import io
import json
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationStatus
from candidates.models import Candidate
from matching import shortlists
from matching.models import CandidateResponse, ReviewStatus
from tests.factories import CaseworkerFactory, place
from tests.workspace_helpers import (
    candidate_with_profile,
    make_application,
    make_match,
    published_vacancy,
    queries_of,
)
from workspace import bias

pytestmark = pytest.mark.django_db

URBAN_HOME, RURAL_HOME = "Terneuzen", "Axel"  # 27,930 and 8,149 inhabitants (GeoNames)


def test_home_places_fall_on_both_sides_of_the_threshold():
    assert place(URBAN_HOME, "NL").population >= bias.URBAN_POPULATION > place(RURAL_HOME, "NL").population
    assert bias.urbanity(place(URBAN_HOME, "NL").population) == "urban"
    assert bias.urbanity(place(RURAL_HOME, "NL").population) == "rural"
    assert bias.urbanity(None) == "unknown"


@pytest.mark.parametrize(
    ("year_of_birth", "band"),
    [
        (None, "unknown"),
        (2005, "<25"),
        (2001, "25-34"),
        (1992, "25-34"),
        (1991, "35-44"),
        (1980, "45-54"),
        (1960, "55+"),
    ],
)
def test_age_bands(year_of_birth, band):
    assert bias.age_band(year_of_birth, year=2026) == band


def _world(*, per_group: int = 40, urban_excluded: int = 8, rural_excluded: int = 16):
    """One open vacancy that starts in two weeks; candidates who are available only next year
    fail its hard filter "not available in time". Rural candidates are excluded twice as often."""
    today = timezone.localdate()
    vacancy = published_vacancy(place=place("Terneuzen"), start_date=today + dt.timedelta(days=14))
    groups = {}
    for home, excluded in ((URBAN_HOME, urban_excluded), (RURAL_HOME, rural_excluded)):
        members = []
        for i in range(per_group):
            candidate = candidate_with_profile(home=home)
            if i < excluded:
                Candidate.objects.filter(pk=candidate.pk).update(
                    available_from=today + dt.timedelta(days=365), updated_at=timezone.now()
                )
            members.append(candidate)
        groups[home] = members
    return vacancy, groups


def _row(rows, dimension, group, stage):
    (row,) = [r for r in rows if r.dimension == dimension and r.group == group and r.stage == stage]
    return row


def test_rural_candidates_excluded_twice_as_often_are_flagged():
    vacancy, groups = _world()
    # Later stages: a quarter of each group's eligible candidates is shortlisted, approved and
    # accepted (8 of 32 urban, 6 of 24 rural): no new disparity there, one hire each.
    for home, shortlisted in ((URBAN_HOME, 8), (RURAL_HOME, 6)):
        for candidate in groups[home][-shortlisted:]:
            make_match(
                vacancy=vacancy,
                candidate=candidate,
                review_status=ReviewStatus.APPROVED,
                reviewed_at=timezone.now(),
                candidate_response=CandidateResponse.ACCEPTED,
                responded_at=timezone.now(),
            )
        make_application(vacancy=vacancy, candidate=groups[home][-1], status=ApplicationStatus.HIRED)

    report = bias.selection_report()
    rows = report.rows_overall
    urban_eligible = _row(rows, "urbanity", "urban", "eligible")
    rural_eligible = _row(rows, "urbanity", "rural", "eligible")
    assert (urban_eligible.previous, urban_eligible.candidates) == (40, 32)  # 80% pass
    assert (rural_eligible.previous, rural_eligible.candidates) == (40, 24)  # 60% pass
    assert rural_eligible.step_ratio == pytest.approx(0.75)
    assert rural_eligible.overall_ratio == pytest.approx(0.75)
    assert rural_eligible.flag
    assert not urban_eligible.flag
    assert rural_eligible in report.flagged

    # Shortlisting adds no disparity of its own (step ratio 1), but the rural group's overall
    # rate still carries the exclusions: 6 of 40 against 8 of 40, flagged.
    urban, rural = _row(rows, "urbanity", "urban", "shortlisted"), _row(rows, "urbanity", "rural", "shortlisted")
    assert (urban.candidates, rural.candidates) == (8, 6)
    assert rural.step_ratio == pytest.approx(1.0)
    assert rural.overall_ratio == pytest.approx(0.75)
    assert rural.flag
    assert not urban.flag
    for stage in ("approved", "accepted"):
        assert _row(rows, "urbanity", "rural", stage).step_ratio == pytest.approx(1.0)
    urban, rural = _row(rows, "urbanity", "urban", "hired"), _row(rows, "urbanity", "rural", "hired")
    assert urban.candidates == rural.candidates == 1
    assert rural.overall_ratio == pytest.approx(1.0)
    assert urban.step_ratio == pytest.approx(0.75)  # 1 of 8 against 1 of 6 ...
    assert not urban.flag  # ... but 8 is far below MIN_GROUP_SIZE: no flag

    # Every candidate lives on the south bank, in the Netherlands: one group, nothing to compare.
    assert not _row(rows, "bank", "south", "eligible").flag
    assert _row(rows, "country", "NL", "scored").candidates == 80
    assert _row(rows, "age_band", "unknown", "scored").candidates == 80

    # The monthly view counts this month's matches; "eligible" is not part of it.
    this_month = report.months[-1].strftime("%Y-%m")
    monthly = [r for r in report.rows_monthly if r.period == this_month]
    assert _row(monthly, "urbanity", "rural", "approved").candidates == 6
    assert not [r for r in report.rows_monthly if r.stage == "eligible"]


def test_no_flag_without_disparity_and_none_for_small_groups():
    _world(per_group=40, urban_excluded=8, rural_excluded=9)  # 80% and 77.5%: ratio 0.97
    rows = bias.selection_report(months=0).rows_overall
    assert not [r for r in rows if r.flag]
    Candidate.objects.all().delete()
    _world(per_group=10, urban_excluded=0, rural_excluded=8)  # a large gap, but only 10 each
    rows = bias.selection_report(months=0).rows_overall
    rural = _row(rows, "urbanity", "rural", "eligible")
    assert rural.step_ratio == pytest.approx(0.2)
    assert not rural.flag  # fewer than MIN_GROUP_SIZE candidates: shown, not flagged


def test_service_filter_and_since():
    vacancy, groups = _world(per_group=5, urban_excluded=0, rural_excluded=0)
    old = make_match(vacancy=vacancy, candidate=groups[URBAN_HOME][0])
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    make_match(vacancy=vacancy, candidate=groups[URBAN_HOME][1])
    rows = bias.selection_report(since=timezone.localdate() - dt.timedelta(days=30), months=0).rows_overall
    assert _row(rows, "urbanity", "urban", "shortlisted").candidates == 1
    assert _row(rows, "urbanity", "urban", "shortlisted").period.startswith("since ")
    rows = bias.selection_report(months=0).rows_overall
    assert _row(rows, "urbanity", "urban", "shortlisted").candidates == 2
    vdab = candidate_with_profile(service_code="vdab", country="BE", home="Zelzate")
    rows = bias.selection_report(service=vdab.employment_service, months=0).rows_overall
    assert {r.group for r in rows if r.dimension == "service"} == {"vdab"}
    assert _row(rows, "country", "BE", "scored").candidates == 1


class _RatesTable(HTMLParser):
    """The overall tables of the page: (dimension, group, stage) -> the numeric cells."""

    def __init__(self):
        super().__init__()
        self.rows, self.dimension, self.current, self.cells, self.in_td = {}, None, None, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-dimension" in attrs:
            self.dimension = attrs["data-dimension"]
        elif tag == "tr" and "data-stage" in attrs and self.dimension:
            self.current, self.cells = (self.dimension, attrs["data-group"], attrs["data-stage"]), []
        elif tag == "td" and self.current:
            self.in_td = True
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "td":
            self.in_td = False
        elif tag == "tr" and self.current:
            self.rows[self.current] = [c.strip() for c in self.cells[1:7]]  # after the stage's name
            self.current = None
        elif tag == "table":
            self.dimension = None

    def handle_data(self, data):
        if self.in_td and self.current:
            self.cells[-1] += data


def test_page_csv_and_command_agree(client):
    _world()
    client.force_login(CaseworkerFactory())

    out = io.StringIO()
    call_command("selection_rates", "--json", stdout=out)
    command_rows = json.loads(out.getvalue())["rows"]
    assert any(r["flag"] == "yes" and r["group"] == "rural" and r["stage"] == "eligible" for r in command_rows)

    response = client.get(reverse("workspace:selection_rates_csv"))
    assert response.status_code == 200
    text = response.content.decode("utf-8").lstrip("\ufeff")
    csv_rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert tuple(csv_rows[0]) == bias.CSV_HEADER
    label = bias.CSV_HEADER.index("group_label")  # the page and CSV speak Dutch, the command English
    assert [row[:label] + row[label + 1 :] for row in csv_rows[1:]] == [
        [str(v) for k, v in r.items() if k != "group_label"] for r in command_rows
    ]

    response = client.get(reverse("workspace:selection_rates"))
    assert response.status_code == 200
    page = _RatesTable()
    page.feed(response.content.decode())
    overall = [r for r in command_rows if r["period"] == "all"]
    assert len(page.rows) == len(overall)
    for r in overall:
        numbers = [
            str(r[k]) for k in ("candidates", "previous", "step_rate", "step_ratio", "overall_rate", "overall_ratio")
        ]
        assert page.rows[(r["dimension"], r["group"], r["stage"])] == numbers
    assert b"<svg" in response.content
    assert b"badge--flagged" in response.content


def test_command_text_output_and_errors():
    _world()
    out = io.StringIO()
    call_command("selection_rates", "--months", "0", stdout=out)
    text = out.getvalue()
    assert "urbanity" in text
    assert "flagged" in text
    assert "Rural" in text
    with pytest.raises(Exception, match="Unknown employment service"):
        call_command("selection_rates", "--service", "nope", stdout=io.StringIO())
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("selection_rates", "--since", "yesterday", stdout=io.StringIO())


def test_the_page_runs_a_fixed_number_of_queries(client):
    """The report reads each table once: more candidates, matches and hires add no query."""
    client.force_login(CaseworkerFactory())
    url = reverse("workspace:selection_rates")

    def cold_page():
        shortlists._cache.clear()  # the engine's inputs and the eligibility, built again
        bias._eligible_cache.clear()
        assert client.get(url).status_code == 200

    vacancy, groups = _world(per_group=2, urban_excluded=0, rural_excluded=1)
    make_match(vacancy=vacancy, candidate=groups[URBAN_HOME][0], review_status=ReviewStatus.APPROVED)
    small = queries_of(cold_page)
    _vacancy, more = _world(per_group=6, urban_excluded=2, rural_excluded=3)
    for candidate in more[RURAL_HOME][-3:]:
        make_match(vacancy=vacancy, candidate=candidate, review_status=ReviewStatus.APPROVED)
        make_application(vacancy=vacancy, candidate=candidate, status=ApplicationStatus.HIRED)
    assert queries_of(cold_page) == small


def test_page_csv_and_command_agree_for_a_service_and_a_start_day(client):
    vacancy, groups = _world(per_group=5, urban_excluded=1, rural_excluded=2)
    make_match(vacancy=vacancy, candidate=groups[RURAL_HOME][-1], review_status=ReviewStatus.APPROVED)
    candidate_with_profile(service_code="vdab", country="BE", home="Zelzate")
    client.force_login(CaseworkerFactory())
    since = (timezone.localdate() - dt.timedelta(days=7)).isoformat()
    out = io.StringIO()
    call_command("selection_rates", "--json", "--service", "uwv", "--since", since, stdout=out)
    command = json.loads(out.getvalue())
    assert command["service"] == "uwv"
    assert {r["period"] for r in command["rows"]} >= {f"since {since}"}
    query = {"service": "uwv", "since": since}
    text = client.get(reverse("workspace:selection_rates_csv"), query).content.decode().lstrip("\ufeff")
    csv_rows = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    numbers = [row[:3] + row[4:] for row in csv_rows]
    assert numbers == [[str(v) for k, v in r.items() if k != "group_label"] for r in command["rows"]]
    assert not [row for row in csv_rows if row[1] == "country" and row[2] == "BE"]  # the VDAB candidate
    page = _RatesTable()
    page.feed(client.get(reverse("workspace:selection_rates"), query).content.decode())
    assert page.rows[("urbanity", "rural", "approved")][0] == "1"

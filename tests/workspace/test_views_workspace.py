"""The caseworkers' back office: the work queue, the full rebuild and the figures (vacancy
moderation and employer verification are tested with their apps' pages)."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching.models import RebuildRun
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, place, service
from tests.matching.conftest import make_candidate, make_vacancy
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy, queries_of
from vacancies.models import VacancyStatus
from workspace.figures import FIGURE_SLUGS

pytestmark = pytest.mark.django_db


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs=kwargs or None)


@pytest.fixture
def uwv(client):
    user = CaseworkerFactory(employment_service=service("uwv"), first_name="Ria", last_name="Kok")
    client.force_login(user)
    return user


@pytest.fixture
def vacancy():
    return published_vacancy(place=place("Terneuzen"))


# --- access -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["work_queue", "figures", "rebuild_status"])
def test_caseworker_pages_need_a_caseworker(client, name):
    assert client.get(url(name)).status_code == 302
    for user in (UserFactory(), EmployerUserFactory()):
        client.force_login(user)
        assert client.get(url(name)).status_code == 403
    client.force_login(CaseworkerFactory())
    assert client.get(url(name)).status_code == 200


def test_rebuild_is_for_portal_admins_only(client):
    client.force_login(CaseworkerFactory())
    assert client.get(url("rebuild")).status_code == 403
    assert client.post(url("rebuild")).status_code == 403
    assert not RebuildRun.objects.exists()


# --- work queue ---------------------------------------------------------------------------------


def test_work_queue_lists_what_waits(client, uwv, vacancy):
    make_match(vacancy=vacancy, candidate=candidate_with_profile(service_code="uwv"))
    in_review = published_vacancy(
        employer=EmployerFactory(is_verified=False, legal_name="Nieuw Bedrijf B.V."),
        status=VacancyStatus.IN_REVIEW,
        title="Lasser in review",
    )
    response = client.get(url("work_queue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert vacancy.title in html
    assert reverse("matching:shortlist", kwargs={"pk": vacancy.pk}) in html
    assert "Lasser in review" in html
    assert reverse("workspace:vacancy_review", kwargs={"pk": in_review.pk}) in html
    assert "Nieuw Bedrijf B.V." in html


def test_work_queue_filters_and_bad_filter_values(client, uwv):
    stem = published_vacancy(is_stem=True, title="STEM-vacature")
    other = published_vacancy(is_stem=False, title="Andere vacature", place=place("Zelzate"))
    for v in (stem, other):
        make_match(vacancy=v, candidate=candidate_with_profile(service_code="uwv"))
    html = client.get(url("work_queue"), {"stem": "yes"}).content.decode()
    assert "STEM-vacature" in html
    assert "Andere vacature" not in html
    html = client.get(url("work_queue"), {"country": "BE"}).content.decode()
    assert "Andere vacature" in html
    assert "STEM-vacature" not in html
    response = client.get(url("work_queue", "en"), {"country": "XX", "place": "abc", "service": "nope", "page_s": "x"})
    assert response.status_code == 200
    assert "Some filters were not valid and are ignored." in response.content.decode()


def test_work_queue_query_count_is_constant(client, uwv, django_assert_num_queries):
    def add_rows():
        v = published_vacancy()
        make_match(vacancy=v, candidate=candidate_with_profile(service_code="uwv"))
        published_vacancy(employer=EmployerFactory(is_verified=False), status=VacancyStatus.IN_REVIEW)

    add_rows()
    one = queries_of(lambda: client.get(url("work_queue")))
    for _ in range(4):
        add_rows()
    with django_assert_num_queries(one):
        response = client.get(url("work_queue"))
    assert len(response.context["shortlist_rows"]) == 5
    assert len(response.context["vacancies"].object_list) == 5


def test_work_queue_reads_the_services_once_and_skips_empty_tables(client, uwv, django_assert_num_queries):
    """Issue 15: 14 queries for a caseworker's queue with shortlists and companies waiting: the
    session, the user and its 2FA device; the four tables' counts; the shortlists' page and their
    vacancies; the companies' page; the employment services, once (the filter's options, the
    user's own service and the "Verified by" names were three queries); the rebuild; the pauses;
    the places' version (the place filter). The empty tables (vacancies in review, requests for
    review) add no query for their rows."""
    make_match(vacancy=published_vacancy(), candidate=candidate_with_profile(service_code="uwv"))
    EmployerFactory(is_verified=False, belgian=True, legal_name="Kanaalzone BV")
    client.get(url("work_queue"))
    with django_assert_num_queries(14):
        response = client.get(url("work_queue"))
    html = response.content.decode()
    assert '<p class="muted">UWV · Ria Kok</p>' in html
    assert "Kanaalzone BV" in html
    assert "Geverifieerd door VDAB" in html  # a Belgian company: the service that decides it
    # The filter's options from the same read, the chosen one selected (it still validates).
    html = client.get(url("work_queue"), {"service": "vdab"}).content.decode()
    assert '<option value="vdab" selected>VDAB</option>' in html
    assert '<option value="uwv">UWV</option>' in html
    assert "Kanaalzone BV" in html


def test_work_queue_shortlist_pages_equal_djangos_paginator(client, uwv, monkeypatch):
    """The shortlists' pages and count (two index range scans on the queue's rows per scope)."""
    from django.core.paginator import Paginator

    from workspace import selectors, views_workspace

    monkeypatch.setattr(views_workspace, "QUEUE_PAGE_SIZE", 2)
    for _ in range(5):
        make_match(vacancy=published_vacancy(), candidate=candidate_with_profile(service_code="uwv"))
    rows = selectors.work_queue(user=uwv, filters={}).shortlists
    for number in ("1", "2", "3", "4", "x", "0", None):
        expected = Paginator(rows, 2).get_page(number)
        page = client.get(url("work_queue"), {"page_s": number} if number else {}).context["shortlists"]
        assert page.number == expected.number
        assert page.paginator.count == expected.paginator.count == 5
        assert [row["vacancy"] for row in page.object_list] == [row["vacancy"] for row in expected.object_list]
    assert page.paginator.num_pages == 3


# --- rebuild with the real worker (tasks run eagerly in tests) ---------------------------------


def test_rebuild_all_with_progress(client, occupation, occupation_skills, django_capture_on_commit_callbacks):
    make_vacancy(occupation=occupation, skills=occupation_skills)
    make_candidate(occupation=occupation, skills=occupation_skills)
    client.force_login(UserFactory(role="admin", is_staff=True, is_superuser=True))
    assert client.get(url("rebuild")).status_code == 200
    assert client.get(url("rebuild_status")).json()["status"] == "none"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("rebuild")).status_code == 302
    run = RebuildRun.objects.get()
    status = client.get(url("rebuild_status")).json()
    assert status["id"] == run.pk
    assert status["chunks_total"] >= 1
    assert status["status"] == run.status
    assert 0 <= status["progress"] <= 1
    html = client.get(url("rebuild")).content.decode()
    assert "<progress" in html
    assert 'data-rebuild-status-url="{}"'.format(url("rebuild_status")) in html


# --- figures ------------------------------------------------------------------------------------


def test_figures_page_has_charts_tables_and_csv(client, uwv, vacancy):
    response = client.get(url("figures", "en"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == len(FIGURE_SLUGS)
    assert html.count("<table") == len(FIGURE_SLUGS)
    csv = client.get(url("figure_csv", slug="vacancies-by-sector"), {"months": "6"})
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    assert client.get(url("figure_csv", slug="nonsense")).status_code == 404
    assert client.get(url("figures"), {"months": "999", "service": "x"}).status_code == 200

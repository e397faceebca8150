"""Integration: the requirement panel through a real Redis broker, a real Celery worker process
and PostgreSQL: computed after the vacancy's rematch, computed again on demand, shown on the
employer's page."""

import pytest
from django.urls import reverse
from django.utils import translation

from matching.models import ShortlistSummary
from tests.factories import EmployerUserFactory
from tests.matching.conftest import make_candidate, make_vacancy
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ASK_AGAIN = """
from vacancies.models import Vacancy
from matching.requirements import requirement_costs_request
requirement_costs_request(vacancy=Vacancy.objects.get(pk={pk}))
print("asked")
"""


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


def panel_at(vacancy_id):
    return ShortlistSummary.objects.filter(vacancy_id=vacancy_id).values_list("requirement_costs_at", flat=True).first()


def test_the_worker_computes_the_panel_after_a_rematch_and_on_demand(
    reference_data, occupation, occupation_skills, redis_server, client
):
    make_candidate(occupation=occupation, skills=occupation_skills)
    make_candidate(occupation=occupation, skills=occupation_skills[:-1])
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    worker = Worker(redis_server.url).start()
    try:
        run_portal_code(
            f"from matching.services import vacancy_rematch_request\n"
            f"from vacancies.models import Vacancy\n"
            f"vacancy_rematch_request(vacancy=Vacancy.objects.get(pk={vacancy.pk}))",
            redis_server.url,
        )
        first = wait_for(lambda: panel_at(vacancy.pk), 60, message="the panel after the rematch")
        assert "asked" in run_portal_code(ASK_AGAIN.format(pk=vacancy.pk), redis_server.url)
        wait_for(lambda: panel_at(vacancy.pk) > first, 60, message="the panel computed again on demand")
    finally:
        worker.stop()
    output = worker.output()
    assert "matching.tasks.rematch_vacancy" in output
    assert "matching.tasks.requirement_costs_compute" in output

    summary = ShortlistSummary.objects.get(vacancy=vacancy)
    assert summary.requirement_costs["eligible"] == summary.eligible == 1
    client.force_login(EmployerUserFactory(employer=vacancy.employer))
    with translation.override("en"):
        html = client.get(reverse("vacancies:employer_vacancy_detail", kwargs={"pk": vacancy.pk})).content.decode()
    assert "1 candidate of 2 passes every requirement now." in html
    assert "+1" in html  # the last essential skill dropped lets the second candidate in

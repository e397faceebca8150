"""The third decision end to end, in Chromium, with a REAL Celery worker (Redis broker):

a candidate missing one essential skill of a vacancy is a near miss (the engine computes it,
the worker persists it with the vacancy's shortlist) → the UWV caseworker routes them from the
shortlist's near misses to a training that teaches the skill → the jobseeker accepts on
"Vacancies within reach" → the caseworker marks the route started, then completed → the
jobseeker confirms the new skill → the worker rematches the candidate, who is now on the
vacancy's shortlist.

The portal process sends its tasks to the worker (not eagerly) for the length of the test.
"""

import pytest

from matching.models import Match, NearMiss
from routes.models import RouteStage, TrainingRoute
from taxonomy.models import Occupation, Skill
from tests.factories import CaseworkerFactory, service
from tests.matching.conftest import make_candidate, make_vacancy
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for
from tests.routes.helpers import offer

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def tasks_to_the_worker(redis_server):
    """The live server's rematch requests go to the broker and the real worker, not run eagerly."""
    from nsp_portal.celery import app

    conf = app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.result_backend)
    conf.task_always_eager, conf.broker_url, conf.result_backend = False, redis_server.url, redis_server.url
    # Connect to this broker: the connection pool and the producer pool (which an earlier test may
    # have bound to another broker) are made anew.
    app._pool, app.amqp._producer_pool = None, None
    yield
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool, app.amqp._producer_pool = None, None
    conf.task_always_eager, conf.broker_url, conf.result_backend = saved


def test_a_near_miss_is_routed_trained_and_then_on_the_shortlist(
    page, live_url, login, screenshot, reference_data, redis_server, tasks_to_the_worker
):
    occupation = Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()
    essential = list(
        Skill.objects.filter(occupation_links__occupation=occupation, occupation_links__relation="essential").order_by(
            "uri"
        )[:3]
    )
    missing = essential[-1]
    candidate = make_candidate(occupation=occupation, skills=essential[:-1], cross_border=False)
    candidate.user.email, candidate.user.first_name, candidate.user.last_name = "bijna@example.test", "Bram", "Bijna"
    candidate.user.save()
    vacancy = make_vacancy(occupation=occupation, skills=essential, title="Procesoperator (near miss)")
    caseworker = CaseworkerFactory(email="cw-route@uwv.example", employment_service=service("uwv"))
    training = offer(skills=[missing], title="Procestechniek module 3")

    worker = Worker(redis_server.url).start()
    try:
        # The vacancy's rematch, as from "Rematch now", through the broker to the worker.
        run_portal_code(
            "from django.db import transaction\n"
            "from matching.services import vacancy_rematch_request\n"
            "from vacancies.models import Vacancy\n"
            f"with transaction.atomic(): vacancy_rematch_request(vacancy=Vacancy.objects.get(pk={vacancy.pk}))",
            redis_server.url,
        )
        near = wait_for(
            lambda: NearMiss.objects.filter(vacancy=vacancy, candidate=candidate).first(),
            90,
            message=f"the near miss to be persisted\n{worker.output()}",
        )
        assert near.gap["skills"] == [missing.pk]
        assert not Match.objects.filter(vacancy=vacancy, candidate=candidate).exists()

        # The caseworker routes the near miss to the training.
        login(caseworker.email)
        page.goto(live_url("matching:shortlist", pk=vacancy.pk))
        section = page.locator("section.near-misses")
        assert "Bram Bijna" in section.inner_text()
        assert missing.label_nl in section.inner_text()
        section.get_by_role("link", name="Naar een opleiding leiden").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_label(training.title_nl, exact=False).is_checked()
        page.fill("#id_note", "Met deze module past u op de vacature.")
        page.get_by_role("button", name="Stel deze opleiding voor").click()
        page.wait_for_load_state("networkidle")
        screenshot("route-proposed")
        route = TrainingRoute.objects.get(candidate=candidate, vacancy=vacancy)
        assert route.offer == training
        assert route.stage == RouteStage.PROPOSED

        # The jobseeker accepts.
        page.context.clear_cookies()
        login(candidate.user.email)
        page.get_by_role("link", name="Vacatures binnen bereik").click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="Ja, ik wil deze opleiding volgen").click()
        page.wait_for_load_state("networkidle")
        route.refresh_from_db()
        assert route.stage == RouteStage.ACCEPTED

        # The caseworker follows the route: started, then completed.
        page.context.clear_cookies()
        login(caseworker.email)
        page.goto(live_url("routes:route_list"))
        page.get_by_role("button", name="Markeer als gestart").click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("button", name="Markeer als afgerond").click()
        page.wait_for_load_state("networkidle")
        route.refresh_from_db()
        assert route.stage == RouteStage.COMPLETED

        # The jobseeker confirms the new skill: the profile changes, the worker rematches.
        page.context.clear_cookies()
        login(candidate.user.email)
        page.goto(live_url("routes:within_reach"))
        page.get_by_role("button", name="Bevestig de nieuwe vaardigheden").click()
        page.wait_for_load_state("networkidle")
        screenshot("route-skills-confirmed")
        assert missing in candidate.skills.all()
        wait_for(
            lambda: Match.objects.filter(vacancy=vacancy, candidate=candidate).exists(),
            90,
            message=f"the candidate on the shortlist after the rematch\n{worker.output()}",
        )
        assert not NearMiss.objects.filter(vacancy=vacancy, candidate=candidate).exists()

        page.context.clear_cookies()
        login(caseworker.email)
        page.goto(live_url("matching:shortlist", pk=vacancy.pk))
        assert page.locator("table.shortlist").get_by_role("link", name="Bram Bijna", exact=True).is_visible()
    finally:
        worker.stop()
    assert "matching.tasks.rematch_candidate" in worker.output()

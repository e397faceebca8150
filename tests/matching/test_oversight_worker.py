"""Integration: the stop button with a real Redis broker, a real Celery worker process and a
real PostgreSQL. While the portal is paused the worker changes no match; the resume catches up."""

import pytest

from matching.models import Match, PendingRematch
from matching.services import matching_pause
from tests.factories import UserFactory
from tests.matching.test_worker import CREATE_AND_PUBLISH, redis_server, world  # noqa: F401 (fixtures)
from tests.matching.worker_support import Worker, run_portal_code, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REMATCH = """
from matching.services import vacancy_rematch_request
from vacancies.models import Vacancy
print(vacancy_rematch_request(vacancy=Vacancy.objects.get(pk={vacancy_id})).task_id)
"""

RESUME = """
from accounts.models import User
from matching.services import matching_resume
matching_resume(user=User.objects.get(pk={user_id}))
"""


def test_a_paused_portal_changes_no_match_and_the_resume_brings_the_shortlist(world, redis_server):  # noqa: F811
    admin = UserFactory(role="admin")
    matching_pause(user=admin, reason="Gewichten worden herzien")
    before = list(Match.objects.order_by("pk").values_list("pk", "score", "rank", "updated_at"))
    worker = Worker(redis_server.url).start()
    try:
        vacancy_id = int(
            run_portal_code(CREATE_AND_PUBLISH.format(template_id=world["template"].pk), redis_server.url).split()[-1]
        )
        wait_for(
            lambda: f"rematch of vacancy {vacancy_id} not run" in worker.output(),
            60,
            message="the worker to skip the saved vacancy's rematch",
        )
        run_portal_code(REMATCH.format(vacancy_id=world["template"].pk), redis_server.url)
        wait_for(
            lambda: f"rematch of vacancy {world['template'].pk} not run" in worker.output(),
            60,
            message="the worker to skip the requested rematch",
        )
        assert not Match.objects.filter(vacancy_id=vacancy_id).exists()
        assert list(Match.objects.order_by("pk").values_list("pk", "score", "rank", "updated_at")) == before
        # The requests wait in the outbox for the resume.
        assert PendingRematch.objects.filter(kind="vacancy", object_id=vacancy_id).exists()

        run_portal_code(RESUME.format(user_id=admin.pk), redis_server.url)
        rows = wait_for(
            lambda: list(Match.objects.filter(vacancy_id=vacancy_id)), 90, interval=0.5, message="the shortlist"
        )
        assert len(rows) == len(world["candidates"])
        wait_for(
            lambda: Match.objects.filter(vacancy=world["template"]).count() == len(world["candidates"]),
            90,
            interval=0.5,
            message="the requested rematch after the resume",
        )
    finally:
        worker.stop()

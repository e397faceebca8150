"""axe-core over the training route pages in Dutch and English: the near misses on the
shortlist, the proposal form (with an error), the caseworker's routes list and the jobseeker's
"Vacancies within reach" (a proposal to answer and a completed training to confirm)."""

import pytest

from routes.models import RouteOrigin, RouteStage, TrainingRoute
from routes.services import route_propose
from tests.factories import CaseworkerFactory, service
from tests.routes.helpers import near_miss, offer, skills
from tests.workspace_helpers import candidate_with_profile, published_vacancy

pytestmark = [pytest.mark.browser]


@pytest.fixture
def world(reference_data):
    uwv = CaseworkerFactory(email="cw-routes@uwv.example", employment_service=service("uwv"))
    candidate = candidate_with_profile(service_code="uwv")
    candidate.user.email = "bijna@example.test"
    candidate.user.save()
    missing = skills(1)
    first = near_miss(vacancy=published_vacancy(title="Lasser"), candidate=candidate, missing=missing)
    second = near_miss(
        vacancy=published_vacancy(title="Operator"),
        candidate=candidate,
        language={"code": "fr", "required": 3, "has": 2},
    )
    training = offer(skills=missing)
    offer(languages=[("fr", 3)], title="Frans op de werkvloer")
    proposed = route_propose(
        user=uwv,
        candidate=candidate,
        offer=training,
        vacancy=first.vacancy,
        origin=RouteOrigin.NEAR_MISS,
        gap=first.gap,
    )
    done = route_propose(
        user=uwv,
        candidate=candidate,
        offer=training,
        vacancy=second.vacancy,
        origin=RouteOrigin.NEAR_MISS,
        gap=second.gap,
    )
    TrainingRoute.objects.filter(pk=done.pk).update(stage=RouteStage.COMPLETED)
    TrainingRoute.objects.filter(pk=proposed.pk).update(stage=RouteStage.ACCEPTED)
    return {"uwv": uwv, "candidate": candidate, "first": first, "second": second}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_route_pages_have_no_serious_axe_violations(page, live_url, login, axe_check, world, language):
    violations = []
    login(world["uwv"].email, language=language)
    for name, kwargs in (
        ("matching:shortlist", {"pk": world["first"].vacancy_id}),
        ("routes:propose_for_near_miss", {"pk": world["second"].pk}),
        ("routes:route_list", {}),
    ):
        page.goto(live_url(name, language, **kwargs))
        violations += axe_check()
    page.goto(live_url("routes:propose_for_near_miss", language, pk=world["first"].pk))
    page.locator("main form button[type=submit]").click()  # a second running route: the form's error
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary").count() == 1
    violations += axe_check()
    page.context.clear_cookies()
    login(world["candidate"].user.email, language=language)
    page.goto(live_url("routes:within_reach", language))
    assert page.locator("main form").count() == 1  # the completed route's confirmation
    violations += axe_check()
    assert violations == []

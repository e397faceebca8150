"""Training routes are the candidate's personal data: in their export; erasure blanks the notes."""

import pytest

from nsp_portal.privacy import account_erase, personal_data_export
from routes.models import RouteEvent, RouteOrigin, RouteStage, TrainingRoute
from routes.services import route_propose, route_respond
from tests.factories import CaseworkerFactory, service
from tests.routes.helpers import near_miss, offer, skills
from tests.workspace_helpers import candidate_with_profile, published_vacancy

pytestmark = pytest.mark.django_db


def _route():
    vacancy = published_vacancy()
    candidate = candidate_with_profile(service_code="uwv")
    made = near_miss(vacancy=vacancy, candidate=candidate, missing=skills(1))
    route = route_propose(
        user=CaseworkerFactory(employment_service=service("uwv")),
        candidate=candidate,
        offer=offer(skills=skills(1)),
        vacancy=vacancy,
        origin=RouteOrigin.NEAR_MISS,
        gap=made.gap,
        note="Zwaantje woont vlakbij",
    )
    route_respond(route=route, user=candidate.user, accept=True)
    return route


def test_the_export_holds_the_routes_with_their_steps():
    route = _route()
    (exported,) = personal_data_export(user=route.candidate.user)["training_routes"]
    assert exported["training"] == route.offer.title_en
    assert exported["note"] == "Zwaantje woont vlakbij"
    assert [s["stage"] for s in exported["steps"]] == [RouteStage.PROPOSED, RouteStage.ACCEPTED]
    assert exported["gap"]["skills"] == route.gap["skills"]


def test_erasure_blanks_the_notes_and_keeps_the_stages():
    route = _route()
    account_erase(user=route.candidate.user)
    route = TrainingRoute.objects.get(pk=route.pk)
    assert route.note == ""
    assert route.stage == RouteStage.ACCEPTED
    assert not RouteEvent.objects.filter(route=route).exclude(note="").exists()

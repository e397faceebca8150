"""The training route services: propose (near miss and shortlist entry), respond, advance,
confirm the skills; who may do each; every step a RouteEvent and an audit record."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import OutgoingEmail
from audit.models import AuditEvent
from matching.models import MatchDecision, PendingRematch, ReviewStatus
from routes.models import RouteEvent, RouteOrigin, RouteStage
from routes.services import route_advance, route_propose, route_respond, route_skills_confirm
from tests.factories import CaseworkerFactory, UserFactory, place
from tests.routes.helpers import near_miss, offer, skills
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    vacancy = published_vacancy(place=place("Terneuzen"))
    candidate = candidate_with_profile(service_code="uwv", language="fr")
    missing = skills(1)
    vacancy.essential_skills.add(*missing)
    return {
        "vacancy": vacancy,
        "candidate": candidate,
        "missing": missing,
        "near_miss": near_miss(vacancy=vacancy, candidate=candidate, missing=missing),
        "offer": offer(skills=missing),
        "uwv": CaseworkerFactory(employment_service_id=candidate.employment_service_id),
    }


def _propose(w, **overrides):
    fields = {
        "user": w["uwv"],
        "candidate": w["candidate"],
        "offer": w["offer"],
        "vacancy": w["vacancy"],
        "origin": RouteOrigin.NEAR_MISS,
        "gap": w["near_miss"].gap,
    }
    return route_propose(**(fields | overrides))


def test_propose_from_a_near_miss_keeps_the_gap_mails_the_jobseeker_in_their_language_and_is_audited(world):
    route = _propose(world, note="Goede kans")
    assert route.stage == RouteStage.PROPOSED
    assert route.gap["skills"] == [world["missing"][0].pk]
    assert route.travel_minutes is not None  # Terneuzen to Terneuzen: at home
    assert list(route.events.values_list("stage", flat=True)) == [RouteStage.PROPOSED]
    mail = OutgoingEmail.objects.get(key__startswith=f"route-proposed:{route.pk}:")
    assert mail.language == "fr"
    assert "Lassen voor de procesindustrie (fr)" in mail.body
    assert AuditEvent.objects.filter(kind="training_route", subject_id=world["candidate"].pk).count() == 1


def test_propose_from_the_shortlist_makes_the_match_routed_with_a_decision_row(world):
    match = make_match(vacancy=world["vacancy"], candidate=world["candidate"])
    _propose(world, origin=RouteOrigin.SHORTLIST, gap={}, match=match)
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.ROUTED
    assert MatchDecision.objects.filter(match=match, decision=ReviewStatus.ROUTED).count() == 1


def test_only_the_candidates_service_or_an_admin_may_propose(world):
    with pytest.raises(PermissionDenied):
        _propose(world, user=CaseworkerFactory())  # VDAB, candidate of UWV without cross-border consent
    with pytest.raises(PermissionDenied):
        _propose(world, user=world["candidate"].user)
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert _propose(world, user=admin).proposed_by == admin


def test_a_second_running_route_for_the_same_vacancy_is_refused(world):
    _propose(world)
    with pytest.raises(ValidationError):
        _propose(world)


def test_the_whole_route_moves_only_along_the_allowed_steps(world):
    route = _propose(world)
    caseworker, jobseeker = world["uwv"], world["candidate"].user
    with pytest.raises(ValidationError):
        route_advance(route=route, user=caseworker, stage=RouteStage.STARTED)  # not accepted yet
    with pytest.raises(PermissionDenied):
        route_respond(route=route, user=UserFactory(), accept=True)  # another jobseeker
    route_respond(route=route, user=jobseeker, accept=True)
    with pytest.raises(PermissionDenied):
        route_advance(route=route, user=CaseworkerFactory(), stage=RouteStage.STARTED)
    with pytest.raises(ValidationError):
        route_skills_confirm(route=route, user=jobseeker)  # not completed
    route_advance(route=route, user=caseworker, stage=RouteStage.STARTED)
    route = route_advance(route=route, user=caseworker, stage=RouteStage.COMPLETED)
    with pytest.raises(ValidationError):
        route_advance(route=route, user=caseworker, stage=RouteStage.DROPPED)  # completed is final
    assert list(RouteEvent.objects.filter(route=route).values_list("stage", flat=True)) == [
        RouteStage.PROPOSED,
        RouteStage.ACCEPTED,
        RouteStage.STARTED,
        RouteStage.COMPLETED,
    ]


def test_a_declined_route_cannot_be_started(world):
    route = _propose(world)
    route_respond(route=route, user=world["candidate"].user, accept=False)
    with pytest.raises(ValidationError):
        route_advance(route=route, user=world["uwv"], stage=RouteStage.STARTED)


def test_confirming_adds_the_skills_and_a_higher_language_level_and_asks_for_a_rematch(world):
    candidate = world["candidate"]
    taught = offer(skills=world["missing"], languages=[("nl", 6), ("en", 3)], title="Nederlands op de werkvloer")
    route = _propose(world, offer=taught)
    route_respond(route=route, user=candidate.user, accept=True)
    route_advance(route=route, user=world["uwv"], stage=RouteStage.STARTED)
    route_advance(route=route, user=world["uwv"], stage=RouteStage.COMPLETED)
    PendingRematch.objects.all().delete()
    route = route_skills_confirm(route=route, user=candidate.user)
    assert route.skills_confirmed_at is not None
    assert world["missing"][0] in candidate.skills.all()
    assert len(candidate.skills.all()) == 3  # the two the profile had are kept
    assert dict(candidate.languages.values_list("language", "level")) == {"nl": 6, "en": 3}
    assert PendingRematch.objects.filter(kind="candidate", object_id=candidate.pk).exists()
    assert route.events.count() == 5
    with pytest.raises(PermissionDenied):
        route_skills_confirm(route=route, user=UserFactory())


def test_an_inactive_offer_or_a_start_of_another_offer_is_refused(world):
    world["offer"].is_active = False
    world["offer"].save()
    with pytest.raises(ValidationError):
        _propose(world)
    other = offer(skills=world["missing"])
    with pytest.raises(ValidationError):
        _propose(world, offer=other, start=world["offer"].starts.first())

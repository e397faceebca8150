"""The route pages: the near misses on the shortlist, the proposal form, the caseworker's
routes list and the jobseeker's "Vacancies within reach"; others' objects are a 404; the
query counts stay constant as rows grow."""

import pytest
from django.urls import reverse

from matching.models import ReviewStatus
from routes.models import RouteOrigin, RouteStage, TrainingRoute
from routes.services import route_propose
from tests.factories import CaseworkerFactory
from tests.routes.helpers import near_miss, offer, skills
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy, queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def uwv():
    from tests.factories import service

    return CaseworkerFactory(employment_service=service("uwv"))


@pytest.fixture
def vacancy():
    return published_vacancy()


def _near_miss(vacancy, rank=1, **kwargs):
    candidate = candidate_with_profile(service_code="uwv", **kwargs)
    return near_miss(vacancy=vacancy, candidate=candidate, missing=skills(1), rank=rank)


def _route(uwv, made, **fields):
    return route_propose(
        user=uwv,
        candidate=made.candidate,
        offer=fields.pop("offer", None) or offer(skills=skills(1)),
        vacancy=made.vacancy,
        origin=RouteOrigin.NEAR_MISS,
        gap=made.gap,
    )


def test_the_shortlist_shows_the_near_misses_in_words_with_a_route_link(
    client, uwv, vacancy, django_assert_num_queries
):
    made = _near_miss(vacancy, last_name="Dichtbij")
    client.force_login(uwv)
    url = reverse("matching:shortlist", kwargs={"pk": vacancy.pk})
    response = client.get(url)
    html = response.content.decode()
    assert "Dichtbij" in html
    assert skills(1)[0].label_nl in html
    assert reverse("routes:propose_for_near_miss", kwargs={"pk": made.pk}) in html
    one = queries_of(lambda: client.get(url))
    for rank in range(2, 6):
        _near_miss(vacancy, rank=rank)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["near_misses"]) == 5


def test_the_shortlist_row_offers_a_route_and_the_route_makes_the_match_routed(client, uwv, vacancy):
    candidate = candidate_with_profile(service_code="uwv")
    match = make_match(vacancy=vacancy, candidate=candidate)
    training = offer(skills=skills(1))
    client.force_login(uwv)
    url = reverse("routes:propose_for_match", kwargs={"pk": match.pk})
    assert url in client.get(reverse("matching:shortlist", kwargs={"pk": vacancy.pk})).content.decode()
    assert training.title_nl in client.get(url).content.decode()
    response = client.post(url, {"offer": training.pk, "note": "Past goed"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.ROUTED
    route = TrainingRoute.objects.get(candidate=candidate)
    assert route.origin == RouteOrigin.SHORTLIST
    assert route.note == "Past goed"
    assert route.start is not None


def test_the_proposal_page_ranks_the_trainings_and_proposes_one(client, uwv, vacancy):
    made = _near_miss(vacancy)
    (missing,) = skills(1)
    late = offer(skills=[missing], starts_in_days=(60,), title="Later")
    soon = offer(skills=[missing], starts_in_days=(7,), title="Sooner")
    client.force_login(uwv)
    url = reverse("routes:propose_for_near_miss", kwargs={"pk": made.pk})
    html = client.get(url).content.decode()
    assert html.index("Sooner") < html.index("Later")
    assert "100%" in html
    assert "min" in html
    assert "UWV" in html
    response = client.post(url, {"offer": late.pk})
    assert response.status_code == 302
    route = TrainingRoute.objects.get(candidate=made.candidate)
    assert route.offer == late
    assert route.gap == made.gap
    # a second proposal for the same pair is refused on the form, in Dutch
    response = client.post(url, {"offer": soon.pk})
    assert response.status_code == 200
    assert "loopt al" in response.content.decode()


def test_another_services_near_miss_is_a_404(client, vacancy):
    made = _near_miss(vacancy)
    client.force_login(CaseworkerFactory())  # VDAB; the candidate is UWV's without cross-border consent
    assert client.get(reverse("routes:propose_for_near_miss", kwargs={"pk": made.pk})).status_code == 404
    html = client.get(reverse("matching:shortlist", kwargs={"pk": vacancy.pk})).content.decode()
    assert made.candidate.user.last_name not in html


def test_the_routes_list_filters_by_stage_and_advances(client, uwv, vacancy, django_assert_num_queries):
    route = _route(uwv, _near_miss(vacancy))
    route.stage = RouteStage.ACCEPTED
    route.save()
    client.force_login(uwv)
    url = reverse("routes:route_list")
    assert route.offer.title_nl in client.get(url, {"stage": "accepted"}).content.decode()
    assert route.offer.title_nl not in client.get(url, {"stage": "started"}).content.decode()
    response = client.post(reverse("routes:route_advance", kwargs={"pk": route.pk}), {"stage": "started"})
    assert response.status_code == 302
    route.refresh_from_db()
    assert route.stage == RouteStage.STARTED
    # not a move from "started": refused with a message, unchanged
    client.post(reverse("routes:route_advance", kwargs={"pk": route.pk}), {"stage": "started"})
    route.refresh_from_db()
    assert route.stage == RouteStage.STARTED
    one = queries_of(lambda: client.get(url))
    for _ in range(3):
        _route(uwv, _near_miss(published_vacancy()))
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["rows"]) == 4


def test_another_services_route_cannot_be_advanced(client, uwv, vacancy):
    route = _route(uwv, _near_miss(vacancy))
    client.force_login(CaseworkerFactory())
    response = client.post(reverse("routes:route_advance", kwargs={"pk": route.pk}), {"stage": "dropped"})
    assert response.status_code == 404
    assert route.offer.title_nl not in client.get(reverse("routes:route_list")).content.decode()


def test_within_reach_shows_near_misses_and_routes_to_accept_and_confirm(
    client, uwv, vacancy, django_assert_num_queries
):
    made = _near_miss(vacancy)
    user = made.candidate.user
    client.force_login(user)
    url = reverse("routes:within_reach")
    html = client.get(url).content.decode()
    assert vacancy.title in html
    assert skills(1)[0].label_nl in html
    route = _route(uwv, made)
    assert "Ja, ik wil deze opleiding volgen" in client.get(url).content.decode()
    client.post(reverse("routes:route_respond", kwargs={"pk": route.pk}), {"answer": "accept"})
    route.refresh_from_db()
    assert route.stage == RouteStage.ACCEPTED
    TrainingRoute.objects.filter(pk=route.pk).update(stage=RouteStage.COMPLETED)
    assert "Bevestig de nieuwe vaardigheden" in client.get(url).content.decode()
    client.post(reverse("routes:route_confirm", kwargs={"pk": route.pk}))
    route.refresh_from_db()
    assert route.skills_confirmed_at is not None
    one = queries_of(lambda: client.get(url))
    for _ in range(3):
        other = near_miss(vacancy=published_vacancy(), candidate=made.candidate, missing=skills(1))
        _route(uwv, other)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["routes"]) == 4
    assert len(response.context["near_misses"]) == 4


def test_another_jobseekers_route_is_a_404(client, uwv, vacancy):
    route = _route(uwv, _near_miss(vacancy))
    other = candidate_with_profile()
    client.force_login(other.user)
    assert (
        client.post(reverse("routes:route_respond", kwargs={"pk": route.pk}), {"answer": "decline"}).status_code == 404
    )
    assert client.post(reverse("routes:route_confirm", kwargs={"pk": route.pk})).status_code == 404
    route.refresh_from_db()
    assert route.stage == RouteStage.PROPOSED
    assert route.offer.title_nl not in client.get(reverse("routes:within_reach")).content.decode()

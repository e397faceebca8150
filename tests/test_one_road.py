"""One road per action: the page and the API end in the same service function.

Each test takes both roads for one write. Rematch and rebuild are shown by their outbox row
(PendingRematch), which both roads leave behind; the other writes by a spy that wraps the real
service (it still runs) at every name the page and the API call it by.
"""

from contextlib import ExitStack, contextmanager
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from applications import services as application_services
from candidates import services as candidate_services
from matching import api as matching_api
from matching import services as matching_services
from matching import views_jobseeker as matching_jobseeker_pages
from matching import views_workspace as matching_workspace_pages
from matching.models import PendingRematch, RebuildRun, RematchKind, ReviewStatus
from tests.api.conftest import build_world
from tests.api.test_endpoints import new_vacancy
from tests.factories import VacancyFactory
from tests.vacancies.test_views_employer import vacancy_post
from vacancies import services as vacancy_services
from vacancies.models import Vacancy, VacancyStatus
from vacancies.services import vacancy_submit
from workspace import views_workspace as workspace_pages


@pytest.fixture
def world(db):
    """The API tests' small world (tests/api/conftest.py): employers, jobseekers, caseworkers, matches."""
    cache.clear()  # throttle counters
    yield build_world()
    cache.clear()


def browser(world, role: str) -> Client:
    """The pages' road: a logged-in browser (form posts), not the API client."""
    client = Client()
    client.force_login(world.users[role])
    return client


def page(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@contextmanager
def spy(real, *where):
    """Wrap the real service at each (module, name) it is called by; yields a call counter."""
    calls = []

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    with ExitStack() as stack:
        for module, name in where:
            assert getattr(module, name) is real, f"{module.__name__}.{name} is not the service"
            stack.enter_context(mock.patch.object(module, name, wraps=counting))
        yield calls


# --- rematch and rebuild: the outbox ------------------------------------------------------------------


def test_rematch_from_the_page_and_the_api_goes_through_the_outbox(world):
    client = world.client("caseworker_uwv")
    pages = browser(world, "caseworker_uwv")
    vacancy = world["va_pub"]
    with spy(
        matching_services.vacancy_rematch_request,
        (matching_workspace_pages, "vacancy_rematch_request"),
        (matching_api, "vacancy_rematch_request"),
    ) as calls:
        assert pages.post(page("matching:rematch", pk=vacancy.pk)).status_code == 302
        assert PendingRematch.objects.filter(kind=RematchKind.VACANCY, object_id=vacancy.pk).exists()
        PendingRematch.objects.all().delete()

        response = client.post("/api/v1/matching/rematch", {"vacancy": vacancy.pk}, format="json")
        assert response.status_code == 202
        row = PendingRematch.objects.get(kind=RematchKind.VACANCY, object_id=vacancy.pk)
        assert response.json()["task_id"] == row.task_id
        assert response.json()["queued"] is False  # the test's transaction never commits: still in the outbox
    assert len(calls) == 2


def test_rematch_of_a_vacancy_no_longer_published_is_refused_on_both_roads(world):
    client = world.client("caseworker_uwv")
    pages = browser(world, "caseworker_uwv")
    filled = VacancyFactory(employer=world["employer_a"], status=VacancyStatus.FILLED)
    response = pages.post(page("matching:rematch", pk=filled.pk), follow=True)
    assert "Only a published vacancy can be matched." in response.content.decode()
    response = client.post("/api/v1/matching/rematch", {"vacancy": filled.pk}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["errors"] == {"vacancy": ["Only a published vacancy can be matched."]}
    assert not PendingRematch.objects.exists()


def test_rebuild_from_the_page_and_the_api_goes_through_the_outbox(world):
    client = world.client("admin")
    pages = browser(world, "admin")
    with spy(
        matching_services.shortlists_rebuild_request,
        (workspace_pages, "shortlists_rebuild_request"),
        (matching_api, "shortlists_rebuild_request"),
    ) as calls:
        assert pages.post(page("workspace:rebuild")).status_code == 302
        assert PendingRematch.objects.filter(kind=RematchKind.ALL).exists()
        PendingRematch.objects.all().delete()
        response = client.post("/api/v1/matching/rebuild")
        assert response.status_code == 202
        assert response.json()["task_id"] == PendingRematch.objects.get(kind=RematchKind.ALL).task_id
        # One rule for "a rebuild is running already" on both roads.
        PendingRematch.objects.all().delete()
        RebuildRun.objects.create(chunks_total=3)
        pages.post(page("workspace:rebuild"))
        assert client.post("/api/v1/matching/rebuild").status_code == 409  # a state conflict
        assert not PendingRematch.objects.exists()
    assert len(calls) == 4


# --- matches ----------------------------------------------------------------------------------------------


def test_a_decision_on_one_match(world):
    client = world.client("caseworker_vdab")
    pages = browser(world, "caseworker_vdab")
    match = world["m2"]
    with spy(
        matching_services.match_decide, (matching_workspace_pages, "match_decide"), (matching_api, "match_decide")
    ) as calls:
        response = pages.post(page("matching:match_detail", pk=match.pk), {"decision": "approved"})
        assert response.status_code == 302
        assert len(calls) == 1
        response = client.post(
            f"/api/v1/matches/{match.pk}/decision", {"decision": "rejected", "reason": "commute"}, format="json"
        )
        assert response.status_code == 200
    assert len(calls) == 2
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.REJECTED


def test_a_decision_on_several_matches(world):
    client = world.client("caseworker_vdab")
    pages = browser(world, "caseworker_vdab")
    match = world["m2"]
    with spy(
        matching_services.match_decide_many,
        (matching_workspace_pages, "match_decide_many"),
        (matching_api, "match_decide_many"),
    ) as calls:
        response = pages.post(
            page("matching:shortlist", pk=match.vacancy_id), {"selected": [match.pk], "decision": "approved"}
        )
        assert response.status_code == 302
        assert len(calls) == 1
        response = client.post(
            "/api/v1/matches/decisions", {"matches": [match.pk], "decision": "approved"}, format="json"
        )
        assert response.status_code == 200
    assert len(calls) == 2


def test_the_jobseeker_accepts_or_declines(world):
    client = world.client("jobseeker")
    pages = browser(world, "jobseeker")
    match = world["m1"]
    with spy(
        matching_services.match_respond,
        (matching_jobseeker_pages, "match_respond"),
        (matching_api, "match_respond"),
    ) as calls:
        assert pages.post(page("matching:match_respond", pk=match.pk), {"answer": "decline"}).status_code == 302
        assert len(calls) == 1
        response = client.post(f"/api/v1/matches/{match.pk}/response", {"accept": True}, format="json")
        assert response.status_code == 200
    assert len(calls) == 2


# --- vacancies --------------------------------------------------------------------------------------------


def test_a_vacancy_is_created(world):
    client = world.client("employer")
    pages = browser(world, "employer")
    with spy(vacancy_services.vacancy_create, (vacancy_services, "vacancy_create")) as calls:
        assert pages.post(page("vacancies:employer_vacancy_create"), vacancy_post(intent="save")).status_code == 302
        assert len(calls) == 1
        assert client.post("/api/v1/vacancies", new_vacancy(world), format="json").status_code == 201
    assert len(calls) == 2


def test_a_vacancy_is_updated(world):
    client = world.client("employer")
    pages = browser(world, "employer")
    draft = world["va_draft"]
    with spy(vacancy_services.vacancy_update, (vacancy_services, "vacancy_update")) as calls:
        response = pages.post(page("vacancies:employer_vacancy_update", pk=draft.pk), vacancy_post(intent="save"))
        assert response.status_code == 302
        assert len(calls) == 1
        response = client.patch(f"/api/v1/vacancies/{draft.pk}", {"title": "Elektricien"}, format="json")
        assert response.status_code == 200
    assert len(calls) == 2


def test_a_vacancy_changes_status(world):
    client = world.client("employer")
    pages = browser(world, "employer")
    with spy(vacancy_services.vacancy_set_status, (vacancy_services, "vacancy_set_status")) as calls:
        response = pages.post(page("vacancies:employer_vacancy_action", pk=world["va_pub"].pk), {"intent": "close"})
        assert response.status_code == 302
        assert len(calls) == 1
        draft = world["va_draft"]
        response = client.post(f"/api/v1/vacancies/{draft.pk}/status", {"status": "closed"}, format="json")
        assert response.status_code == 200
        # The rule "only an expired vacancy is published again" is the service's, for both roads.
        other = VacancyFactory(employer=world["employer_a"])
        response = client.post(f"/api/v1/vacancies/{other.pk}/status", {"status": "published"}, format="json")
        assert response.status_code == 400
        assert set(response.json()["errors"]) == {"status"}
    assert len(calls) == 3
    assert Vacancy.objects.get(pk=other.pk).status == VacancyStatus.DRAFT


def test_a_vacancy_in_review_is_moderated(world):
    client = world.client("caseworker_uwv")
    pages = browser(world, "caseworker_uwv")
    vacancy = world["vc_review"]
    with spy(vacancy_services.vacancy_moderate, (vacancy_services, "vacancy_moderate")) as calls:
        response = pages.post(
            page("workspace:vacancy_review", pk=vacancy.pk), {"decision": "send_back", "note": "Geef het salaris."}
        )
        assert response.status_code == 302
        assert len(calls) == 1
        vacancy_submit(vacancy=vacancy)  # in review again
        response = client.post(f"/api/v1/vacancies/{vacancy.pk}/moderate", {"approve": True}, format="json")
        assert response.status_code == 200
    assert len(calls) == 2


# --- applications -----------------------------------------------------------------------------------------


def test_a_jobseeker_applies(world):
    with spy(application_services.application_create, (application_services, "application_create")) as calls:
        response = browser(world, "jobseeker_other").post(
            page("applications:apply", vacancy_pk=world["va_pub"].pk), {"motivation": "Graag!"}
        )
        assert response.status_code == 302
        assert len(calls) == 1
        response = world.client("jobseeker").post(
            "/api/v1/applications", {"vacancy": world["vb_pub"].pk, "motivation": "Graag!"}, format="json"
        )
        assert response.status_code == 201
    assert len(calls) == 2


def test_a_jobseeker_withdraws(world):
    with spy(application_services.application_withdraw, (application_services, "application_withdraw")) as calls:
        response = browser(world, "jobseeker").post(page("applications:withdraw", pk=world["app1"].pk), {"note": ""})
        assert response.status_code == 302
        assert len(calls) == 1
        response = world.client("jobseeker_other").post(
            f"/api/v1/applications/{world['app2'].pk}/withdraw", {"note": ""}, format="json"
        )
        assert response.status_code == 200
    assert len(calls) == 2


def test_the_employer_moves_an_application(world):
    from applications import views_employer as application_employer_pages

    with spy(
        application_services.application_move_stage,
        (application_employer_pages, "application_move_stage"),
        (application_services, "application_move_stage"),
    ) as calls:
        response = browser(world, "employer").post(
            page("applications:employer_application_detail", pk=world["app1"].pk), {"status": "in_review"}
        )
        assert response.status_code == 302
        assert len(calls) == 1
        response = world.client("employer_other").post(
            f"/api/v1/applications/{world['app2'].pk}/stage", {"status": "in_review", "note": ""}, format="json"
        )
        assert response.status_code == 200
    assert len(calls) == 2


# --- the jobseeker's profile and consent --------------------------------------------------------------------


def test_the_profile_is_updated(world):
    client = world.client("jobseeker")
    pages = browser(world, "jobseeker")
    with spy(candidate_services.candidate_update, (candidate_services, "candidate_update")) as calls:
        response = pages.post(
            page("candidates:step", step="availability"),
            {"available_from": "", "hours_wanted": "32", "accepts_shift_work": ""},
        )
        assert response.status_code == 302
        assert len(calls) == 1
        assert client.patch("/api/v1/candidates/me", {"hours_wanted": 30}, format="json").status_code == 200
    assert len(calls) == 2


def test_a_job_is_added_to_and_removed_from_the_profile(world):
    client = world.client("jobseeker")
    pages = browser(world, "jobseeker")
    body = {"occupation": world["occupation"].pk, "employer_name": "Damen", "country": "NL", "started_on": "2019-03"}
    with spy(candidate_services.experience_create, (candidate_services, "experience_create")) as calls:
        assert pages.post(page("candidates:experience_add"), body).status_code == 302
        assert client.post("/api/v1/candidates/me/experience", body, format="json").status_code == 201
    assert len(calls) == 2
    first, second = world.users["jobseeker"].candidate.experiences.order_by("pk")
    with spy(candidate_services.experience_delete, (candidate_services, "experience_delete")) as calls:
        assert pages.post(page("candidates:experience_delete", pk=first.pk)).status_code == 302
        assert client.delete(f"/api/v1/candidates/me/experience/{second.pk}").status_code == 204
    assert len(calls) == 2


def test_consent_is_given_and_withdrawn(world):
    client = world.client("jobseeker")
    pages = browser(world, "jobseeker")
    with spy(candidate_services.candidate_set_consent, (candidate_services, "candidate_set_consent")) as calls:
        response = pages.post(page("candidates:step", step="consent"), {"consent_matching": "on"})
        assert response.status_code == 302
        assert len(calls) == 3  # matching, cross-border and findable by employers, each recorded
        response = client.patch("/api/v1/candidates/me/consents", {"matching": False}, format="json")
        assert response.status_code == 200
    assert len(calls) == 4


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_an_employer_invites_a_findable_candidate_and_the_candidate_answers(world):
    from talent import services as talent_services

    employer_pages, employer_api = browser(world, "employer"), world.client("employer")
    seeker = world["js2"]  # findable (tests/api/conftest.py)
    other_vacancy = VacancyFactory(employer=world["employer_a"], occupation=world["occupation"], **_published())
    with spy(talent_services.invitation_send, (talent_services, "invitation_send")) as calls:
        response = employer_pages.post(
            page("talent:candidate_card", pk=seeker.pk), {"vacancy": world["va_pub"].pk, "message": "Page"}
        )
        assert response.status_code == 302
        response = employer_api.post(
            "/api/v1/talent/invitations", {"candidate": seeker.pk, "vacancy": other_vacancy.pk}, format="json"
        )
        assert response.status_code == 201, response.content
    assert len(calls) == 2
    first, second = seeker.invitations.order_by("pk")
    with spy(talent_services.invitation_respond, (talent_services, "invitation_respond")) as calls:
        response = browser(world, "jobseeker_other").post(
            page("talent:invitation_respond", pk=first.pk), {"answer": "accept"}
        )
        assert response.status_code == 302
        response = world.client("jobseeker_other").post(f"/api/v1/talent/invitations/{second.pk}/decline")
        assert response.status_code == 200
    assert len(calls) == 2


def _published() -> dict:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return {"status": VacancyStatus.PUBLISHED, "published_at": now, "expires_at": now + timedelta(days=30)}

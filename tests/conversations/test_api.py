"""Messages and interviews over the API: the same scope and rules as the pages (one road: both
end in conversations.services), the JSON error envelope, the .ics."""

from unittest import mock

import pytest
from django.urls import reverse
from icalendar import Calendar
from rest_framework.test import APIClient

from conversations import services
from conversations.models import InterviewProposal, Message, ProposalStatus
from tests.conversations.helpers import brussels, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_message_through_the_api_and_the_page_take_the_same_service(client, world):
    app = world.application
    calls = []
    real = services.message_send

    def counting(**kwargs):
        calls.append(kwargs["body"])
        return real(**kwargs)

    with mock.patch.object(services, "message_send", counting):
        response = api(world.candidate_user).post(
            f"/api/v1/applications/{app.pk}/messages", {"body": "Via de API"}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["sender_side"] == "candidate"
        client.force_login(world.candidate_user)
        client.post(reverse("conversations:jobseeker_thread", kwargs={"pk": app.pk}), {"body": "Via de pagina"})
    assert calls == ["Via de API", "Via de pagina"]
    assert Message.objects.count() == 2


def test_unread_then_read_over_the_api(world):
    app = world.application
    api(world.employer_user).post(f"/api/v1/applications/{app.pk}/messages", {"body": "Hallo"}, format="json")
    candidate = api(world.candidate_user)
    thread = candidate.get(f"/api/v1/applications/{app.pk}/messages").json()
    assert [(m["body"], m["unread"]) for m in thread] == [("Hallo", True)]
    assert candidate.post(f"/api/v1/applications/{app.pk}/messages/read").json() == {"marked": 1, "unread": 0}
    assert candidate.get(f"/api/v1/applications/{app.pk}/messages").json()[0]["unread"] is False


def test_propose_pick_and_download_the_ics_over_the_api(world):
    app = world.application
    employer = api(world.employer_user)
    response = employer.post(
        f"/api/v1/applications/{app.pk}/interviews",
        {
            "contact_person": "Els de Wit",
            "slots": [
                {"starts_at": brussels(5, 10).isoformat(), "location": "Kanaalweg 3, Sluiskil"},
                {"starts_at": brussels(6, 14).isoformat(), "video_url": "https://meet.example/abc"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert [s["location"] for s in proposal["slots"]] == ["Kanaalweg 3, Sluiskil", ""]
    candidate = api(world.candidate_user)
    picked = candidate.post(
        f"/api/v1/applications/{app.pk}/interviews/{proposal['id']}/pick",
        {"slot": proposal["slots"][0]["id"]},
        format="json",
    )
    assert picked.status_code == 200
    assert picked.json()["status"] == "accepted"
    ics = candidate.get(picked.json()["ics_url"])
    assert ics.status_code == 200
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == brussels(5, 10)


def test_errors_use_the_envelope_and_others_get_404(world):
    app = world.application
    bad = api(world.employer_user).post(
        f"/api/v1/applications/{app.pk}/interviews",
        {"contact_person": "Els", "slots": [{"starts_at": brussels(-1, 10).isoformat(), "location": "Hier"}]},
        format="json",
    )
    assert bad.status_code == 400
    assert set(bad.json()) >= {"status", "code", "detail"}
    assert not InterviewProposal.objects.exists()
    other = api(world.other_employer_user).get(f"/api/v1/applications/{app.pk}/messages")
    assert other.status_code == 404
    assert api(world.caseworker).get(f"/api/v1/applications/{app.pk}/messages").status_code == 200
    assert api(world.other_caseworker).get(f"/api/v1/applications/{app.pk}/messages").status_code == 404
    written = api(world.caseworker).post(f"/api/v1/applications/{app.pk}/messages", {"body": "x"}, format="json")
    assert written.status_code == 403


def test_asking_for_another_time_over_the_api(world):
    app = world.application
    proposal = services.interview_propose(
        application=app,
        user=world.employer_user,
        contact_person="Els",
        slots=[{"starts_at": brussels(5, 10), "location": "Sluiskil"}],
    )
    response = api(world.candidate_user).post(
        f"/api/v1/applications/{app.pk}/interviews/{proposal.pk}/request-other",
        {"note": "Liever in de middag."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == ProposalStatus.OTHER_REQUESTED
    assert Message.objects.get().body == "Liever in de middag."

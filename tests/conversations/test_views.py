"""The thread pages of the three audiences: scope (others 404), writing, reading, proposing,
answering, the .ics download, the application pages' section, and query counts."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from applications.models import ApplicationStatus
from conversations import selectors, services
from conversations.models import InterviewProposal, Message, ProposalStatus
from tests.conversations.helpers import brussels, make_world, two_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_the_candidate_writes_and_the_employer_reads_it_as_new_then_read(client, world):
    app = world.application
    client.force_login(world.candidate_user)
    response = client.post(reverse("conversations:jobseeker_thread", kwargs={"pk": app.pk}), {"body": "Hallo!"})
    assert response.status_code == 302
    assert Message.objects.get().sender_side == "candidate"

    client.force_login(world.employer_user)
    detail = client.get(reverse("applications:employer_application_detail", kwargs={"pk": app.pk}))
    assert "unread-count" in detail.content.decode()  # the application page shows the count
    page = client.get(reverse("conversations:employer_thread", kwargs={"pk": app.pk})).content.decode()
    assert "Hallo!" in page
    assert 'class="badge">nieuw<' in page
    assert selectors.unread_count(application=app, side="employer") == 0
    again = client.get(reverse("conversations:employer_thread", kwargs={"pk": app.pk})).content.decode()
    assert 'class="badge">nieuw<' not in again


def test_an_empty_message_re_renders_with_the_error_in_dutch(client, world):
    client.force_login(world.candidate_user)
    response = client.post(reverse("conversations:jobseeker_thread", kwargs={"pk": world.application.pk}), {"body": ""})
    assert response.status_code == 200
    assert "Dit veld is vereist" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("other_jobseeker", "conversations:jobseeker_thread"),
        ("other_employer_user", "conversations:employer_thread"),
        ("other_employer_user", "conversations:employer_interview_propose"),
        ("other_caseworker", "conversations:workspace_thread"),
    ],
)
def test_others_get_a_404(client, world, who, name):
    client.force_login(getattr(world, who))
    assert client.get(reverse(name, kwargs={"pk": world.application.pk})).status_code == 404


def test_the_caseworker_of_the_candidates_service_reads_without_marking_read(client, world):
    services.message_send(application=world.application, user=world.employer_user, body="Welkom")
    client.force_login(world.caseworker)
    page = client.get(reverse("conversations:workspace_thread", kwargs={"pk": world.application.pk}))
    assert page.status_code == 200
    assert "Welkom" in page.content.decode()
    assert "<textarea" not in page.content.decode()
    assert selectors.unread_count(application=world.application, side="candidate") == 1
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(
        where="conversations:workspace_thread", subject_id=world.application.candidate_id
    ).exists()


def test_the_employer_proposes_two_times_and_the_candidate_picks_one(client, world):
    app = world.application
    client.force_login(world.employer_user)
    day5, day6 = brussels(5, 10), brussels(6, 14, 30)
    response = client.post(
        reverse("conversations:employer_interview_propose", kwargs={"pk": app.pk}),
        {
            "contact_person": "Els de Wit",
            "contact_phone": "+31 115 123 456",
            "duration_minutes": 30,
            "slot1_date": day5.date().isoformat(),
            "slot1_time": "10:00",
            "slot1_location": "Kanaalweg 3, Sluiskil",
            "slot2_date": day6.date().isoformat(),
            "slot2_time": "14:30",
            "slot2_video_url": "https://meet.example/abc",
        },
    )
    assert response.status_code == 302
    proposal = InterviewProposal.objects.get()
    assert [s.starts_at for s in proposal.slots.order_by("starts_at")] == [day5, day6]
    app.refresh_from_db()
    assert app.status == ApplicationStatus.INTERVIEW

    client.force_login(world.candidate_user)
    thread = reverse("conversations:jobseeker_thread", kwargs={"pk": app.pk})
    assert "Kanaalweg 3" in client.get(thread).content.decode()
    second = proposal.slots.order_by("starts_at").last()
    answer = reverse("conversations:jobseeker_interview_answer", kwargs={"pk": app.pk, "proposal_pk": proposal.pk})
    assert client.post(answer, {"slot": second.pk}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.chosen_slot == second

    ics = client.get(
        reverse("conversations:jobseeker_interview_ics", kwargs={"pk": app.pk, "proposal_pk": proposal.pk})
    )
    assert ics["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == day6
    assert str(event["location"]) == "https://meet.example/abc"
    client.force_login(world.employer_user)
    employer_ics = client.get(
        reverse("conversations:employer_interview_ics", kwargs={"pk": app.pk, "proposal_pk": proposal.pk})
    )
    assert Calendar.from_ical(employer_ics.content).walk("VEVENT")[0]["uid"] == event["uid"]


def test_a_proposal_without_place_re_renders_with_the_error(client, world):
    client.force_login(world.employer_user)
    response = client.post(
        reverse("conversations:employer_interview_propose", kwargs={"pk": world.application.pk}),
        {
            "contact_person": "Els",
            "duration_minutes": 30,
            "slot1_date": brussels(5, 10).date().isoformat(),
            "slot1_time": "10:00",
        },
    )
    assert response.status_code == 200
    assert "Geef bij elk tijdstip een plaats of een videolink." in response.content.decode()
    assert not InterviewProposal.objects.exists()


def test_the_candidate_asks_for_another_time(client, world):
    proposal = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()
    )
    client.force_login(world.candidate_user)
    answer = reverse(
        "conversations:jobseeker_interview_answer", kwargs={"pk": world.application.pk, "proposal_pk": proposal.pk}
    )
    assert client.post(answer, {"action": "other", "note": ""}).status_code == 200  # the form's error
    assert client.post(answer, {"action": "other", "note": "Liever woensdag."}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OTHER_REQUESTED


def test_the_ics_of_an_unanswered_proposal_is_a_404(client, world):
    proposal = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()
    )
    client.force_login(world.candidate_user)
    url = reverse(
        "conversations:jobseeker_interview_ics", kwargs={"pk": world.application.pk, "proposal_pk": proposal.pk}
    )
    assert client.get(url).status_code == 404


def _fill(world, count: int) -> None:
    """``count`` more applications of other candidates to the same vacancy, each with messages and an interview."""
    from applications.services import application_create
    from tests.factories import CandidateFactory, service

    for _ in range(count):
        candidate = CandidateFactory(employment_service=service("uwv"))
        app = application_create(candidate=candidate, vacancy=world.application.vacancy, motivation="Graag")
        services.message_send(application=app, user=candidate.user, body="Vraag")
        services.message_send(application=app, user=world.employer_user, body="Antwoord")
        services.interview_propose(application=app, user=world.employer_user, contact_person="Els", slots=two_slots())


@pytest.mark.parametrize(
    ("who", "name"),
    [
        ("employer_user", "conversations:employer_inbox"),
        ("caseworker", "conversations:workspace_inbox"),
    ],
)
def test_the_inbox_pages_take_the_same_number_of_queries_for_1_or_6_threads(
    client, world, who, name, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _fill(world, 1)
    user = getattr(world, who)
    client.force_login(user)
    url = reverse(name)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _fill(world, 5)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("<tr>") == 7  # header + 6 threads
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_thread_page_takes_the_same_number_of_queries_for_2_or_20_messages(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(2):
        services.message_send(application=world.application, user=world.employer_user, body=f"Bericht {i}")
    services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()
    )
    client.force_login(world.candidate_user)
    url = reverse("conversations:jobseeker_thread", kwargs={"pk": world.application.pk})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(18):
        services.message_send(application=world.application, user=world.employer_user, body=f"Meer {i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_candidates_inbox_lists_the_unread_count(client, world):
    services.message_send(application=world.application, user=world.employer_user, body="Eén")
    services.message_send(application=world.application, user=world.employer_user, body="Twee")
    client.force_login(world.candidate_user)
    page = client.get(reverse("conversations:jobseeker_inbox")).content.decode()
    assert 'unread-count">2<' in page
    client.get(reverse("conversations:jobseeker_thread", kwargs={"pk": world.application.pk}))
    assert 'unread-count">' not in client.get(reverse("conversations:jobseeker_inbox")).content.decode()


def _nav_badge(html: str, inbox_url: str) -> str | None:
    """The number in the nav's Messages link (None: no badge)."""
    import re

    found = re.search(re.escape(f'href="{inbox_url}"') + r'[^>]*>[^<]*(?:<span class="badge">(\d+)</span>)?</a>', html)
    assert found, "the nav has no Messages link"
    return found.group(1)


def test_the_nav_shows_unread_messages_from_the_cache(client, world, django_capture_on_commit_callbacks):
    inbox = reverse("conversations:jobseeker_inbox")
    client.force_login(world.candidate_user)
    assert _nav_badge(client.get(reverse("vacancies:list")).content.decode(), inbox) is None
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(application=world.application, user=world.employer_user, body="Eén")
        services.message_send(application=world.application, user=world.employer_user, body="Twee")
    assert _nav_badge(client.get(reverse("vacancies:list")).content.decode(), inbox) == "2"
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("conversations:jobseeker_thread", kwargs={"pk": world.application.pk}))
    assert _nav_badge(client.get(reverse("vacancies:list")).content.decode(), inbox) is None

    # The employer's nav: a count the cache missed (no commit here) is put right by the inbox page.
    services.message_send(application=world.application, user=world.candidate_user, body="Dank u")
    employer_inbox = reverse("conversations:employer_inbox")
    page = reverse("vacancies:employer_vacancy_list")
    client.force_login(world.colleague)
    assert _nav_badge(client.get(page).content.decode(), employer_inbox) is None
    assert _nav_badge(client.get(employer_inbox).content.decode(), employer_inbox) == "1"
    assert _nav_badge(client.get(page).content.decode(), employer_inbox) == "1"

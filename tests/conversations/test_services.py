"""Messages, unread counts, interview proposals, picks and the history, through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import OutgoingEmail
from applications.models import ApplicationStatus, ApplicationStatusChange
from conversations import selectors, services
from conversations.models import InterviewProposal, Message, ProposalStatus
from tests.conversations.helpers import brussels, make_world, two_slots

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_a_message_mails_the_other_side_and_counts_as_unread_until_read(world):
    services.message_send(application=world.application, user=world.candidate_user, body="Wanneer kan ik langskomen?")
    mails = OutgoingEmail.objects.filter(key__startswith=f"conversation:{world.application.pk}:message:")
    assert set(mails.values_list("to", flat=True)) == {"hr@example.test", "boss@example.test"}
    assert "Wanneer kan ik" not in mails.first().body  # the mail says where, not what
    assert selectors.unread_count(application=world.application, side="employer") == 1
    assert selectors.unread_count(application=world.application, side="candidate") == 0

    assert services.thread_mark_read(application=world.application, user=world.colleague) == 1
    assert selectors.unread_count(application=world.application, side="employer") == 0

    services.message_send(application=world.application, user=world.employer_user, body="Dinsdag?")
    assert OutgoingEmail.objects.filter(to="an@example.test", key__contains=":message:").count() == 1
    assert selectors.unread_count(application=world.application, side="candidate") == 1


@pytest.mark.parametrize("who", ["other_employer_user", "other_jobseeker", "caseworker"])
def test_only_the_candidate_and_the_employer_write(world, who):
    with pytest.raises(PermissionDenied):
        services.message_send(application=world.application, user=getattr(world, who), body="Hallo")
    assert not Message.objects.exists()


def test_an_empty_message_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.message_send(application=world.application, user=world.candidate_user, body="   ")
    assert "body" in error.value.message_dict


def test_proposing_moves_to_interview_records_history_and_mails_the_candidate(world):
    proposal = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els de Wit", slots=two_slots()
    )
    world.application.refresh_from_db()
    assert world.application.status == ApplicationStatus.INTERVIEW
    assert proposal.slots.count() == 2
    change = ApplicationStatusChange.objects.filter(application=world.application).last()
    assert change.to_status == ApplicationStatus.INTERVIEW
    assert "2" in change.note
    mail = OutgoingEmail.objects.get(key__startswith=f"conversation:{world.application.pk}:interview-proposed:")
    assert mail.to == "an@example.test"
    assert "Kanaalweg 3" in mail.body


def test_a_candidate_cannot_propose_and_past_or_placeless_slots_are_refused(world):
    with pytest.raises(PermissionDenied):
        services.interview_propose(
            application=world.application, user=world.candidate_user, contact_person="X", slots=two_slots()
        )
    with pytest.raises(ValidationError) as error:
        services.interview_propose(
            application=world.application,
            user=world.employer_user,
            contact_person="Els",
            slots=[{"starts_at": timezone.now() - timezone.timedelta(hours=1), "location": "Hier"}],
        )
    assert error.value.message_dict["slots"]
    with pytest.raises(ValidationError):
        services.interview_propose(
            application=world.application,
            user=world.employer_user,
            contact_person="Els",
            slots=[{"starts_at": brussels(3, 9)}],
        )
    assert not InterviewProposal.objects.exists()


def test_picking_a_slot_plans_it_records_history_and_sends_both_an_invitation(world):
    proposal = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els de Wit", slots=two_slots()
    )
    first = proposal.slots.order_by("starts_at").first()
    with pytest.raises(PermissionDenied):
        services.interview_pick(proposal=proposal, user=world.employer_user, slot_id=first.pk)
    services.interview_pick(proposal=proposal, user=world.candidate_user, slot_id=first.pk)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.chosen_slot == first
    planned = OutgoingEmail.objects.filter(key__contains=":interview-planned:")
    # The proposer and the candidate, not every colleague.
    assert set(planned.values_list("to", flat=True)) == {"an@example.test", "hr@example.test"}
    assert "planned" in ApplicationStatusChange.objects.filter(application=world.application).last().note.lower() or (
        "gepland" in ApplicationStatusChange.objects.filter(application=world.application).last().note.lower()
    )
    with pytest.raises(ValidationError):  # answered already
        services.interview_pick(proposal=proposal, user=world.candidate_user, slot_id=first.pk)


def test_a_slot_of_another_proposal_is_refused(world):
    proposal = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()
    )
    with pytest.raises(ValidationError):
        services.interview_pick(proposal=proposal, user=world.candidate_user, slot_id=999999)


def test_asking_for_another_time_writes_the_reason_into_the_thread(world):
    proposal = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()
    )
    with pytest.raises(ValidationError):
        services.interview_request_other(proposal=proposal, user=world.candidate_user, note=" ")
    services.interview_request_other(proposal=proposal, user=world.candidate_user, note="Liever in de middag.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OTHER_REQUESTED
    assert Message.objects.get(application=world.application).body == "Liever in de middag."
    assert selectors.unread_count(application=world.application, side="employer") == 1


def test_a_new_proposal_replaces_the_open_one(world):
    first = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()
    )
    services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()[:1]
    )
    first.refresh_from_db()
    assert first.status == ProposalStatus.OTHER_REQUESTED
    with pytest.raises(ValidationError):
        services.interview_pick(proposal=first, user=world.candidate_user, slot_id=first.slots.first().pk)


def test_the_reminder_goes_once_the_day_before_with_both_sides(world):
    proposal = services.interview_propose(
        application=world.application, user=world.employer_user, contact_person="Els", slots=two_slots()
    )
    slot = proposal.slots.order_by("starts_at").first()
    services.interview_pick(proposal=proposal, user=world.candidate_user, slot_id=slot.pk)
    two_days_before = slot.starts_at - timezone.timedelta(days=2)
    assert services.interview_reminders_send(now=two_days_before) == 0
    day_before = slot.starts_at - timezone.timedelta(hours=20)
    assert services.interview_reminders_send(now=day_before) == 2
    assert services.interview_reminders_send(now=day_before) == 0
    reminders = OutgoingEmail.objects.filter(key__contains=":interview-reminder:")
    assert set(reminders.values_list("to", flat=True)) == {"an@example.test", "hr@example.test"}


def test_the_inbox_counts_unread_per_application_in_one_query(world, django_assert_num_queries):
    services.message_send(application=world.application, user=world.candidate_user, body="Eén")
    services.message_send(application=world.application, user=world.candidate_user, body="Twee")
    with django_assert_num_queries(1):
        rows = list(selectors.inbox_for(user=world.employer_user))
    assert [(row.pk, row.unread) for row in rows] == [(world.application.pk, 2)]
    assert [row.unread for row in selectors.inbox_for(user=world.candidate_user)] == [0]
    assert [row.unread for row in selectors.inbox_for(user=world.caseworker)] == [0]
    assert list(selectors.inbox_for(user=world.other_employer_user)) == []
    assert list(selectors.inbox_for(user=world.other_caseworker)) == []


def test_beat_runs_the_reminder_job_hourly(world, settings):
    from conversations.tasks import interview_reminders

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == interview_reminders.name)
    assert entry["schedule"]
    proposal = services.interview_propose(
        application=world.application,
        user=world.employer_user,
        contact_person="Els",
        slots=[{"starts_at": timezone.now() + timezone.timedelta(hours=5), "location": "Sluiskil"}],
    )
    services.interview_pick(proposal=proposal, user=world.candidate_user, slot_id=proposal.slots.get().pk)
    assert interview_reminders.apply().get() == 2


def test_the_navs_unread_counts_follow_sending_and_reading(world, django_capture_on_commit_callbacks):
    assert selectors.unread_total_cached(user=world.candidate_user) is None  # not known yet: no number
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(application=world.application, user=world.employer_user, body="Komt u dinsdag?")
        services.message_send(application=world.application, user=world.employer_user, body="Of woensdag?")
    assert selectors.unread_total_cached(user=world.candidate_user) == 2
    assert selectors.unread_total_cached(user=world.employer_user) == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(application=world.application, user=world.candidate_user, body="Dinsdag graag.")
    # The company reads as one: every user of the employer sees the count.
    assert selectors.unread_total_cached(user=world.colleague) == 1
    assert selectors.unread_total_cached(user=world.other_employer_user) is None
    with django_capture_on_commit_callbacks(execute=True):
        services.thread_mark_read(application=world.application, user=world.candidate_user)
    assert selectors.unread_total_cached(user=world.candidate_user) == 0
    assert selectors.unread_total_cached(user=world.employer_user) == 1
    assert selectors.unread_total_cached(user=world.caseworker) is None  # reads along, no count


def test_erasing_a_candidates_threads_clears_their_messages_from_the_employers_count(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.message_send(application=world.application, user=world.candidate_user, body="Hallo")
    assert selectors.unread_total_cached(user=world.employer_user) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.conversations_erase_for_candidate(candidate=world.application.candidate)
    assert selectors.unread_total_cached(user=world.employer_user) == 0

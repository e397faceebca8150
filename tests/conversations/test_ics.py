"""The .ics invitation: parses, stable UID, Brussels time with TZID, and attached to the mails."""

import pytest
from django.core import mail
from icalendar import Calendar

from accounts.models import OutgoingEmail
from accounts.notifications import email_deliver
from conversations import services
from conversations.ics import interview_ics
from tests.conversations.helpers import brussels, make_world, two_slots

pytestmark = pytest.mark.django_db


def planned(world):
    proposal = services.interview_propose(
        application=world.application,
        user=world.employer_user,
        contact_person="Els de Wit",
        contact_phone="+31 115 123 456",
        slots=two_slots(),
    )
    slot = proposal.slots.order_by("starts_at").first()
    services.interview_pick(proposal=proposal, user=world.candidate_user, slot_id=slot.pk)
    proposal.refresh_from_db()
    return proposal


def test_the_invitation_parses_with_tzid_location_organizer_and_a_stable_uid():
    world = make_world()
    proposal = planned(world)
    raw = interview_ics(proposal, language="nl")
    calendar = Calendar.from_ical(raw)
    event = calendar.walk("VEVENT")[0]
    assert event.decoded("dtstart") == brussels(5, 10)
    assert event["dtstart"].params["TZID"] == "Europe/Brussels"
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Brussels"
    assert str(event["location"]) == "Kanaalweg 3, Sluiskil"
    assert str(event["organizer"]) == "mailto:hr@example.test"
    assert event["organizer"].params["CN"] == "Els de Wit"
    assert str(event["attendee"]) == "mailto:an@example.test"
    assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 45 * 60
    assert str(event["uid"]) == f"interview-{proposal.uid}@nsp-talent-portal"
    again = Calendar.from_ical(interview_ics(proposal, language="en")).walk("VEVENT")[0]
    assert str(again["uid"]) == str(event["uid"])


def test_the_planned_mails_carry_the_ics_when_delivered():
    world = make_world()
    mail.outbox.clear()
    proposal = planned(world)
    for row in OutgoingEmail.objects.filter(key__contains=":interview-planned:", sent_at__isnull=True):
        email_deliver(pk=row.pk)  # eager tasks may have sent them already
    sent = [m for m in mail.outbox if m.to[0] in ("an@example.test", "hr@example.test") and m.attachments]
    assert {m.to[0] for m in sent} == {"an@example.test", "hr@example.test"}
    name, content, mimetype = sent[0].attachments[0]
    assert name == f"interview-{proposal.pk}.ics"
    assert mimetype == "text/calendar"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["uid"]) == f"interview-{proposal.uid}@nsp-talent-portal"
    # Only the two planned mails carry it (not the proposal's mail before).
    assert len([m for m in mail.outbox if m.attachments]) == 2


def test_a_failing_attachment_loader_does_not_stop_the_mail(monkeypatch):
    from accounts import notifications

    world = make_world()
    mail.outbox.clear()

    def broken(email):
        raise RuntimeError("calendar store down")

    monkeypatch.setattr(notifications, "ATTACHMENT_LOADERS", [broken])
    planned(world)
    for row in OutgoingEmail.objects.filter(key__contains=":interview-planned:", sent_at__isnull=True):
        email_deliver(pk=row.pk)
    assert OutgoingEmail.objects.filter(key__contains=":interview-planned:", sent_at__isnull=True).count() == 0
    planned_mails = [m for m in mail.outbox if m.to[0] in ("an@example.test", "hr@example.test") and "Els" in m.body]
    assert len(planned_mails) == 2
    assert all(not m.attachments for m in planned_mails)

"""Interviews and messages in real Chromium: the employer proposes two times and writes; the
candidate reads (the unread count drops), picks a time and answers; both get the .ics by mail
and can download it from the page. Then every new page through axe-core, in Dutch and English.

Mail is captured by Django's in-memory backend: the test settings run the outbox's delivery task
eagerly in the live server's thread, so ``mail.outbox`` holds what went to the mail server,
attachments included (the .ics is attached at delivery, accounts.notifications.ATTACHMENT_LOADERS).
"""

from pathlib import Path

import pytest
from django.core import mail
from icalendar import Calendar

from conversations.models import InterviewProposal, ProposalStatus
from conversations.services import message_send
from tests.conversations.helpers import brussels, make_world, two_slots

pytestmark = [pytest.mark.browser]


def log_out(page) -> None:
    page.context.clear_cookies()


def test_two_times_proposed_one_picked_both_get_an_ics_and_the_thread_counts_unread(
    page, live_url, login, screenshot, reference_data
):
    world = make_world()
    app = world.application
    mail.outbox.clear()
    day5, day6 = brussels(5, 10), brussels(6, 14, 30)

    # The employer proposes two times from the application's page, and writes.
    login("hr@example.test")
    page.goto(live_url("applications:employer_application_detail", pk=app.pk))
    page.locator("main .conversation-summary a", has_text="Tijdstippen voor een gesprek voorstellen").click()
    page.fill("#id_slot1_date", day5.date().isoformat())
    page.fill("#id_slot1_time", "10:00")
    page.fill("#id_slot1_location", "Kanaalweg 3, Sluiskil")
    page.fill("#id_slot2_date", day6.date().isoformat())
    page.fill("#id_slot2_time", "14:30")
    page.fill("#id_slot2_video_url", "https://meet.example/abc")
    page.fill("#id_contact_person", "Els de Wit")
    page.fill("#id_contact_phone", "+31 115 123 456")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/messages/" in page.url
    page.fill("#id_body", "Welkom! Kies gerust een tijdstip.")
    page.locator("main form.card button[type=submit]", has_text="Versturen").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".thread-message").count() == 1
    log_out(page)

    # The candidate sees one unread message on the application's page; reading it drops the count.
    login("an@example.test")
    page.goto(live_url("applications:detail", pk=app.pk))
    assert page.locator(".conversation-summary .unread-count").inner_text().startswith("1")
    page.locator(".conversation-summary a", has_text="Open de berichten").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Welkom! Kies gerust een tijdstip.").count() == 1
    assert page.locator(".thread-message .badge", has_text="nieuw").count() == 1
    screenshot("interview-candidate-thread")
    page.goto(live_url("conversations:jobseeker_inbox"))
    assert page.locator(".unread-count").count() == 0
    page.goto(live_url("applications:detail", pk=app.pk))
    assert page.locator(".conversation-summary .unread-count").count() == 0

    # ... picks the first time and answers.
    page.locator(".conversation-summary a", has_text="Open de berichten").click()
    page.locator("main .choice label").first.click()
    page.locator("main button", has_text="Dit tijdstip kiezen").click()
    page.wait_for_load_state("networkidle")
    proposal = InterviewProposal.objects.get(application=app)
    assert proposal.status == ProposalStatus.ACCEPTED
    assert proposal.chosen_slot.starts_at == day5
    page.fill("#id_body", "Tot dan!")
    page.locator("main form.card button[type=submit]", has_text="Versturen").click()
    page.wait_for_load_state("networkidle")

    # The download on the page parses, with the chosen time, place and organiser.
    with page.expect_download() as download_info:
        page.locator("a", has_text="Toevoegen aan mijn agenda").click()
    downloaded = Calendar.from_ical(Path(download_info.value.path()).read_bytes()).walk("VEVENT")[0]
    assert downloaded.decoded("dtstart") == day5
    assert downloaded["dtstart"].params["TZID"] == "Europe/Brussels"
    assert str(downloaded["location"]) == "Kanaalweg 3, Sluiskil"
    assert str(downloaded["organizer"]) == "mailto:hr@example.test"

    # Both got the invitation by mail, with the same calendar entry attached.
    invited = {m.to[0]: m for m in mail.outbox if m.attachments}
    assert set(invited) == {"an@example.test", "hr@example.test"}
    for message in invited.values():
        name, content, mimetype = message.attachments[0]
        assert name.endswith(".ics")
        assert mimetype == "text/calendar"
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert event.decoded("dtstart") == day5
        assert str(event["location"]) == "Kanaalweg 3, Sluiskil"
        assert str(event["organizer"]) == "mailto:hr@example.test"
        assert event["uid"] == downloaded["uid"]
    log_out(page)

    # The employer has one unread answer; reading drops it to none.
    login("hr@example.test")
    page.goto(live_url("conversations:employer_inbox"))
    assert page.locator(".unread-count").inner_text() == "1"
    page.locator("main table a").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Tot dan!").count() == 1
    assert page.locator(".interview-planned").count() == 1
    page.goto(live_url("conversations:employer_inbox"))
    assert page.locator(".unread-count").count() == 0
    assert page.js_errors == []


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_new_pages_have_no_serious_accessibility_violations(
    page, live_url, login, axe_check, language, reference_data
):
    from conversations.services import interview_propose

    world = make_world()
    app = world.application
    message_send(application=app, user=world.employer_user, body="Welkom")
    interview_propose(application=app, user=world.employer_user, contact_person="Els de Wit", slots=two_slots())
    violations: list[dict] = []

    def check(name: str, **kwargs) -> None:
        page.goto(live_url(name, language, **kwargs))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("h1").count() == 1, page.url
        violations.extend(axe_check())

    login("an@example.test", language=language)
    check("conversations:jobseeker_inbox")
    check("applications:detail", pk=app.pk)
    check("conversations:jobseeker_thread", pk=app.pk)
    # The "ask for another time" form with its error.
    page.locator(
        "main button", has_text="Ask for another time" if language == "en" else "Een ander tijdstip vragen"
    ).click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary").count() == 1
    violations.extend(axe_check())
    log_out(page)

    login("hr@example.test", language=language)
    check("conversations:employer_inbox")
    check("conversations:employer_thread", pk=app.pk)
    check("conversations:employer_interview_propose", pk=app.pk)
    page.locator("main form button[type=submit]").click()  # empty: the errors
    page.wait_for_load_state("networkidle")
    violations.extend(axe_check())
    log_out(page)

    login(world.caseworker.email, language=language)
    check("conversations:workspace_inbox")
    check("conversations:workspace_thread", pk=app.pk)

    assert violations == [], "\n".join(
        f"{v['impact']} {v['id']} on {v['page']}: {v['help']} {v['nodes']}" for v in violations
    )

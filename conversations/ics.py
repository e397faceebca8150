"""The .ics invitation of a planned interview (RFC 5545, ``icalendar``).

The UID is the interview's own (``InterviewProposal.uid``), so every copy (the mail, the
reminder, the download) updates the same calendar entry; SEQUENCE grows when it changes.
Times are written in Europe/Brussels with a TZID and its VTIMEZONE (the portal's region
shares that zone with Amsterdam).
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import InterviewProposal, ProposalStatus

ICS_TIMEZONE = ZoneInfo("Europe/Brussels")
ICS_MIMETYPE = "text/calendar"
# Mails of these events carry the interview's .ics (keys: conversation:<application>:<event>:<proposal>:...).
ICS_EVENTS = ("interview-planned", "interview-reminder")


def interview_ics(proposal: InterviewProposal, *, language: str | None = None) -> bytes:
    """The planned interview as a one-event calendar; raises ValueError if no slot was chosen."""
    slot = proposal.chosen_slot
    if slot is None or proposal.status != ProposalStatus.ACCEPTED:
        raise ValueError("this interview has no chosen slot")
    application = proposal.application
    vacancy = application.vacancy
    with translation.override(language or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//NSP Talent Portal//Interviews//EN")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = Event()
        event.add("uid", f"interview-{proposal.uid}@nsp-talent-portal")
        event.add("sequence", proposal.sequence)
        event.add("dtstamp", timezone.now())
        start = slot.starts_at.astimezone(ICS_TIMEZONE)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=slot.duration_minutes))
        event.add("summary", _("Interview: %(title)s") % {"title": vacancy.title})
        event.add("location", vText(slot.location or slot.video_url))
        if slot.video_url:
            event.add("url", slot.video_url)
        lines = [
            _("Interview with %(employer)s for “%(title)s”.")
            % {"employer": vacancy.employer.legal_name, "title": vacancy.title},
            _("Contact person: %(name)s") % {"name": proposal.contact_person},
        ]
        if proposal.contact_phone:
            lines.append(_("Phone: %(phone)s") % {"phone": proposal.contact_phone})
        if slot.video_url:
            lines.append(_("Video link: %(url)s") % {"url": slot.video_url})
        if proposal.note:
            lines.append(proposal.note)
        event.add("description", "\n".join(lines))
        organizer_email = proposal.proposed_by.email if proposal.proposed_by_id and proposal.proposed_by else ""
        organizer = vCalAddress(f"mailto:{organizer_email or settings.DEFAULT_FROM_EMAIL}")
        organizer.params["cn"] = vText(proposal.contact_person)
        event.add("organizer", organizer)
        candidate_user = application.candidate.user
        if candidate_user.email:
            attendee = vCalAddress(f"mailto:{candidate_user.email}")
            attendee.params["cn"] = vText(candidate_user.get_full_name() or candidate_user.email)
            event.add("attendee", attendee)
        calendar.add_component(event)
        calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_filename(proposal: InterviewProposal) -> str:
    return f"interview-{proposal.pk}.ics"


def ics_attachments_for_email(email) -> list[tuple[str, bytes, str]]:
    """The outbox's loader: an interview mail gets the interview's .ics as it is at delivery."""
    parts = email.key.split(":")
    if len(parts) < 4 or parts[0] != "conversation" or parts[2] not in ICS_EVENTS:
        return []
    try:
        proposal_id = int(parts[3])
    except ValueError:
        return []
    proposal = (
        InterviewProposal.objects.select_related(
            "chosen_slot", "proposed_by", "application__vacancy__employer", "application__candidate__user"
        )
        .filter(pk=proposal_id, status=ProposalStatus.ACCEPTED)
        .first()
    )
    if proposal is None:
        return []  # changed or erased since the mail was recorded: no stale invitation
    return [(ics_filename(proposal), interview_ics(proposal, language=email.language), ICS_MIMETYPE)]

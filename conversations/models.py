"""Per application: the message thread between employer and candidate, and the interview slots
the employer proposes (the candidate picks one or asks for another)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import Application


class Side(models.TextChoices):
    """Who wrote: the candidate, or the employer (any of its users: a company speaks as one)."""

    CANDIDATE = "candidate", _("Candidate")
    EMPLOYER = "employer", _("Employer")


class MessageQuerySet(models.QuerySet):
    def unread_for(self, side: str) -> "MessageQuerySet":
        """Messages the other side wrote that nobody on ``side`` has opened yet."""
        return self.exclude(sender_side=side).filter(read_at__isnull=True)


class Message(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender_side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    body = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the other side first opened the thread after this message (one flag per side is enough:
    # a message has exactly one side that reads it).
    read_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["application", "created_at"], name="message_thread"),
            models.Index(fields=["application"], condition=models.Q(read_at__isnull=True), name="message_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.get_sender_side_display()} @ {self.created_at:%Y-%m-%d %H:%M}"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for the candidate")
    ACCEPTED = "accepted", _("Planned")
    OTHER_REQUESTED = "other_requested", _("The candidate asked for another time")


class InterviewProposal(models.Model):
    """One interview: the employer's proposed slots and, once picked, the chosen one."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="interview_proposals")
    # Stable for the calendar: the .ics UID of this interview, whatever changes.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_person = models.CharField(_("contact person"), max_length=200)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    note = models.TextField(_("note to the candidate"), blank=True, max_length=2000)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    chosen_slot = models.OneToOneField(
        "InterviewSlot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The candidate's reason when asking for another time.
    response_note = models.TextField(_("your message"), blank=True, max_length=2000)
    sequence = models.PositiveIntegerField(default=0)  # the .ics SEQUENCE: calendars take the higher one
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("interview proposal")
        verbose_name_plural = _("interview proposals")
        indexes = [
            # The reminder job reads only the planned interviews not yet reminded.
            models.Index(
                fields=["status"],
                condition=models.Q(status="accepted", reminder_sent_at__isnull=True),
                name="interview_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return f"interview {self.uid} ({self.status})"


class InterviewSlot(models.Model):
    proposal = models.ForeignKey(InterviewProposal, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    location = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("interview slot")
        verbose_name_plural = _("interview slots")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(location="") | ~models.Q(video_url=""), name="interview_slot_place_or_video"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=5) & models.Q(duration_minutes__lte=480),
                name="interview_slot_duration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M}"

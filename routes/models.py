"""Training routes: a caseworker proposes a training that closes a candidate's gap for a vacancy.

The route keeps a snapshot of the gap (near misses are replaced on every rematch) and moves
through its stages; every move is a RouteEvent (and an audit record, written by the services).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RouteStage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted by the jobseeker")
    DECLINED = "declined", _("Declined by the jobseeker")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")


class RouteOrigin(models.TextChoices):
    SHORTLIST = "shortlist", _("From the shortlist")
    NEAR_MISS = "near_miss", _("From the near misses")


class TrainingRoute(models.Model):
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="training_routes")
    vacancy = models.ForeignKey(
        "vacancies.Vacancy", null=True, blank=True, on_delete=models.SET_NULL, related_name="training_routes"
    )
    offer = models.ForeignKey("training.TrainingOffer", on_delete=models.PROTECT, related_name="routes")
    start = models.ForeignKey(
        "training.TrainingStart", null=True, blank=True, on_delete=models.SET_NULL, related_name="routes"
    )
    origin = models.CharField(max_length=10, choices=RouteOrigin.choices)
    # The gap when the route was proposed (the NearMiss.gap shape; empty for a shortlist entry).
    gap = models.JSONField(default=dict, blank=True)
    # Minutes from the candidate's home to the training place by their modes (None: unknown).
    travel_minutes = models.PositiveIntegerField(null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=RouteStage.choices, default=RouteStage.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(_("note"), blank=True)
    # The jobseeker confirmed the skills of a completed training: they are on the profile.
    skills_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("training route")
        verbose_name_plural = _("training routes")
        indexes = [models.Index(fields=["stage", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.candidate_id} → {self.offer_id} ({self.stage})"


class RouteEvent(models.Model):
    route = models.ForeignKey(TrainingRoute, on_delete=models.CASCADE, related_name="events")
    stage = models.CharField(max_length=10, choices=RouteStage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.route_id}: {self.stage}"

"""Matches made by the engine, caseworkers' decisions on them, and the worker's bookkeeping."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_portal_admin, is_service_caseworker
from candidates.models import Candidate
from vacancies.models import Vacancy


class ReviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CandidateResponse(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted: share my profile")
    DECLINED = "declined", _("Declined")


class RejectionReason(models.TextChoices):
    SKILLS = "skills", _("Skills do not fit")
    EDUCATION = "education", _("Education does not fit")
    COMMUTE = "commute", _("Commute not realistic")
    LANGUAGE = "language", _("Language level too low")
    AVAILABILITY = "availability", _("Not available")
    ALREADY_PLACED = "placed", _("Already placed or in another procedure")
    OTHER = "other", _("Other (see note)")


class MatchQuerySet(models.QuerySet):
    def approved(self) -> "MatchQuerySet":
        return self.filter(review_status=ReviewStatus.APPROVED)

    def shared_with_employer(self) -> "MatchQuerySet":
        """What an employer may see: approved by a caseworker and accepted by the candidate."""
        return self.approved().filter(candidate_response=CandidateResponse.ACCEPTED)

    def for_caseworker(self, user) -> "MatchQuerySet":
        """Scoped by the rule in matching/permissions.py (own service, or cross-border consent)."""
        if is_portal_admin(user):
            return self
        if not is_service_caseworker(user):
            return self.none()
        return self.filter(
            Q(candidate__employment_service_id=user.employment_service_id)
            | Q(candidate__consent_cross_border_at__isnull=False)
        )

    def for_employer(self, employer_id: int) -> "MatchQuerySet":
        return self.shared_with_employer().filter(vacancy__employer_id=employer_id)

    def for_candidate(self, candidate_id: int) -> "MatchQuerySet":
        """A jobseeker sees the matches a caseworker approved for them."""
        return self.approved().filter(candidate_id=candidate_id)


class Match(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="matches")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    rank = models.PositiveIntegerField(null=True, blank=True)
    factors = models.JSONField(default=dict)  # factor name -> score in [0, 1]
    explanation = models.JSONField(default=list)  # structured reasons: [{"code": ..., ...}]
    engine_version = models.CharField(max_length=20)
    # True when the candidate no longer passes a hard filter (kept only because a caseworker decided).
    is_flagged = models.BooleanField(default=False)
    flag_reasons = models.JSONField(default=list, blank=True)
    review_status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    candidate_response = models.CharField(
        max_length=10, choices=CandidateResponse.choices, default=CandidateResponse.PENDING
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["vacancy", "-score", "candidate_id"]
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "vacancy"], name="match_unique_candidate_vacancy"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="match_score_in_unit_interval"),
        ]
        indexes = [models.Index(fields=["vacancy", "review_status", "-score"])]

    def __str__(self) -> str:
        return f"{self.candidate} ~ {self.vacancy} ({self.score:.2f})"


class MatchDecision(models.Model):
    """The audit trail: every decision on a match, who made it and when; never edited."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=ReviewStatus.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reviewer_service = models.CharField(max_length=20, blank=True)
    reason = models.CharField(max_length=20, choices=RejectionReason.choices, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} of match {self.match_id}"


class MatchingWeights(models.Model):
    """The engine's factor weights, editable by a portal admin without a deploy (one row)."""

    occupation = models.FloatField(default=0.25)
    skills = models.FloatField(default=0.30)
    education = models.FloatField(default=0.10)
    commute = models.FloatField(default=0.15)
    languages = models.FloatField(default=0.05)
    stem = models.FloatField(default=0.05)
    hours_shift = models.FloatField(default=0.10)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return str(_("Matching weights"))


class RematchKind(models.TextChoices):
    VACANCY = "vacancy", _("vacancy")
    CANDIDATE = "candidate", _("candidate")
    ALL = "all", _("everything")


class PendingRematch(models.Model):
    """An outbox row written in the same transaction as the change that needs a rematch.

    If the broker is down when the change commits, the row stays and the periodic sweep
    queues it later: no change is lost.
    """

    kind = models.CharField(max_length=10, choices=RematchKind.choices)
    object_id = models.BigIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    # Set when the task reached the broker; a row sent long ago and still here was lost.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id the request is sent with (again by the sweep): what the API reports.
    task_id = models.CharField(max_length=36, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="pendingrematch_unique"),
        ]

    def __str__(self) -> str:
        return f"rematch {self.kind} {self.object_id or 'all'}"


class RebuildStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RebuildRun(models.Model):
    """Progress of a full rebuild, readable by the pages' progress bar."""

    status = models.CharField(max_length=10, choices=RebuildStatus.choices, default=RebuildStatus.RUNNING)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    vacancies_total = models.PositiveIntegerField(default=0)
    candidates_total = models.PositiveIntegerField(default=0)
    exclusions = models.JSONField(default=dict, blank=True)  # reason -> count of candidates
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"rebuild {self.pk} ({self.status})"

    @property
    def progress(self) -> float:
        return self.chunks_done / self.chunks_total if self.chunks_total else 0.0


class MatchingState(models.Model):
    """Version counters that tell a worker when its cached engine inputs are out of date.

    ``candidates_version`` goes up with every change to a candidate profile (in the same
    transaction), ``reference_version`` with every reload of the reference data.
    """

    candidates_version = models.BigIntegerField(default=0)
    reference_version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"candidates v{self.candidates_version}, reference v{self.reference_version}"

    @classmethod
    def current(cls) -> "MatchingState":
        state, _ = cls.objects.get_or_create(pk=1)
        return state

    @classmethod
    def bump(cls, field: str) -> None:
        if not cls.objects.filter(pk=1).update(**{field: models.F(field) + 1}):
            cls.objects.get_or_create(pk=1)
            cls.objects.filter(pk=1).update(**{field: models.F(field) + 1})


class ShortlistSummary(models.Model):
    """Per vacancy: how many candidates the engine saw, how many passed, who was left out and why."""

    vacancy = models.OneToOneField(Vacancy, on_delete=models.CASCADE, related_name="shortlist_summary")
    candidates_total = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    exclusions = models.JSONField(default=dict)  # filter reason -> number of candidates
    engine_version = models.CharField(max_length=20, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"summary of vacancy {self.vacancy_id}"

"""Matches made by the engine, caseworkers' decisions on them, and the worker's bookkeeping."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.roles import is_portal_admin, is_service_caseworker
from candidates.models import Candidate
from vacancies.models import Vacancy


class ReviewStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # The third decision (issue 12): the candidate is proposed a training that closes the gap
    # (the route itself lives in routes.TrainingRoute).
    ROUTED = "routed", _("Routed to training")


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


class MatchSource(models.TextChoices):
    ENGINE = "engine", _("Proposed by the matching")
    MANUAL = "manual", _("Added by a caseworker")


def caseworker_visible_q(user) -> Q | None:
    """The candidates a caseworker may see on rows with a ``candidate``: the home of the rule
    for matches and near misses alike (own service, or cross-border consent). ``None``: every
    row (an admin); ``Q(pk__in=[])``: none."""
    if is_portal_admin(user):
        return None
    if not is_service_caseworker(user):
        return Q(pk__in=[])
    return Q(candidate__employment_service_id=user.employment_service_id) | Q(
        candidate__consent_cross_border_at__isnull=False
    )


def _scoped_to_caseworker(queryset: models.QuerySet, user) -> models.QuerySet:
    visible = caseworker_visible_q(user)
    if visible is None:
        return queryset
    if not is_service_caseworker(user):
        return queryset.none()
    return queryset.filter(visible)


class MatchQuerySet(models.QuerySet):
    def approved(self) -> "MatchQuerySet":
        return self.filter(review_status=ReviewStatus.APPROVED)

    def shared_with_employer(self) -> "MatchQuerySet":
        """What an employer may see: approved by a caseworker and accepted by the candidate."""
        return self.approved().filter(candidate_response=CandidateResponse.ACCEPTED)

    def for_caseworker(self, user) -> "MatchQuerySet":
        """Scoped by the rule in matching/permissions.py (own service, or cross-border consent)."""
        return _scoped_to_caseworker(self, user)

    def for_employer(self, employer_id: int) -> "MatchQuerySet":
        return self.shared_with_employer().filter(vacancy__employer_id=employer_id)

    def for_candidate(self, candidate_id: int) -> "MatchQuerySet":
        """A jobseeker sees the matches a caseworker approved for them."""
        return self.approved().filter(candidate_id=candidate_id)


class Match(models.Model):
    # No single-column indexes on the two keys: the unique (candidate, vacancy) and the
    # (vacancy, review_status, -score) indexes serve lookups by either, and every index costs each
    # rebuild a write per row (docs/performance.md, "What a rebuild writes").
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="matches", db_index=False)
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="matches", db_index=False)
    score = models.FloatField()
    rank = models.PositiveIntegerField(null=True, blank=True)
    factors = models.JSONField(default=dict)  # factor name -> score in [0, 1]
    explanation = models.JSONField(default=list)  # structured reasons: [{"code": ..., ...}]
    engine_version = models.CharField(max_length=20)
    # Who put the candidate on the shortlist: the engine, or a caseworker by hand (with a reason).
    # A rematch never deletes a hand-added row (matching/shortlists.py). db_default: the worker's
    # raw-SQL upsert inserts engine rows without naming the column.
    source = models.CharField(
        max_length=10, choices=MatchSource.choices, default=MatchSource.ENGINE, db_default=MatchSource.ENGINE
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    added_reason = models.TextField(blank=True, default="", db_default="")
    # True when the candidate no longer passes a hard filter (kept only because a caseworker decided).
    is_flagged = models.BooleanField(default=False)
    flag_reasons = models.JSONField(default=list, blank=True)
    review_status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
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
        indexes = [
            models.Index(fields=["vacancy", "review_status", "-score"]),
            # Partial: the engine's rows (nearly all) have neither, and need no entry; a deleted
            # user's SET NULL still finds theirs.
            models.Index(fields=["added_by"], condition=Q(added_by__isnull=False), name="match_added_by_set"),
            models.Index(fields=["reviewer"], condition=Q(reviewer__isnull=False), name="match_reviewer_set"),
        ]

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
    # Human oversight (AI Act Art. 14), read by workspace/oversight.py. Seconds between the
    # reviewer opening the shortlist or the match and this decision (a bulk decision shares
    # the time among its matches); null when the reviewer opened neither page.
    seconds_spent = models.PositiveIntegerField(null=True, blank=True)
    # Decided among several ticked rows of the shortlist at once.
    bulk = models.BooleanField(default=False)
    # The reviewer had opened this match's own page (the candidate) before deciding.
    opened_candidate = models.BooleanField(default=False)
    # An approval while a better-ranked match of the same vacancy was not approved (see
    # matching.services.differs_from_machine_order).
    differs_from_order = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} of match {self.match_id}"


class MatchingWeights(models.Model):
    """The engine's factor weights, one row per version: a change is a new version, never an
    edit in place (AI Act Art. 12); the newest version is the one in force
    (``matching.profiles.weights_current``). A portal admin adds one in the Django admin."""

    occupation = models.FloatField(default=0.25)
    skills = models.FloatField(default=0.30)
    education = models.FloatField(default=0.10)
    commute = models.FloatField(default=0.15)
    languages = models.FloatField(default=0.05)
    stem = models.FloatField(default=0.05)
    hours_shift = models.FloatField(default=0.10)
    version = models.PositiveIntegerField(default=1, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    FACTORS = ("occupation", "skills", "education", "commute", "languages", "stem", "hours_shift")

    class Meta:
        ordering = ["-version"]
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return str(_("Matching weights, version %(version)s") % {"version": self.version})


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


# The error of a run that a newer rebuild replaced: no alarm, the newer run is the one to watch.
REBUILD_SUPERSEDED = "Superseded by a newer rebuild."


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
    # The watchdog (matching.rebuild.rebuild_watchdog) measures a stall from the last chunk done.
    last_progress_at = models.DateTimeField(null=True, blank=True)
    stalls = models.PositiveIntegerField(default=0)  # times the watchdog found no progress
    chunks_resent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"rebuild {self.pk} ({self.status})"

    @property
    def progress(self) -> float:
        return self.chunks_done / self.chunks_total if self.chunks_total else 0.0

    @property
    def alarm(self) -> str:
        """What an admin must notice about this run ("" when nothing): shown in the admin and on
        the progress bars."""
        if self.status == RebuildStatus.FAILED and self.error != REBUILD_SUPERSEDED:
            return str(_("Rebuild failed: some shortlists may be out of date. Start a new rebuild."))
        if self.status == RebuildStatus.RUNNING and self.stalls:
            return ngettext(
                "Rebuild stalled, re-sent %(count)d part to the workers.",
                "Rebuild stalled, re-sent %(count)d parts to the workers.",
                self.chunks_resent,
            ) % {"count": self.chunks_resent}
        return ""


class RebuildChunkStatus(models.TextChoices):
    PENDING = "pending", _("Not done yet")
    DONE = "done", _("Done")


class RebuildChunk(models.Model):
    """One part of a full rebuild: recorded before its task is sent, so that a part lost with
    its worker can be sent again, and marked done once (a second run of it changes nothing)."""

    run = models.ForeignKey(RebuildRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    vacancy_ids = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=RebuildChunkStatus.choices, default=RebuildChunkStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # times its task was sent
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="rebuild_chunk_unique_index")]

    def __str__(self) -> str:
        return f"rebuild {self.run_id} part {self.index} ({self.status})"


class RebuildShardPart(models.Model):
    """One shard's share of a rebuild part (MATCHING_SHARDS > 1): the partial shortlists of the
    part's vacancies over the shard's candidates only (ids and scores, npz bytes), kept until the
    part is merged; ``candidates_held`` and ``pid`` say what the worker that ranked it held."""

    run = models.ForeignKey(RebuildRun, on_delete=models.CASCADE, related_name="shard_parts")
    index = models.PositiveIntegerField()  # the RebuildChunk's index
    shard = models.PositiveIntegerField()
    n_shards = models.PositiveIntegerField()
    partial = models.BinaryField(null=True, blank=True)
    candidates_held = models.PositiveIntegerField(null=True, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    merged_at = models.DateTimeField(null=True, blank=True)  # set on shard 0's row: merged once
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["run", "index", "shard"]
        constraints = [
            models.UniqueConstraint(fields=["run", "index", "shard"], name="rebuild_shard_part_unique"),
        ]

    def __str__(self) -> str:
        return f"rebuild {self.run_id} part {self.index} shard {self.shard}/{self.n_shards}"


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
    # The audit log's scoring_run event (AuditEvent.seq) that made this shortlist, and the
    # weights version it scored with: the context a decision is logged with.
    run_seq = models.BigIntegerField(null=True, blank=True)
    weights_version = models.PositiveIntegerField(null=True, blank=True)
    near_misses = models.PositiveIntegerField(default=0)  # candidates kept as near misses (bounded)
    computed_at = models.DateTimeField(auto_now=True)
    # What each hard requirement costs (matching/requirements.py): computed by the worker after
    # a rematch of this vacancy or on demand, with database ids; null = not computed yet.
    requirement_costs = models.JSONField(null=True, blank=True)
    requirement_costs_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"summary of vacancy {self.vacancy_id}"


class GapKind(models.TextChoices):
    SKILLS = "skills", _("Essential skills missing")
    LANGUAGE = "language", _("Language level one step too low")
    EDUCATION = "education", _("Education level one step too low")


class NearMissQuerySet(models.QuerySet):
    def for_caseworker(self, user) -> "NearMissQuerySet":
        """The same candidates as ``Match.objects.for_caseworker`` (one rule, one home)."""
        return _scoped_to_caseworker(self, user)

    def for_candidate(self, candidate_id: int) -> "NearMissQuerySet":
        return self.filter(candidate_id=candidate_id)


class NearMiss(models.Model):
    """A candidate who passes every hard filter of a vacancy but one, by a small closable gap
    (at most two essential skills, one CEFR level of one language, or one education level).

    Kept like the shortlist: bounded per vacancy, replaced with it on every rematch, never on it.
    ``gap`` is structured (``{"kind": ..., "skills": [skill ids], "language": {"code", "required",
    "has"}, "education": {"required", "has"}}``); ``missing_skills`` repeats the skills as rows so
    the figures can count them in SQL.
    """

    # Served by the (vacancy, rank) and unique (candidate, vacancy) indexes, as on Match.
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="near_misses", db_index=False)
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="near_misses", db_index=False)
    score = models.FloatField()  # the engine's score of the pair (as if the gap were closed)
    rank = models.PositiveIntegerField()  # 1-based among the vacancy's near misses
    kind = models.CharField(max_length=10, choices=GapKind.choices)
    gap = models.JSONField(default=dict)
    missing_skills = models.ManyToManyField("taxonomy.Skill", through="NearMissSkill", related_name="+", blank=True)
    explanation = models.JSONField(default=list)  # structured reasons, as on Match
    engine_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField(auto_now=True)

    objects = NearMissQuerySet.as_manager()

    class Meta:
        ordering = ["vacancy", "rank"]
        verbose_name = _("near miss")
        verbose_name_plural = _("near misses")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "vacancy"], name="nearmiss_unique_candidate_vacancy"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=1), name="nearmiss_score_in_unit_interval"),
        ]
        indexes = [models.Index(fields=["vacancy", "rank"])]

    def __str__(self) -> str:
        return f"{self.candidate} ~ {self.vacancy} (near miss: {self.kind})"


class NearMissSkill(models.Model):
    near_miss = models.ForeignKey(NearMiss, on_delete=models.CASCADE, related_name="skill_rows")
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["near_miss", "skill"], name="nearmissskill_unique")]

    def __str__(self) -> str:
        return f"{self.near_miss_id}: {self.skill_id}"


class ReviewOpening(models.Model):
    """A caseworker opened a shortlist (``match`` empty) or one match: the start of the time
    a decision took, for the oversight indicators (AI Act Art. 14). Kept as long as decisions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["opened_at", "id"]
        indexes = [models.Index(fields=["user", "vacancy", "-opened_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} opened vacancy {self.vacancy_id} match {self.match_id}"


class MatchingPause(models.Model):
    """The stop button (AI Act Art. 14(4)(e)): automatic matching paused for the whole portal
    (``service`` empty) or for the candidates of one employment service, until resumed.

    While the portal is paused the worker's rematches and rebuilds do nothing (their outbox
    rows stay, so a resume catches up). While a service is paused, the matches of candidates
    registered with that service are frozen: no rematch creates, refreshes or deletes them;
    the other candidates are matched as usual. Rows are kept as the pause's history.
    """

    service = models.ForeignKey(
        "accounts.EmploymentService", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField()
    paused_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    paused_at = models.DateTimeField(default=timezone.now)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-paused_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service"],
                condition=Q(resumed_at__isnull=True),
                nulls_distinct=False,
                name="matchingpause_one_active_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"matching paused ({self.service_id or 'portal'}) since {self.paused_at}"


class ReviewRequestKind(models.TextChoices):
    REJECTION = "rejection", _("A caseworker's rejection")
    EXCLUSION = "exclusion", _("An exclusion by a filter")


class ReviewRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")


class ReviewRequestQuerySet(models.QuerySet):
    def for_caseworker(self, user) -> "ReviewRequestQuerySet":
        """Caseworkers of the candidate's own service answer (docs: the service that knows the
        jobseeker); a portal admin sees every request."""
        if is_portal_admin(user):
            return self
        if not is_service_caseworker(user):
            return self.none()
        return self.filter(candidate__employment_service_id=user.employment_service_id)

    def for_candidate(self, candidate_id: int | None) -> "ReviewRequestQuerySet":
        return self.none() if candidate_id is None else self.filter(candidate_id=candidate_id)

    def open(self) -> "ReviewRequestQuerySet":
        return self.filter(status=ReviewRequestStatus.OPEN)


class ReviewRequest(models.Model):
    """A jobseeker contests a decision (AI Act Art. 86; GDPR Art. 22(3)): a human answers.

    ``context`` is what the portal showed and decided at the time of the request (score, rank,
    factors, explanation, decision, reason, the reviewer's service, the engine version; for an
    exclusion the counts per filter over the open vacancies), kept even if the match changes.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="review_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="review_requests"
    )
    kind = models.CharField(max_length=10, choices=ReviewRequestKind.choices)
    match = models.ForeignKey(Match, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_requests")
    vacancy = models.ForeignKey(Vacancy, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    filter_reason = models.CharField(max_length=40, blank=True)  # an engine REASONS code (exclusions)
    text = models.TextField()
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=ReviewRequestStatus.choices, default=ReviewRequestStatus.OPEN)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReviewRequestQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("request for human review")
        verbose_name_plural = _("requests for human review")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"review request {self.pk} ({self.kind}, {self.status})"


class ShortlistCount(models.Model):
    """Per vacancy and per group of candidates (their employment service, cross-border consent):
    how many matches wait for review, are approved, rejected or flagged. The work queue answers
    from these rows instead of grouping every match (issue 15: its cost followed the number of
    matches, not what it shows).

    Kept up to date by PostgreSQL itself, in the same transaction as the change: statement-level
    triggers on matching_match (every writer: the shortlist upsert, COPY, decisions, deletions)
    and on candidates_candidate (a change of service or consent moves a candidate's matches to
    another group) recompute the rows of the vacancies touched (migration 0008_shortlist_counts).
    Never written by Python.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    employment_service = models.ForeignKey(
        "accounts.EmploymentService", null=True, on_delete=models.CASCADE, related_name="+"
    )
    cross_border = models.BooleanField()  # the candidates consented to cross-border sharing
    proposed = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    flagged_approved = models.PositiveIntegerField(default=0)
    best_proposed = models.FloatField(null=True)
    waiting_since = models.DateTimeField(null=True)  # the oldest proposal still undecided

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "employment_service", "cross_border"],
                nulls_distinct=False,
                name="shortlistcount_unique_group",
            ),
        ]

    def __str__(self) -> str:
        return f"counts of vacancy {self.vacancy_id} ({self.employment_service_id}, {self.cross_border})"


class QueueScope(models.Model):
    """The work queue's rows as one caseworker scope sees them: per open vacancy and per scope
    (the viewer's service, NULL for portal admins; the queue's service filter, NULL for none),
    the sums of the visible ``ShortlistCount`` groups. The queue's page is a range of the index
    on (scope, waiting_since) and its size a count over that range: the cost follows the page,
    not the number of vacancies (issue 15).

    Kept by PostgreSQL triggers (migration 0012_queue_scopes) on ``matching_shortlistcount``
    (itself kept by the matches' triggers), on a vacancy's status, place or STEM flag, and on
    the services; only published vacancies with undecided or flagged-approved matches have rows.
    Never written by Python.
    """

    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="+")
    viewer_service = models.ForeignKey(
        "accounts.EmploymentService", null=True, on_delete=models.CASCADE, related_name="+"
    )
    of_service = models.ForeignKey("accounts.EmploymentService", null=True, on_delete=models.CASCADE, related_name="+")
    # "<viewer service id>:<filter service id>", 0 for an admin / no filter. One non-null key
    # column: with ``IS NULL`` on a key column PostgreSQL sorts the range instead of reading the
    # index in order.
    scope = models.CharField(max_length=41)
    # The vacancy's filters, copied so the page is read from this table alone.
    country = models.CharField(max_length=2, blank=True)
    is_stem = models.BooleanField()
    place = models.ForeignKey("taxonomy.Place", on_delete=models.CASCADE, related_name="+")
    undecided = models.PositiveIntegerField()
    decidable = models.PositiveIntegerField()
    flagged = models.PositiveIntegerField()
    best = models.FloatField(null=True)
    waiting_since = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "vacancy"],
                name="queuescope_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "waiting_since", "vacancy"], name="queuescope_page"),
        ]

    def __str__(self) -> str:
        return f"queue row of vacancy {self.vacancy_id} ({self.viewer_service_id}, {self.of_service_id})"

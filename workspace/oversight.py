"""Human-oversight indicators (AI Act Art. 14): are the caseworkers deciding, or rubber-stamping?

For the coordinators of an employment service (their own service's caseworkers) and the portal
admins (every service), computed from the decisions' audit rows (``matching.MatchDecision``:
approvals and rejections; the ``proposed`` rows of hand additions are not decisions). Per
caseworker and per service:

- ``decisions``: approvals plus rejections in the period;
- ``approval_rate``: approvals / decisions;
- ``median_seconds``: the median of ``seconds_spent`` (time from opening the shortlist or the
  match to the decision; a bulk decision shares that time among its matches) over the
  decisions that have it;
- ``differs_share``: decisions that depart from the machine's order (an approval while a
  better-ranked match of the vacancy was skipped or rejected:
  ``matching.services.differs_from_machine_order``) / decisions;
- ``bulk_unopened``: approvals made in bulk without the reviewer having opened that match.

A warning is raised when the pattern looks automatic (``warnings_for``).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import is_portal_admin, is_service_caseworker
from matching.models import MatchDecision, ReviewStatus

# A caseworker who approves nearly everything, each in a few seconds, is not weighing the
# candidates: 95% approvals with a median under 10 s (reading one explanation takes longer).
# Below 20 decisions such figures are chance, so no warning is given.
AUTOMATIC_APPROVAL_RATE = 0.95
AUTOMATIC_MEDIAN_SECONDS = 10
AUTOMATIC_MIN_DECISIONS = 20
# More than half of the approvals given in bulk to candidates never opened: the list is
# approved, not the people on it.
AUTOMATIC_BULK_UNOPENED_SHARE = 0.5
# The period the page shows by default.
OVERSIGHT_DEFAULT_DAYS = 90


@dataclass
class Indicators:
    label: str
    decisions: int = 0
    approvals: int = 0
    differing: int = 0
    bulk_unopened: int = 0
    seconds: list[int] = field(default_factory=list, repr=False)

    @property
    def approval_rate(self) -> float:
        return self.approvals / self.decisions if self.decisions else 0.0

    @property
    def median_seconds(self) -> float | None:
        return median(self.seconds) if self.seconds else None

    @property
    def differs_share(self) -> float:
        return self.differing / self.decisions if self.decisions else 0.0

    @property
    def bulk_unopened_share(self) -> float:
        """Of the approvals, the share given in bulk without opening the match."""
        return self.bulk_unopened / self.approvals if self.approvals else 0.0

    @property
    def warnings(self) -> list[str]:
        return warnings_for(self)

    def add(self, *, decision: str, seconds: int | None, bulk: bool, opened: bool, differs: bool) -> None:
        self.decisions += 1
        if decision == ReviewStatus.APPROVED:
            self.approvals += 1
            if bulk and not opened:
                self.bulk_unopened += 1
        if differs:
            self.differing += 1
        if seconds is not None:
            self.seconds.append(seconds)


def warnings_for(indicators: Indicators) -> list[str]:
    """Why a pattern looks automatic (empty when it does not)."""
    if indicators.decisions < AUTOMATIC_MIN_DECISIONS:
        return []
    found = []
    median_seconds = indicators.median_seconds
    if (
        indicators.approval_rate > AUTOMATIC_APPROVAL_RATE
        and median_seconds is not None
        and median_seconds < AUTOMATIC_MEDIAN_SECONDS
    ):
        found.append(_("Nearly every match approved, in a few seconds each: the decisions may not be weighed."))
    if indicators.bulk_unopened_share > AUTOMATIC_BULK_UNOPENED_SHARE:
        found.append(_("Most approvals were given in bulk to candidates nobody opened."))
    return found


@dataclass
class Oversight:
    since: datetime
    services: list[Indicators]
    caseworkers: list[Indicators]


def decisions_overseen_by(user: User):
    """The decisions a coordinator may oversee: their own service's (an admin: all)."""
    decisions = MatchDecision.objects.filter(decision__in=[ReviewStatus.APPROVED, ReviewStatus.REJECTED])
    if is_portal_admin(user):
        return decisions
    if not is_service_caseworker(user) or not user.is_coordinator:
        return decisions.none()
    return decisions.filter(reviewer_service=user.employment_service.code)


def oversight_indicators(*, user: User, since: datetime | None = None) -> Oversight:
    """The indicators per service and per caseworker since ``since`` (two queries)."""
    since = since or timezone.now() - timedelta(days=OVERSIGHT_DEFAULT_DAYS)
    rows = (
        decisions_overseen_by(user)
        .filter(at__gte=since)
        .values_list(
            "reviewer_id",
            "reviewer_service",
            "decision",
            "seconds_spent",
            "bulk",
            "opened_candidate",
            "differs_from_order",
        )
    )
    per_service: dict[str, Indicators] = {}
    per_reviewer: dict[int | None, Indicators] = {}
    for reviewer_id, service, decision, seconds, bulk, opened, differs in rows:
        values = {"decision": decision, "seconds": seconds, "bulk": bulk, "opened": opened, "differs": differs}
        per_service.setdefault(service, Indicators(label=(service or _("portal admins")).upper())).add(**values)
        per_reviewer.setdefault(reviewer_id, Indicators(label="")).add(**values)
    reviewers = User.objects.in_bulk([pk for pk in per_reviewer if pk is not None])
    for pk, indicators in per_reviewer.items():
        reviewer = reviewers.get(pk)
        indicators.label = (reviewer.get_full_name() or reviewer.email) if reviewer else _("(deleted account)")
    return Oversight(
        since=since,
        services=[per_service[key] for key in sorted(per_service)],
        caseworkers=sorted(per_reviewer.values(), key=lambda i: i.label.lower()),
    )

"""The stop button's state, read by the worker and the pages (AI Act Art. 14(4)(e)).

A pause of the whole portal (``MatchingPause.service`` empty) stops every rematch and rebuild:
the tasks return without touching a match and leave their outbox rows, so a resume catches up.
A pause of one employment service freezes the matches of the candidates registered with it:
rematches neither add, refresh nor remove them (``frozen_candidate_ids``); other candidates
are matched as usual. The writes (pause, resume) are in ``matching.services``.
"""

from django.db.models import Q

from accounts.roles import is_portal_admin, is_service_caseworker
from candidates.models import Candidate

from .models import MatchingPause


def active_pauses() -> list[MatchingPause]:
    """Every pause in force, the portal's first, with who paused and their service."""
    return list(
        MatchingPause.objects.filter(resumed_at__isnull=True)
        .select_related("service", "paused_by")
        .order_by("service_id", "-paused_at")
    )


def portal_pause() -> MatchingPause | None:
    return (
        MatchingPause.objects.filter(resumed_at__isnull=True, service__isnull=True).select_related("paused_by").first()
    )


def frozen_candidate_ids() -> set[int]:
    """Candidates whose matches no rematch may change: registered with a paused service."""
    paused = MatchingPause.objects.filter(resumed_at__isnull=True, service__isnull=False).values("service_id")
    return set(Candidate.objects.filter(employment_service_id__in=paused).values_list("pk", flat=True))


def pauses_shown_to(user) -> list[MatchingPause]:
    """The pauses a caseworker's pages label: the portal's and their own service's (an admin: all)."""
    if is_portal_admin(user):
        return active_pauses()
    condition = Q(service__isnull=True)
    if is_service_caseworker(user):
        condition |= Q(service_id=user.employment_service_id)
    return list(
        MatchingPause.objects.filter(condition, resumed_at__isnull=True)
        .select_related("service", "paused_by")
        .order_by("service_id", "-paused_at")
    )

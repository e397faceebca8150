"""Who may see and decide on which match — the portal's rule, written down once.

A caseworker sees a match when the candidate is registered with the caseworker's own
employment service, or when the candidate consented to cross-border sharing (then the
services of both countries may see them).

A caseworker may *decide* on a match when:
1. the candidate is registered with the caseworker's own service; or
2. the candidate consented to cross-border sharing and the vacancy lies in the
   caseworker's service's country (the service that knows the employer decides for a
   candidate from across the border).
A portal admin may see and decide on every match. Employers and jobseekers never decide.

A caseworker may *add* a candidate to a shortlist by hand when they could see the match
(the first rule) and the candidate consented to matching (``candidate_visible_q``).
"""

from django.db.models import Q

from accounts.models import User
from accounts.roles import is_portal_admin, is_service_caseworker

from .models import Match


def can_decide(user: User, match: Match) -> bool:
    if is_portal_admin(user):
        return True
    if not is_service_caseworker(user):
        return False
    candidate = match.candidate
    if candidate.employment_service_id == user.employment_service_id:
        return True
    return candidate.consent_cross_border_at is not None and (
        match.vacancy.place.country == user.employment_service.country
    )


def candidate_visible_q(user: User) -> Q:
    """Candidates a caseworker may put on a shortlist by hand: the rule of
    ``Match.objects.for_caseworker`` (own service, or cross-border consent; an admin: all),
    and only those who consented to matching."""
    consented = Q(consent_matching_at__isnull=False)
    if is_portal_admin(user):
        return consented
    if not is_service_caseworker(user):
        return Q(pk__in=[])
    return consented & (Q(employment_service_id=user.employment_service_id) | Q(consent_cross_border_at__isnull=False))

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
"""

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

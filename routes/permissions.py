"""Who may propose and follow a training route: the match decision rule of
``matching/permissions.py`` applied to the candidate and vacancy of the route (one home per rule)."""

from accounts.models import User
from accounts.roles import is_portal_admin, is_service_caseworker
from candidates.models import Candidate
from matching.models import Match
from matching.permissions import can_decide
from vacancies.models import Vacancy

from .models import TrainingRoute


def may_route(user: User, *, candidate: Candidate, vacancy: Vacancy) -> bool:
    """The match decision rule applied to the pair (a near miss has no Match row of its own)."""
    return can_decide(user, Match(candidate=candidate, vacancy=vacancy))


def may_advance(user: User, route: TrainingRoute) -> bool:
    if route.vacancy_id is None:
        # The vacancy was deleted: the candidate's own service (or an admin) keeps following it.
        return is_portal_admin(user) or (
            is_service_caseworker(user) and route.candidate.employment_service_id == user.employment_service_id
        )
    return may_route(user, candidate=route.candidate, vacancy=route.vacancy)

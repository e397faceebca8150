"""Reads of the candidate search: who a verified employer may find, their anonymised cards, and
the invitations, each scoped to who may see them (another's is a 404).

Travel time is the matching's commute model as stored by ``matching.travel.travel_times_refresh``
(the taxonomy TravelTime table, place to place per mode): one model for the shortlist, the
vacancy search and this search.
"""

import contextlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q, QuerySet

from accounts.models import User
from accounts.roles import is_employer, is_jobseeker
from candidates.models import Candidate
from taxonomy.models import Occupation, Skill, TravelMode, TravelTime
from vacancies.models import Vacancy

from .models import CandidateInvitation, InvitationStatus

_MODE_FLAGS = {
    TravelMode.CAR: "commute_by_car",
    TravelMode.BIKE: "commute_by_bike",
    TravelMode.PUBLIC_TRANSPORT: "commute_by_public_transport",
}


def may_search_candidates(user: User) -> bool:
    """Only a verified employer's users search candidates: an unverified company is unknown."""
    return is_employer(user) and user.employer.is_verified


def invitable_vacancies(*, user: User) -> QuerySet[Vacancy]:
    """The employer's open vacancies (the ones a candidate can apply to)."""
    if not is_employer(user):
        return Vacancy.objects.none()
    return (
        Vacancy.objects.open_for_matching()
        .of_employer(user.employer_id)
        .select_related("place", "occupation")
        .order_by("title", "pk")
    )


@dataclass
class SearchCriteria:
    occupation: Occupation | None = None
    skills: list[Skill] = field(default_factory=list)
    min_eqf_level: int | None = None
    languages: list[str] = field(default_factory=list)
    vacancy: Vacancy | None = None
    max_minutes: int | None = None


def findable_candidates(*, user: User) -> QuerySet[Candidate]:
    """Candidates who consented to be findable (now: a withdrawal hides them at once), for a
    verified employer only; nobody for anyone else."""
    if not may_search_candidates(user):
        return Candidate.objects.none()
    return Candidate.objects.filter(consent_findable_at__isnull=False, user__is_active=True)


def candidate_search(*, user: User, criteria: SearchCriteria) -> QuerySet[Candidate]:
    """The findable candidates meeting every criterion, with what a card shows, newest first."""
    qs = findable_candidates(user=user)
    if criteria.occupation is not None:
        qs = qs.filter(desired_occupations=criteria.occupation)
    for skill in criteria.skills:
        qs = qs.filter(skills=skill)
    if criteria.min_eqf_level:
        qs = qs.filter(diplomas__diploma__eqf_level__gte=criteria.min_eqf_level)
    for language in criteria.languages:
        qs = qs.filter(languages__language=language)
    if criteria.vacancy is not None and criteria.max_minutes:
        reachable = Q()
        for mode, flag in _MODE_FLAGS.items():
            times = TravelTime.objects.filter(
                origin=OuterRef("home_place"),
                destination_id=criteria.vacancy.place_id,
                mode=mode,
                minutes__lte=criteria.max_minutes,
            )
            reachable |= Q(**{flag: True}) & Q(Exists(times))
        qs = qs.filter(reachable)
    return card_queryset(qs.distinct().order_by("-consent_findable_at", "-pk"))


def card_queryset(qs: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """What an anonymised card shows, loaded in a fixed number of queries."""
    return (
        qs.select_related("home_place")
        .prefetch_related("skills", "languages", "desired_occupations")
        .annotate(top_eqf_level=Max("diplomas__diploma__eqf_level"))
    )


def card_get(*, user: User, pk: int) -> Candidate:
    """One findable candidate's card; a candidate not findable (or withdrawn) raises DoesNotExist."""
    return card_queryset(findable_candidates(user=user)).prefetch_related("experiences__occupation").get(pk=pk)


def experience_summary(candidate: Candidate) -> list[str]:
    """The work experience on a card: occupation and years only (never the employer's name or
    the description, which may identify the person). Empty while the profile has none."""
    experiences = getattr(candidate, "experiences", None)  # candidates.Experience (work experience)
    if experiences is None:
        return []
    lines = []
    for job in experiences.all():
        end = job.ended_on.year if job.ended_on else "…"
        lines.append(f"{job.occupation.label} ({job.started_on.year}–{end})")
    return lines


def invitations_of_employer(*, user: User) -> QuerySet[CandidateInvitation]:
    """The invitations the user's company sent (nobody else's)."""
    if not is_employer(user):
        return CandidateInvitation.objects.none()
    return CandidateInvitation.objects.filter(employer_id=user.employer_id).select_related("vacancy", "candidate")


def invitations_of_jobseeker(*, user: User) -> QuerySet[CandidateInvitation]:
    """The invitations the jobseeker received (nobody else's)."""
    if not is_jobseeker(user):
        return CandidateInvitation.objects.none()
    return CandidateInvitation.objects.filter(candidate__user=user).select_related(
        "vacancy__employer", "vacancy__place"
    )


def invited_candidates(*, user: User) -> QuerySet[Candidate]:
    """The full profiles an employer may see because the candidate accepted one of its
    invitations (as after an application): the page and the API read them here."""
    accepted = invitations_of_employer(user=user).filter(status=InvitationStatus.ACCEPTED)
    return Candidate.objects.with_details().filter(pk__in=accepted.values("candidate_id"))


def invited_candidate_get(*, user: User, pk: int) -> Candidate:
    """One of ``invited_candidates``; anyone else raises DoesNotExist."""
    return invited_candidates(user=user).get(pk=pk)


def _pending_key(user_id: int) -> str:
    return f"talent-pending-invitations:{user_id}"


def pending_invitation_count_cached(*, user_id: int) -> int | None:
    """The nav's count from the cache, without a query on every page (None: not known or the
    cache is down; the invitations page and every invitation change fill it in)."""
    try:
        return cache.get(_pending_key(user_id))
    except Exception:  # the cache down: the nav shows no number
        return None


def pending_invitation_count_refresh(*, user_id: int) -> int:
    count = CandidateInvitation.objects.filter(candidate__user_id=user_id, status=InvitationStatus.PENDING).count()
    with contextlib.suppress(Exception):  # the cache down: the nav shows no number
        cache.set(_pending_key(user_id), count, timeout=7 * 24 * 3600)
    return count

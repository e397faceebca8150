"""Reads of threads and interviews, scoped to the application's participants.

Who takes part (``participant_side``): the candidate (their own application), the employer's
users (applications to its vacancies) and, read-only, the caseworkers of the service the
candidate is registered with (``Candidate.employment_service``) and portal admins. Anyone else
gets DoesNotExist (a 404): scope first, then check.
"""

import contextlib

from django.core.cache import cache
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.roles import is_employer, is_jobseeker, is_portal_admin, is_service_caseworker
from applications.models import Application

from .models import InterviewProposal, InterviewSlot, Message, Side

CASEWORKER = "caseworker"  # reads, never writes


def applications_for_participant(*, user) -> QuerySet[Application]:
    """The applications whose thread ``user`` may see."""
    if is_jobseeker(user):
        return Application.objects.filter(candidate__user=user)
    if is_employer(user):
        return Application.objects.of_employer(user.employer_id)
    if is_service_caseworker(user):
        return Application.objects.filter(candidate__employment_service_id=user.employment_service_id)
    if is_portal_admin(user):
        return Application.objects.all()
    return Application.objects.none()


def participant_side(user) -> str | None:
    """The side ``user`` writes for: "candidate", "employer", "caseworker" (read-only) or None."""
    if is_jobseeker(user):
        return Side.CANDIDATE
    if is_employer(user):
        return Side.EMPLOYER
    if is_service_caseworker(user) or is_portal_admin(user):
        return CASEWORKER
    return None


def application_get_for_participant(*, user, pk: int) -> Application:
    """One application with its vacancy and candidate; DoesNotExist when ``user`` takes no part."""
    return (
        applications_for_participant(user=user)
        .select_related("vacancy__employer", "candidate__user", "candidate__employment_service")
        .get(pk=pk)
    )


def thread_messages(*, application: Application) -> QuerySet[Message]:
    return Message.objects.filter(application=application).select_related("sender").order_by("created_at", "id")


def unread_count(*, application: Application, side: str) -> int:
    if side not in (Side.CANDIDATE, Side.EMPLOYER):
        return 0
    return Message.objects.filter(application=application).unread_for(side).count()


def interview_proposals(*, application: Application) -> QuerySet[InterviewProposal]:
    return (
        InterviewProposal.objects.filter(application=application)
        .select_related("chosen_slot", "proposed_by")
        .prefetch_related(Prefetch("slots", queryset=InterviewSlot.objects.order_by("starts_at", "id")))
        .order_by("-created_at", "-id")
    )


def proposal_get_for_participant(*, user, application_pk: int, pk: int) -> InterviewProposal:
    """One interview of an application ``user`` takes part in; DoesNotExist otherwise."""
    application = application_get_for_participant(user=user, pk=application_pk)
    proposal = interview_proposals(application=application).get(pk=pk)
    proposal.application = application  # already loaded with its relations
    return proposal


def inbox_for(*, user) -> QuerySet[Application]:
    """The applications with a thread or an interview, newest activity first, each with
    ``unread`` (messages from the other side not yet opened), ``last_message_at`` and
    ``interviews``; one query whatever the number of rows."""
    side = participant_side(user)
    messages = Message.objects.filter(application=OuterRef("pk"))
    unread = messages.unread_for(side) if side in (Side.CANDIDATE, Side.EMPLOYER) else messages.none()
    proposals = InterviewProposal.objects.filter(application=OuterRef("pk"))
    return (
        applications_for_participant(user=user)
        .annotate(
            has_thread=Exists(messages),
            has_interview=Exists(proposals),
            unread=Coalesce(_count(unread), 0),
            last_message_at=Subquery(messages.order_by("-created_at").values("created_at")[:1]),
            interviews=Coalesce(_count(proposals), 0),
        )
        .filter(Q(has_thread=True) | Q(has_interview=True))
        .select_related("vacancy__employer", "candidate__user")
        .order_by(F("last_message_at").desc(nulls_last=True), "-id")
    )


def _count(queryset) -> Subquery:
    return Subquery(
        queryset.order_by().values("application").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


# The nav's unread count lives in the cache (no query on every page): a jobseeker's own, and one
# per employer (a company reads its threads as one). Sending, reading and the inbox page refresh it.
UNREAD_TIMEOUT = 7 * 24 * 3600


def _unread_key(user) -> str | None:
    if is_jobseeker(user):
        return f"conversations-unread:user:{user.pk}"
    if is_employer(user) and user.employer_id:
        return f"conversations-unread:employer:{user.employer_id}"
    return None


def unread_total_cached(*, user) -> int | None:
    """The nav's count from the cache (None: not known yet, the cache is down, or not a participant)."""
    key = _unread_key(user)
    if key is None:
        return None
    try:
        return cache.get(key)
    except Exception:  # the cache down: the nav shows no number
        return None


def _unread_store(key: str, count: int) -> int:
    with contextlib.suppress(Exception):  # the cache down: the nav shows no number
        cache.set(key, count, timeout=UNREAD_TIMEOUT)
    return count


def unread_total_remember(*, user, count: int) -> None:
    """The inbox page counted every thread already: keep its sum without another query."""
    key = _unread_key(user)
    if key is not None:
        _unread_store(key, count)


def unread_totals_refresh(*, application_id: int) -> None:
    """Recount both sides of one application's thread (after a message or a read)."""
    application = Application.objects.select_related("candidate", "vacancy").filter(pk=application_id).first()
    if application is None:
        return
    user_id = application.candidate.user_id
    _unread_store(
        f"conversations-unread:user:{user_id}",
        Message.objects.filter(application__candidate__user_id=user_id).unread_for(Side.CANDIDATE).count(),
    )
    unread_total_refresh_employer(employer_id=application.vacancy.employer_id)


def unread_total_refresh_employer(*, employer_id: int) -> None:
    _unread_store(
        f"conversations-unread:employer:{employer_id}",
        Message.objects.filter(application__vacancy__employer_id=employer_id).unread_for(Side.EMPLOYER).count(),
    )

"""Writes of the training routes: propose (the caseworker's third decision), respond (the
jobseeker), advance (the caseworker), confirm the skills learnt (the jobseeker).

Every step is a RouteEvent and an audit record (kind ``training_route``). Who may propose and
advance is the match decision rule (``matching.permissions.can_decide``): one home per rule.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from candidates.models import Candidate
from candidates.services import candidate_add_skills, candidate_set_languages
from matching.models import Match, ReviewStatus
from matching.services import match_decide
from training.models import TrainingOffer, TrainingStart
from vacancies.models import Vacancy

from .models import RouteEvent, RouteOrigin, RouteStage, TrainingRoute
from .permissions import may_advance, may_route
from .selectors import travel_minutes

AUDIT_KIND = "training_route"

# The only moves a route makes, and who makes them: one place for the rule.
JOBSEEKER_MOVES = {RouteStage.PROPOSED: {RouteStage.ACCEPTED, RouteStage.DECLINED}}
CASEWORKER_MOVES = {
    RouteStage.ACCEPTED: {RouteStage.STARTED, RouteStage.DROPPED},
    RouteStage.STARTED: {RouteStage.COMPLETED, RouteStage.DROPPED},
}
# Stages in which a route still runs (a second proposal for the same pair is refused meanwhile).
OPEN_STAGES = (RouteStage.PROPOSED, RouteStage.ACCEPTED, RouteStage.STARTED)

NOTE_MAX = 2000


def _event(route: TrainingRoute, *, actor: User, note: str = "") -> RouteEvent:
    event = RouteEvent.objects.create(route=route, stage=route.stage, actor=actor, note=note)
    audit_record(
        kind=AUDIT_KIND,
        actor=actor,
        subject=("candidate", route.candidate_id),
        where="routes.services",
        data={
            "route": route.pk,
            "stage": route.stage,
            "offer": route.offer_id,
            "vacancy": route.vacancy_id,
            "origin": route.origin,
        },
    )
    return event


def _notify_proposed(route_id: int) -> None:
    from accounts.notifications import notify

    from . import notifications

    notify(notifications.notify_route_proposed, route_id=route_id)


def _clean_gap(gap: dict | None) -> dict:
    gap = gap or {}
    return {
        "kind": gap.get("kind", ""),
        "skills": [int(s) for s in gap.get("skills") or []],
        "language": gap.get("language"),
        "education": gap.get("education"),
    }


@transaction.atomic
def route_propose(
    *,
    user: User,
    candidate: Candidate,
    offer: TrainingOffer,
    vacancy: Vacancy,
    origin: str,
    gap: dict | None = None,
    start: TrainingStart | None = None,
    match: Match | None = None,
    note: str = "",
) -> TrainingRoute:
    """Propose ``offer`` to the candidate for ``vacancy``: from a shortlist row (``match``: it
    becomes ROUTED, with a decision row like approve/reject) or from a near miss (the gap is
    kept as a snapshot: near misses are replaced on every rematch). The jobseeker is mailed."""
    if not may_route(user, candidate=candidate, vacancy=vacancy):
        raise PermissionDenied(_("You may not decide on this candidate's match."))
    if origin not in RouteOrigin.values:
        raise ValidationError({"origin": _("Unknown origin of the route.")})
    if origin == RouteOrigin.SHORTLIST and (
        match is None or match.candidate_id != candidate.pk or match.vacancy_id != vacancy.pk
    ):
        raise ValidationError({"match": _("The shortlist entry does not belong to this candidate and vacancy.")})
    if not offer.is_active:
        raise ValidationError({"offer": _("This training is no longer offered.")})
    if start is not None and (start.offer_id != offer.pk or start.starts_on < timezone.localdate()):
        raise ValidationError({"start": _("Choose one of the training's next start dates.")})
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": _("The note is too long.")})
    if TrainingRoute.objects.filter(candidate=candidate, vacancy=vacancy, stage__in=OPEN_STAGES).exists():
        raise ValidationError(_("This candidate already has a running training route for this vacancy."))
    route = TrainingRoute(
        candidate=candidate,
        vacancy=vacancy,
        offer=offer,
        start=start,
        origin=origin,
        gap=_clean_gap(gap),
        travel_minutes=travel_minutes(candidate=candidate, place_id=offer.place_id),
        proposed_by=user,
        note=note,
    )
    route.full_clean()
    route.save()
    if match is not None:
        match_decide(match=match, reviewer=user, decision=ReviewStatus.ROUTED, note=note)
    _event(route, actor=user, note=note)
    _notify_proposed(route.pk)
    return route


def _locked(route: TrainingRoute) -> TrainingRoute:
    return (
        TrainingRoute.objects.select_for_update(of=("self",))
        .select_related("candidate__home_place", "vacancy__place", "offer")
        .get(pk=route.pk)
    )


@transaction.atomic
def route_respond(*, route: TrainingRoute, user: User, accept: bool) -> TrainingRoute:
    """The jobseeker accepts or declines a proposed route (their own only)."""
    route = _locked(route)
    if route.candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your training route."))
    stage = RouteStage.ACCEPTED if accept else RouteStage.DECLINED
    if stage not in JOBSEEKER_MOVES.get(route.stage, set()):
        raise ValidationError({"stage": _("This training route cannot be answered any more.")})
    route.stage = stage
    route.save(update_fields=["stage", "updated_at"])
    _event(route, actor=user)
    return route


@transaction.atomic
def route_advance(*, route: TrainingRoute, user: User, stage: str, note: str = "") -> TrainingRoute:
    """The caseworker marks the route started, completed or dropped (``CASEWORKER_MOVES``)."""
    route = _locked(route)
    if not may_advance(user, route):
        raise PermissionDenied(_("You may not change this training route."))
    if stage not in CASEWORKER_MOVES.get(route.stage, set()):
        raise ValidationError({"stage": _("This step is not possible for the training route now.")})
    route.stage = stage
    route.save(update_fields=["stage", "updated_at"])
    _event(route, actor=user, note=note.strip()[:NOTE_MAX])
    return route


@transaction.atomic
def route_skills_confirm(*, route: TrainingRoute, user: User) -> TrainingRoute:
    """After a completed training the jobseeker confirms what they learnt: the offer's skills
    (and language levels it brings, where higher than the profile's) go on the profile through
    the candidates' own services, so the profile change triggers the usual rematch."""
    route = _locked(route)
    candidate = route.candidate
    if candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your training route."))
    if route.stage != RouteStage.COMPLETED:
        raise ValidationError({"stage": _("Only a completed training's skills can be confirmed.")})
    if route.skills_confirmed_at is not None:
        return route
    candidate_add_skills(candidate=candidate, skills=list(route.offer.skills.all()))
    taught = dict(route.offer.language_levels.values_list("language", "level"))
    if taught:
        levels = dict(candidate.languages.values_list("language", "level"))
        raised = {code: level for code, level in taught.items() if level > levels.get(code, 0)}
        if raised:
            candidate_set_languages(candidate=candidate, languages=sorted({**levels, **raised}.items()))
    route.skills_confirmed_at = timezone.now()
    route.save(update_fields=["skills_confirmed_at", "updated_at"])
    _event(route, actor=user)
    return route

"""“Vacancies within reach”: the jobseeker's near misses (what is missing for each) and the
trainings their caseworker proposed, to accept or decline; after a completed training, the
new skills to confirm. Only the user's own (another's is a 404), the jobseeker role on top."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import jobseeker_required

from . import selectors
from .models import TrainingRoute
from .services import route_respond, route_skills_confirm


@jobseeker_required
@require_GET
def within_reach(request: HttpRequest) -> HttpResponse:
    routes = list(selectors.routes_for_jobseeker(user=request.user).prefetch_related("offer__skills"))
    for route, words in zip(routes, selectors.gaps_described([r.gap for r in routes])):
        route.gap_words = words
    return render(
        request,
        "routes/within_reach.html",
        {"near_misses": selectors.near_misses_for_jobseeker(user=request.user), "routes": routes},
    )


def _own_route(request: HttpRequest, pk: int) -> TrainingRoute:
    try:
        return selectors.routes_for_jobseeker(user=request.user).get(pk=pk)
    except TrainingRoute.DoesNotExist as exc:
        raise Http404 from exc


@jobseeker_required
@require_POST
def route_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    route = _own_route(request, pk)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose yes or no."))
        return redirect("routes:within_reach")
    try:
        route_respond(route=route, user=request.user, accept=answer == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Thank you. Your caseworker will contact you about the start.")
            if answer == "accept"
            else _("You declined the training."),
        )
    return redirect("routes:within_reach")


@jobseeker_required
@require_POST
def route_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    route = _own_route(request, pk)
    try:
        route_skills_confirm(route=route, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your new skills are on your profile. The matching looks again for you."))
    return redirect("routes:within_reach")

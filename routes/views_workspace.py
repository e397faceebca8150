"""The caseworker's training route pages: propose a training for a near miss or a shortlist
entry (the gap, the ranked trainings, choose and note), and the routes of their service with
the buttons that move them on. Scoped first (another's is a 404), the role on top."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import caseworker_required
from accounts.forms import add_service_errors
from audit.services import audit_views
from matching.models import Match, NearMiss

from . import selectors
from .forms import RouteAdvanceForm, RouteProposeForm
from .models import RouteOrigin, RouteStage, TrainingRoute
from .permissions import may_advance, may_route
from .services import CASEWORKER_MOVES, route_advance, route_propose

PAGE_SIZE = 30


def _propose_page(request: HttpRequest, *, candidate, vacancy, gap: dict, origin: str, match=None, near_miss=None):
    if not may_route(request.user, candidate=candidate, vacancy=vacancy):
        raise PermissionDenied(_("You may not decide on this candidate's match."))
    options = selectors.trainings_for_gap(candidate=candidate, gap=gap)
    form = RouteProposeForm(request.POST or None, offer_ids=[o.offer.pk for o in options])
    if request.method == "POST" and form.is_valid():
        option = next(o for o in options if o.offer.pk == form.cleaned_data["offer"])
        try:
            route_propose(
                user=request.user,
                candidate=candidate,
                offer=option.offer,
                start=option.next_start,
                vacancy=vacancy,
                origin=origin,
                gap=gap,
                match=match,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The training is proposed. The jobseeker is asked by e-mail."))
            return redirect("matching:shortlist", pk=vacancy.pk)
    audit_views(actor=request.user, candidate_ids=[candidate.pk], where="routes:propose")
    return render(
        request,
        "routes/route_propose.html",
        {
            "candidate": candidate,
            "name": candidate.user.get_full_name() or candidate.user.email,
            "vacancy": vacancy,
            "gap": selectors.gaps_described([gap])[0],
            "options": options,
            "form": form,
            "near_miss": near_miss,
        },
    )


@caseworker_required
@require_http_methods(["GET", "POST"])
def propose_for_near_miss(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        near_miss = selectors.near_miss_for_route(user=request.user, pk=pk)
    except NearMiss.DoesNotExist as exc:
        raise Http404 from exc
    return _propose_page(
        request,
        candidate=near_miss.candidate,
        vacancy=near_miss.vacancy,
        gap=near_miss.gap,
        origin=RouteOrigin.NEAR_MISS,
        near_miss=near_miss,
    )


@caseworker_required
@require_http_methods(["GET", "POST"])
def propose_for_match(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        match = (
            Match.objects.for_caseworker(request.user)
            .select_related("candidate__user", "candidate__home_place", "vacancy__place", "vacancy__employer")
            .get(pk=pk)
        )
    except Match.DoesNotExist as exc:
        raise Http404 from exc
    return _propose_page(
        request, candidate=match.candidate, vacancy=match.vacancy, gap={}, origin=RouteOrigin.SHORTLIST, match=match
    )


@caseworker_required
@require_GET
def route_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    if stage not in RouteStage.values:
        stage = ""
    routes = selectors.routes_for_caseworker(user=request.user, stage=stage)
    page = Paginator(routes, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "route": route,
            "name": route.candidate.user.get_full_name() or route.candidate.user.email,
            "moves": sorted(CASEWORKER_MOVES.get(route.stage, ())) if may_advance(request.user, route) else [],
        }
        for route in page.object_list
    ]
    audit_views(actor=request.user, candidate_ids=[r["route"].candidate_id for r in rows], where="routes:route_list")
    return render(
        request,
        "routes/route_list.html",
        {
            "rows": rows,
            "page_obj": page,
            "stage": stage,
            "stages": RouteStage.choices,
            "query_string": f"stage={stage}" if stage else "",
        },
    )


@caseworker_required
@require_POST
def route_advance_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        route = selectors.route_get_for_caseworker(user=request.user, pk=pk)
    except TrainingRoute.DoesNotExist as exc:
        raise Http404 from exc
    form = RouteAdvanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This step is not possible for the training route now."))
    else:
        try:
            route_advance(route=route, user=request.user, stage=form.cleaned_data["stage"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The training route is updated."))
    return redirect("routes:route_list")

"""The verified employer's candidate search: anonymised cards, invitations, and the full
profile of a candidate who accepted.

Only verified employers search (an unverified one gets a page saying why, 403). Every page
that shows cards or a profile is counted per user and hour (``counts_personal_data_access``:
refused past the limit) and logged in the audit log with the candidates shown.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access_alerts import counts_personal_data_access
from accounts.decorators import employer_required
from accounts.forms import add_service_errors
from audit.services import audit_views
from candidates.models import Candidate

from . import selectors, services
from .forms import CandidateSearchForm, InvitationForm

PAGE_SIZE = 20
CARD_VIEW = "talent_card_view"


def _refuse_unverified(request: HttpRequest) -> HttpResponse:
    return render(request, "talent/not_verified.html", status=403)


@employer_required
@counts_personal_data_access("talent:search")
@require_GET
def candidate_search(request: HttpRequest) -> HttpResponse:
    if not selectors.may_search_candidates(request.user):
        return _refuse_unverified(request)
    form = CandidateSearchForm(request.GET or None, user=request.user)
    page_obj = None
    if form.is_bound and form.is_valid():
        results = selectors.candidate_search(user=request.user, criteria=form.criteria())
    elif not form.is_bound:
        results = selectors.candidate_search(user=request.user, criteria=selectors.SearchCriteria())
    else:
        results = Candidate.objects.none()
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_views(
        actor=request.user, candidate_ids=[c.pk for c in page_obj], where="talent:candidate_search", kind=CARD_VIEW
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "talent/candidate_search.html",
        {"form": form, "page_obj": page_obj, "query_string": query.urlencode()},
    )


@employer_required
@counts_personal_data_access("talent:candidate_card")
@require_http_methods(["GET", "POST"])
def candidate_card(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.may_search_candidates(request.user):
        return _refuse_unverified(request)
    try:
        candidate = selectors.card_get(user=request.user, pk=pk)
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc
    form = InvitationForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_send(
                user=request.user,
                candidate=candidate,
                vacancy=form.cleaned_data["vacancy"],
                message=form.cleaned_data["message"],
            )
        except PermissionDenied:
            return _refuse_unverified(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your invitation is sent. You see the full profile once the candidate accepts.")
            )
            return redirect("talent:employer_invitation_list")
    audit_views(actor=request.user, candidate_ids=[candidate.pk], where="talent:candidate_card", kind=CARD_VIEW)
    invited = selectors.invitations_of_employer(user=request.user).filter(candidate=candidate)
    return render(
        request,
        "talent/candidate_card.html",
        {
            "candidate": candidate,
            "experience": selectors.experience_summary(candidate),
            "form": form,
            "invitations": list(invited),
        },
    )


@employer_required
@require_GET
def employer_invitation_list(request: HttpRequest) -> HttpResponse:
    invitations = selectors.invitations_of_employer(user=request.user)
    page_obj = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talent/employer_invitation_list.html", {"page_obj": page_obj})


@employer_required
@counts_personal_data_access("talent:candidate_profile")
@require_GET
def candidate_profile(request: HttpRequest, pk: int) -> HttpResponse:
    """The full profile, as for an application, once the candidate accepted an invitation."""
    try:
        candidate = selectors.invited_candidate_get(user=request.user, pk=pk)
    except Candidate.DoesNotExist as exc:
        raise Http404 from exc
    audit_views(actor=request.user, candidate_ids=[candidate.pk], where="talent:candidate_profile")
    invitations = selectors.invitations_of_employer(user=request.user).filter(candidate=candidate)
    return render(request, "talent/candidate_profile.html", {"candidate": candidate, "invitations": list(invitations)})

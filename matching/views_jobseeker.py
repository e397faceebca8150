"""“My matches”: the matches a caseworker approved for a jobseeker, who says yes or no to each.

Scoped first (``Match.objects.for_candidate``: only approved matches of the user's own
profile; anything else is a 404), the jobseeker role on top (403 for other roles).

The transparency pages (AI Act Art. 86) below show every stored match of the user's own
profile (``selectors.match_list_scored_for_candidate``) with its explanation, the exclusions
over all open vacancies (``transparency.candidate_exclusions``), and requests for human review.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import jobseeker_required
from candidates.selectors import candidate_id_of

from . import selectors
from .explanations import Lookup, factor_rows, render_explanation
from .models import Match, ReviewRequestStatus, ReviewStatus
from .services import match_respond, review_request_submit
from .transparency import REASON_TEXT, candidate_exclusions

PAGE_SIZE = 20


@jobseeker_required
@require_GET
def my_matches(request: HttpRequest) -> HttpResponse:
    candidate_id = candidate_id_of(request.user)
    page = Paginator(selectors.match_list_for_candidate(candidate_id=candidate_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for match in page.object_list:
        rows.append(
            {
                "match": match,
                "reasons": render_explanation(match.explanation, Lookup.for_match(match)),
                "factors": factor_rows(match.factors),
                "score": round(match.score * 100),
                "cross_border": match.candidate.country in ("NL", "BE")
                and match.candidate.country != match.vacancy.place.country,
            }
        )
    return render(
        request, "matching/my_matches.html", {"page_obj": page, "rows": rows, "has_profile": candidate_id is not None}
    )


@jobseeker_required
@require_POST
def match_respond_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        match = selectors.match_list_for_candidate(candidate_id=candidate_id_of(request.user)).get(pk=pk)
    except Match.DoesNotExist as exc:
        raise Http404 from exc
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose yes or no."))
        return redirect("matching:my_matches")
    try:
        match_respond(match=match, user=request.user, accept=answer == "accept")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        if answer == "accept":
            messages.success(
                request,
                _("Thank you. %(employer)s can now see your profile for this vacancy.")
                % {"employer": match.vacancy.employer.legal_name},
            )
        else:
            messages.success(request, _("Understood. Your profile is not shared with this employer."))
    return redirect("matching:my_matches")


# --- transparency: the jobseeker's explanations and requests for human review (AI Act Art. 86) ---

SCORED_LIMIT = 50


def _scored_match_or_404(request: HttpRequest, pk: int) -> Match:
    try:
        return selectors.match_list_scored_for_candidate(candidate_id=candidate_id_of(request.user)).get(pk=pk)
    except Match.DoesNotExist as exc:
        raise Http404 from exc


@jobseeker_required
@require_GET
def my_match(request: HttpRequest, pk: int) -> HttpResponse:
    """One vacancy where the jobseeker was scored: the factors and reasons (their own data and the
    vacancy's), the decision and its reason category (never the caseworker's note), and their
    requests for review of it."""
    match = _scored_match_or_404(request, pk)
    requests = [r for r in selectors.review_requests_of_candidate(candidate_id=match.candidate_id) if r.match_id == pk]
    return render(
        request,
        "matching/my_match.html",
        {
            "match": match,
            "reasons": render_explanation(match.explanation, Lookup.for_match(match)),
            "factors": factor_rows(match.factors),
            "score": round(match.score * 100),
            "review_requests": requests,
            "can_contest": match.review_status == ReviewStatus.REJECTED
            and not any(r.status == ReviewRequestStatus.OPEN for r in requests),
            "flag_reasons": [str(REASON_TEXT.get(code, code)) for code in match.flag_reasons],
        },
    )


@jobseeker_required
@require_GET
def why_not(request: HttpRequest) -> HttpResponse:
    """Why (not) on shortlists: the vacancies where the jobseeker was scored and kept, and the open
    vacancies each hard filter left them out of, with the profile step to complete."""
    candidate_id = candidate_id_of(request.user)
    report = candidate_exclusions(candidate_id=candidate_id) if candidate_id is not None else None
    scored = list(selectors.match_list_scored_for_candidate(candidate_id=candidate_id)[:SCORED_LIMIT])
    requests = list(selectors.review_requests_of_candidate(candidate_id=candidate_id))
    open_reasons = {r.filter_reason for r in requests if r.status == ReviewRequestStatus.OPEN and r.filter_reason}
    return render(
        request,
        "matching/why_not.html",
        {
            "has_profile": candidate_id is not None,
            "report": report,
            "scored": [{"match": m, "score": round(m.score * 100)} for m in scored],
            "scored_limit": SCORED_LIMIT,
            "review_requests": requests,
            "open_reasons": open_reasons,
            "reason_labels": {r.code: r.text for r in (report.rows if report else [])},
        },
    )


@jobseeker_required
@require_POST
def review_request_create(request: HttpRequest) -> HttpResponse:
    """Contest a rejection (``match``) or an exclusion (``filter_reason``): a caseworker reviews it."""
    match = None
    if request.POST.get("match"):
        try:
            match = _scored_match_or_404(request, int(request.POST["match"]))
        except ValueError as exc:
            raise Http404 from exc
    try:
        review_request_submit(
            user=request.user,
            text=request.POST.get("text", ""),
            match=match,
            filter_reason="" if match else request.POST.get("filter_reason", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Your request has been sent. A caseworker will review it and answer you."))
    if match is not None:
        return redirect("matching:my_match", pk=match.pk)
    return redirect("matching:why_not")

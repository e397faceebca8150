"""“My matches”: the matches a caseworker approved for a jobseeker, who says yes or no to each.

Scoped first (``Match.objects.for_candidate``: only approved matches of the user's own
profile; anything else is a 404), the jobseeker role on top (403 for other roles).
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
from .models import Match
from .services import match_respond

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

"""The caseworker's candidate search: the jobseekers of the caseworker's own employment service
(every service for a portal admin), found by what fits a job, never by name or e-mail.

The page shows personal data (a profile's facts), so it is counted per user and hour
(``counts_personal_data_access``) and every candidate shown is logged in the audit log. The
search can be saved as a digest of new candidates (alerts: ``alerts:candidate_create``).
"""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access_alerts import counts_personal_data_access
from accounts.decorators import caseworker_required
from alerts.forms import CandidateSearchForm
from audit.services import audit_views
from candidates.models import Candidate
from candidates.selectors import CaseworkerSearchCriteria, caseworker_candidate_search

PAGE_SIZE = 20


@caseworker_required
@counts_personal_data_access("workspace:candidate_search")
@require_GET
def candidate_search(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    params.pop("page", None)
    form = CandidateSearchForm(params or None)
    if not form.is_bound:
        results = caseworker_candidate_search(user=request.user, criteria=CaseworkerSearchCriteria())
    elif form.is_valid():
        results = caseworker_candidate_search(user=request.user, criteria=form.criteria())
    else:
        results = Candidate.objects.none()
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_views(actor=request.user, candidate_ids=[c.pk for c in page_obj], where="workspace:candidate_search")
    query_string = params.urlencode()
    return render(
        request,
        "workspace/candidate_search.html",
        {
            "form": form,
            "page_obj": page_obj,
            "query_string": query_string,
            "saveable": not form.is_bound or form.is_valid(),
        },
    )

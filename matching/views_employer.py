"""The employer's shortlist: the candidates a caseworker approved and who accepted to share
their profile, on a page and as CSV.

Scoped first (``Match.objects.for_employer`` through the selectors: another employer's vacancy
is a 404), the employer role on top.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.access_alerts import counts_personal_data_access
from accounts.decorators import employer_required
from audit.services import audit_views
from core.csv_export import csv_response
from vacancies.models import Vacancy

from . import selectors
from .requirements import requirement_costs_request

SHORTLIST_PAGE_SIZE = 50


def _employer_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    try:
        return selectors.employer_vacancy_for_shortlist(employer_id=request.user.employer_id, pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc


@employer_required
@require_GET
def employer_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates a caseworker approved AND who accepted to share their profile with you."""
    vacancy = _employer_vacancy(request, pk)
    matches = selectors.shortlist_for_employer(employer_id=request.user.employer_id, vacancy=vacancy)
    page = Paginator(matches, SHORTLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_views(
        actor=request.user,
        candidate_ids=[m.candidate_id for m in page.object_list],
        where="matching:employer_shortlist",
    )
    return render(
        request,
        "matching/employer_shortlist.html",
        {
            "vacancy": vacancy,
            "page_obj": page,
            "matches": page.object_list,
        },
    )


@employer_required
@counts_personal_data_access("matching:employer_shortlist_export")
@require_GET
def employer_shortlist_export(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _employer_vacancy(request, pk)
    matches = selectors.shortlist_for_employer(employer_id=request.user.employer_id, vacancy=vacancy)
    header = [
        _("Name"),
        _("Email"),
        _("Place"),
        _("Diplomas"),
        _("Skills"),
        _("Languages"),
        _("Score (%)"),
        _("Approved on"),
        _("Accepted on"),
    ]

    def day(value) -> str:
        return timezone.localtime(value).date().isoformat() if value else ""

    rows = (
        [
            m.candidate.user.get_full_name(),
            m.candidate.user.email,
            str(m.candidate.home_place or ""),
            ", ".join(f"{d.diploma} (EQF {d.diploma.eqf_level})" for d in m.candidate.diplomas.all()),
            ", ".join(s.label for s in m.candidate.skills.all()),
            ", ".join(str(lang) for lang in m.candidate.languages.all()),
            round(m.score * 100),
            day(m.reviewed_at),
            day(m.responded_at),
        ]
        for m in matches
    )
    audit_views(
        actor=request.user,
        candidate_ids=matches.prefetch_related(None).values_list("candidate_id", flat=True),
        where="matching:employer_shortlist_export",
        kind="export",
    )
    return csv_response(filename=f"shortlist-vacancy-{vacancy.pk}.csv", header=header, rows=rows)


def requirement_costs_refresh_message(request: HttpRequest, vacancy: Vacancy) -> None:
    """Ask the worker for the vacancy's requirement panel and say what happens (both audiences)."""
    try:
        requirement_costs_request(vacancy=vacancy)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The figures are being computed. Reload this page in a moment."))


@employer_required
@require_POST
def employer_requirement_costs(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Compute again" on the requirement panel of the employer's vacancy page."""
    try:
        vacancy = selectors.employer_vacancy_for_shortlist(employer_id=request.user.employer_id, pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc
    requirement_costs_refresh_message(request, vacancy)
    return redirect(reverse("vacancies:employer_vacancy_detail", kwargs={"pk": vacancy.pk}) + "#requirements")

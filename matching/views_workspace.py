"""The caseworker's pages (work queue, shortlists, decisions, rematch, figures, rebuild) and
the employer's shortlist.

Querysets are scoped first by the selectors (``Match.objects.for_caseworker`` /
``for_employer``: what a user may not see is a 404), the role decorators come on top. Writes
go through ``matching.services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import admin_required, caseworker_required, employer_required
from accounts.forms import add_service_errors
from accounts.models import EmploymentService
from nsp_portal.csv_export import csv_response
from vacancies.models import Vacancy, VacancyStatus

from . import figures as figures_module
from . import selectors
from .explanations import Lookup, render_explanation
from .forms import BulkDecisionForm, FiguresForm, MatchDecisionForm, WorkQueueFilterForm
from .models import Match, RebuildStatus, RematchKind, ReviewStatus
from .services import match_decide, match_decide_many, rematch_request

QUEUE_PAGE_SIZE = 20
SHORTLIST_PAGE_SIZE = 50


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


# --- work queue -------------------------------------------------------------------------------


@caseworker_required
@require_GET
def work_queue(request: HttpRequest) -> HttpResponse:
    form = WorkQueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    queue = selectors.work_queue(user=request.user, filters=filters)
    vacancies = Paginator(queue.vacancies_in_review, QUEUE_PAGE_SIZE).get_page(request.GET.get("page_v"))
    employers = Paginator(queue.employers_to_verify, QUEUE_PAGE_SIZE).get_page(request.GET.get("page_e"))
    shortlists = Paginator(queue.shortlists, QUEUE_PAGE_SIZE).get_page(request.GET.get("page_s"))
    shortlist_rows = selectors.attach_vacancies(list(shortlists.object_list))
    rebuild = selectors.rebuild_latest()
    return render(
        request,
        "matching/work_queue.html",
        {
            "form": form,
            "vacancies": vacancies,
            "employers": employers,
            "shortlists": shortlists,
            "shortlist_rows": shortlist_rows,
            "rebuild": rebuild if rebuild and rebuild.status == RebuildStatus.RUNNING else None,
            "query_v": _query_without(request, "page_v"),
            "query_e": _query_without(request, "page_e"),
            "query_s": _query_without(request, "page_s"),
            "service": request.user.employment_service,
        },
    )


# --- the shortlist of a vacancy ---------------------------------------------------------------


def _shortlist_vacancy(pk: int) -> Vacancy:
    try:
        return selectors.vacancy_for_shortlist(pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc


@caseworker_required
@require_http_methods(["GET", "POST"])
def shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates ranked by score with their explanation; approve or reject several at once."""
    vacancy = _shortlist_vacancy(pk)
    view = request.GET.get("view", "all")
    if view not in selectors.SHORTLIST_VIEWS:
        view = "all"
    matches = selectors.shortlist_for_caseworker(user=request.user, vacancy=vacancy, view=view)
    decidable_ids = list(
        selectors.shortlist_for_caseworker(user=request.user, vacancy=vacancy)
        .filter(decidable=True)
        .values_list("pk", flat=True)
    )
    form = BulkDecisionForm(request.POST if request.method == "POST" else None, decidable_ids=decidable_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decided = match_decide_many(
                match_ids=data["selected"],
                reviewer=request.user,
                decision=data["decision"],
                reason=data.get("reason", ""),
                note=data.get("note", "").strip(),
            )
        except PermissionDenied:
            form.add_error("selected", _("You may not decide on one of the ticked candidates."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if data["decision"] == ReviewStatus.APPROVED:
                text = ngettext(
                    "%(n)s candidate approved. They are asked whether to share their profile.",
                    "%(n)s candidates approved. They are asked whether to share their profile.",
                    len(decided),
                )
            else:
                text = ngettext("%(n)s candidate rejected.", "%(n)s candidates rejected.", len(decided))
            messages.success(request, text % {"n": len(decided)})
            url = reverse("matching:shortlist", kwargs={"pk": vacancy.pk})
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}" if query else url)
    page = Paginator(matches, SHORTLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    lookup_base = Lookup().with_vacancy(vacancy)
    rows = []
    ticked = set(form["selected"].value() or []) if form.is_bound else set()
    for match in page.object_list:
        lookup = Lookup.for_match(match)
        lookup.skills.update(lookup_base.skills)
        lookup.occupations.update(lookup_base.occupations)
        lookup.vacancy_occupation = lookup_base.vacancy_occupation
        rows.append(
            {
                "match": match,
                "reasons": render_explanation(match.explanation, lookup),
                "ticked": str(match.pk) in {str(t) for t in ticked},
            }
        )
    return render(
        request,
        "matching/shortlist.html",
        {
            "vacancy": vacancy,
            "rows": rows,
            "page_obj": page,
            "view": view,
            "counts": selectors.shortlist_counts(user=request.user, vacancy=vacancy),
            "hidden": selectors.hidden_match_count(user=request.user, vacancy=vacancy),
            "summary": selectors.shortlist_summary(vacancy=vacancy),
            "form": form,
            "has_decidable": bool(decidable_ids),
            "can_rematch": vacancy.status == VacancyStatus.PUBLISHED,
            "query_string": _query_without(request, "page"),
            "views": [
                ("all", _("All")),
                ("proposed", _("To review")),
                ("approved", _("Approved")),
                ("rejected", _("Rejected")),
                ("flagged", _("Flagged")),
            ],
        },
    )


@caseworker_required
@require_http_methods(["GET", "POST"])
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One match: the candidate's profile, the full explanation, the decision and its history."""
    try:
        match = selectors.match_get_for_caseworker(user=request.user, pk=pk)
    except Match.DoesNotExist as exc:
        raise Http404 from exc
    form = MatchDecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"decision": match.review_status if match.review_status != ReviewStatus.PROPOSED else None},
    )
    if request.method == "POST":
        if not match.decidable:
            raise PermissionDenied(_("You may not decide on this candidate's match."))
        if form.is_valid():
            data = form.cleaned_data
            try:
                match_decide(
                    match=match,
                    reviewer=request.user,
                    decision=data["decision"],
                    reason=data.get("reason", ""),
                    note=data.get("note", "").strip(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Your decision is saved."))
                return redirect("matching:shortlist", pk=match.vacancy_id)
    return render(
        request,
        "matching/match_detail.html",
        {
            "match": match,
            "vacancy": match.vacancy,
            "candidate": match.candidate,
            "reasons": render_explanation(match.explanation, Lookup.for_match(match)),
            "form": form,
            "decisions": list(match.decisions.all()),
        },
    )


@caseworker_required
@require_POST
def rematch(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Rematch now": the worker scores every candidate against this vacancy again."""
    vacancy = _shortlist_vacancy(pk)
    if vacancy.status != VacancyStatus.PUBLISHED:
        messages.error(request, _("Only a published vacancy can be matched."))
    else:
        rematch_request(kind=RematchKind.VACANCY, object_id=vacancy.pk)
        messages.success(
            request,
            _(
                "The shortlist is being made again. Decisions already taken stay. "
                "Reload this page in a moment to see the result."
            ),
        )
    return redirect("matching:shortlist", pk=vacancy.pk)


# --- rebuild all (portal admin) -----------------------------------------------------------------


def _rebuild_payload(run) -> dict:
    if run is None:
        return {
            "status": "none",
            "status_label": _("No rebuild has run yet."),
            "progress": 0,
            "chunks_done": 0,
            "chunks_total": 0,
        }
    return {
        "id": run.pk,
        "status": run.status,
        "status_label": run.get_status_display(),
        "chunks_done": run.chunks_done,
        "chunks_total": run.chunks_total,
        "progress": round(run.progress, 4),
        "percent": round(run.progress * 100),
        "vacancies_total": run.vacancies_total,
        "candidates_total": run.candidates_total,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
    }


@admin_required
@require_http_methods(["GET", "POST"])
def rebuild(request: HttpRequest) -> HttpResponse:
    """Rebuild every shortlist; the page follows the worker's progress."""
    run = selectors.rebuild_latest()
    if request.method == "POST":
        if run is not None and run.status == RebuildStatus.RUNNING:
            messages.info(request, _("A rebuild is running already."))
        else:
            rematch_request(kind=RematchKind.ALL)
            messages.success(request, _("The rebuild of all shortlists has started."))
        return redirect("matching:rebuild")
    return render(request, "matching/rebuild.html", {"run": run, "payload": _rebuild_payload(run)})


@caseworker_required
@require_GET
def rebuild_status(request: HttpRequest) -> JsonResponse:
    """The progress of the latest rebuild, for the progress bar (polled every few seconds)."""
    response = JsonResponse(_rebuild_payload(selectors.rebuild_latest()))
    response["Cache-Control"] = "no-store"
    return response


# --- figures ------------------------------------------------------------------------------------


def _figure_params(request: HttpRequest) -> tuple[FiguresForm, int, EmploymentService | None]:
    form = FiguresForm(request.GET or None)
    months, service = 12, None
    if form.is_bound and form.is_valid():
        months = form.cleaned_data.get("months") or 12
        service = form.cleaned_data.get("service")
    return form, months, service


@caseworker_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    form, months, service = _figure_params(request)
    return render(
        request,
        "matching/figures.html",
        {
            "form": form,
            "figures": figures_module.all_figures(months=months, service=service),
            "services": EmploymentService.objects.order_by("name"),
            "service": service,
            "months": months,
            "query_string": urlencode({"months": months, **({"service": service.code} if service else {})}),
        },
    )


@caseworker_required
@require_GET
def figure_csv(request: HttpRequest, slug: str) -> HttpResponse:
    if slug not in figures_module.FIGURE_SLUGS:
        raise Http404
    _form, months, service = _figure_params(request)
    figure = figures_module.figure_by_slug(slug, months=months, service=service)
    stamp = timezone.localdate().isoformat()
    return csv_response(filename=f"{slug}-{stamp}.csv", header=figure.header, rows=figure.rows)


# --- the employer's shortlist -------------------------------------------------------------------


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
    return csv_response(filename=f"shortlist-vacancy-{vacancy.pk}.csv", header=header, rows=rows)

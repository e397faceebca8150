"""The caseworkers' back office: the work queue, vacancy moderation, employer verification,
the figures and the full rebuild (portal admins).

Each page reads through the selectors and writes through the services of the app that owns
the data (vacancies, accounts, matching); the role decorators come on top. The shortlist and
match pages stay in matching (matching/views_workspace.py): they are matching's own rules.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.decorators import admin_required, caseworker_required
from accounts.forms import EmployerVerifyForm, add_service_errors
from accounts.models import Employer, EmploymentService
from core.csv_export import csv_response
from matching import selectors as matching_selectors
from matching.models import RebuildStatus
from matching.services import shortlists_rebuild_request
from vacancies import selectors as vacancy_selectors
from vacancies import services as vacancy_services
from vacancies.forms import VacancyModerationForm
from vacancies.models import Vacancy

from . import figures as figures_module
from . import selectors
from .forms import FiguresForm, WorkQueueFilterForm

QUEUE_PAGE_SIZE = 20


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
    shortlist_rows = matching_selectors.attach_vacancies(list(shortlists.object_list))
    rebuild = matching_selectors.rebuild_latest()
    return render(
        request,
        "workspace/work_queue.html",
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


# --- moderation of vacancies and verification of employers ------------------------------------


@caseworker_required
@require_http_methods(["GET", "POST"])
def vacancy_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A vacancy of an unverified employer, waiting in review: approve it or send it back."""
    try:
        vacancy = vacancy_selectors.vacancy_get_in_review(pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc
    form = VacancyModerationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == VacancyModerationForm.APPROVE
        try:
            vacancy_services.vacancy_moderate(
                vacancy=vacancy, approve=approve, moderator=request.user, note=form.cleaned_data.get("note", "").strip()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if approve:
                messages.success(request, _("“%(title)s” is published.") % {"title": vacancy.title})
            else:
                messages.success(request, _("“%(title)s” is sent back to the employer.") % {"title": vacancy.title})
            return redirect("workspace:work_queue")
    return render(request, "workspace/vacancy_review.html", {"vacancy": vacancy, "form": form})


@caseworker_required
@require_http_methods(["GET", "POST"])
def employer_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A company for a caseworker or admin to check, with the verify action."""
    try:
        employer = account_selectors.employer_get_for_review(pk=pk)
    except Employer.DoesNotExist as exc:
        raise Http404 from exc
    form = EmployerVerifyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if employer.is_verified:
            messages.info(request, _("This company is verified already."))
            return redirect("workspace:employer_review", pk=employer.pk)
        if form.is_valid():
            account_services.employer_verify(employer=employer, verified_by=request.user)
            messages.success(
                request,
                _("“%(name)s” is verified. Its vacancies are published without review from now on.")
                % {"name": employer.legal_name},
            )
            return redirect("workspace:work_queue")
    return render(request, "workspace/employer_review.html", {"employer": employer, "form": form})


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
    run = matching_selectors.rebuild_latest()
    if request.method == "POST":
        try:
            shortlists_rebuild_request()
        except ValidationError as exc:
            messages.info(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The rebuild of all shortlists has started."))
        return redirect("workspace:rebuild")
    return render(request, "workspace/rebuild.html", {"run": run, "payload": _rebuild_payload(run)})


@caseworker_required
@require_GET
def rebuild_status(request: HttpRequest) -> JsonResponse:
    """The progress of the latest rebuild, for the progress bar (polled every few seconds)."""
    response = JsonResponse(_rebuild_payload(matching_selectors.rebuild_latest()))
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
        "workspace/figures.html",
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

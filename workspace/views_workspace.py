"""The caseworkers' back office: the work queue, vacancy moderation, employer verification,
the figures and the full rebuild (portal admins).

Each page reads through the selectors and writes through the services of the app that owns
the data (vacancies, accounts, matching); the role decorators come on top. The shortlist and
match pages stay in matching (matching/views_workspace.py): they are matching's own rules.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import selectors as account_selectors
from accounts import services as account_services
from accounts.decorators import admin_required, caseworker_required, coordinator_required
from accounts.forms import EmployerVerifyForm, add_service_errors
from accounts.models import Employer, EmploymentService
from accounts.roles import is_portal_admin, may_moderate_vacancy, may_verify_employer, moderation_country_of
from audit.services import audit_record
from core.csv_export import csv_response
from matching import selectors as matching_selectors
from matching.models import MatchingPause, RebuildStatus
from matching.pause import pauses_shown_to
from matching.services import matching_pause, matching_resume, shortlists_rebuild_request
from vacancies import selectors as vacancy_selectors
from vacancies import services as vacancy_services
from vacancies.fast_forms import FAST_WIDGETS
from vacancies.forms import VacancyModerationForm
from vacancies.models import Vacancy

from . import bias, queue_rows, selectors
from . import figures as figures_module
from . import oversight as oversight_module
from .forms import FiguresForm, MatchingPauseForm, SelectionRatesForm, WorkQueueFilterForm

QUEUE_PAGE_SIZE = 20


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


# --- work queue -------------------------------------------------------------------------------


def _mark_read_only(user, vacancies, employers, services: list[EmploymentService]) -> None:
    """Rows of the other country stay in the queue, marked with the services that decide them
    (``moderated_by``); the rule is ``accounts.roles.may_moderate_vacancy`` / ``may_verify_employer``."""
    if moderation_country_of(user) is None:
        return  # a portal admin decides everything
    vacancies.object_list, employers.object_list = list(vacancies.object_list), list(employers.object_list)
    names = account_selectors.service_names_by_country(services)
    for vacancy in vacancies.object_list:
        vacancy.moderated_by = "" if may_moderate_vacancy(user, vacancy) else names.get(vacancy.employer.country, "")
    for employer in employers.object_list:
        employer.moderated_by = "" if may_verify_employer(user, employer) else names.get(employer.country, "")


def _with_services(form: WorkQueueFilterForm, user, services: list[EmploymentService]) -> EmploymentService | None:
    """The services read once for the page (issue 15): the filter's options (the field still
    validates against its queryset) and the user's own service, which was one query of its own."""
    field = form.fields["service"]
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = empty + [(field.prepare_value(s), field.label_from_instance(s)) for s in services]
    own = next((s for s in services if s.pk == user.employment_service_id), None)
    if own is not None:
        user.employment_service = own  # the same row: moderation_country_of reads it without a query
    return own


def _queue_page(rows, number: str | None):
    page = Paginator(rows, QUEUE_PAGE_SIZE).get_page(number)
    if not page.paginator.count:
        page.object_list = []  # an empty table: its query is not even put together (issue 15)
    return page


@caseworker_required
@require_GET
def work_queue(request: HttpRequest) -> HttpResponse:
    form = WorkQueueFilterForm(request.GET or None)
    form.renderer = FAST_WIDGETS  # its selects written in Python (vacancies/fast_forms.py)
    filters = form.filters() if request.GET else {}
    services = account_selectors.service_list()
    service = _with_services(form, request.user, services)
    queue = selectors.work_queue(user=request.user, filters=filters)
    vacancies = _queue_page(queue.vacancies_in_review, request.GET.get("page_v"))
    employers = _queue_page(queue.employers_to_verify, request.GET.get("page_e"))
    # Two index range scans on the queue's rows per scope (matching 0012): the page and its count.
    shortlists = _queue_page(queue.shortlists, request.GET.get("page_s"))
    review_requests = _queue_page(queue.review_requests, request.GET.get("page_r"))
    shortlist_rows = selectors.shortlist_rows_with_vacancies(list(shortlists.object_list))
    _mark_read_only(request.user, vacancies, employers, services)
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
            # The tables' rows written in Python (workspace/queue_rows.py): same markup, a fraction of the time.
            "shortlist_table_rows": queue_rows.shortlist_rows(shortlist_rows),
            "vacancy_rows": queue_rows.vacancy_rows(vacancies),
            "employer_rows": queue_rows.employer_rows(employers),
            "review_request_rows": queue_rows.review_request_rows(review_requests),
            "rebuild": rebuild if rebuild and (rebuild.status == RebuildStatus.RUNNING or rebuild.alarm) else None,
            "query_v": _query_without(request, "page_v"),
            "query_e": _query_without(request, "page_e"),
            "query_s": _query_without(request, "page_s"),
            "review_requests": review_requests,
            "query_r": _query_without(request, "page_r"),
            "service": service,
            "pauses": pauses_shown_to(request.user),
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
        done = selectors.vacancy_moderated_already(pk=pk) if request.method == "POST" else None
        if done is not None and may_moderate_vacancy(request.user, done):
            messages.info(
                request, _("“%(title)s” is not in review any more: it was moderated already.") % {"title": done.title}
            )
            return redirect("workspace:work_queue")
        raise Http404 from exc
    may_moderate = may_moderate_vacancy(request.user, vacancy)
    if request.method == "POST" and not may_moderate:
        # Visible to every caseworker, decided by the employer's country's services (accounts.roles).
        raise PermissionDenied(_("Only an employment service of the employer's country may moderate this vacancy."))
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
    return render(
        request,
        "workspace/vacancy_review.html",
        {
            "vacancy": vacancy,
            "form": form,
            "may_moderate": may_moderate,
            "moderated_by": ""
            if may_moderate
            else account_selectors.service_names_of_country(country=vacancy.employer.country),
        },
    )


@caseworker_required
@require_http_methods(["GET", "POST"])
def employer_review(request: HttpRequest, pk: int) -> HttpResponse:
    """A company for a caseworker or admin to check, with the verify action."""
    try:
        employer = account_selectors.employer_get_for_review(pk=pk)
    except Employer.DoesNotExist as exc:
        raise Http404 from exc
    may_verify = may_verify_employer(request.user, employer)
    if request.method == "POST" and not may_verify:
        raise PermissionDenied(_("Only an employment service of the company's country may verify it."))
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
    return render(
        request,
        "workspace/employer_review.html",
        {
            "employer": employer,
            "form": form,
            "may_verify": may_verify,
            "verified_by_services": ""
            if may_verify
            else account_selectors.service_names_of_country(country=employer.country),
        },
    )


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
        "alarm": run.alarm,  # the watchdog's: stalled (parts re-sent) or failed
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
    audit_record(kind="export", actor=request.user, where="workspace:figure_csv", data={"figure": slug})
    return csv_response(filename=f"{slug}-{stamp}.csv", header=figure.header, rows=figure.rows)


# --- bias monitoring: selection rates per group (AI Act Art. 9, 10, 27) --------------------------


def _selection_report(request: HttpRequest) -> tuple[SelectionRatesForm, dict, bias.SelectionReport]:
    form = SelectionRatesForm(request.GET or None)
    params = form.params()
    report = bias.selection_report(service=params["service"], since=params["since"], months=params["months"])
    return form, params, report


@caseworker_required
@require_GET
def selection_rates(request: HttpRequest) -> HttpResponse:
    """Selection rates per group at each stage, the four-fifths flags, a chart and the CSV."""
    form, params, report = _selection_report(request)
    query = {"months": params["months"], "dimension": params["dimension"]}
    if params["service"]:
        query["service"] = params["service"].code
    if params["since"]:
        query["since"] = params["since"].isoformat()
    tables = report.tables()
    for table in tables:
        table["svg"] = report.svg(table["dimension"])
        table["legend"] = bias.legend(report, table["dimension"])
    return render(
        request,
        "workspace/selection_rates.html",
        {
            "form": form,
            "report": report,
            "tables": tables,
            "monthly_rows": report.monthly_table(params["dimension"]),
            "monthly_dimension": bias.DIMENSION_LABELS[params["dimension"]],
            "stage_labels": bias.STAGE_LABELS,
            "four_fifths": bias.FOUR_FIFTHS,
            "min_group_size": bias.MIN_GROUP_SIZE,
            "urban_population": bias.URBAN_POPULATION,
            "query_string": urlencode(query),
        },
    )


@caseworker_required
@require_GET
def selection_rates_csv(request: HttpRequest) -> HttpResponse:
    _form, _params, report = _selection_report(request)
    stamp = timezone.localdate().isoformat()
    audit_record(kind="export", actor=request.user, where="workspace:selection_rates_csv")
    return csv_response(filename=f"selection-rates-{stamp}.csv", header=bias.CSV_HEADER, rows=report.csv_rows())


# --- human oversight (AI Act Art. 14): indicators and the stop button ---------------------------


def _pause_scopes(user) -> list[tuple[str, str]]:
    """What this user may pause: a coordinator their own service, an admin the portal or any service."""
    if is_portal_admin(user):
        return [(MatchingPauseForm.PORTAL, _("The whole portal"))] + [
            (str(s.pk), s.name) for s in EmploymentService.objects.order_by("name")
        ]
    return [(str(user.employment_service_id), user.employment_service.name)]


def _pauses_managed_by(user) -> list[MatchingPause]:
    pauses = pauses_shown_to(user)
    if is_portal_admin(user):
        return pauses
    return [p for p in pauses if p.service_id == user.employment_service_id]


@coordinator_required
@require_GET
def oversight(request: HttpRequest) -> HttpResponse:
    """For coordinators: how their service's caseworkers decide, and the stop button."""
    return render(
        request,
        "workspace/oversight.html",
        {
            "oversight": oversight_module.oversight_indicators(user=request.user),
            "thresholds": {
                "rate": round(oversight_module.AUTOMATIC_APPROVAL_RATE * 100),
                "seconds": oversight_module.AUTOMATIC_MEDIAN_SECONDS,
                "decisions": oversight_module.AUTOMATIC_MIN_DECISIONS,
            },
            "pauses": pauses_shown_to(request.user),
            "managed": {p.pk for p in _pauses_managed_by(request.user)},
            "form": MatchingPauseForm(scopes=_pause_scopes(request.user)),
        },
    )


@coordinator_required
@require_POST
def oversight_pause(request: HttpRequest) -> HttpResponse:
    form = MatchingPauseForm(request.POST, scopes=_pause_scopes(request.user))
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("workspace:oversight")
    scope = form.cleaned_data["scope"]
    service = None if scope == MatchingPauseForm.PORTAL else EmploymentService.objects.get(pk=int(scope))
    try:
        matching_pause(user=request.user, service=service, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Matching is paused. The shortlists stay as they are until you resume."))
    return redirect("workspace:oversight")


@coordinator_required
@require_POST
def oversight_resume(request: HttpRequest, pk: int) -> HttpResponse:
    pause = next((p for p in _pauses_managed_by(request.user) if p.pk == pk), None)
    if pause is None:
        raise Http404
    try:
        matching_resume(user=request.user, service=pause.service)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Matching is resumed. The shortlists are being made again."))
    return redirect("workspace:oversight")

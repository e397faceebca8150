"""The employer's vacancy pages: list, post, edit, publish, close (the moderators' review is
in the workspace app).

Every queryset is scoped first (an employer sees only its own vacancies, anything else is a
404), the role decorators come on top (403 for the wrong role). Writes go through
``vacancies.services``; their ValidationErrors come back as form errors.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import employer_required
from accounts.forms import add_service_errors

from . import selectors, services
from .forms import VacancyForm, VacancyImportForm
from .imports import ImportTooLarge, csv_template, import_job_submit
from .models import ImportJob, Vacancy, VacancyStatus

PAGE_SIZE = 20

# The status buttons on the vacancy page: action -> (target status, label).
ACTIONS = {
    "submit": (None, gettext_lazy("Publish")),
    "close": (VacancyStatus.CLOSED, gettext_lazy("Close")),
    "fill": (VacancyStatus.FILLED, gettext_lazy("Mark as filled")),
    "republish": (VacancyStatus.PUBLISHED, gettext_lazy("Publish again")),
}


def _own_vacancy(request: HttpRequest, pk: int) -> Vacancy:
    try:
        return selectors.vacancy_get_for_employer(user=request.user, pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc


def available_actions(vacancy: Vacancy) -> list[str]:
    """Which of ACTIONS make sense for the vacancy's status (the service refuses the rest)."""
    allowed = services.ALLOWED_TRANSITIONS[vacancy.status]
    actions = []
    if vacancy.status == VacancyStatus.DRAFT:
        actions.append("submit")
    if vacancy.status == VacancyStatus.EXPIRED:
        actions.append("republish")
    if VacancyStatus.FILLED in allowed:
        actions.append("fill")
    if VacancyStatus.CLOSED in allowed:
        actions.append("close")
    return actions


@employer_required
def employer_vacancy_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    if status not in VacancyStatus.values:
        status = ""
    vacancies = selectors.vacancy_list_for_employer_page(user=request.user, status=status or None)
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vacancies/employer_vacancy_list.html",
        {
            "page_obj": page,
            "vacancies": page.object_list,
            "status": status,
            "statuses": VacancyStatus.choices,
            "employer": request.user.employer,
            "query_string": f"status={status}" if status else "",
        },
    )


@employer_required
@require_http_methods(["GET", "POST"])
def employer_vacancy_create(request: HttpRequest) -> HttpResponse:
    employer = request.user.employer
    form = VacancyForm(
        request.POST if request.method == "POST" else None, employer=employer, instance=Vacancy(employer=employer)
    )
    if _suggesting(request):
        form.hold_errors()
    elif request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(employer=employer, **form.service_kwargs())
            if request.POST.get("intent") == "publish":
                vacancy = services.vacancy_submit(vacancy=vacancy)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            _publish_message(request, vacancy)
            return redirect("vacancies:employer_vacancy_detail", pk=vacancy.pk)
    return render(
        request,
        "vacancies/vacancy_form.html",
        {"form": form, "vacancy": None, "employer": employer, "suggestions": form.suggestion_panel()},
    )


def _suggesting(request: HttpRequest) -> bool:
    """The "suggest occupation and skills" button: re-render with suggestions, save nothing."""
    return request.method == "POST" and request.POST.get("action") == "suggest"


@employer_required
@require_http_methods(["GET", "POST"])
def employer_vacancy_update(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        messages.error(request, _("A closed or filled vacancy can no longer be edited."))
        return redirect("vacancies:employer_vacancy_detail", pk=vacancy.pk)
    form = VacancyForm(request.POST if request.method == "POST" else None, employer=vacancy.employer, instance=vacancy)
    if _suggesting(request):
        form.hold_errors()
    elif request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_update(vacancy=vacancy, **form.service_kwargs())
            vacancy = services.vacancy_codes_checked(vacancy=vacancy)
            if request.POST.get("intent") == "publish" and vacancy.status == VacancyStatus.DRAFT:
                vacancy = services.vacancy_submit(vacancy=vacancy)
                _publish_message(request, vacancy)
            else:
                messages.success(request, _("Your changes are saved."))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("vacancies:employer_vacancy_detail", pk=vacancy.pk)
    return render(
        request,
        "vacancies/vacancy_form.html",
        {"form": form, "vacancy": vacancy, "employer": vacancy.employer, "suggestions": form.suggestion_panel()},
    )


def _publish_message(request: HttpRequest, vacancy: Vacancy) -> None:
    if vacancy.status == VacancyStatus.PUBLISHED:
        messages.success(request, _("Your vacancy is published."))
    elif vacancy.status == VacancyStatus.IN_REVIEW:
        messages.info(
            request,
            _(
                "Your vacancy is sent for review. Until your company is verified, an employment "
                "service checks each vacancy before it is published."
            ),
        )
    else:
        messages.success(request, _("Your vacancy is saved as a draft."))


@employer_required
def employer_vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    return render(
        request,
        "vacancies/employer_vacancy_detail.html",
        {
            "vacancy": vacancy,
            "actions": [(name, ACTIONS[name][1]) for name in available_actions(vacancy)],
            "employer": vacancy.employer,
        },
    )


@employer_required
@require_POST
def employer_vacancy_action(request: HttpRequest, pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, pk)
    action = request.POST.get("intent", "")
    if action not in available_actions(vacancy):
        messages.error(
            request,
            _("This action is not possible for a vacancy that is “%(status)s”.")
            % {"status": vacancy.get_status_display()},
        )
        return redirect("vacancies:employer_vacancy_detail", pk=vacancy.pk)
    try:
        if action == "submit":
            vacancy = services.vacancy_submit(vacancy=vacancy)
            _publish_message(request, vacancy)
        else:
            vacancy = services.vacancy_set_status(vacancy=vacancy, status=ACTIONS[action][0])
            messages.success(request, _("The vacancy is now “%(status)s”.") % {"status": vacancy.get_status_display()})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("vacancies:employer_vacancy_detail", pk=vacancy.pk)


# --- importing a file (run by the worker; vacancies.imports) --------------------------------------

IMPORT_JOBS_LISTED = 10


@employer_required
@require_http_methods(["GET", "POST"])
def employer_vacancy_import(request: HttpRequest) -> HttpResponse:
    """Upload a file; the worker imports it and the job's page shows the progress and the report."""
    form = VacancyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > settings.VACANCY_IMPORT_MAX_BYTES:
                raise ImportTooLarge(
                    _("The file is larger than %(mb).0f MB.") % {"mb": settings.VACANCY_IMPORT_MAX_BYTES / 1024 / 1024}
                )
            job = import_job_submit(
                employer=request.user.employer,
                user=request.user,
                content=upload.read(),
                filename=upload.name or "",
                content_type=upload.content_type or "",
                partial=form.cleaned_data["partial"],
                dry_run=form.cleaned_data["dry_run"],
                submit=not form.cleaned_data["draft"],
            )
        except ImportTooLarge as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("vacancies:employer_vacancy_import_job", pk=job.pk)
    jobs = selectors.import_jobs_for_employer(user=request.user).defer("report")[:IMPORT_JOBS_LISTED]
    return render(
        request,
        "vacancies/vacancy_import.html",
        {"form": form, "jobs": jobs, "employer": request.user.employer},
    )


@employer_required
def employer_vacancy_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        job = selectors.import_jobs_for_employer(user=request.user).get(pk=pk)
    except ImportJob.DoesNotExist as exc:
        raise Http404 from exc
    return render(
        request,
        "vacancies/vacancy_import_job.html",
        {
            "job": job,
            "report": job.report,
            "status_url": reverse("api:vacancy-import-job", kwargs={"job_id": job.pk}),
            "employer": request.user.employer,
        },
    )


@employer_required
def employer_vacancy_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(csv_template(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="vacancy-import-template.csv"'
    return response

"""The employer's side of applications: per vacancy, the applications and their stages.

Scoped first (only applications to the employer's own vacancies; anything else is a 404),
role checks on top. Stage moves go through ``applications.services.application_move_stage``.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.access_alerts import counts_personal_data_access
from accounts.decorators import employer_required
from accounts.forms import add_service_errors
from audit.services import audit_views
from core.csv_export import csv_response
from vacancies.models import Vacancy
from vacancies.selectors import vacancy_get_for_employer

from . import selectors
from .models import Application, ApplicationStatus
from .services import ALLOWED_TRANSITIONS, EMPLOYER_STAGES, application_move_stage

PAGE_SIZE = 25


def next_stages(application: Application) -> list[tuple[str, str]]:
    """The stages an employer may move this application to (withdrawing is the jobseeker's)."""
    allowed = ALLOWED_TRANSITIONS.get(application.status, set())
    return [(value, ApplicationStatus(value).label) for value in EMPLOYER_STAGES if value in allowed]


class ApplicationStageForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Move to stage"), choices=())
    note = forms.CharField(
        label=gettext_lazy("Note (only for your company)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Choose a stage"))] + next_stages(application)


def _own_vacancy(request: HttpRequest, vacancy_pk: int) -> Vacancy:
    try:
        return vacancy_get_for_employer(user=request.user, pk=vacancy_pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc


def _own_application(request: HttpRequest, pk: int) -> Application:
    try:
        return selectors.application_get_for_employer(employer_id=request.user.employer_id, pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


@employer_required
def employer_application_list(request: HttpRequest, vacancy_pk: int) -> HttpResponse:
    vacancy = _own_vacancy(request, vacancy_pk)
    status = request.GET.get("status") or ""
    if status not in ApplicationStatus.values:
        status = ""
    applications = selectors.application_list_for_employer(
        employer_id=request.user.employer_id, vacancy_id=vacancy.pk, status=status or None
    )
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(application, next_stages(application)) for application in page.object_list]
    audit_views(
        actor=request.user,
        candidate_ids=[a.candidate_id for a in page.object_list],
        where="applications:employer_application_list",
    )
    counts = selectors.application_stage_counts(employer_id=request.user.employer_id, vacancy_id=vacancy.pk)
    stages = [(value, label, counts.get(value, 0)) for value, label in ApplicationStatus.choices]
    return render(
        request,
        "applications/employer_application_list.html",
        {
            "vacancy": vacancy,
            "rows": rows,
            "page_obj": page,
            "status": status,
            "stages": stages,
            "total": sum(counts.values()),
            "query_string": f"status={status}" if status else "",
        },
    )


@employer_required
@counts_personal_data_access("applications:employer_application_export")
def employer_application_export(request: HttpRequest, vacancy_pk: int) -> HttpResponse:
    """All applications to the vacancy as CSV: who, how to reach them, their profile, the stage."""
    vacancy = _own_vacancy(request, vacancy_pk)
    applications = selectors.application_list_for_employer(employer_id=request.user.employer_id, vacancy_id=vacancy.pk)
    header = [
        _("Name"),
        _("Email"),
        _("Place"),
        _("Diplomas"),
        _("Skills"),
        _("Languages"),
        _("Stage"),
        _("Applied on"),
        _("Motivation"),
    ]
    rows = (
        [
            a.candidate.user.get_full_name(),
            a.candidate.user.email,
            str(a.candidate.home_place or ""),
            ", ".join(str(d) for d in a.candidate.diplomas.all()),
            ", ".join(s.label for s in a.candidate.skills.all()),
            ", ".join(str(lang) for lang in a.candidate.languages.all()),
            a.get_status_display(),
            timezone.localtime(a.created_at).date().isoformat(),
            a.motivation,
        ]
        for a in applications.iterator(chunk_size=500)
    )
    audit_views(
        actor=request.user,
        candidate_ids=applications.prefetch_related(None).values_list("candidate_id", flat=True),
        where="applications:employer_application_export",
        kind="export",
    )
    return csv_response(filename=f"applications-vacancy-{vacancy.pk}.csv", header=header, rows=rows)


@employer_required
@counts_personal_data_access("applications:employer_application_detail")
@require_http_methods(["GET", "POST"])
def employer_application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = ApplicationStageForm(request.POST if request.method == "POST" else None, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            application_move_stage(
                application=application,
                to_status=form.cleaned_data["status"],
                user=request.user,
                note=form.cleaned_data.get("note", ""),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            application.refresh_from_db(fields=["status"])
            messages.success(
                request,
                _("%(name)s is now in the stage “%(stage)s”.")
                % {
                    "name": application.candidate.user.get_full_name() or application.candidate.user.email,
                    "stage": application.get_status_display(),
                },
            )
            if request.POST.get("back") == "list":
                return redirect("applications:employer_application_list", vacancy_pk=application.vacancy_id)
            return redirect("applications:employer_application_detail", pk=application.pk)
    audit_views(
        actor=request.user, candidate_ids=[application.candidate_id], where="applications:employer_application_detail"
    )
    return render(
        request,
        "applications/employer_application_detail.html",
        {
            "application": application,
            "vacancy": application.vacancy,
            "form": form,
            "history": list(application.history.all()),
        },
    )


@employer_required
@counts_personal_data_access("applications:employer_application_cv")
def employer_application_cv(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's CV (PDF), only for the employer of the vacancy and only once the worker passed it
    (a CV being checked or refused is a 404: the same answer as no CV)."""
    application = _own_application(request, pk)
    if not application.cv_passed:
        raise Http404
    try:
        handle = application.cv.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = f"cv-{application.pk}.pdf"
    audit_views(
        actor=request.user, candidate_ids=[application.candidate_id], where="applications:employer_application_cv"
    )
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")

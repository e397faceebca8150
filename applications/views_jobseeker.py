"""The jobseeker's side of applications: apply, my applications, one application, withdraw, my CV."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import jobseeker_required
from candidates.selectors import candidate_for_user, candidate_id_of
from vacancies.models import Vacancy
from vacancies.selectors import vacancy_get_public

from . import selectors, services
from .forms import ApplicationForm, CvReplaceForm, WithdrawForm
from .models import Application

PAGE_SIZE = 20


def _own_application(request: HttpRequest, pk: int) -> Application:
    """Scoped first: only the jobseeker's own applications exist for them; the rest is a 404."""
    candidate_id = candidate_id_of(request.user)
    try:
        return selectors.application_get_for_candidate(candidate_id=candidate_id, pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@jobseeker_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, vacancy_pk: int) -> HttpResponse:
    try:
        vacancy = vacancy_get_public(pk=vacancy_pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc
    candidate = candidate_for_user(user=request.user)
    if candidate is None:
        messages.info(
            request,
            _("Fill in where you live first: it creates your profile, which the employer sees with your application."),
        )
        # After the wizard's last step the jobseeker comes back here (candidates.views_jobseeker).
        return redirect(reverse("candidates:step", kwargs={"step": "home"}) + "?" + urlencode({"next": request.path}))
    existing = selectors.application_list_for_candidate(candidate_id=candidate.pk).filter(vacancy=vacancy).first()
    if existing is not None:
        messages.info(request, _("You have already applied to this vacancy."))
        return redirect("applications:detail", pk=existing.pk)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        profile_cv=candidate.cv_passed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                candidate=candidate,
                vacancy=vacancy,
                motivation=form.cleaned_data["motivation"],
                cv=form.cleaned_data.get("cv"),
                use_profile_cv=form.use_profile_cv,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your application has been sent. The employer will contact you."))
            return redirect("applications:detail", pk=application.pk)
    return render(
        request, "applications/application_create.html", {"form": form, "vacancy": vacancy, "candidate": candidate}
    )


@jobseeker_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    candidate_id = candidate_id_of(request.user)
    applications = selectors.application_list_for_candidate(candidate_id=candidate_id)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "applications/application_list.html", {"page_obj": page, "applications": page.object_list})


@jobseeker_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "can_withdraw": application.status not in services.FINAL_STATUSES,
            "withdraw_form": WithdrawForm(),
            "can_replace_cv": services.cv_replaceable(application),
            "cv_form": CvReplaceForm(),
        },
    )


@jobseeker_required
@require_POST
def application_cv_replace(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload another CV (after the worker refused one); it is checked again before the employer sees it."""
    application = _own_application(request, pk)
    form = CvReplaceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_replace_cv(application=application, user=request.user, cv=form.cleaned_data["cv"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your new CV is being checked. The employer sees it once it passed."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("applications:detail", pk=application.pk)


@jobseeker_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.application_withdraw(application=application, user=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your application has been withdrawn."))
    return redirect("applications:detail", pk=application.pk)


@jobseeker_required
@require_GET
def application_cv(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own_application(request, pk)
    if not application.cv:
        raise Http404
    return FileResponse(
        application.cv.open("rb"), as_attachment=True, filename="cv.pdf", content_type="application/pdf"
    )

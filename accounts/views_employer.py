"""The employer's account pages: register the company, its details, invite colleagues.

The caseworker's review of a company is in the workspace app.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .backends import PATH as USER_BACKEND
from .decorators import employer_required
from .forms import (
    EmployerDetailsForm,
    EmployerInviteForm,
    EmployerRegistrationForm,
    EmployerSignupUserForm,
    add_service_errors,
)
from .models import Employer, Role, User


@require_http_methods(["GET", "POST"])
def employer_signup(request: HttpRequest) -> HttpResponse:
    """Register a company (KvK or KBO number) together with its first employer user."""
    if request.user.is_authenticated:
        messages.info(request, _("You are logged in already. Log out first to register a company."))
        return redirect("home")
    company_form = EmployerRegistrationForm(request.POST if request.method == "POST" else None, prefix="company")
    user_form = EmployerSignupUserForm(request.POST if request.method == "POST" else None, prefix="user")
    if request.method == "POST":
        company_valid = company_form.is_valid()
        user_valid = user_form.is_valid()
        if company_valid and user_valid:
            company = company_form.cleaned_data
            person = user_form.cleaned_data
            try:
                user = services.employer_signup(
                    employer_fields={
                        name: company.get(name) or ""
                        for name in ("legal_name", "country", "kvk_number", "enterprise_number", "website")
                    }
                    | {"place": company["place"]},
                    user_fields={
                        "email": person["email"],
                        "first_name": person["first_name"],
                        "last_name": person["last_name"],
                        "preferred_language": person["preferred_language"],
                    },
                    password=person["password1"],
                )
            except ValidationError as exc:
                add_service_errors(company_form, exc)
            else:
                login(request, user, backend=USER_BACKEND)
                messages.success(
                    request,
                    _(
                        "Welcome! Your company is registered. Until an employment service has verified it, "
                        "each vacancy is checked before it is published."
                    ),
                )
                return redirect("vacancies:employer_vacancy_list")
    return render(request, "accounts/employer_signup.html", {"company_form": company_form, "user_form": user_form})


@employer_required
@require_http_methods(["GET", "POST"])
def employer_company(request: HttpRequest) -> HttpResponse:
    """The company's details (editable except its registration number) and its users."""
    employer = Employer.objects.select_related("place").get(pk=request.user.employer_id)
    form = EmployerDetailsForm(request.POST if request.method == "POST" else None, instance=employer)
    if request.method == "POST" and form.is_valid():
        try:
            services.employer_update(
                employer=Employer.objects.get(pk=employer.pk),
                **{name: form.cleaned_data[name] for name in ("legal_name", "place", "website")},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The company details are saved."))
            return redirect("accounts:employer_company")
    return render(
        request,
        "accounts/employer_company.html",
        {
            "employer": employer,
            "form": form,
            "colleagues": selectors.employer_users(employer_id=employer.pk),
        },
    )


@employer_required
@require_http_methods(["GET", "POST"])
def employer_invite(request: HttpRequest) -> HttpResponse:
    """Invite a colleague: an account without a password and a one-time link by email."""
    form = EmployerInviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.employer_user_invite(
                employer=request.user.employer, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("We sent an invitation to %(email)s.") % {"email": user.email})
            return redirect("accounts:employer_company")
    return render(request, "accounts/employer_invite.html", {"form": form})


@employer_required
@require_POST
def employer_invite_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the invitation again to a colleague who has not set a password yet."""
    colleague = selectors.employer_users(employer_id=request.user.employer_id).filter(pk=pk).first()
    if colleague is None:
        raise Http404
    if colleague.has_usable_password():
        messages.info(request, _("%(email)s has set a password already.") % {"email": colleague.email})
    else:
        services.employer_invitation_resend(user=colleague, invited_by=request.user)
        messages.success(request, _("We sent the invitation to %(email)s again.") % {"email": colleague.email})
    return redirect("accounts:employer_company")


def _invited_user(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    user = User.objects.filter(pk=pk, role=Role.EMPLOYER, is_active=True).select_related("employer").first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@require_http_methods(["GET", "POST"])
def employer_invitation_accept(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link of the invitation mail: choose a password, then you are logged in."""
    user = _invited_user(uidb64, token)
    if user is None:
        return render(request, "accounts/employer_invitation_accept.html", {"valid": False})
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()  # changes the password hash: the link cannot be used again
        login(request, user, backend=USER_BACKEND)
        messages.success(request, _("Welcome! Your password is set."))
        return redirect("vacancies:employer_vacancy_list")
    return render(
        request,
        "accounts/employer_invitation_accept.html",
        {"valid": True, "form": form, "invited": user, "employer": user.employer},
    )

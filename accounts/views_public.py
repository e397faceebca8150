"""Sign-up (jobseekers), login, logout, password reset and the account page.

The jobseeker's profile is built in the candidates app after sign-up; this app only makes
the account (accounts imports no app but taxonomy).
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .backends import PATH as USER_BACKEND
from .forms import AccountForm, JobseekerSignupForm, LoginForm
from .language import in_chosen_language
from .models import Role
from .roles import is_employer, is_jobseeker, is_service_caseworker
from .services import user_create


def _start_page_for(user) -> str:
    """Where each role starts its work after logging in."""
    if is_jobseeker(user):
        return reverse("candidates:profile")
    if is_employer(user):
        return reverse("vacancies:employer_vacancy_list")
    # A portal admin starts on the home page, as before (it has the Django admin as well).
    if is_service_caseworker(user):
        return reverse("workspace:work_queue")
    return reverse("home")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """A jobseeker's account; then the first profile step."""
    if request.user.is_authenticated:
        return redirect(_start_page_for(request.user))
    form = JobseekerSignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = user_create(role=Role.JOBSEEKER, **form.user_fields())
        login(request, user, backend=USER_BACKEND)
        messages.success(request, _("Welcome! Your account is ready. Now tell us about yourself, step by step."))
        return redirect(reverse("candidates:step", kwargs={"step": "home"}))
    return render(request, "accounts/signup.html", {"form": form})


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return _start_page_for(self.request.user)

    def get_success_url(self) -> str:
        # The page asked for, in the language the user chose before (accounts/language.py).
        return in_chosen_language(self.request.user, super().get_success_url())


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are logged out. See you soon!"))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_email.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """The account page: name, language of emails, password, and (jobseekers) the data rights."""
    form = AccountForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your account details were saved."))
        return redirect("accounts:account")
    return render(request, "accounts/account.html", {"form": form})


def lockout(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """django-axes calls this after too many failed logins (AXES_LOCKOUT_CALLABLE): a clear page, status 429."""
    from django.conf import settings

    cooloff = getattr(settings, "AXES_COOLOFF_TIME", None)
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    form = LoginForm(request)
    return render(request, "accounts/lockout.html", {"minutes": minutes, "form": form}, status=429)

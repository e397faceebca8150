"""The accounts pages: everyone's (sign-up, login, passwords, account) and the employer's
company pages. Included at the root; each pattern carries its audience's prefix."""

from django.urls import path

from . import views_employer, views_public, views_two_factor

app_name = "accounts"

public_urlpatterns = [
    path("accounts/signup/", views_public.signup, name="signup"),
    path("accounts/login/", views_public.LoginView.as_view(), name="login"),
    path("accounts/logout/", views_public.LogoutView.as_view(), name="logout"),
    path("accounts/password/reset/", views_public.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", views_public.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views_public.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        views_public.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/password/change/", views_public.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/change/done/", views_public.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/account/", views_public.account, name="account"),
    # The second step of the login for caseworkers and admins (accounts/two_factor.py).
    path("accounts/two-factor/setup/", views_two_factor.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", views_two_factor.two_factor_verify, name="two_factor_verify"),
]

employer_urlpatterns = [
    path("employer/signup/", views_employer.employer_signup, name="employer_signup"),
    path("employer/company/", views_employer.employer_company, name="employer_company"),
    path("employer/colleagues/invite/", views_employer.employer_invite, name="employer_invite"),
    path("employer/colleagues/<int:pk>/resend/", views_employer.employer_invite_resend, name="employer_invite_resend"),
    path(
        "employer/invitation/<uidb64>/<token>/",
        views_employer.employer_invitation_accept,
        name="employer_invitation_accept",
    ),
]

urlpatterns = public_urlpatterns + employer_urlpatterns

"""The employer's account pages and the caseworker's company review (added to accounts/urls.py)."""

from django.urls import path

from . import views_employer as views

urlpatterns = [
    path("employer/signup/", views.employer_signup, name="employer_signup"),
    path("employer/company/", views.employer_company, name="employer_company"),
    path("employer/colleagues/invite/", views.employer_invite, name="employer_invite"),
    path("employer/colleagues/<int:pk>/resend/", views.employer_invite_resend, name="employer_invite_resend"),
    path("employer/invitation/<uidb64>/<token>/", views.employer_invitation_accept, name="employer_invitation_accept"),
    path("employers/<int:pk>/", views.employer_review, name="employer_review"),
]

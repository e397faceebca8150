"""The employer's application pages (added to applications/urls.py)."""

from django.urls import path

from . import views_employer as views

urlpatterns = [
    path("employer/vacancy/<int:vacancy_pk>/", views.employer_application_list, name="employer_application_list"),
    path(
        "employer/vacancy/<int:vacancy_pk>/export.csv",
        views.employer_application_export,
        name="employer_application_export",
    ),
    path("employer/<int:pk>/", views.employer_application_detail, name="employer_application_detail"),
    path("employer/<int:pk>/cv/", views.employer_application_cv, name="employer_application_cv"),
]

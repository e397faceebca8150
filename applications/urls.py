"""The jobseeker's and the employer's application pages. Included at the root; each pattern
carries its audience's prefix."""

from django.urls import path

from . import views_employer, views_jobseeker

app_name = "applications"

jobseeker_urlpatterns = [
    path("applications/", views_jobseeker.application_list, name="list"),
    path("applications/apply/<int:vacancy_pk>/", views_jobseeker.apply, name="apply"),
    path("applications/<int:pk>/", views_jobseeker.application_detail, name="detail"),
    path("applications/<int:pk>/withdraw/", views_jobseeker.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/cv/", views_jobseeker.application_cv, name="cv"),
    path("applications/<int:pk>/cv/replace/", views_jobseeker.application_cv_replace, name="cv_replace"),
]

employer_urlpatterns = [
    path(
        "employer/vacancies/<int:vacancy_pk>/applications/",
        views_employer.employer_application_list,
        name="employer_application_list",
    ),
    path(
        "employer/vacancies/<int:vacancy_pk>/applications.csv",
        views_employer.employer_application_export,
        name="employer_application_export",
    ),
    path(
        "employer/applications/<int:pk>/",
        views_employer.employer_application_detail,
        name="employer_application_detail",
    ),
    path("employer/applications/<int:pk>/cv/", views_employer.employer_application_cv, name="employer_application_cv"),
]

urlpatterns = jobseeker_urlpatterns + employer_urlpatterns

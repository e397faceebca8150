"""The public vacancy pages and the employer's vacancy pages. Included at the root; each
pattern carries its audience's prefix."""

from django.urls import path

from . import views_employer, views_public

app_name = "vacancies"

public_urlpatterns = [
    path("vacancies/", views_public.vacancy_list, name="list"),
    path("vacancies/<int:pk>/", views_public.vacancy_detail, name="detail"),
]

employer_urlpatterns = [
    path("employer/vacancies/", views_employer.employer_vacancy_list, name="employer_vacancy_list"),
    path("employer/vacancies/new/", views_employer.employer_vacancy_create, name="employer_vacancy_create"),
    path("employer/vacancies/<int:pk>/", views_employer.employer_vacancy_detail, name="employer_vacancy_detail"),
    path("employer/vacancies/<int:pk>/edit/", views_employer.employer_vacancy_update, name="employer_vacancy_update"),
    path("employer/vacancies/<int:pk>/status/", views_employer.employer_vacancy_action, name="employer_vacancy_action"),
    path("employer/vacancies/import/", views_employer.employer_vacancy_import, name="employer_vacancy_import"),
    path(
        "employer/vacancies/import/<int:pk>/",
        views_employer.employer_vacancy_import_job,
        name="employer_vacancy_import_job",
    ),
    path(
        "employer/vacancies/import/template.csv",
        views_employer.employer_vacancy_import_template,
        name="employer_vacancy_import_template",
    ),
]

urlpatterns = public_urlpatterns + employer_urlpatterns

"""The employer's vacancy pages and the moderators' review (included by vacancies/urls.py)."""

from django.urls import path

from . import views_employer as views

urlpatterns = [
    path("mine/", views.employer_vacancy_list, name="employer_vacancy_list"),
    path("mine/new/", views.employer_vacancy_create, name="employer_vacancy_create"),
    path("mine/<int:pk>/", views.employer_vacancy_detail, name="employer_vacancy_detail"),
    path("mine/<int:pk>/edit/", views.employer_vacancy_update, name="employer_vacancy_update"),
    path("mine/<int:pk>/status/", views.employer_vacancy_action, name="employer_vacancy_action"),
    path("review/<int:pk>/", views.vacancy_review, name="vacancy_review"),
]

"""The public vacancy pages (included by vacancies/urls.py)."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("", views.vacancy_list, name="list"),
    path("<int:pk>/", views.vacancy_detail, name="detail"),
]

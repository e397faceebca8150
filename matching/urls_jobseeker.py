"""The jobseeker's “my matches” pages (added to matching/urls.py)."""

from django.urls import path

from . import views_jobseeker as views

urlpatterns = [
    path("mine/", views.my_matches, name="my_matches"),
    path("mine/<int:pk>/respond/", views.match_respond_view, name="match_respond"),
]

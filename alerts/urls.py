"""The jobseeker's job alerts. Included at the root; each pattern carries its prefix."""

from django.urls import path

from . import views_jobseeker

app_name = "alerts"

jobseeker_urlpatterns = [
    path("alerts/", views_jobseeker.saved_search_list, name="list"),
    path("alerts/new/", views_jobseeker.saved_search_create, name="create"),
    path("alerts/<int:pk>/edit/", views_jobseeker.saved_search_edit, name="edit"),
    path("alerts/<int:pk>/delete/", views_jobseeker.saved_search_delete, name="delete"),
]

public_urlpatterns = [
    path("alerts/unsubscribe/<str:token>/", views_jobseeker.saved_search_unsubscribe, name="unsubscribe"),
]

urlpatterns = jobseeker_urlpatterns + public_urlpatterns

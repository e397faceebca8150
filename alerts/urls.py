"""The jobseeker's job alerts and the caseworker's saved candidate searches. Included at the
root; each pattern carries its prefix."""

from django.urls import path

from . import views_jobseeker, views_workspace

app_name = "alerts"

jobseeker_urlpatterns = [
    path("alerts/", views_jobseeker.saved_search_list, name="list"),
    path("alerts/new/", views_jobseeker.saved_search_create, name="create"),
    path("alerts/<int:pk>/edit/", views_jobseeker.saved_search_edit, name="edit"),
    path("alerts/<int:pk>/delete/", views_jobseeker.saved_search_delete, name="delete"),
]

workspace_urlpatterns = [
    path("workspace/candidates/saved/", views_workspace.candidate_search_list, name="candidate_list"),
    path("workspace/candidates/saved/new/", views_workspace.candidate_search_create, name="candidate_create"),
    path("workspace/candidates/saved/<int:pk>/edit/", views_workspace.candidate_search_edit, name="candidate_edit"),
    path(
        "workspace/candidates/saved/<int:pk>/delete/", views_workspace.candidate_search_delete, name="candidate_delete"
    ),
]

public_urlpatterns = [
    path("alerts/unsubscribe/<str:token>/", views_jobseeker.saved_search_unsubscribe, name="unsubscribe"),
]

urlpatterns = jobseeker_urlpatterns + workspace_urlpatterns + public_urlpatterns

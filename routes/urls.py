"""Training routes: the jobseeker's "Vacancies within reach" under /matching/mine/, the
caseworker's route pages under /workspace/routes/. Included at the root like the other apps."""

from django.urls import path

from . import views_jobseeker, views_workspace

app_name = "routes"

jobseeker_urlpatterns = [
    path("matching/mine/within-reach/", views_jobseeker.within_reach, name="within_reach"),
    path("matching/mine/routes/<int:pk>/respond/", views_jobseeker.route_respond_view, name="route_respond"),
    path("matching/mine/routes/<int:pk>/confirm/", views_jobseeker.route_confirm_view, name="route_confirm"),
]

workspace_urlpatterns = [
    path("workspace/routes/", views_workspace.route_list, name="route_list"),
    path("workspace/routes/<int:pk>/advance/", views_workspace.route_advance_view, name="route_advance"),
    path("workspace/near-misses/<int:pk>/route/", views_workspace.propose_for_near_miss, name="propose_for_near_miss"),
    path("workspace/matches/<int:pk>/route/", views_workspace.propose_for_match, name="propose_for_match"),
]

urlpatterns = jobseeker_urlpatterns + workspace_urlpatterns

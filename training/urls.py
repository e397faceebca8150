"""The caseworkers' training pages; included at the root, each pattern carries /workspace/."""

from django.urls import path

from . import views_workspace

app_name = "training"

workspace_urlpatterns = [
    path("workspace/training/", views_workspace.offer_list, name="offer_list"),
    path("workspace/training/new/", views_workspace.offer_create, name="offer_create"),
    path("workspace/training/import/", views_workspace.offer_import, name="offer_import"),
    path("workspace/training/<int:pk>/", views_workspace.offer_detail, name="offer_detail"),
    path("workspace/training/<int:pk>/edit/", views_workspace.offer_update, name="offer_update"),
    path("workspace/training/<int:pk>/deactivate/", views_workspace.offer_deactivate, name="offer_deactivate"),
]

urlpatterns = workspace_urlpatterns

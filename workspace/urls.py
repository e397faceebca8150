"""The caseworkers' back office, under /workspace/. Included at the root like the other apps;
the shortlist and match pages, also under /workspace/, are in matching/urls.py."""

from django.urls import path

from . import views_audit, views_candidates, views_workspace

app_name = "workspace"

workspace_urlpatterns = [
    path("workspace/", views_workspace.work_queue, name="work_queue"),
    path("workspace/vacancies/<int:pk>/review/", views_workspace.vacancy_review, name="vacancy_review"),
    path("workspace/employers/<int:pk>/", views_workspace.employer_review, name="employer_review"),
    path("workspace/figures/", views_workspace.figures, name="figures"),
    path("workspace/figures/selection-rates/", views_workspace.selection_rates, name="selection_rates"),
    path(
        "workspace/figures/selection-rates/rates.csv", views_workspace.selection_rates_csv, name="selection_rates_csv"
    ),
    path("workspace/figures/<slug:slug>.csv", views_workspace.figure_csv, name="figure_csv"),
    path("workspace/rebuild/", views_workspace.rebuild, name="rebuild"),
    path("workspace/audit/export/", views_audit.audit_export, name="audit_export"),
    path("workspace/rebuild/status/", views_workspace.rebuild_status, name="rebuild_status"),
    path("workspace/candidates/", views_candidates.candidate_search, name="candidate_search"),
    path("workspace/oversight/", views_workspace.oversight, name="oversight"),
    path("workspace/oversight/pause/", views_workspace.oversight_pause, name="oversight_pause"),
    path("workspace/oversight/resume/<int:pk>/", views_workspace.oversight_resume, name="oversight_resume"),
]

urlpatterns = workspace_urlpatterns

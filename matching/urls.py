from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    # Caseworkers (and portal admins).
    path("", views.work_queue, name="work_queue"),
    path("vacancies/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("vacancies/<int:pk>/rematch/", views.rematch, name="rematch"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("figures/", views.figures, name="figures"),
    path("figures/<slug:slug>.csv", views.figure_csv, name="figure_csv"),
    path("rebuild/", views.rebuild, name="rebuild"),
    path("rebuild/status/", views.rebuild_status, name="rebuild_status"),
    # Employers: the candidates approved by a caseworker who accepted to share their profile.
    path("employer/vacancies/<int:pk>/shortlist/", views.employer_shortlist, name="employer_shortlist"),
    path(
        "employer/vacancies/<int:pk>/shortlist.csv", views.employer_shortlist_export, name="employer_shortlist_export"
    ),
]

from . import urls_jobseeker  # noqa: E402  (the jobseeker's “my matches”)

urlpatterns += urls_jobseeker.urlpatterns

"""The match pages of the three audiences. Included at the root; each pattern carries its
audience's prefix. The rest of the caseworkers' back office is in workspace/urls.py."""

from django.urls import path

from . import views_employer, views_jobseeker, views_public, views_workspace

app_name = "matching"

public_urlpatterns = [
    path("matching/how-it-works/", views_public.how_it_works, name="how_it_works"),
]

jobseeker_urlpatterns = [
    path("matching/mine/", views_jobseeker.my_matches, name="my_matches"),
    path("matching/mine/<int:pk>/respond/", views_jobseeker.match_respond_view, name="match_respond"),
    path("matching/mine/<int:pk>/", views_jobseeker.my_match, name="my_match"),
    path("matching/mine/why/", views_jobseeker.why_not, name="why_not"),
    path("matching/mine/review-requests/", views_jobseeker.review_request_create, name="review_request_create"),
]

employer_urlpatterns = [
    path("employer/vacancies/<int:pk>/shortlist/", views_employer.employer_shortlist, name="employer_shortlist"),
    path(
        "employer/vacancies/<int:pk>/shortlist.csv",
        views_employer.employer_shortlist_export,
        name="employer_shortlist_export",
    ),
    path(
        "employer/vacancies/<int:pk>/requirement-costs/",
        views_employer.employer_requirement_costs,
        name="employer_requirement_costs",
    ),
]

workspace_urlpatterns = [
    path("workspace/vacancies/<int:pk>/shortlist/", views_workspace.shortlist, name="shortlist"),
    path("workspace/vacancies/<int:pk>/rematch/", views_workspace.rematch, name="rematch"),
    path(
        "workspace/vacancies/<int:pk>/requirement-costs/", views_workspace.requirement_costs, name="requirement_costs"
    ),
    path("workspace/vacancies/<int:pk>/shortlist/add/", views_workspace.shortlist_add, name="shortlist_add"),
    path("workspace/matches/<int:pk>/", views_workspace.match_detail, name="match_detail"),
    path(
        "workspace/review-requests/<int:pk>/",
        views_workspace.review_request_answer_view,
        name="review_request_answer",
    ),
]

urlpatterns = public_urlpatterns + jobseeker_urlpatterns + employer_urlpatterns + workspace_urlpatterns

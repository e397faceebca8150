"""Threads and interviews per application. Included at the root; each pattern carries its audience's prefix."""

from django.urls import path

from . import views_employer, views_jobseeker, views_workspace

app_name = "conversations"

jobseeker_urlpatterns = [
    path("applications/messages/", views_jobseeker.inbox, name="jobseeker_inbox"),
    path("applications/<int:pk>/messages/", views_jobseeker.thread, name="jobseeker_thread"),
    path(
        "applications/<int:pk>/interviews/<int:proposal_pk>/answer/",
        views_jobseeker.interview_answer,
        name="jobseeker_interview_answer",
    ),
    path(
        "applications/<int:pk>/interviews/<int:proposal_pk>/invitation.ics",
        views_jobseeker.interview_ics,
        name="jobseeker_interview_ics",
    ),
]

employer_urlpatterns = [
    path("employer/messages/", views_employer.inbox, name="employer_inbox"),
    path("employer/applications/<int:pk>/messages/", views_employer.thread, name="employer_thread"),
    path(
        "employer/applications/<int:pk>/interviews/new/",
        views_employer.interview_propose,
        name="employer_interview_propose",
    ),
    path(
        "employer/applications/<int:pk>/interviews/<int:proposal_pk>/invitation.ics",
        views_employer.interview_ics,
        name="employer_interview_ics",
    ),
]

workspace_urlpatterns = [
    path("workspace/messages/", views_workspace.inbox, name="workspace_inbox"),
    path("workspace/applications/<int:pk>/messages/", views_workspace.thread, name="workspace_thread"),
]

urlpatterns = jobseeker_urlpatterns + employer_urlpatterns + workspace_urlpatterns

"""The candidate search (employers) and the invitations (jobseekers). Included at the root;
each pattern carries its audience's prefix."""

from django.urls import path

from . import views_employer, views_jobseeker

app_name = "talent"

employer_urlpatterns = [
    path("employer/candidates/", views_employer.candidate_search, name="candidate_search"),
    path("employer/candidates/<int:pk>/", views_employer.candidate_card, name="candidate_card"),
    path("employer/candidates/<int:pk>/profile/", views_employer.candidate_profile, name="candidate_profile"),
    path("employer/invitations/", views_employer.employer_invitation_list, name="employer_invitation_list"),
]

jobseeker_urlpatterns = [
    path("invitations/", views_jobseeker.invitation_list, name="invitation_list"),
    path("invitations/<int:pk>/respond/", views_jobseeker.invitation_respond, name="invitation_respond"),
    path("invitations/<int:pk>/apply/", views_jobseeker.invitation_apply, name="invitation_apply"),
]

urlpatterns = employer_urlpatterns + jobseeker_urlpatterns

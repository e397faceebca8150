"""The jobseeker's profile pages. Included at the root; each pattern carries its prefix."""

from django.urls import path

from . import views_jobseeker

app_name = "candidates"

jobseeker_urlpatterns = [
    path("profile/", views_jobseeker.profile, name="profile"),
    path("profile/skills.json", views_jobseeker.skills_json, name="skills_json"),
    path("profile/from-cv/", views_jobseeker.cv_suggestions, name="cv_suggestions"),
    path("profile/cv/", views_jobseeker.profile_cv, name="profile_cv"),
    path("profile/experience/add/", views_jobseeker.experience_add, name="experience_add"),
    path("profile/experience/<int:pk>/", views_jobseeker.experience_edit, name="experience_edit"),
    path("profile/experience/<int:pk>/delete/", views_jobseeker.experience_delete, name="experience_delete"),
    path("profile/<slug:step>/", views_jobseeker.step, name="step"),
]

urlpatterns = jobseeker_urlpatterns

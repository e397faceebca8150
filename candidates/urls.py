from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("skills.json", views.skills_json, name="skills_json"),
    path("<slug:step>/", views.step, name="step"),
]

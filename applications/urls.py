from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("apply/<int:vacancy_pk>/", views.apply, name="apply"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/cv/", views.application_cv, name="cv"),
]

from . import urls_employer  # noqa: E402  (the employer's side)

urlpatterns += urls_employer.urlpatterns

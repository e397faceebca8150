from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("api/", include("nsp_portal.api_urls")),  # REST API v1, schema and docs: docs/api.md
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("account/my-data.json", views.my_data_export, name="my_data_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("profile/", include("candidates.urls")),
    path("vacancies/", include("vacancies.urls")),
    path("applications/", include("applications.urls")),
    path("matching/", include("matching.urls")),
    prefix_default_language=False,
)

handler500 = "nsp_portal.views.server_error"

# Uploads (CVs) are never served as static files: only permission-checked views stream them.

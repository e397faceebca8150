from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from accounts import language as account_language
from core import health

from . import views

urlpatterns = [
    # Before Django's own: the switch also stores a logged-in user's choice (accounts/language.py).
    path("i18n/setlang/", account_language.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", health.healthz, name="healthz"),  # which dependency is down (docs/operations.md)
    path("readyz", health.readyz, name="readyz"),  # for load balancers: 503 without the database
    path("api/", include("nsp_portal.api_urls")),  # REST API v1, schema and docs: docs/api.md
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("account/my-data.json", views.my_data_export, name="my_data_export"),
    path("account/delete/", views.account_delete, name="account_delete"),
    path("admin/", admin.site.urls),
    # Each app's patterns carry their audience's prefix (/employer/…, /workspace/…), so the
    # apps are included at the root; their namespaces and URL names stay the same.
    path("", include("accounts.urls")),
    path("", include("candidates.urls")),
    path("", include("vacancies.urls")),
    path("", include("applications.urls")),
    path("", include("matching.urls")),
    path("", include("routes.urls")),
    path("", include("training.urls")),
    path("", include("alerts.urls")),
    path("", include("conversations.urls")),
    path("", include("talent.urls")),
    path("", include("workspace.urls")),
    path("", include("nsp_portal.legacy_urls")),  # last: old addresses, permanent redirects
    prefix_default_language=False,
)

handler500 = "nsp_portal.views.server_error"

# Uploads (CVs) are never served as static files: only permission-checked views stream them.

"""The addresses pages had before each audience got one prefix (employers under /employer/,
caseworkers under /workspace/), kept as permanent redirects: bookmarks and links in mails
already sent keep working. Included inside i18n_patterns, so the language prefix is kept;
the query string is kept too. tests/test_legacy_urls.py walks every pattern here.
"""

from django.urls import path
from django.views.generic import RedirectView


def moved(old: str, name: str):
    """A permanent redirect from ``old`` to the page now named ``name`` (same URL arguments)."""
    return path(old, RedirectView.as_view(pattern_name=name, permanent=True, query_string=True))


urlpatterns = [
    # Employers: /accounts/employer/, /vacancies/mine/, /applications/employer/, /matching/employer/.
    moved("accounts/employer/signup/", "accounts:employer_signup"),
    moved("accounts/employer/company/", "accounts:employer_company"),
    moved("accounts/employer/colleagues/invite/", "accounts:employer_invite"),
    moved("accounts/employer/colleagues/<int:pk>/resend/", "accounts:employer_invite_resend"),
    moved("accounts/employer/invitation/<uidb64>/<token>/", "accounts:employer_invitation_accept"),
    moved("vacancies/mine/", "vacancies:employer_vacancy_list"),
    moved("vacancies/mine/new/", "vacancies:employer_vacancy_create"),
    moved("vacancies/mine/<int:pk>/", "vacancies:employer_vacancy_detail"),
    moved("vacancies/mine/<int:pk>/edit/", "vacancies:employer_vacancy_update"),
    moved("vacancies/mine/<int:pk>/status/", "vacancies:employer_vacancy_action"),
    moved("applications/employer/vacancy/<int:vacancy_pk>/", "applications:employer_application_list"),
    moved("applications/employer/vacancy/<int:vacancy_pk>/export.csv", "applications:employer_application_export"),
    moved("applications/employer/<int:pk>/", "applications:employer_application_detail"),
    moved("applications/employer/<int:pk>/cv/", "applications:employer_application_cv"),
    moved("matching/employer/vacancies/<int:pk>/shortlist/", "matching:employer_shortlist"),
    moved("matching/employer/vacancies/<int:pk>/shortlist.csv", "matching:employer_shortlist_export"),
    # Caseworkers: /matching/, /vacancies/review/, /accounts/employers/.
    moved("matching/", "workspace:work_queue"),
    moved("matching/vacancies/<int:pk>/shortlist/", "matching:shortlist"),
    moved("matching/vacancies/<int:pk>/rematch/", "matching:rematch"),
    moved("matching/matches/<int:pk>/", "matching:match_detail"),
    moved("matching/figures/", "workspace:figures"),
    moved("matching/figures/<slug:slug>.csv", "workspace:figure_csv"),
    moved("matching/rebuild/", "workspace:rebuild"),
    moved("matching/rebuild/status/", "workspace:rebuild_status"),
    moved("vacancies/review/<int:pk>/", "workspace:vacancy_review"),
    moved("accounts/employers/<int:pk>/", "workspace:employer_review"),
]

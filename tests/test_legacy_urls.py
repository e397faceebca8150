"""Every old address (nsp_portal/legacy_urls.py) answers a permanent redirect to its new one,
in each language, with the query string kept."""

import pytest

from nsp_portal import legacy_urls

pytestmark = pytest.mark.django_db

# Old path (sample arguments filled in) -> new path, both without the language prefix.
EXPECTED = {
    "/accounts/employer/signup/": "/employer/signup/",
    "/accounts/employer/company/": "/employer/company/",
    "/accounts/employer/colleagues/invite/": "/employer/colleagues/invite/",
    "/accounts/employer/colleagues/7/resend/": "/employer/colleagues/7/resend/",
    "/accounts/employer/invitation/Nw/abc-123/": "/employer/invitation/Nw/abc-123/",
    "/vacancies/mine/": "/employer/vacancies/",
    "/vacancies/mine/new/": "/employer/vacancies/new/",
    "/vacancies/mine/7/": "/employer/vacancies/7/",
    "/vacancies/mine/7/edit/": "/employer/vacancies/7/edit/",
    "/vacancies/mine/7/status/": "/employer/vacancies/7/status/",
    "/applications/employer/vacancy/7/": "/employer/vacancies/7/applications/",
    "/applications/employer/vacancy/7/export.csv": "/employer/vacancies/7/applications.csv",
    "/applications/employer/7/": "/employer/applications/7/",
    "/applications/employer/7/cv/": "/employer/applications/7/cv/",
    "/matching/employer/vacancies/7/shortlist/": "/employer/vacancies/7/shortlist/",
    "/matching/employer/vacancies/7/shortlist.csv": "/employer/vacancies/7/shortlist.csv",
    "/matching/": "/workspace/",
    "/matching/vacancies/7/shortlist/": "/workspace/vacancies/7/shortlist/",
    "/matching/vacancies/7/rematch/": "/workspace/vacancies/7/rematch/",
    "/matching/matches/7/": "/workspace/matches/7/",
    "/matching/figures/": "/workspace/figures/",
    "/matching/figures/decisions.csv": "/workspace/figures/decisions.csv",
    "/matching/rebuild/": "/workspace/rebuild/",
    "/matching/rebuild/status/": "/workspace/rebuild/status/",
    "/vacancies/review/7/": "/workspace/vacancies/7/review/",
    "/accounts/employers/7/": "/workspace/employers/7/",
}

SAMPLE = {"<int:pk>": "7", "<int:vacancy_pk>": "7", "<slug:slug>": "decisions", "<uidb64>": "Nw", "<token>": "abc-123"}


def sample_path(route: str) -> str:
    for converter, value in SAMPLE.items():
        route = route.replace(converter, value)
    assert "<" not in route, f"no sample value for {route}"
    return f"/{route}"


OLD_PATHS = [sample_path(str(pattern.pattern)) for pattern in legacy_urls.urlpatterns]


def test_the_table_covers_every_legacy_pattern():
    assert sorted(OLD_PATHS) == sorted(EXPECTED)


@pytest.mark.parametrize("old", OLD_PATHS)
@pytest.mark.parametrize("prefix", ["", "/en", "/fr"])
def test_old_address_redirects_permanently(client, old, prefix):
    response = client.get(f"{prefix}{old}?page=2&status=draft")
    assert response.status_code == 301
    assert response["Location"] == f"{prefix}{EXPECTED[old]}?page=2&status=draft"


@pytest.mark.parametrize("old", OLD_PATHS)
def test_new_address_is_no_redirect(client, old):
    # The target is a real page (its own role check answers), never another redirect hop.
    response = client.get(EXPECTED[old])
    assert response.status_code != 301

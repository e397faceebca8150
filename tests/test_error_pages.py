"""404, 403 and 500 pages in the portal's style and the user's language."""

import pytest
from django.test import RequestFactory
from django.utils import translation

from nsp_portal.views import server_error
from tests.factories import EmployerUserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "text"), [("", "Pagina niet gevonden"), ("/en", "Page not found"), ("/fr", "Page introuvable")]
)
def test_404_in_the_users_language(client, prefix, text):
    response = client.get(f"{prefix}/vacancies/999999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert text in body
    assert 'class="site-header"' in body


def test_403_in_the_portals_style(client):
    client.force_login(EmployerUserFactory())
    response = client.get("/en/profile/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "No access" in body
    assert "Employer" in body
    assert 'class="site-header"' in body


def test_500_page_renders_with_the_layout():
    request = RequestFactory().get("/en/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_500_page_falls_back_to_plain_html_when_the_layout_fails():
    request = RequestFactory().get("/")

    class Broken:
        is_authenticated = property(lambda self: 1 / 0)

    request.user = Broken()
    response = server_error(request)
    assert response.status_code == 500
    assert "<h1>" in response.content.decode()

"""Response headers that protect users: the Content-Security-Policy on every HTML page (portal,
admin, API docs), no caching of personal data (``Cache-Control: private, no-store``), API
responses that vary on ``Authorization``, and the cookie flags of the production settings.
tests/browser/test_csp.py shows in Chromium that the pages work under the policy."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import EMPLOYER_SCOPES
from accounts.services import api_token_issue
from tests.factories import EmployerUserFactory, UserFactory
from tests.workspace_helpers import candidate_with_profile, make_application, published_vacancy

pytestmark = pytest.mark.django_db

# A <script> element that runs code written in the page (no src), JSON data blocks excepted.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=\s*[\"']", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict_policy(response) -> None:
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    script_src = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert not [source for source in script_src if source.startswith(("http:", "https:", "data:", "*"))]


def assert_no_inline_script(html: str) -> None:
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html)


def assert_private(response) -> None:
    assert response["Cache-Control"] == "private, no-store"


def vary(response) -> set[str]:
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}


@pytest.fixture
def employer_token():
    employer_user = EmployerUserFactory()
    _token, secret = api_token_issue(name="ATS", scopes=EMPLOYER_SCOPES, employer=employer_user.employer)
    return employer_user, secret


# --- Content-Security-Policy ---------------------------------------------------------------


def test_a_public_page_has_the_strict_policy(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert_strict_policy(response)
    assert_no_inline_script(response.content.decode())


def test_a_signed_in_page_has_the_strict_policy(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:account"))
    assert response.status_code == 200
    assert_strict_policy(response)
    directives = policy(response)
    assert "'unsafe-inline'" not in directives.get("style-src", directives["default-src"])
    assert_no_inline_script(response.content.decode())


def test_the_admin_login_and_index_have_the_strict_policy(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert_strict_policy(response)
    assert_no_inline_script(response.content.decode())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert_strict_policy(response)


def test_a_vacancy_page_keeps_its_json_ld_data_block_under_the_policy(client, reference_data):
    vacancy = published_vacancy(title="Lasser")
    response = client.get(reverse("vacancies:detail", kwargs={"pk": vacancy.pk}))
    html = response.content.decode()
    assert '<script type="application/ld+json">' in html  # data, not code: CSP does not apply
    assert_strict_policy(response)
    assert_no_inline_script(html)


def test_the_swagger_ui_page_has_no_inline_script_and_its_init_script_is_a_file(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_strict_policy(response)
    assert policy(response)["img-src"] == ["'self'", "data:"]  # Swagger UI's icons
    html = response.content.decode()
    assert_no_inline_script(html)
    assert "<style" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


def test_the_redoc_page_has_no_inline_script(client):
    response = client.get("/api/redoc/")
    assert response.status_code == 200
    assert_strict_policy(response)
    html = response.content.decode()
    assert_no_inline_script(html)
    assert "<style" not in html
    assert "https://" not in html  # no web fonts or scripts from elsewhere


def template_files() -> list[Path]:
    roots = [Path(directory) for directory in settings.TEMPLATES[0]["DIRS"]]
    roots += [path for path in Path(settings.BASE_DIR).glob("*/templates") if ".venv" not in path.parts]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def test_no_template_has_inline_script_event_handlers_or_style_attributes():
    files = template_files()
    assert len(files) > 20
    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, STYLE_ATTRIBUTE):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")
    assert offenders == []


def test_the_template_check_finds_what_it_looks_for():
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert INLINE_SCRIPT.search('<script type="module">x()</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/portal.js" defer></script>')
    assert not INLINE_SCRIPT.search('<script type="application/ld+json">{}</script>')
    assert EVENT_HANDLER.search('<button onclick="go()">')
    assert STYLE_ATTRIBUTE.search('<span style="width: 5%">')
    assert not STYLE_ATTRIBUTE.search('<span class="x" data-style="y">')


# --- Cache-Control and Vary ----------------------------------------------------------------


def test_the_api_with_a_token_is_private_and_varies_on_authorization(employer_token):
    _user, secret = employer_token
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = api.get("/api/v1/me")
    assert response.status_code == 200
    assert_private(response)
    assert {"authorization", "cookie"} <= vary(response)


def test_an_api_csv_export_with_a_token_is_private(employer_token):
    user, secret = employer_token
    make_application(vacancy=published_vacancy(employer=user.employer), candidate=candidate_with_profile())
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = api.get("/api/v1/applications/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_private(response)
    assert "authorization" in vary(response)


def test_a_refused_token_is_not_cached_either():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert_private(response)


def test_an_api_error_with_a_token_keeps_the_headers(employer_token):
    _user, secret = employer_token
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    response = api.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert_private(response)
    assert {"authorization", "cookie"} <= vary(response)


def test_the_public_api_varies_on_authorization_but_may_be_cached():
    response = APIClient().get("/api/v1/vacancies")
    assert response.status_code == 200
    assert {"authorization", "cookie"} <= vary(response)
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_signed_in_api_session_is_private(client):
    client.force_login(UserFactory())
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert_private(response)


def test_the_employers_csv_export_page_is_private(client):
    user = EmployerUserFactory()
    vacancy = published_vacancy(employer=user.employer)
    make_application(vacancy=vacancy, candidate=candidate_with_profile())
    client.force_login(user)
    response = client.get(reverse("applications:employer_application_export", kwargs={"vacancy_pk": vacancy.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_private(response)


def test_the_personal_data_export_is_private(client):
    candidate = candidate_with_profile()
    client.force_login(candidate.user)
    response = client.get(reverse("my_data_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert_private(response)


def test_signed_in_pages_are_private_and_public_pages_are_not(client):
    anonymous = client.get(reverse("home"))
    assert "no-store" not in anonymous.get("Cache-Control", "")
    candidate = candidate_with_profile()
    client.force_login(candidate.user)
    for name in ("home", "accounts:account", "candidates:profile"):
        response = client.get(reverse(name))
        assert response.status_code in (200, 302), name
        assert_private(response)


# --- Cookies -------------------------------------------------------------------------------


def language_cookie(client, language: str = "en"):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    return response.cookies[settings.LANGUAGE_COOKIE_NAME]


def test_the_language_cookie_is_http_only_and_same_site_lax(client):
    cookie = language_cookie(client)
    assert cookie.value == "en"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True


def test_the_language_cookie_is_secure_with_the_production_values(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True
    cookie = language_cookie(client, "fr")
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_production_settings_make_every_cookie_secure():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({name: getattr(s, name) for name in ("
        "'LANGUAGE_COOKIE_SECURE', 'LANGUAGE_COOKIE_SAMESITE', 'LANGUAGE_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "nsp_portal.settings.production",
            "SECRET_KEY": "x7#k2!qv9-production-like-secret-key-of-sufficient-length-and-entropy-4f8a",
            "ALLOWED_HOSTS": "talent.northseaport.example",
        },
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "LANGUAGE_COOKIE_SECURE": True,
        "LANGUAGE_COOKIE_SAMESITE": "Lax",
        "LANGUAGE_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
    }

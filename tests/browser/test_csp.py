"""The Content-Security-Policy in real Chromium: the portal, the admin and the API docs (Swagger
UI, Redoc) work under it, and the browser reports no violation (an inline script or style the
policy blocked would be one). tests/test_security_headers.py checks the header itself."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.browser.conftest import DESKTOP
from tests.factories import UserFactory
from tests.workspace_helpers import published_vacancy

pytestmark = [pytest.mark.browser]

# Runs before any of the page's own scripts (injected by the browser, not subject to the page's CSP).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


@pytest.fixture
def csp_page(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    context.set_default_timeout(20_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations")


def test_swagger_ui_renders_the_schema_under_the_policy(csp_page, live_server):
    response = csp_page.goto(live_server.url + "/api/docs/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    csp_page.wait_for_selector(".swagger-ui .info .title")
    assert "NSP Talent Portal API" in csp_page.inner_text(".swagger-ui .info .title")
    csp_page.wait_for_selector(".opblock-tag")  # the operations, grouped by tag
    assert violations(csp_page) == []
    assert csp_page.js_errors == []


def test_redoc_renders_the_schema_under_the_policy(csp_page, live_server):
    response = csp_page.goto(live_server.url + "/api/redoc/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    csp_page.wait_for_selector("h1:has-text('NSP Talent Portal API')")
    csp_page.fill("input[placeholder='Search...']", "vacancies")  # the search runs in a blob: worker
    csp_page.wait_for_selector("[role=search] li, [data-role='search:results'] li, .search-results li")
    # Only Redoc's "powered by" logo on its CDN is refused: the portal loads nothing from elsewhere.
    assert [v for v in violations(csp_page) if "https://cdn.redoc.ly/" not in v] == []
    assert csp_page.js_errors == []


def test_portal_and_admin_pages_run_without_violations(csp_page, live_server, reference_data):
    vacancy = published_vacancy(title="Lasser Vlissingen")
    admin = UserFactory(email="root@example.test", is_staff=True, is_superuser=True)
    for path in ("/", reverse("vacancies:list"), reverse("vacancies:detail", kwargs={"pk": vacancy.pk})):
        csp_page.goto(live_server.url + path)
        csp_page.wait_for_load_state("networkidle")
        assert violations(csp_page) == [], path
    csp_page.goto(live_server.url + reverse("admin:login"))
    csp_page.wait_for_load_state("networkidle")
    assert csp_page.locator("#id_username").count() == 1
    assert violations(csp_page) == []
    client = Client()
    client.force_login(admin)
    csp_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    csp_page.goto(live_server.url + reverse("admin:accounts_user_changelist"))
    csp_page.wait_for_load_state("networkidle")
    assert csp_page.locator("#result_list").count() == 1
    assert violations(csp_page) == []
    assert csp_page.js_errors == []

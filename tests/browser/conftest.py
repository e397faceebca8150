"""Shared fixtures for the browser tests: real headless Chromium (Debian's) driven by Playwright.

Use them from any browser test module:

    pytestmark = [pytest.mark.browser]

    def test_something(page, live_url, login, screenshot, axe_check, reference_data):
        login("user@example.test", PASSWORD)
        page.goto(live_url("vacancies:list"))
        screenshot("vacancy-list")
        assert axe_check() == []

``page`` comes with pytest-django's ``live_server`` (and so a transactional database: every
table is flushed after the test, and the ``reference_data`` fixture loads the reference data
again). Screenshots go to ``$SCREENSHOT_DIR`` (scripts/test.sh sets ./screenshots).
"""

import io
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's password
SERIOUS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def screenshot_dir() -> Path:
    path = Path(os.environ.get("SCREENSHOT_DIR") or Path(__file__).resolve().parents[2] / "screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def pdf_bytes(pages: int = 1) -> bytes:
    """A small, valid PDF (pypdf) for CV uploads."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploads (CVs) during browser tests go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="package")
def playwright_instance():
    """Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make in
    that thread are safe (the live server runs in another one), so Django's async guard is lifted
    for the browser tests only, and restored afterwards (``manage.py check --deploy`` refuses it)."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def browser_context(browser, live_server):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # tests may assert that no script failed
    return page


@pytest.fixture
def live_url(live_server):
    """``live_url("vacancies:detail", pk=1, language="en")``: an absolute URL on the live server."""

    def build(name: str, language: str = "nl", **kwargs) -> str:
        with translation.override(language):
            return live_server.url + reverse(name, kwargs=kwargs or None)

    return build


@pytest.fixture
def login(page, live_url):
    """Log in through the real login form (and, for caseworkers and admins, the two-factor code)."""

    def do_login(email: str, password: str = PASSWORD, language: str = "nl") -> None:
        page.goto(live_url("accounts:login", language))
        page.fill("#id_username", email)
        page.fill("#id_password", password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert "/accounts/login/" not in page.url, f"login failed for {email}"
        if "/accounts/two-factor/verify/" in page.url:
            enter_totp_code(page, email)

    return do_login


def enter_totp_code(page, email: str) -> None:
    """Caseworkers and admins give their authenticator code after the password (accounts/two_factor.py):
    the code of the device the factories gave them (tests.factories.TOTP_KEY), computed as the app would."""
    from accounts.models import User
    from accounts.two_factor import confirmed_device
    from tests.factories import totp_code

    device = confirmed_device(User.objects.get(email=email))
    assert device is not None, f"{email} has no confirmed two-factor device"
    page.fill("#id_code", totp_code(device))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/two-factor/" not in page.url, f"two-factor code refused for {email}"


@pytest.fixture
def screenshot(page):
    """Save a full-page PNG to $SCREENSHOT_DIR; returns its path."""

    def take(name: str, full_page: bool = True) -> Path:
        path = screenshot_dir() / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def axe_check(page):
    """Run axe-core on the current page; returns the serious and critical violations (empty is good)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check() -> list[dict]:
        results = axe.run(page)
        return [
            {
                "page": page.url,
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [node["target"] for node in v["nodes"]][:5],
            }
            for v in results.response["violations"]
            if v["impact"] in SERIOUS
        ]

    return check

"""Two-factor authentication in real Chromium: a new caseworker sets up the authenticator app
(reading the key shown on the page, as one types it into an app), lands on the work queue, logs
out, and logs in again with a code. axe checks the set-up and the "enter your code" pages."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP

from tests.browser.conftest import PASSWORD, enter_totp_code
from tests.factories import CaseworkerFactory, service

pytestmark = [pytest.mark.browser]


def submit(page) -> None:
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def password_step(page, live_url, email: str) -> None:
    page.goto(live_url("accounts:login"))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    submit(page)


def test_new_caseworker_sets_up_the_app_then_logs_in_with_a_code(page, live_url, axe_check, screenshot, reference_data):
    caseworker = CaseworkerFactory(
        email="nieuw@uwv.example", employment_service=service("uwv"), two_factor_device=False
    )
    work_queue = live_url("workspace:work_queue")

    password_step(page, live_url, caseworker.email)
    assert "/accounts/two-factor/setup/" in page.url
    assert page.locator(".qr svg").count() == 1
    assert axe_check() == []
    screenshot("two-factor-01-setup")

    # A wrong code first: the form says so, in Dutch.
    page.fill("#id_code", "12345")
    submit(page)
    assert page.locator(".error-summary").count() == 1
    assert "6 cijfers" in page.locator(".error-summary").inner_text()

    secret = page.locator("#two-factor-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_code", f"{TOTP(key).token():06d}")
    submit(page)
    assert page.url == work_queue
    assert caseworker.totpdevice_set.filter(confirmed=True).count() == 1

    page.locator("form[action$='/accounts/logout/'] button").click()
    page.wait_for_load_state("networkidle")
    page.goto(work_queue)
    assert "/accounts/login/" in page.url

    password_step(page, live_url, caseworker.email)
    assert "/accounts/two-factor/verify/" in page.url
    assert axe_check() == []
    screenshot("two-factor-02-verify")
    enter_totp_code(page, caseworker.email)  # the next code of the same key (a code counts once)
    assert page.url == work_queue

"""The language a jobseeker chose sticks in real Chromium: after logging in again and on every page (issue 11)."""

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser]


def test_the_chosen_language_comes_back_after_login_and_on_every_page(page, live_url, login, reference_data):
    user = UserFactory(email="taal@example.test")
    login(user.email)
    page.goto(live_url("vacancies:list"))
    page.select_option("#language-select", "en")
    page.locator(".language-switcher button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/en/vacancies/" in page.url
    user.refresh_from_db()
    assert user.language == "en"

    page.context.clear_cookies()  # a new session: logged out, no language cookie
    login(user.email, language="nl")  # the Dutch login page
    assert "/en/" in page.url
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_url("vacancies:list"))  # an address without a language prefix (Dutch)
    page.wait_for_load_state("networkidle")
    assert "/en/vacancies/" in page.url
    assert page.locator("html").get_attribute("lang") == "en"

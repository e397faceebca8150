"""Employers find candidates, with consent, in real Chromium: a jobseeker opts in on the consent
page, a verified employer finds the anonymised card (a jobseeker who did not opt in never
appears), invites; the jobseeker accepts and the employer sees the full profile. Then axe-core
over every page of the feature, in Dutch and in English."""

import pytest

from talent.models import CandidateInvitation, InvitationStatus
from talent.services import invitation_respond, invitation_send
from tests.browser.conftest import DESKTOP, PASSWORD
from tests.factories import place
from tests.talent.helpers import candidate, employer_user, open_vacancy, travel_time

pytestmark = [pytest.mark.browser]


def log_in(page, live_url, email: str, language: str = "nl") -> None:
    page.goto(live_url("accounts:login", language))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url, f"login failed for {email}"


def test_an_employer_finds_an_opted_in_candidate_invites_and_sees_the_profile_after_acceptance(
    page, browser, live_url, screenshot, reference_data
):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer, title="Lasser scheepsbouw", place=place("Vlissingen"))
    travel_time("Terneuzen", "Vlissingen", "car", 30)
    seeker = candidate(findable=False, first_name="Fenna", last_name="Findbaar", home="Terneuzen")
    never = candidate(findable=False, first_name="Nooit", last_name="Zichtbaar", home="Terneuzen")

    # The jobseeker opts in on the consent page (off by default).
    log_in(page, live_url, seeker.user.email)
    page.goto(live_url("candidates:step", step="consent"))
    assert not page.locator("#id_consent_findable").is_checked()
    page.check("#id_consent_findable")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    seeker.refresh_from_db()
    assert seeker.has_findable_consent

    # The employer, in its own browser context, searches by travel time to its vacancy.
    employer_context = browser.new_context(viewport=DESKTOP, locale="nl-NL", timezone_id="Europe/Amsterdam")
    employer_page = employer_context.new_page()
    log_in(employer_page, live_url, employer.email)
    employer_page.goto(live_url("talent:candidate_search"))
    employer_page.select_option("#id_vacancy", str(vacancy.pk))
    employer_page.fill("#id_max_minutes", "45")
    employer_page.locator("main form[role=search] button[type=submit]").click()
    employer_page.wait_for_load_state("networkidle")
    results = employer_page.locator("main .result-list").inner_text()
    assert f"Kandidaat {seeker.pk}" in results
    assert f"Kandidaat {never.pk}" not in results  # never opted in: never appears
    assert "Fenna" not in employer_page.content()  # anonymised
    assert "Findbaar" not in employer_page.content()
    screenshot("talent-search")

    employer_page.click(f"text=Kandidaat {seeker.pk}")
    employer_page.wait_for_load_state("networkidle")
    assert "Terneuzen" in employer_page.locator("main").inner_text()
    employer_page.select_option("#id_vacancy", str(vacancy.pk))
    employer_page.fill("#id_message", "Wij zoeken een lasser in Vlissingen.")
    employer_page.locator("main form.decision-panel button[type=submit]").click()
    employer_page.wait_for_load_state("networkidle")
    assert "/employer/invitations/" in employer_page.url
    invitation = CandidateInvitation.objects.get(candidate=seeker, vacancy=vacancy)

    # The jobseeker sees the invitation (page and count in the nav) and accepts.
    page.goto(live_url("talent:invitation_list"))
    assert page.locator("nav .badge").first.inner_text() == "1"
    assert "Lasser scheepsbouw" in page.locator("main").inner_text()
    page.locator("main button[value=accept]").click()
    page.wait_for_load_state("networkidle")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    screenshot("talent-invitations")

    # The employer now sees the full profile: name and e-mail.
    employer_page.goto(live_url("talent:employer_invitation_list"))
    employer_page.click(f"main a:has-text('Kandidaat {seeker.pk}')")
    employer_page.wait_for_load_state("networkidle")
    profile = employer_page.locator("main").inner_text()
    assert "Fenna Findbaar" in profile
    assert seeker.user.email in profile

    # And the jobseeker applies in one click.
    page.goto(live_url("talent:invitation_list"))
    page.locator("main form[action*='/apply/'] button").click()
    page.wait_for_load_state("networkidle")
    assert "/applications/" in page.url
    assert seeker.applications.filter(vacancy=vacancy).exists()
    employer_context.close()


def test_an_unverified_employer_is_told_why(page, live_url, reference_data):
    employer = employer_user(verified=False)
    log_in(page, live_url, employer.email)
    response = page.goto(live_url("talent:candidate_search"))
    assert response.status == 403
    assert "Alleen geverifieerde werkgevers" in page.locator("main").inner_text()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_talent_pages_have_no_serious_accessibility_violations(
    page, browser, live_url, axe_check, reference_data, language
):
    employer = employer_user()
    vacancy = open_vacancy(employer.employer, title="Kraanmachinist")
    seeker = candidate(languages=[("nl", 6)])
    accepted = candidate()
    pending = invitation_send(user=employer, candidate=seeker, vacancy=vacancy, message="Interesse?")
    invitation_respond(invitation=invitation_send(user=employer, candidate=accepted, vacancy=vacancy), accept=True)
    unverified = employer_user(verified=False)
    violations: list[dict] = []

    def check(target, name: str, **kwargs) -> None:
        target.goto(live_url(name, language, **kwargs))
        target.wait_for_load_state("networkidle")
        assert target.locator("html").get_attribute("lang") == language
        assert target.locator("h1").count() == 1, target.url
        violations.extend(axe_check())

    log_in(page, live_url, employer.email, language)
    check(page, "talent:candidate_search")
    page.goto(live_url("talent:candidate_search", language) + "?max_minutes=30")  # a form error
    violations.extend(axe_check())
    check(page, "talent:candidate_card", pk=seeker.pk)
    check(page, "talent:employer_invitation_list")
    check(page, "talent:candidate_profile", pk=accepted.pk)

    page.context.clear_cookies()
    log_in(page, live_url, unverified.email, language)
    check(page, "talent:candidate_search")

    page.context.clear_cookies()
    log_in(page, live_url, seeker.user.email, language)
    check(page, "talent:invitation_list")
    assert pending.pk
    assert violations == [], violations

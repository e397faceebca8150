"""The employer's journey in real Chromium: register the company, post a STEM vacancy, get it
through moderation, invite a colleague, see an application and move it through the stages."""

import re

import pytest
from django.core import mail

from accounts.models import Employer, User
from applications.models import ApplicationStatus
from applications.services import application_create
from taxonomy.models import Occupation, Skill
from tests.browser.autocomplete import pick
from tests.browser.conftest import DESKTOP, PASSWORD, enter_totp_code
from tests.factories import CaseworkerFactory, place, service
from tests.workspace_helpers import candidate_with_profile
from vacancies.models import Vacancy, VacancyStatus

pytestmark = [pytest.mark.browser]


def click_and_wait(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state("networkidle")


def log_in(page, live_url, email: str, password: str = PASSWORD, language: str = "nl") -> None:
    page.goto(live_url("accounts:login", language))
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/login/" not in page.url
    if "/accounts/two-factor/verify/" in page.url:  # caseworkers and admins: the authenticator code
        enter_totp_code(page, email)


def test_employer_registers_posts_a_stem_vacancy_and_sees_an_application(
    page, browser, live_server, live_url, screenshot, reference_data
):
    stem_occupation = Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()
    skills = list(Skill.objects.filter(occupation_links__occupation=stem_occupation).order_by("uri")[:2])

    # 1. From the home page to the company registration.
    page.goto(live_url("home"))
    click_and_wait(page, "a[href$='/employer/signup/']")
    assert "/employer/signup/" in page.url
    screenshot("employer-01-signup")

    # 2. A wrong KvK number first: a clear error in Dutch, nothing typed is lost.
    page.fill("#id_company-legal_name", "Kanaalzone Procestechniek B.V.")
    page.select_option("#id_company-country", "NL")
    page.fill("#id_company-kvk_number", "1234")
    page.select_option("#id_company-place", str(place("Terneuzen", "NL").pk))
    page.fill("#id_user-first_name", "Els")
    page.fill("#id_user-last_name", "de Vries")
    page.fill("#id_user-email", "els@kanaalzone.example")
    page.fill("#id_user-password1", "Zeeuwse-haven-2026!")
    page.fill("#id_user-password2", "Zeeuwse-haven-2026!")
    click_and_wait(page, "main form button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "KvK" in summary.inner_text()
    assert page.input_value("#id_company-legal_name") == "Kanaalzone Procestechniek B.V."
    screenshot("employer-02-signup-error")
    page.fill("#id_company-kvk_number", "69365591")
    page.fill("#id_user-password1", "Zeeuwse-haven-2026!")
    page.fill("#id_user-password2", "Zeeuwse-haven-2026!")
    click_and_wait(page, "main form button[type=submit]")
    assert page.url.endswith("/employer/vacancies/")
    employer = Employer.objects.get(kvk_number="69365591")
    assert not employer.is_verified

    # 3. Post a STEM vacancy: the STEM flag follows the occupation.
    click_and_wait(page, "main a[href$='/employer/vacancies/new/']")
    page.fill("#id_title", "Procesoperator chemie (ploegendienst)")
    page.fill("#id_description", "Je bewaakt en stuurt het productieproces in een chemische fabriek in Sluiskil.")
    # Occupation and skills: type in any language, pick from the autocomplete (no list of all ESCO).
    pick(page, "id_occupation", stem_occupation.label_nl, stem_occupation.pk)
    for skill in skills:
        pick(page, "id_essential_skills", skill.label_nl or skill.label_en, skill.pk)
    assert skills[0].label_nl in page.inner_text("#id_essential_skills ~ .autocomplete-chosen")
    page.select_option("#id_min_eqf_level", "4")
    page.check("#id_requires_min_secondary")
    page.select_option("#id_language_nl", "4")
    page.select_option("#id_place", str(place("Sluiskil", "NL").pk))
    page.select_option("#id_contract_type", "permanent")
    page.fill("#id_hours_per_week", "38")
    page.check("#id_shift_work")
    page.fill("#id_salary_min", "3200")
    page.fill("#id_salary_max", "3000")  # wrong way round
    screenshot("employer-03-vacancy-form")
    click_and_wait(page, "button[name=intent][value=publish]")
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#id_title") == "Procesoperator chemie (ploegendienst)"
    page.fill("#id_salary_max", "3900")
    click_and_wait(page, "button[name=intent][value=publish]")
    vacancy = Vacancy.objects.get(employer=employer)
    assert vacancy.is_stem
    assert vacancy.status == VacancyStatus.IN_REVIEW
    assert f"/employer/vacancies/{vacancy.pk}/" in page.url
    screenshot("employer-04-vacancy-in-review")

    # 4. A caseworker verifies the company and publishes the vacancy (another browser).
    caseworker = CaseworkerFactory(email="moderator@uwv.example", employment_service=service("uwv"))
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    other = context.new_page()
    log_in(other, live_url, caseworker.email)
    other.goto(live_url("workspace:work_queue"))
    other.locator(f"a[href$='/workspace/employers/{employer.pk}/']").click()
    other.wait_for_load_state("networkidle")
    other.check("#id_confirm")
    other.locator("main form button[type=submit]").click()
    other.wait_for_load_state("networkidle")
    other.locator(f"a[href$='/workspace/vacancies/{vacancy.pk}/review/']").click()
    other.wait_for_load_state("networkidle")
    other.check("input[name=decision][value=approve]")
    other.locator("main form button[type=submit]").click()
    other.wait_for_load_state("networkidle")
    context.close()
    vacancy.refresh_from_db()
    employer.refresh_from_db()
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert employer.is_verified
    assert any("gepubliceerd" in m.subject or "published" in m.subject for m in mail.outbox)

    # 5. Invite a colleague; the mail has a one-time link.
    page.goto(live_url("accounts:employer_company"))
    click_and_wait(page, "main a[href$='/employer/colleagues/invite/']")
    page.fill("#id_first_name", "Jan")
    page.fill("#id_last_name", "Peeters")
    page.fill("#id_email", "jan@kanaalzone.example")
    page.select_option("#id_preferred_language", "en")
    click_and_wait(page, "main form button[type=submit]")
    assert "jan@kanaalzone.example" in page.inner_text("main")
    invitation = next(m for m in mail.outbox if m.to == ["jan@kanaalzone.example"])
    assert re.search(r"/employer/invitation/\S+/\S+/", invitation.body)
    screenshot("employer-05-company")

    # 6. A jobseeker applies; the employer sees the application with the candidate's profile.
    candidate = candidate_with_profile(first_name="Sanne", last_name="de Wolf")
    application_create(candidate=candidate, vacancy=vacancy, motivation="Ik werk al vijf jaar in ploegen.")
    page.goto(live_url("vacancies:employer_vacancy_list"))
    screenshot("employer-06-vacancy-list")
    click_and_wait(page, f"a[href$='/employer/vacancies/{vacancy.pk}/applications/']")
    assert "Sanne de Wolf" in page.inner_text("main")
    screenshot("employer-07-applications")
    page.select_option(f"#stage-{candidate.applications.get().pk}", "interview")
    click_and_wait(page, "main table form button[type=submit]")
    assert candidate.applications.get().status == ApplicationStatus.INTERVIEW
    assert any(m.to == [candidate.user.email] for m in mail.outbox)
    click_and_wait(page, "main table a[href*='/employer/applications/']")
    assert "Ik werk al vijf jaar in ploegen." in page.inner_text("main")
    screenshot("employer-08-application")
    assert page.js_errors == []
    assert User.objects.filter(employer=employer).count() == 2

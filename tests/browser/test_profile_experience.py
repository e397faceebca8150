"""A real profile in Chromium: a jobseeker adds a job (ESCO occupation through the autocomplete,
months), a phone number and a CV on the profile; the CV passes the worker's check (run eagerly
after the commit, as in the tests' settings) and is sent with one click when applying; the
employer sees the experience, the phone and the CV."""

import pytest

from applications.models import Application, CvCheck
from candidates.models import Experience
from taxonomy.models import Occupation
from tests.browser.autocomplete import pick
from tests.factories import EmployerUserFactory
from tests.pdf_helpers import WELDER_CV, text_pdf
from tests.workspace_helpers import candidate_with_profile, published_vacancy

pytestmark = [pytest.mark.browser]


def submit(page) -> None:
    page.locator("main form.card button[type=submit]").last.click()
    page.wait_for_load_state("networkidle")


def test_adding_experience_and_a_profile_cv_and_applying_with_it(
    page, live_url, login, axe_check, screenshot, reference_data, tmp_path
):
    candidate = candidate_with_profile()
    candidate.user.email = "ervaring@example.test"
    candidate.user.save(update_fields=["email"])
    vacancy = published_vacancy(title="Lasser scheepsbouw")
    employer = EmployerUserFactory(employer=vacancy.employer)
    occupation = Occupation.objects.filter(label_nl__icontains="lasser").order_by("pk").first()
    violations: list[dict] = []

    login("ervaring@example.test")
    # 1. A job on the profile page: occupation through the ESCO autocomplete, months, description.
    page.goto(live_url("candidates:profile"))
    page.locator("#experience a[href$='/profile/experience/add/']").click()
    page.wait_for_load_state("networkidle")
    violations.extend(axe_check())
    pick(page, "id_occupation", occupation.label_nl, occupation.pk)
    page.fill("#id_employer_name", "Damen Shipyards Vlissingen")
    page.select_option("#id_country", "NL")
    page.fill("#id_started_on", "2019-03")
    page.fill("#id_description", "TIG-lassen van scheepsrompsecties.")
    screenshot("profile-experience-add")
    submit(page)
    assert page.url.endswith("/profile/#experience") or "/profile/" in page.url
    job = Experience.objects.get(candidate=candidate)
    assert (job.occupation_id, job.started_on.isoformat(), job.ended_on) == (occupation.pk, "2019-03-01", None)
    assert "Damen Shipyards Vlissingen" in page.locator("#experience").inner_text()
    violations.extend(axe_check())

    # 2. The phone number on the first step, stored as E.164 and shown formatted.
    page.goto(live_url("candidates:step", step="home"))
    page.fill("#id_phone", "06 12345678")
    submit(page)
    candidate.refresh_from_db()
    assert candidate.phone == "+31612345678"

    # 3. The CV on the profile: uploaded, checked, ready.
    page.goto(live_url("candidates:profile_cv"))
    cv = tmp_path / "cv.pdf"
    cv.write_bytes(text_pdf(WELDER_CV))
    page.set_input_files("#id_cv", str(cv))
    submit(page)
    assert page.locator("[data-cv-status='passed']").count() == 1
    candidate.refresh_from_db()
    assert candidate.cv_check == CvCheck.PASSED
    violations.extend(axe_check())
    screenshot("profile-cv")

    # 4. Applying: "send the CV on my profile" is chosen already.
    page.goto(live_url("applications:apply", vacancy_pk=vacancy.pk))
    assert page.locator("input[name='cv_source'][value='profile']").is_checked()
    violations.extend(axe_check())
    page.fill("#id_motivation", "Ik las al zes jaar scheepsrompen.")
    screenshot("apply-with-profile-cv")
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    application = Application.objects.get(candidate=candidate, vacancy=vacancy)
    assert application.cv_passed
    assert application.cv.read() == candidate.cv.read()

    # 5. The employer sees the experience, the phone and the CV.
    page.context.clear_cookies()
    login(employer.email)
    page.goto(live_url("applications:employer_application_detail", pk=application.pk))
    text = page.locator("main").inner_text()
    assert "Damen Shipyards Vlissingen" in text
    assert "+31 6 12345678" in text
    assert page.locator(f"a[href$='/employer/applications/{application.pk}/cv/']").count() == 1
    screenshot("employer-sees-experience")

    assert violations == [], "\n".join(
        f"{v['impact']} {v['id']} on {v['page']}: {v['help']} {v['nodes']}" for v in violations
    )

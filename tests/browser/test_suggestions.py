"""Suggestions the user accepts, in real Chromium: the employer's vacancy form and the jobseeker's CV.

Both pages work without JavaScript (plain submit buttons, checkboxes and radio buttons); nothing
suggested reaches a vacancy or a profile without the user's tick.
"""

import pytest

from tests.factories import CandidateFactory, EmployerFactory, EmployerUserFactory, place
from tests.pdf_helpers import WELDER_CV, text_pdf
from vacancies.models import Vacancy

pytestmark = [pytest.mark.browser]


def click_and_wait(page, selector: str) -> None:
    page.locator(selector).first.click()
    page.wait_for_load_state("networkidle")


def test_employer_accepts_a_suggested_occupation_and_skills(
    page, live_url, login, screenshot, axe_check, reference_data
):
    user = EmployerUserFactory(employer=EmployerFactory(is_verified=True))
    login(user.email)
    page.goto(live_url("vacancies:employer_vacancy_create"))
    page.fill("#id_title", "Lasser TIG/MIG")
    page.fill(
        "#id_description",
        "Voor onze werkplaats in Vlissingen zoeken we een ervaren lasser. Je last constructies in staal en rvs "
        "met TIG-lassen en MIG/MAG-lassen, leest technische tekeningen en werkt veilig volgens VCA.",
    )
    page.select_option("#id_place", str(place("Vlissingen", "NL").pk))
    page.select_option("#id_contract_type", "permanent")
    page.fill("#id_hours_per_week", "38")

    click_and_wait(page, "button[name=action][value=suggest]")
    panel = page.locator("#suggestions")
    assert panel.is_visible()
    assert not Vacancy.objects.exists()  # suggesting saves nothing
    assert page.input_value("#id_title") == "Lasser TIG/MIG"  # everything typed is kept
    assert page.input_value("#id_hours_per_week") == "38"
    welder = panel.locator("li", has_text="lasser").or_(panel.locator("li", has_text="Lasser")).first
    assert welder.is_visible(), panel.inner_text()
    assert panel.locator(".suggestion-strength").first.is_visible()  # confidence in words
    assert "gevonden in de tekst" in panel.inner_text()  # the words that triggered it
    assert panel.locator("input[type=checkbox]:checked").count() == 0  # nothing pre-ticked
    screenshot("suggestions-01-employer-panel")
    assert axe_check() == []

    occupation_radio = welder.locator("input[type=radio]")
    occupation_pk = int(occupation_radio.get_attribute("value"))
    occupation_radio.check()
    skill_boxes = panel.locator("input[name=suggested_skills]")
    ticked = [int(skill_boxes.nth(i).get_attribute("value")) for i in range(2)]
    for i in range(2):
        skill_boxes.nth(i).check()
    click_and_wait(page, ".actions button[name=intent][value=save]")

    vacancy = Vacancy.objects.get(employer=user.employer)
    assert f"/employer/vacancies/{vacancy.pk}/" in page.url
    assert vacancy.occupation_id == occupation_pk
    assert set(vacancy.essential_skills.values_list("pk", flat=True)) == set(ticked)
    assert page.js_errors == []


def test_jobseeker_fills_the_profile_from_a_cv_with_two_ticks(
    page, live_url, login, screenshot, axe_check, tmp_path, reference_data
):
    candidate = CandidateFactory()
    candidate.skills.set([])
    login(candidate.user.email)
    page.goto(live_url("candidates:profile"))
    click_and_wait(page, "main a[href$='/profile/from-cv/']")
    assert "niet bewaard" in page.inner_text("main")  # the privacy note
    assert axe_check() == []

    cv = tmp_path / "cv-jan-de-smet.pdf"
    cv.write_bytes(text_pdf(WELDER_CV))
    page.set_input_files("#id_cv", str(cv))
    click_and_wait(page, "button[name=action][value=read]")
    boxes = page.locator("input[name=skills]")
    assert boxes.count() >= 2, page.inner_text("main")
    labels = page.inner_text("main").lower()
    assert "lassen" in labels or "welding" in labels or "lasser" in labels
    assert page.locator("main input[type=checkbox]:checked").count() == 0
    assert not candidate.skills.exists()  # read, not added
    screenshot("suggestions-02-cv")
    assert axe_check() == []

    ticked = [int(boxes.nth(i).get_attribute("value")) for i in range(2)]
    for i in range(2):
        boxes.nth(i).check()
    click_and_wait(page, "button[name=action][value=add]")
    assert page.url.endswith("/profile/")
    assert set(candidate.skills.values_list("pk", flat=True)) == set(ticked)
    assert not candidate.desired_occupations.exists()
    assert page.js_errors == []

"""The jobseeker's journey in real Chromium: sign up, fill the profile, find a job across the border, apply."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Employer, User
from applications.models import Application, ApplicationStatus
from candidates.models import Candidate
from taxonomy.models import Diploma, Occupation, StudyField, TravelTime
from tests.browser.autocomplete import pick
from tests.browser.conftest import PHONE, pdf_bytes
from tests.factories import EmployerFactory, VacancyFactory, place
from vacancies.models import VacancyLanguage, VacancyStatus

pytestmark = [pytest.mark.browser]


def submit(page) -> None:
    page.locator("main form.card button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def port_vacancies(reference_data):
    """A Belgian job in Zelzate (across the border for a Terneuzen resident) and a Dutch one."""
    now = timezone.now()
    terneuzen, zelzate, vlissingen = place("Terneuzen", "NL"), place("Zelzate", "BE"), place("Vlissingen", "NL")
    belgian = EmployerFactory(
        legal_name="Zelzate Steelworks NV", country="BE", kvk_number="", enterprise_number="0403.170.701", place=zelzate
    )
    occupation = Occupation.objects.filter(is_stem=True).order_by("uri").first()
    across = VacancyFactory(
        employer=belgian,
        title="Onderhoudstechnicus elektriciteit",
        place=zelzate,
        occupation=occupation,
        description="Storingen verhelpen en preventief onderhoud in een staalbedrijf aan het kanaal.",
        status=VacancyStatus.PUBLISHED,
        published_at=now - timedelta(days=2),
        expires_at=now + timedelta(days=40),
        salary_min=3100,
        salary_max=3900,
        shift_work=True,
        min_eqf_level=4,
    )
    VacancyLanguage.objects.create(vacancy=across, language="nl", min_level=4)
    VacancyFactory(
        title="Logistiek medewerker haven",
        place=vlissingen,
        status=VacancyStatus.PUBLISHED,
        published_at=now - timedelta(days=1),
        expires_at=now + timedelta(days=40),
        is_stem=False,
    )
    # Travel times come from the real commute model (loaded with the reference data):
    # Terneuzen -> Zelzate is 21 min by car, 84 by bike and 39 by public transport (bus, docs/commute.md).
    expected = {t.mode: t.minutes for t in TravelTime.objects.filter(origin=terneuzen, destination=zelzate)}
    assert expected == {"car": 21, "bike": 84, "public_transport": 39}
    return across, occupation


def test_jobseeker_signs_up_fills_the_profile_finds_a_job_across_the_border_and_applies(
    page, live_url, screenshot, port_vacancies, tmp_path
):
    vacancy, occupation = port_vacancies

    # 1. The home page, in Dutch by default, leads to sign-up.
    page.goto(live_url("home"))
    assert page.locator("html").get_attribute("lang") == "nl"
    screenshot("01-home")
    page.locator("main a[href$='/accounts/signup/']").first.click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/signup/" in page.url

    # 2. A mistake first: the passwords differ. The form says so and keeps what was typed.
    page.fill("#id_first_name", "Sanne")
    page.fill("#id_last_name", "de Wolf")
    page.fill("#id_email", "sanne@example.test")
    page.fill("#id_password1", "Kanaalzone-2026!")
    page.fill("#id_password2", "Kanaalzone-2027!")
    page.check("#id_accept_privacy")
    submit(page)
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#id_last_name") == "de Wolf"
    screenshot("02-signup-error")
    page.fill("#id_password1", "Kanaalzone-2026!")
    page.fill("#id_password2", "Kanaalzone-2026!")
    page.check("#id_accept_privacy")
    submit(page)
    assert "/profile/home/" in page.url

    # 3. Step 1: lives in Terneuzen (NL).
    terneuzen = place("Terneuzen", "NL")
    page.check("#id_country_0")
    page.fill("#id_postcode", "4531 ab")
    page.select_option("#id_home_place", str(terneuzen.pk))
    screenshot("03-profile-home")
    submit(page)
    assert "/profile/diplomas/" in page.url

    # 4. Step 2: the country filters the diplomas; the level and the minimum-secondary rule show.
    mbo4 = Diploma.objects.get(code="nl-mbo-4")
    page.select_option("#id_diploma-0-country", "NL")
    assert page.locator(
        f"#id_diploma-0-diploma option[value='{Diploma.objects.get(code='be-master').pk}']"
    ).is_disabled()
    page.select_option("#id_diploma-0-diploma", str(mbo4.pk))
    info = page.locator("[data-diploma-info]").first
    assert "EQF 4" in info.inner_text()
    assert "NLQF 4" in info.inner_text()
    page.select_option("#id_diploma-0-field", str(StudyField.objects.get(code="07").pk))
    page.fill("#id_diploma-0-year", "2018")
    screenshot("04-profile-diplomas")
    submit(page)
    assert "/profile/skills/" in page.url

    # 5. Step 3: desired occupation and skills, with autocomplete from the ESCO labels (Dutch).
    pick(page, "id_desired_occupations", occupation.label_nl, occupation.pk)
    page.fill("#id_add_skills", "lasapp")
    # wait_for_selector, not wait_for_function: polling a JS string needs eval, which the CSP refuses.
    page.wait_for_selector("#skill-options option", state="attached")
    options = page.eval_on_selector_all("#skill-options option", "els => els.map(e => e.value)")
    assert "lasapparatuur bedienen" in options
    page.fill("#id_add_skills", "lasapparatuur bedienen")
    screenshot("05-profile-skills")
    submit(page)
    assert "/profile/languages/" in page.url

    # 6. Languages, commute, availability.
    page.select_option("#id_level_nl", "6")
    page.select_option("#id_level_fr", "3")
    submit(page)
    page.check("#id_modes_0")  # car
    page.check("#id_modes_2")  # public transport
    page.fill("#id_max_commute_minutes", "30")
    submit(page)
    page.fill("#id_hours_wanted", "38")
    page.check("#id_accepts_shift_work")
    submit(page)
    assert "/profile/consent/" in page.url

    # 7. Consent, in plain words; then the overview says the profile is complete.
    page.check("#id_consent_matching")
    page.check("#id_consent_cross_border")
    screenshot("06-profile-consent")
    submit(page)
    assert page.url.endswith("/profile/")
    assert page.locator("progress").get_attribute("value") == "100"
    screenshot("07-profile-overview")

    candidate = Candidate.objects.get(user__email="sanne@example.test")
    assert candidate.home_place == terneuzen
    assert candidate.postcode == "4531 AB"
    assert candidate.diplomas.get().diploma == mbo4
    assert candidate.skills.filter(label_nl="lasapparatuur bedienen").exists()
    assert candidate.has_matching_consent
    assert candidate.has_cross_border_consent

    # 8. Search: jobs in Belgium reachable within 30 minutes from home by car.
    page.goto(live_url("vacancies:list"))
    page.select_option("#id_country", "BE")
    page.select_option("#id_mode", "car")
    page.fill("#id_max_minutes", "30")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    results = page.locator(".result-list .result")
    assert results.count() == 1
    assert vacancy.title in results.first.inner_text()
    assert "21 min" in results.first.inner_text()
    screenshot("08-search-across-the-border")

    # 9. The vacancy page: commute by each mode, the border named, frontier-work advice linked.
    results.first.locator("h2 a").click()
    page.wait_for_load_state("networkidle")
    commute = page.locator("section[aria-labelledby=commute-heading]").inner_text()
    assert "21 min" in commute
    assert "39 min" in commute
    assert "langer dan u wenst" in commute  # the bus: 39 min, her limit 30
    assert "84 min" not in commute  # the bike is not one of her modes
    assert page.locator("a[href='https://www.grensinfopunt.nl/']").count() >= 1
    assert page.locator("#frontier-heading").is_visible()
    screenshot("09-vacancy-across-the-border")
    page.set_viewport_size(PHONE)
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling
    screenshot("10-vacancy-on-a-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # 10. Apply with a motivation and a PDF CV.
    page.locator("main a[href*='/applications/apply/']").first.click()
    page.wait_for_load_state("networkidle")
    assert f"/applications/apply/{vacancy.pk}/" in page.url
    cv = tmp_path / "cv-sanne.pdf"
    cv.write_bytes(pdf_bytes())
    page.fill("#id_motivation", "Ik ben elektromonteur met MBO-4 en werk graag in ploegendienst.")
    page.set_input_files("#id_cv", str(cv))
    screenshot("11-apply")
    submit(page)
    assert "/applications/" in page.url
    screenshot("12-application-sent")

    application = Application.objects.get(candidate=candidate, vacancy=vacancy)
    assert application.status == ApplicationStatus.RECEIVED
    assert application.cv
    assert application.cv.read(5) == b"%PDF-"
    application.cv.close()

    # 11. My applications lists it with its status.
    page.goto(live_url("applications:list"))
    assert vacancy.title in page.locator("main table").inner_text()
    screenshot("13-my-applications")
    assert page.js_errors == []
    application.cv.delete(save=False)


def test_a_wrong_cv_is_refused_in_the_browser_with_a_clear_message(page, live_url, login, port_vacancies, tmp_path):
    vacancy, _ = port_vacancies
    from tests.factories import CandidateFactory

    candidate = CandidateFactory(user__email="jan@example.test")
    login("jan@example.test", language="en")
    page.goto(live_url("applications:apply", "en", vacancy_pk=vacancy.pk))
    fake = tmp_path / "cv.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 4096)
    page.fill("#id_motivation", "Motivation kept")
    page.set_input_files("#id_cv", str(fake))
    submit(page)
    assert "not a PDF file" in page.locator(".error-summary").inner_text()
    assert page.input_value("#id_motivation") == "Motivation kept"
    assert not Application.objects.filter(candidate=candidate).exists()
    assert User.objects.filter(email="jan@example.test").exists()
    assert Employer.objects.exists()

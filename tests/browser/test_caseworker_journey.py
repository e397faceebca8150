"""The caseworker's journey in real Chromium, end to end with the real worker:

an employer publishes a STEM vacancy → the worker (Celery, eager in tests) makes the shortlist
→ a UWV caseworker reviews it in the work queue, tries a rejection without a reason, then
approves the candidate → the jobseeker accepts on "my matches" → the employer sees the
candidate on the shortlist. Then the figures and, for a portal admin, "rebuild all".
"""

import pytest
from django.core import mail
from django.utils import timezone

from candidates.models import CandidateDiploma, CandidateLanguage
from matching.models import CandidateResponse, Match, MatchDecision, RebuildRun, ReviewStatus
from taxonomy.models import Diploma, Occupation, Skill
from tests.browser.autocomplete import pick
from tests.browser.conftest import DESKTOP, PASSWORD, enter_totp_code, screenshot_dir
from tests.factories import (
    CandidateFactory,
    CaseworkerFactory,
    EmployerFactory,
    EmployerUserFactory,
    UserFactory,
    place,
    service,
)
from vacancies.models import Vacancy, VacancyStatus
from workspace.figures import FIGURE_SLUGS

pytestmark = [pytest.mark.browser]


def wait(page) -> None:
    page.wait_for_load_state("networkidle")


def log_in(page, live_url, email: str, language: str = "nl") -> None:
    page.goto(live_url("accounts:login", language))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    wait(page)
    assert "/accounts/login/" not in page.url
    if "/accounts/two-factor/verify/" in page.url:  # caseworkers and admins: the authenticator code
        enter_totp_code(page, email)


def shot(page, name: str) -> None:
    """A screenshot of another user's browser page (the ``screenshot`` fixture follows ``page``)."""
    page.screenshot(path=str(screenshot_dir() / f"{name}.png"), full_page=True)


def candidate(
    *,
    email,
    first_name,
    occupation,
    skills,
    home="Terneuzen",
    country="NL",
    service_code="uwv",
    cross_border=False,
    language="nl",
):
    user = UserFactory(email=email, first_name=first_name, last_name="Kandidaat", preferred_language=language)
    person = CandidateFactory(
        user=user,
        country=country,
        home_place=place(home, country),
        employment_service=service(service_code),
        commute_by_car=True,
        max_commute_minutes=90,
        accepts_shift_work=True,
        hours_wanted=38,
        consent_cross_border_at=timezone.now() if cross_border else None,
    )
    person.desired_occupations.set([occupation])
    person.skills.set(skills)
    diploma = "nl-mbo-4" if country == "NL" else Diploma.objects.filter(country="BE", eqf_level=4).first().code
    CandidateDiploma.objects.create(candidate=person, diploma=Diploma.objects.get(code=diploma))
    CandidateLanguage.objects.create(candidate=person, language="nl", level=6)
    return person


def test_caseworker_approves_a_match_from_the_workers_shortlist_and_the_employer_sees_the_candidate(
    page, browser, live_url, screenshot, reference_data
):
    occupation = Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()
    skills = list(
        Skill.objects.filter(occupation_links__occupation=occupation, occupation_links__relation="essential").order_by(
            "uri"
        )[:3]
    )
    sanne = candidate(email="sanne@example.test", first_name="Sanne", occupation=occupation, skills=skills)
    candidate(email="pieter@example.test", first_name="Pieter", occupation=occupation, skills=skills[:1])
    # A Flemish candidate without cross-border consent: UWV must not see them.
    candidate(
        email="lotte@example.test",
        first_name="Lotte",
        occupation=occupation,
        skills=skills,
        home="Zelzate",
        country="BE",
        service_code="vdab",
    )
    boss = EmployerUserFactory(
        email="hr@sluiskil-chemie.example",
        employer=EmployerFactory(legal_name="Sluiskil Chemie B.V.", is_verified=True),
    )
    uwv = CaseworkerFactory(
        email="ria@uwv.example", first_name="Ria", last_name="Kok", employment_service=service("uwv")
    )

    # 1. The employer publishes a STEM vacancy in the browser; publishing asks the worker for a shortlist.
    log_in(page, live_url, boss.email)
    page.goto(live_url("vacancies:employer_vacancy_create"))
    page.fill("#id_title", "Operator ammoniakfabriek")
    page.fill("#id_description", "Volcontinu rooster, opleiding op de werkvloer.")
    pick(page, "id_occupation", occupation.label_nl, occupation.pk)
    for skill in skills:
        pick(page, "id_essential_skills", skill.label_nl or skill.label_en, skill.pk)
    page.select_option("#id_min_eqf_level", "3")
    page.select_option("#id_language_nl", "4")
    page.select_option("#id_place", str(place("Sluiskil", "NL").pk))
    page.select_option("#id_contract_type", "permanent")
    page.fill("#id_hours_per_week", "38")
    page.check("#id_shift_work")
    page.locator("button[name=intent][value=publish]").click()
    wait(page)
    vacancy = Vacancy.objects.get(title="Operator ammoniakfabriek")
    assert vacancy.status == VacancyStatus.PUBLISHED
    assert vacancy.is_stem
    made = Match.objects.filter(vacancy=vacancy)
    assert made.filter(candidate=sanne).exists(), "the worker made the shortlist"

    # 2. The UWV caseworker finds it in the work queue.
    cw_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    cw = cw_context.new_page()
    log_in(cw, live_url, uwv.email)
    cw.goto(live_url("workspace:work_queue"))
    assert "Operator ammoniakfabriek" in cw.inner_text("main")
    shot(cw, "caseworker-01-work-queue")
    cw.locator(f"main a[href$='/workspace/vacancies/{vacancy.pk}/shortlist/']").click()
    wait(cw)
    text = cw.inner_text("main")
    assert "Sanne Kandidaat" in text
    assert "Lotte" not in text
    assert cw.locator('.rule[aria-labelledby="rule-heading"]').is_visible()
    shot(cw, "caseworker-02-shortlist")

    # 3. A rejection without a reason is refused, in Dutch; the tick stays.
    sanne_match = made.get(candidate=sanne)
    cw.check(f"#select-{sanne_match.pk}")
    cw.check("input[name=decision][value=rejected]")
    cw.locator("fieldset.decision-panel button[type=submit]").click()
    wait(cw)
    assert cw.locator(".error-summary").is_visible()
    assert cw.is_checked(f"#select-{sanne_match.pk}")
    shot(cw, "caseworker-03-reject-error")

    # 4. Approve instead.
    cw.check("input[name=decision][value=approved]")
    cw.fill("#id_note", "Ervaren in ploegendienst.")
    cw.locator("fieldset.decision-panel button[type=submit]").click()
    wait(cw)
    sanne_match.refresh_from_db()
    assert sanne_match.review_status == ReviewStatus.APPROVED
    assert sanne_match.reviewer == uwv
    assert MatchDecision.objects.filter(match=sanne_match, reviewer=uwv).count() == 1
    assert "Ria Kok" in cw.inner_text("main")  # who decided stays visible
    assert any(m.to == ["sanne@example.test"] for m in mail.outbox)
    cw.locator(f"main a[href$='/workspace/matches/{sanne_match.pk}/']").click()
    wait(cw)
    shot(cw, "caseworker-04-match-detail")

    # 5. Nothing reaches the employer before the candidate says yes.
    page.goto(live_url("matching:employer_shortlist", pk=vacancy.pk))
    assert "Sanne" not in page.inner_text("main")

    # 6. The jobseeker accepts on "my matches".
    js_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    js = js_context.new_page()
    log_in(js, live_url, "sanne@example.test")
    js.goto(live_url("matching:my_matches"))
    assert "Operator ammoniakfabriek" in js.inner_text("main")
    js.locator("button[name=answer][value=accept]").first.click()
    wait(js)
    sanne_match.refresh_from_db()
    assert sanne_match.candidate_response == CandidateResponse.ACCEPTED
    js_context.close()
    assert any(m.to == [boss.email] for m in mail.outbox)

    # 7. The employer sees the candidate with their details.
    page.goto(live_url("matching:employer_shortlist", pk=vacancy.pk))
    text = page.inner_text("main")
    assert "Sanne Kandidaat" in text
    assert "sanne@example.test" in text
    assert "Pieter" not in text
    screenshot("caseworker-05-employer-sees-candidate")

    # 8. The figures, as charts with their numbers.
    cw.goto(live_url("workspace:figures"))
    assert cw.locator("svg[role=img]").count() == len(FIGURE_SLUGS)
    shot(cw, "caseworker-06-figures")
    cw_context.close()

    # 9. A portal admin rebuilds every shortlist and follows the progress.
    admin = UserFactory(email="admin@nsp.example", role="admin", is_staff=True, is_superuser=True)
    admin_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    ad = admin_context.new_page()
    log_in(ad, live_url, admin.email)
    ad.goto(live_url("workspace:rebuild"))
    ad.locator("main form button[type=submit]").click()
    wait(ad)
    run = RebuildRun.objects.latest("started_at")
    assert ad.locator("progress").count() == 1
    ad.wait_for_selector("progress", state="attached")  # not wait_for_function: its polling evals (CSP)
    shot(ad, "caseworker-07-rebuild")
    assert run.chunks_total >= 1
    sanne_match.refresh_from_db()
    assert sanne_match.review_status == ReviewStatus.APPROVED  # decisions survive a rebuild
    admin_context.close()
    assert page.js_errors == []

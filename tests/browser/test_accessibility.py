"""axe-core in Chromium over every page type of the jobseeker's journey, in Dutch and in English.

No serious or critical violation is allowed. Every page is also checked for a language
attribute, a single h1 and a visible skip link target.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from alerts.services import saved_search_create
from applications.models import Application
from candidates.models import CandidateDiploma, CandidateLanguage, Experience
from matching.models import Match, ReviewStatus
from taxonomy.models import Diploma, Occupation, Skill
from tests.factories import CandidateFactory, VacancyFactory, place
from vacancies.models import VacancyLanguage, VacancyStatus

pytestmark = [pytest.mark.browser]


@pytest.fixture
def journey_data(reference_data):
    now = timezone.now()
    terneuzen, zelzate = place("Terneuzen", "NL"), place("Zelzate", "BE")
    vacancy = VacancyFactory(
        title="Procesoperator ploegendienst",
        place=zelzate,
        status=VacancyStatus.PUBLISHED,
        published_at=now,
        expires_at=now + timedelta(days=30),
        salary_min=3000,
        salary_max=3600,
    )
    VacancyLanguage.objects.create(vacancy=vacancy, language="nl", min_level=4)
    applied = VacancyFactory(
        title="Lasser",
        place=terneuzen,
        status=VacancyStatus.PUBLISHED,
        published_at=now,
        expires_at=now + timedelta(days=30),
    )
    candidate = CandidateFactory(
        user__email="a11y@example.test", home_place=terneuzen, consent_cross_border_at=timezone.now()
    )
    CandidateDiploma.objects.create(candidate=candidate, diploma=Diploma.objects.get(code="nl-mbo-3"))
    CandidateLanguage.objects.create(candidate=candidate, language="nl", level=6)
    candidate.skills.set(Skill.objects.order_by("pk")[:3])
    candidate.desired_occupations.set(Occupation.objects.order_by("pk")[:1])
    # Work experience and a phone, so the profile page shows them (with the change and delete controls).
    Experience.objects.create(
        candidate=candidate,
        occupation=Occupation.objects.order_by("pk").first(),
        employer_name="Dow Benelux",
        started_on=now.date().replace(day=1, year=2019),
        description="Procesoperator in ploegendienst.",
    )
    Application.objects.create(candidate=candidate, vacancy=applied, motivation="Graag.")
    Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        score=0.77,
        engine_version="t",
        review_status=ReviewStatus.APPROVED,
        reviewed_at=now,
        explanation=[{"code": "x", "text": "Close to home"}],
    )
    # A saved search, so the job alerts page shows its table.
    saved_search_create(owner=candidate.user, name="Operator", query="q=operator", frequency="daily", language="nl")
    return vacancy


ANONYMOUS_PAGES = [
    ("home", {}),
    ("accounts:signup", {}),
    ("accounts:login", {}),
    ("accounts:password_reset", {}),
    ("vacancies:list", {}),
    ("matching:how_it_works", {}),
]
JOBSEEKER_PAGES = [
    ("candidates:profile", {}),
    *[
        ("candidates:step", {"step": step})
        for step in ("home", "diplomas", "skills", "languages", "commute", "availability", "consent")
    ],
    ("vacancies:list", {}),
    ("vacancies:detail", {"pk": "VACANCY"}),
    ("applications:apply", {"vacancy_pk": "VACANCY"}),
    ("applications:list", {}),
    ("matching:my_matches", {}),
    ("matching:why_not", {}),
    ("accounts:account", {}),
    ("alerts:list", {}),
    ("alerts:create", {}),
    ("candidates:profile_cv", {}),
    ("candidates:experience_add", {}),
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_jobseeker_pages_have_no_serious_accessibility_violations(
    page, live_url, login, axe_check, screenshot, journey_data, language
):
    vacancy = journey_data
    violations: list[dict] = []

    def check(name: str, kwargs: dict) -> None:
        kwargs = {key: (vacancy.pk if value == "VACANCY" else value) for key, value in kwargs.items()}
        page.goto(live_url(name, language, **kwargs))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language, page.url
        assert page.locator("h1").count() == 1, page.url
        assert page.locator("main#main").count() == 1
        violations.extend(axe_check())

    for name, kwargs in ANONYMOUS_PAGES:
        check(name, kwargs)
    # Error states too: a form with errors must stay accessible.
    page.goto(live_url("accounts:signup", language))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary").count() == 1
    violations.extend(axe_check())
    # The 404 page.
    response = page.goto(live_url("home", language) + "does-not-exist/")
    assert response.status == 404
    violations.extend(axe_check())

    login("a11y@example.test", language=language)
    for name, kwargs in JOBSEEKER_PAGES:
        check(name, kwargs)
    page.goto(live_url("candidates:step", language, step="skills"))
    page.locator("main form.card button[type=submit]").click()  # skills kept; passes
    page.goto(live_url("candidates:step", language, step="availability"))
    page.fill("#id_hours_wanted", "")
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary").count() == 1
    violations.extend(axe_check())
    screenshot(f"a11y-profile-error-{language}")

    assert violations == [], "\n".join(
        f"{v['impact']} {v['id']} on {v['page']}: {v['help']} {v['nodes']}" for v in violations
    )

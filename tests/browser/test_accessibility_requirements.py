"""axe-core over the employer's vacancy page with the requirement panel, in Dutch and English,
before and after "Compute again"."""

import pytest

from matching import shortlists
from taxonomy.models import Occupation, Skill
from tests.factories import EmployerUserFactory
from tests.matching.conftest import make_candidate, make_vacancy

pytestmark = [pytest.mark.browser]


@pytest.fixture
def world(reference_data):
    # As tests/matching/conftest.py's fixtures: a STEM occupation and its essential skills.
    occupation = Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()
    occupation_skills = list(
        Skill.objects.filter(occupation_links__occupation=occupation, occupation_links__relation="essential").order_by(
            "uri"
        )[:4]
    )
    make_candidate(occupation=occupation, skills=occupation_skills)
    make_candidate(occupation=occupation, skills=occupation_skills[:-1])
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
    boss = EmployerUserFactory(email="baas-eisen@example.test", employer=vacancy.employer)
    return {"vacancy": vacancy, "boss": boss}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_requirement_panel_has_no_serious_axe_violations(page, live_url, login, axe_check, world, language):
    login(world["boss"].email, language=language)
    page.goto(live_url("vacancies:employer_vacancy_detail", language, pk=world["vacancy"].pk))
    panel = page.locator("#requirements")
    assert panel.locator("tbody tr").count() >= 2  # skills, language, nearby sites
    violations = axe_check()
    panel.locator("form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("#requirements")
    violations += axe_check()
    assert violations == []

"""The occupation/skill autocomplete in real Chromium: on the search page a French word finds the
Dutch skill, picking it filters the vacancies; in the jobseeker's profile the desired occupation is
picked the same way (static/js/autocomplete.js over /api/v1/*/autocomplete)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from candidates.models import Candidate
from taxonomy.models import Occupation, Skill
from tests.browser.autocomplete import pick
from tests.factories import CandidateFactory, VacancyFactory
from vacancies.models import VacancyStatus

pytestmark = [pytest.mark.browser]


def test_search_page_skill_filter_by_autocomplete(page, live_url, reference_data):
    tig = Skill.objects.get(label_en="perform tungsten inert gas welding")
    now = timezone.now()
    common = {"status": VacancyStatus.PUBLISHED, "published_at": now - timedelta(days=1)}
    welding = VacancyFactory(title="Medewerker staalbouw", expires_at=now + timedelta(days=9), **common)
    welding.essential_skills.add(tig)
    VacancyFactory(title="Boekhouder", expires_at=now + timedelta(days=9), **common)
    page.goto(live_url("vacancies:list", "fr"))
    page.fill("#id_skill_search", "souder en TIG")
    listbox = page.get_attribute("#id_skill_search", "aria-controls")
    page.wait_for_selector(f"#{listbox} li[data-id='{tig.pk}']")
    assert page.inner_text(f"#{listbox} li[data-id='{tig.pk}']").startswith(tig.label_fr)  # shown in French
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value("#id_skill") == str(tig.pk)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    titles = page.locator(".result-list").inner_text()
    assert "Medewerker staalbouw" in titles
    assert "Boekhouder" not in titles
    # The chosen skill stays in the form after the search, and the page lists no vocabulary.
    assert page.input_value("#id_skill_search") == tig.label_fr
    assert page.eval_on_selector_all("#id_skill option", "options => options.length") == 2  # empty + chosen


def test_jobseeker_picks_a_desired_occupation_by_autocomplete(page, live_url, login, reference_data):
    candidate = CandidateFactory()
    welder = Occupation.objects.get(label_en="welder")
    login(candidate.user.email)
    page.goto(live_url("candidates:step", step="skills"))
    pick(page, "id_desired_occupations", "soudeur", welder.pk)  # a French word, the Dutch page
    assert "lasser" in page.inner_text("#id_desired_occupations ~ .autocomplete-chosen")
    page.fill("#id_add_skills", "lasapparatuur bedienen")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    assert list(Candidate.objects.get(pk=candidate.pk).desired_occupations.all()) == [welder]

"""The vacancy form's "suggest occupation and skills" step: suggestions shown, only ticked ones applied."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from taxonomy.models import Occupation, Skill
from tests.factories import EmployerFactory, EmployerUserFactory
from tests.vacancies.test_views_employer import vacancy_post
from tests.workspace_helpers import published_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db

WELDER_TITLE = "Lasser TIG/MIG"
WELDER_TEXT = (
    "Voor onze werkplaats in Vlissingen zoeken we een ervaren lasser. Je last constructies in staal en rvs "
    "met TIG-lassen en MIG/MAG-lassen, leest technische tekeningen en werkt veilig volgens VCA."
)


def url(name: str = "employer_vacancy_create", language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"vacancies:{name}", kwargs=kwargs or None)


@pytest.fixture
def employer_user(client):
    user = EmployerUserFactory(employer=EmployerFactory(is_verified=True))
    client.force_login(user)
    return user


def suggest(client, **overrides):
    data = vacancy_post(title=WELDER_TITLE, description=WELDER_TEXT, action="suggest", **overrides)
    data.pop("intent")
    return client.post(url(), data)


def test_suggest_keeps_everything_typed_saves_nothing_and_shows_no_errors(client, employer_user):
    response = suggest(client, place="", occupation="", essential_skills=[], optional_skills=[])
    assert response.status_code == 200
    assert not Vacancy.objects.exists()
    form = response.context["form"]
    assert not form.errors  # the place is missing, but suggesting is not saving
    page = response.content.decode()
    assert WELDER_TEXT in page
    assert f'value="{WELDER_TITLE}"' in page
    assert 'name="suggestions_shown"' in page


def test_the_welding_text_suggests_a_welding_occupation_and_skills_with_reasons(client, employer_user):
    response = suggest(client, occupation="", essential_skills=[], optional_skills=[])
    panel = response.context["suggestions"]
    occupations = " ".join(f"{row.concept.label_nl} {row.concept.label_en}".lower() for row in panel["occupations"])
    assert "lasser" in occupations or "welder" in occupations, occupations
    assert panel["skills"], "no skill suggested"
    top = panel["occupations"][0]
    assert top.strength in ("sterk", "waarschijnlijk", "mogelijk")  # in words, in the user's language
    assert top.triggers
    page = response.content.decode()
    assert top.strength in page
    assert f'id="id_suggested_occupation_{top.pk}"' in page
    ticks = re.findall(r'<input[^>]*name="suggested_(?:skills|occupation)"[^>]*>', page)
    assert len(ticks) == 1 + len(panel["occupations"]) + len(panel["skills"])
    # Nothing pre-ticked: only "keep the occupation chosen above" (value="") is checked.
    assert [tick for tick in ticks if "checked" in tick] == [ticks[0]]
    assert 'value=""' in ticks[0]


def test_skills_already_chosen_are_not_suggested_again(client, employer_user):
    first = suggest(client, occupation="", essential_skills=[], optional_skills=[]).context["suggestions"]
    chosen = first["skills"][0].concept
    again = suggest(client, occupation="", essential_skills=[chosen.pk], optional_skills=[]).context["suggestions"]
    assert chosen.pk not in {row.pk for row in again["skills"]}


def test_saving_without_a_tick_applies_no_suggestion(client, employer_user):
    chosen_occupation = Occupation.objects.order_by("uri").first()
    chosen_skill = Skill.objects.order_by("uri").first()
    data = vacancy_post(
        title=WELDER_TITLE,
        description=WELDER_TEXT,
        occupation=chosen_occupation.pk,
        essential_skills=[chosen_skill.pk],
        optional_skills=[],
        suggestions_shown="1",
        suggested_occupation="",
    )
    response = client.post(url(), data)
    assert response.status_code == 302
    vacancy = Vacancy.objects.get()
    assert vacancy.occupation == chosen_occupation
    assert list(vacancy.essential_skills.all()) == [chosen_skill]


def test_ticked_suggestions_are_applied_when_the_vacancy_is_saved(client, employer_user):
    accepted_occupation = Occupation.objects.order_by("-uri").first()
    accepted_skills = list(Skill.objects.order_by("-uri")[:2])
    own_skill = Skill.objects.order_by("uri").first()
    data = vacancy_post(
        title=WELDER_TITLE,
        description=WELDER_TEXT,
        occupation="",  # none chosen in the list: the ticked suggestion is the occupation
        essential_skills=[own_skill.pk],
        optional_skills=[],
        suggestions_shown="1",
        suggested_occupation=accepted_occupation.pk,
        suggested_skills=[s.pk for s in accepted_skills],
    )
    response = client.post(url(), data)
    assert response.status_code == 302, response.context["form"].errors
    vacancy = Vacancy.objects.get()
    assert vacancy.occupation == accepted_occupation
    assert set(vacancy.essential_skills.all()) == {own_skill, *accepted_skills}


def test_a_ticked_skill_already_nice_to_have_stays_nice_to_have(client, employer_user):
    skill = Skill.objects.order_by("uri")[3]
    data = vacancy_post(essential_skills=[], optional_skills=[skill.pk], suggested_skills=[skill.pk])
    assert client.post(url(), data).status_code == 302
    vacancy = Vacancy.objects.get()
    assert list(vacancy.optional_skills.all()) == [skill]
    assert not vacancy.essential_skills.exists()


def test_no_occupation_and_no_tick_is_still_an_error(client, employer_user):
    response = client.post(url(), vacancy_post(occupation=""))
    assert response.status_code == 200
    assert "occupation" in response.context["form"].errors
    assert not Vacancy.objects.exists()


def test_ticks_survive_a_save_with_errors(client, employer_user):
    ticked = Skill.objects.order_by("-uri").first()
    data = vacancy_post(
        title=WELDER_TITLE,
        description=WELDER_TEXT,
        salary_min="4000",
        salary_max="3000",  # wrong way round
        suggestions_shown="1",
        suggested_skills=[ticked.pk],
    )
    response = client.post(url(), data)
    assert response.status_code == 200
    assert not Vacancy.objects.exists()
    panel = response.context["suggestions"]
    assert ticked.pk in panel["ticked_skills"]
    assert ticked.pk in {row.pk for row in panel["skills"]}
    assert f'value="{ticked.pk}" id="id_suggested_skills_{ticked.pk}" checked' in response.content.decode()


def test_an_unknown_suggestion_is_a_form_error(client, employer_user):
    response = client.post(url(), vacancy_post(suggestions_shown="1", suggested_skills=["999999999"]))
    assert response.status_code == 200
    assert "suggested_skills" in response.context["form"].errors
    assert not Vacancy.objects.exists()


def test_suggest_on_the_edit_page_changes_nothing_until_saved(client, employer_user):
    vacancy = published_vacancy(employer=employer_user.employer, title="Oude titel")
    skills_before = set(vacancy.essential_skills.all())
    data = vacancy_post(title=WELDER_TITLE, description=WELDER_TEXT, action="suggest")
    data.pop("intent")
    response = client.post(url("employer_vacancy_update", pk=vacancy.pk), data)
    assert response.status_code == 200
    assert response.context["suggestions"] is not None
    vacancy.refresh_from_db()
    assert vacancy.title == "Oude titel"
    assert set(vacancy.essential_skills.all()) == skills_before

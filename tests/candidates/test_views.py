"""The jobseeker's profile in steps: each step saves through the services, bad input re-renders clearly."""

import pytest
from django.urls import reverse
from django.utils import translation

from candidates.models import Candidate, ConsentEvent
from taxonomy.models import Diploma, Occupation, OccupationSkill, Skill, StudyField
from tests.factories import CandidateFactory, CaseworkerFactory, EmployerUserFactory, UserFactory, place

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def step_url(step: str, language: str = "en") -> str:
    return url("candidates:step", language, step=step)


@pytest.fixture
def jobseeker(client):
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def candidate(client):
    candidate = CandidateFactory()
    client.force_login(candidate.user)
    return candidate


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("candidates:profile", {}),
        ("candidates:step", {"step": "home"}),
        ("candidates:skills_json", {}),
    ],
)
def test_anonymous_is_sent_to_login(client, name, kwargs):
    response = client.get(url(name, **kwargs))
    assert response.status_code == 302
    assert url("accounts:login") in response["Location"]


@pytest.mark.parametrize("factory", [EmployerUserFactory, CaseworkerFactory])
def test_other_roles_get_403(client, factory):
    client.force_login(factory())
    assert client.get(url("candidates:profile")).status_code == 403
    assert client.get(step_url("diplomas")).status_code == 403
    response = client.post(step_url("home"), {"country": "NL", "home_place": place("Terneuzen").pk})
    assert response.status_code == 403
    assert not Candidate.objects.exists()


def test_unknown_step_is_404(client, candidate):
    assert client.get(step_url("nonsense")).status_code == 404


def test_later_steps_wait_for_the_first(client, jobseeker):
    response = client.get(step_url("skills"))
    assert response.status_code == 302
    assert response["Location"] == step_url("home")


# --- step 1: where you live ------------------------------------------------------------------------


def test_home_step_creates_the_profile_for_a_dutch_resident(client, jobseeker):
    response = client.post(
        step_url("home"), {"country": "NL", "postcode": "4531ab", "home_place": place("Terneuzen", "NL").pk}
    )
    assert response.status_code == 302
    assert response["Location"] == step_url("diplomas")
    candidate = Candidate.objects.get(user=jobseeker)
    assert candidate.postcode == "4531 AB"
    assert candidate.home_place.name == "Terneuzen"
    assert candidate.employment_service.code == "uwv"


def test_belgian_postcode_finds_the_place(client, jobseeker):
    response = client.post(step_url("home"), {"country": "BE", "postcode": "9060"})
    assert response.status_code == 302
    candidate = Candidate.objects.get(user=jobseeker)
    assert candidate.home_place.name == "Zelzate"
    assert candidate.employment_service.code == "vdab"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "country", "Choose the country where you live."),
        ({"country": "NL"}, "home_place", "Choose the place where you live."),
        ({"country": "NL", "postcode": "12345", "home_place": "PLACE_NL"}, "postcode", "4531 AB"),
        ({"country": "NL", "home_place": "PLACE_BE"}, "home_place", "not in the Netherlands"),
        ({"country": "BE", "postcode": "0123"}, "postcode", "4 digits"),
        ({"country": "BE", "postcode": "9999"}, "postcode", "We do not know the Belgian postcode 9999"),
        ({"country": "BE"}, "postcode", "Give your postcode"),
    ],
)
def test_home_step_errors_are_clear(client, jobseeker, data, field, message):
    data = {
        k: (place("Terneuzen", "NL").pk if v == "PLACE_NL" else place("Zelzate", "BE").pk if v == "PLACE_BE" else v)
        for k, v in data.items()
    }
    response = client.post(step_url("home"), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "error-summary" in response.content.decode()
    assert not Candidate.objects.filter(user=jobseeker).exists()


def test_home_step_updates_an_existing_profile(client, candidate):
    client.post(step_url("home"), {"country": "BE", "postcode": "9060"})
    candidate.refresh_from_db()
    assert candidate.country == "BE"
    assert candidate.home_place.name == "Zelzate"


# --- step 2: diplomas --------------------------------------------------------------------------------


def diploma_data(rows: list[dict]) -> dict:
    data = {
        "diploma-TOTAL_FORMS": str(len(rows)),
        "diploma-INITIAL_FORMS": "0",
        "diploma-MIN_NUM_FORMS": "0",
        "diploma-MAX_NUM_FORMS": "6",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"diploma-{index}-{key}"] = value
    return data


def test_diplomas_step_saves_diplomas_with_field_and_year(client, candidate):
    mbo = Diploma.objects.get(code="nl-mbo-4")
    engineering = StudyField.objects.get(code="07")
    response = client.post(
        step_url("diplomas"),
        diploma_data(
            [
                {"country": "NL", "diploma": mbo.pk, "field": engineering.pk, "year": "2019"},
                {"country": "", "diploma": "", "field": "", "year": ""},
            ]
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == step_url("skills")
    row = candidate.diplomas.get()
    assert (row.diploma, row.field, row.year) == (mbo, engineering, 2019)
    page = client.get(url("candidates:profile")).content.decode()
    assert "EQF 4" in page
    assert "NLQF 4" in page
    assert "startkwalificatie" in page


def test_diploma_page_shows_levels_and_the_minimum_secondary_rule(client, candidate):
    page = client.get(step_url("diplomas")).content.decode()
    assert 'data-country="BE"' in page
    assert 'data-minsec="1"' in page
    assert "VKS 4" in page
    assert "NLQF 2" in page


def test_empty_diploma_step_asks_for_one(client, candidate):
    response = client.post(
        step_url("diplomas"), diploma_data([{"country": "", "diploma": "", "field": "", "year": ""}])
    )
    assert response.status_code == 200
    assert "Choose at least one diploma" in response.content.decode()


def test_diploma_of_another_country_than_chosen_is_refused(client, candidate):
    flemish = Diploma.objects.get(code="be-so-aso-tso-kso")
    response = client.post(
        step_url("diplomas"), diploma_data([{"country": "NL", "diploma": flemish.pk, "field": "", "year": ""}])
    )
    assert response.status_code == 200
    assert "not from the country you chose" in response.content.decode()


def test_diploma_step_filters_by_country_without_javascript(client, candidate):
    # Issue 11: the filter was the script's only; a plain form submit now narrows each row too.
    page = client.get(step_url("diplomas")).content.decode()
    assert '<noscript><p><button type="submit" name="show_diplomas"' in page
    flemish = Diploma.objects.get(code="be-so-aso-tso-kso")
    data = diploma_data([{"country": "BE", "diploma": "", "field": "", "year": ""}])
    response = client.post(step_url("diplomas"), {**data, "show_diplomas": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{flemish.pk}" data-country="BE"' in body
    assert 'data-country="NL"' not in body  # only Belgian diplomas to choose from
    assert "Choose at least one diploma" not in body  # narrowing is not saving
    assert not candidate.diplomas.exists()
    # Choosing one then saves as usual.
    data = diploma_data([{"country": "BE", "diploma": flemish.pk, "field": "", "year": ""}])
    assert client.post(step_url("diplomas"), data).status_code == 302
    assert candidate.diplomas.get().diploma == flemish


def test_diploma_year_out_of_range_is_refused(client, candidate):
    mbo = Diploma.objects.get(code="nl-mbo-2")
    response = client.post(
        step_url("diplomas"), diploma_data([{"country": "NL", "diploma": mbo.pk, "field": "", "year": "1800"}])
    )
    assert response.status_code == 200
    assert not candidate.diplomas.exists()


# --- step 3: occupations and skills ---------------------------------------------------------------------


def test_skills_step_adds_skills_by_label_in_any_language(client, candidate):
    welding = Skill.objects.get(label_en="operate welding equipment")
    occupation = Occupation.objects.filter(is_stem=True).first()
    response = client.post(
        step_url("skills"),
        {"desired_occupations": [occupation.pk], "add_skills": f"{welding.label_nl}; show initiative"},
    )
    assert response.status_code == 302
    assert set(candidate.skills.values_list("label_en", flat=True)) == {"operate welding equipment", "show initiative"}
    assert list(candidate.desired_occupations.all()) == [occupation]


def test_skills_step_suggests_the_essential_skills_of_the_chosen_occupations(client, candidate):
    link = OccupationSkill.objects.filter(relation="essential").select_related("skill", "occupation").first()
    candidate.desired_occupations.set([link.occupation])
    page = client.get(step_url("skills")).content.decode()
    assert link.skill.label_en in page


def test_skills_step_unticking_removes_a_skill(client, candidate):
    keep, drop = Skill.objects.order_by("pk")[:2]
    candidate.skills.set([keep, drop])
    client.post(step_url("skills"), {"skills": [keep.pk]})
    assert list(candidate.skills.all()) == [keep]


def test_unknown_skill_without_any_likeness_says_so_clearly(client, candidate):
    response = client.post(step_url("skills"), {"add_skills": "zzzz-unknown"})
    assert response.status_code == 200
    assert "We do not know the skill “zzzz-unknown”" in response.content.decode()
    assert "Try a shorter or another word" in response.content.decode()


def test_an_unknown_term_gives_suggestions_and_the_rest_of_the_step_is_saved(client, candidate):
    # Issue 11: a typo ("lasaparatuur") used to refuse the whole step, occupations included.
    occupation = Occupation.objects.filter(is_stem=True).first()
    initiative = Skill.objects.get(label_en="show initiative")
    response = client.post(
        step_url("skills"),
        {"desired_occupations": [occupation.pk], "add_skills": "show initiative; lasaparatuur bedienen"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "We do not know the skill “lasaparatuur bedienen”" in body
    assert "Perhaps you mean" in body
    welding = Skill.objects.get(label_en="operate welding equipment")
    assert f'value="{welding.pk}"' in body  # offered as a checkbox to tick
    assert list(candidate.desired_occupations.all()) == [occupation]
    assert list(candidate.skills.all()) == [initiative]
    assert f'<option value="{occupation.pk}" selected>' in body  # the chosen occupation is still there
    # Ticking the suggestion and sending again goes on to the next step.
    response = client.post(
        step_url("skills"),
        {"desired_occupations": [occupation.pk], "skills": [initiative.pk, welding.pk], "add_skills": ""},
    )
    assert response.status_code == 302
    assert set(candidate.skills.all()) == {initiative, welding}


def test_the_skills_step_gives_one_instruction_for_typing_and_picking(client, candidate):
    body = client.get(step_url("skills")).content.decode()
    assert body.count("Type a few letters in any language and pick one or more from the list") == 2


def test_ambiguous_skill_offers_the_matches_to_tick(client, candidate):
    response = client.post(step_url("skills"), {"add_skills": "welding"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Several skills match" in body
    assert "apply arc welding techniques" in body  # now a checkbox to tick, without JavaScript


def test_empty_skills_step_asks_for_a_skill(client, candidate):
    response = client.post(step_url("skills"), {})
    assert response.status_code == 200
    assert "Add at least one skill" in response.content.decode()


def test_skill_autocomplete_answers_in_the_users_language(client, candidate):
    data = client.get(url("candidates:skills_json", "nl") + "?q=lasapp").json()
    assert {"lasapparatuur bedienen"} <= {row["label"] for row in data["results"]}
    data = client.get(url("candidates:skills_json", "fr") + "?q=lasapp").json()
    assert "utiliser des équipements de soudage" in {row["label"] for row in data["results"]}
    assert client.get(url("candidates:skills_json") + "?q=a").json() == {"results": []}


# --- steps 4–6 ---------------------------------------------------------------------------------------


def test_languages_step(client, candidate):
    response = client.post(step_url("languages"), {"level_nl": "6", "level_fr": "3", "level_en": "", "level_de": ""})
    assert response.status_code == 302
    assert sorted(candidate.languages.values_list("language", "level")) == [("fr", 3), ("nl", 6)]


def test_empty_languages_step_is_refused(client, candidate):
    response = client.post(step_url("languages"), {"level_nl": "", "level_fr": "", "level_en": "", "level_de": ""})
    assert response.status_code == 200
    assert "at least one language" in response.content.decode()


def test_bad_language_level_is_refused(client, candidate):
    response = client.post(step_url("languages"), {"level_nl": "9"})
    assert response.status_code == 200
    assert "level_nl" in response.context["form"].errors


def test_commute_step(client, candidate):
    response = client.post(step_url("commute"), {"modes": ["bike", "public_transport"], "max_commute_minutes": "45"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.commute_modes == ["bike", "public_transport"]
    assert candidate.max_commute_minutes == 45


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "modes"),
        ({"modes": ["car"], "max_commute_minutes": "500"}, "max_commute_minutes"),
        ({"modes": ["plane"], "max_commute_minutes": "30"}, "modes"),
    ],
)
def test_commute_step_errors(client, candidate, data, field):
    response = client.post(step_url("commute"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_availability_step(client, candidate):
    response = client.post(
        step_url("availability"), {"available_from": "2027-01-04", "hours_wanted": "32", "accepts_shift_work": ""}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert str(candidate.available_from) == "2027-01-04"
    assert candidate.hours_wanted == 32
    assert not candidate.accepts_shift_work


def test_empty_availability_step_asks_for_hours(client, candidate):
    response = client.post(step_url("availability"), {})
    assert response.status_code == 200
    assert "how many hours" in response.content.decode()


# --- step 7: consent ------------------------------------------------------------------------------------


def test_consent_can_be_given_and_withdrawn_with_history(client, candidate):
    client.post(step_url("consent"), {"consent_matching": "on", "consent_cross_border": "on"})
    candidate.refresh_from_db()
    assert candidate.has_matching_consent
    assert candidate.has_cross_border_consent
    client.post(step_url("consent"), {"consent_matching": "on"})
    candidate.refresh_from_db()
    assert candidate.has_matching_consent
    assert not candidate.has_cross_border_consent
    events = list(ConsentEvent.objects.filter(candidate=candidate).order_by("at", "id").values_list("kind", "given"))
    assert events[-1] == ("cross_border", False)
    page = client.get(step_url("consent")).content.decode()
    assert "withdrawn" in page


# --- the overview and its completeness ------------------------------------------------------------------


def test_profile_overview_lists_what_is_missing(client, jobseeker):
    client.post(step_url("home"), {"country": "NL", "home_place": place("Terneuzen", "NL").pk})
    page = client.get(url("candidates:profile")).content.decode()
    assert "No diploma" in page
    assert "No skills" in page
    assert "not agreed to be matched" in page
    assert "No home place" not in page


def test_complete_profile_says_so(client, candidate):
    candidate.diplomas.create(diploma=Diploma.objects.get(code="nl-mbo-3"))
    candidate.skills.set(Skill.objects.all()[:2])
    candidate.desired_occupations.set(Occupation.objects.all()[:1])
    candidate.languages.create(language="nl", level=6)
    response = client.get(url("candidates:profile"))
    assert response.context["completeness"].is_complete
    assert "100%" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("nl", "Vertel ons hoeveel uur per week u wilt werken."),
        ("fr", "Indiquez combien d’heures par semaine vous voulez travailler."),
    ],
)
def test_empty_step_errors_are_in_the_users_language(client, candidate, language, text):
    response = client.post(step_url("availability", language), {})
    assert response.status_code == 200
    assert text in response.content.decode()

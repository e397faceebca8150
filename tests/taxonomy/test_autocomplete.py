"""Autocomplete over every ESCO label in every language (taxonomy.selectors, /api/v1/*/autocomplete),
answered from the trigram index, and the widgets that use it instead of <select>s of the whole
vocabulary (taxonomy/widgets.py)."""

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from candidates.forms import SkillsForm
from taxonomy.models import Occupation, Skill, SkillLabel
from taxonomy.selectors import occupation_autocomplete, skill_autocomplete
from tests.factories import EmployerUserFactory

pytestmark = pytest.mark.django_db


def answer(kind: str, query: str, lang: str = "nl") -> list[dict]:
    response = APIClient().get(f"/api/v1/{kind}/autocomplete", {"q": query, "lang": lang})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_dutch_skill_word_finds_tig_welding_labelled_in_the_users_language():
    tig = Skill.objects.get(label_en="perform tungsten inert gas welding")
    nl = answer("skills", "lassen", "nl")
    assert tig.pk in [row["id"] for row in nl]
    assert next(row for row in nl if row["id"] == tig.pk)["label"] == tig.label_nl
    fr = answer("skills", "tig lassen", "fr")  # several words: every one must match a label
    assert fr[0]["id"] == tig.pk
    assert fr[0]["label"] == tig.label_fr


def test_an_occupation_answers_to_its_labels_in_three_languages():
    welder = Occupation.objects.get(label_en="welder")
    for query in ("soudeur", "welder", "lasser", "Lässer"):
        rows = answer("occupations", query, "nl")
        assert welder.pk in [row["id"] for row in rows], query
    row = next(row for row in answer("occupations", "soudeur", "en") if row["id"] == welder.pk)
    assert row["label"] == "welder"
    assert row["matched_language"] == "fr"


def test_flemish_and_netherlands_names_reach_the_same_occupation():
    kine = {row["id"] for row in answer("occupations", "kinesitherapeut")}
    fysio = {row["id"] for row in answer("occupations", "fysiotherapeut")}
    assert kine & fysio


def test_port_relevant_concepts_come_first():
    rows = answer("occupations", "operator")
    flags = [row["is_port_relevant"] for row in rows]
    assert flags == sorted(flags, reverse=True)
    assert flags[0] is True


def test_accents_fold_and_short_or_bad_queries_are_handled():
    assert [h.id for h in occupation_autocomplete(query="lässer")] == [
        h.id for h in occupation_autocomplete(query="lasser")
    ]
    assert skill_autocomplete(query="a") == []
    assert answer("skills", "zzzzqq") == []
    assert APIClient().get("/api/v1/skills/autocomplete").json() == {"results": []}
    response = APIClient().get("/api/v1/skills/autocomplete", {"q": "lassen", "lang": "xx"})
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_two_queries_whatever_the_number_of_answers(django_assert_num_queries):
    with django_assert_num_queries(2):  # the matching labels, the concepts
        many = answer("skills", "las")
    with django_assert_num_queries(2):
        one = answer("skills", "tig lassen")
    assert len(many) > len(one) >= 1


def test_the_label_search_is_served_by_the_trigram_index():
    rows = SkillLabel.objects.filter(search_form__contains="lass")
    compiled, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + compiled, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "skilllabel_search_trgm" in plan


# --- the widgets ---------------------------------------------------------------------------------------


def test_search_page_renders_no_list_of_the_vocabulary(client):
    tig = Skill.objects.get(label_en="perform tungsten inert gas welding")
    with translation.override("en"):
        response = client.get(reverse("vacancies:list") + f"?skill={tig.pk}")
    html = response.content.decode()
    assert 'data-autocomplete-url="/api/v1/skills/autocomplete"' in html
    assert 'data-autocomplete-url="/api/v1/occupations/autocomplete"' in html
    assert f'<option value="{tig.pk}" selected>{tig.label_en}</option>' in html
    assert html.count("<option") < 600  # places, modes, levels; never 3,000 occupations or 13,900 skills
    assert 'src="/static/js/autocomplete.js"' in html


def test_employer_form_renders_only_the_chosen_occupation_and_skills(client):
    user = EmployerUserFactory()
    client.force_login(user)
    with translation.override("en"):
        response = client.get(reverse("vacancies:employer_vacancy_create"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-autocomplete-url="/api/v1/skills/autocomplete"') == 2
    assert 'data-autocomplete-url="/api/v1/occupations/autocomplete"' in html
    assert html.count("<option") < 600


def test_jobseeker_occupation_field_renders_only_the_chosen_ones():
    welder = Occupation.objects.get(label_en="welder")
    with translation.override("nl"):
        html = str(SkillsForm(initial={"desired_occupations": [welder.pk]})["desired_occupations"])
    assert html.count("<option") == 1
    assert "lasser" in html
    assert 'data-autocomplete-url="/api/v1/occupations/autocomplete"' in html

"""Free-text and skill search over vacancies (vacancies/search.py, vacancies/filters.py).

Each rule on the search page AND the API (one FilterSet), over the real reference data: words
meet across nl/fr/en through the occupation's and the skills' ESCO labels, a query of several
words is an AND, accents fold; the stored vector is what PostgreSQL searches (no to_tsvector per
row); the SQLite fallback runs in a real SQLite database in a subprocess.
"""

import io
import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from taxonomy.models import Occupation, Skill
from tests.factories import EmployerFactory, VacancyFactory
from vacancies.filters import VacancyFilter
from vacancies.models import Vacancy, VacancyStatus
from vacancies.search import query_terms, search_vacancies
from vacancies.selectors import vacancy_list_public
from vacancies.services import vacancy_update

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def occupation(label_en: str) -> Occupation:
    return Occupation.objects.get(label_en=label_en)


def skill(label_en: str) -> Skill:
    return Skill.objects.get(label_en=label_en)


def published(*, skills=(), optional=(), **fields) -> Vacancy:
    now = timezone.now()
    fields.setdefault("published_at", now - timedelta(days=1))
    fields.setdefault("expires_at", now + timedelta(days=30))
    fields.setdefault("description", "Dagdienst, vast contract.")
    vacancy = VacancyFactory(status=VacancyStatus.PUBLISHED, **fields)
    vacancy.essential_skills.add(*skills)
    vacancy.optional_skills.add(*optional)
    return vacancy


def page_titles(client, query: str) -> list[str]:
    with translation.override("en"):
        path = reverse("vacancies:list")
    response = client.get(path + "?" + query)
    assert response.status_code == 200
    return [vacancy.title for vacancy in response.context["vacancies"]]


def api_titles(query: str) -> list[str]:
    response = APIClient().get("/api/v1/vacancies?" + query)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def both_roads(client, query: str) -> list[str]:
    """The titles the page finds, after checking that the API finds the same ones."""
    page = page_titles(client, query)
    assert sorted(api_titles(query)) == sorted(page), query
    return page


@pytest.fixture
def market():
    """A Dutch welding vacancy, one that only requires TIG welding, a Flemish and a Zeeland
    physiotherapist, and an accountant that no welding word may find."""
    welder = occupation("welder")
    accountant = occupation("accountant")
    physio = Occupation.objects.get(labels__text="fysiotherapeut", labels__language="nl")
    tig = skill("perform tungsten inert gas welding")
    mig_mag = skill("perform metal active gas welding")
    return {
        "welder": published(
            title="Lasser-monteur", description="Ploegendienst in de Kanaalzone.", occupation=welder, skills=[mig_mag]
        ),
        # The occupation says nothing about welding on purpose: only the skill's labels can find it.
        "tig": published(title="Medewerker werkplaats", occupation=accountant, skills=[tig]),
        "kine": published(title="Kinesitherapeut revalidatie", occupation=physio),
        "fysio": published(title="Fysiotherapeut Goes", occupation=physio),
        "accountant": published(title="Boekhouder", description="Administratie en facturen.", occupation=accountant),
    }


def test_lassen_finds_the_vacancies_that_require_welding_skills(client, market):
    found = both_roads(client, "q=lassen")
    assert set(found) == {"Lasser-monteur", "Medewerker werkplaats"}
    assert "Boekhouder" not in found


def test_a_query_of_unknown_words_finds_nothing(client, market):
    assert both_roads(client, "q=zzzz yyyy") == []
    assert both_roads(client, "q=zzzz") == []


def test_several_words_are_an_and(client, market):
    assert both_roads(client, "q=lassen zzzz") == []  # one known word is not enough
    assert both_roads(client, "q=tig lassen") == ["Medewerker werkplaats"]
    assert set(both_roads(client, "q=lasser kanaalzone")) == {"Lasser-monteur"}


def test_french_and_english_occupation_labels_find_the_dutch_welding_vacancy(client, market):
    assert "Lasser-monteur" in both_roads(client, "q=soudeur")
    assert "Lasser-monteur" in both_roads(client, "q=welder")
    assert "Boekhouder" not in both_roads(client, "q=welder")


def test_flemish_and_netherlands_names_find_the_same_vacancies(client, market):
    both = {"Kinesitherapeut revalidatie", "Fysiotherapeut Goes"}
    assert set(both_roads(client, "q=kinesitherapeut")) == both
    assert set(both_roads(client, "q=fysiotherapeut")) == both


def test_accents_are_folded(client, market):
    assert both_roads(client, "q=lässer") == both_roads(client, "q=lasser")
    assert "Lasser-monteur" in both_roads(client, "q=lässer")


def test_a_query_of_only_punctuation_finds_nothing_rather_than_everything(client, market):
    assert query_terms("!! ? -") == []
    assert both_roads(client, "q=%21%21") == []


def test_title_matches_rank_above_label_and_description_matches(client, market):
    published(title="Operator", description="Ervaring als lasser is een plus.", occupation=occupation("accountant"))
    found = both_roads(client, "q=lasser")
    assert found[0] == "Lasser-monteur"
    assert "Operator" in found


def test_skill_filter_finds_vacancies_that_require_the_skill(client, market):
    tig = skill("perform tungsten inert gas welding")
    optional = published(title="Bankwerker", occupation=occupation("accountant"), optional=[tig])
    assert set(both_roads(client, f"skill={tig.pk}")) == {"Medewerker werkplaats", optional.title}
    mig_mag = skill("perform metal active gas welding")
    assert both_roads(client, f"skill={mig_mag.pk}&q=monteur") == ["Lasser-monteur"]


def test_the_document_follows_changes_of_title_and_skills(client, market):
    vacancy = market["accountant"]
    assert both_roads(client, "q=heftruck") == []
    vacancy.essential_skills.add(skill("perform tungsten inert gas welding"))
    assert "Boekhouder" in both_roads(client, "q=lassen")
    vacancy_update(vacancy=Vacancy.objects.get(pk=vacancy.pk), title="Magazijnier heftruck")
    assert both_roads(client, "q=heftruck") == ["Magazijnier heftruck"]
    assert both_roads(client, "q=boekhouder") == []  # the old title is gone from the document
    vacancy.essential_skills.clear()
    assert "Magazijnier heftruck" not in both_roads(client, "q=lassen")


def test_search_reindex_rebuilds_every_document(client, market):
    Vacancy.objects.update(search_text="", search_vector=None)
    assert both_roads(client, "q=lassen") == []
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "Reindexed" in out.getvalue()
    assert set(both_roads(client, "q=lassen")) == {"Lasser-monteur", "Medewerker werkplaats"}


def test_a_reload_of_the_reference_data_rebuilds_every_document(client, market):
    from taxonomy.services import LoadReport
    from taxonomy.signals import reference_data_loaded

    Vacancy.objects.update(search_text="", search_vector=None)
    assert both_roads(client, "q=lassen") == []
    reference_data_loaded.send(sender=LoadReport, report=LoadReport())
    assert set(both_roads(client, "q=lassen")) == {"Lasser-monteur", "Medewerker werkplaats"}


# --- how PostgreSQL answers --------------------------------------------------------------------------


def test_postgres_search_uses_the_stored_vector_not_to_tsvector_per_row(market):
    filterset = VacancyFilter({"q": "lassen"}, queryset=vacancy_list_public())
    with CaptureQueriesContext(connection) as queries:
        titles = [vacancy.title for vacancy in filterset.qs]
    assert titles
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "to_tsvector(" not in sql
    assert '"search_vector" @@' in sql
    # The GIN index can answer the text condition: with sequential scans priced out, the planner
    # picks it (on a few test rows it would rightly prefer a scan).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        compiled, params = search_vacancies(Vacancy.objects.all(), "lassen").query.sql_with_params()
        cursor.execute("EXPLAIN " + compiled, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "vacancy_search_vector_gin" in plan


@pytest.mark.parametrize("rows", [1, 6])
def test_search_query_count_is_constant_in_the_number_of_results(client, rows, django_assert_num_queries):
    tig = skill("perform tungsten inert gas welding")
    employer = EmployerFactory()
    for index in range(rows):
        published(title=f"Lasser {index}", employer=employer, occupation=occupation("welder"), skills=[tig])
    with translation.override("en"):
        path = reverse("vacancies:list") + f"?q=lassen&skill={tig.pk}"
    # page: the form's places, the skill filter's check, the widget's chosen skill, the rows with
    # their count (core.pagination), languages
    with django_assert_num_queries(5):
        response = client.get(path)
    assert len(response.context["vacancies"]) == rows
    # API: the skill check, count, the page's ids, its rows, languages, essential skills, optional skills
    with django_assert_num_queries(7):
        response = APIClient().get(f"/api/v1/vacancies?q=lassen&skill={tig.pk}")
    assert response.json()["count"] == rows


# --- SQLite ------------------------------------------------------------------------------------------

SQLITE_SCRIPT = """
import json
from datetime import timedelta
from django.utils import timezone
from accounts.models import Employer
from taxonomy.models import IscoGroup, Occupation, OccupationLabel, Place, Skill, SkillLabel
from vacancies.filters import VacancyFilter
from vacancies.models import Vacancy
from vacancies.selectors import vacancy_list_public
from vocabulary.normalise import search_form

group = IscoGroup.objects.create(code="7212", level=4, label_en="Welders and flamecutters")
welder = Occupation.objects.create(uri="http://x/welder", isco_group=group, label_en="welder", label_nl="lasser")
clerk = Occupation.objects.create(uri="http://x/clerk", isco_group=group, label_en="accounting clerk")
for text, language in (("welder", "en"), ("soudeur", "fr"), ("lasser", "nl")):
    OccupationLabel.objects.create(occupation=welder, language=language, text=text, search_form=search_form(text))
tig = Skill.objects.create(uri="http://x/tig", label_en="perform tungsten inert gas welding")
SkillLabel.objects.create(skill=tig, language="nl", text="TIG-lassen", search_form=search_form("TIG-lassen"))
place = Place.objects.create(geonames_id=1, name="Terneuzen", country="NL", municipality="Terneuzen",
                             province="Zeeland", region="Zeeuws-Vlaanderen", latitude=51.3, longitude=3.8)
employer = Employer.objects.create(legal_name="Haven BV", country="NL", kvk_number="12345678", place=place)
common = dict(employer=employer, place=place, contract_type="permanent", hours_per_week=38, status="published",
              published_at=timezone.now() - timedelta(days=1), expires_at=timezone.now() + timedelta(days=9))
Vacancy.objects.create(title="Lasser-monteur", description="Ploegendienst", occupation=welder, **common)
worker = Vacancy.objects.create(title="Medewerker werkplaats", description="Dagdienst", occupation=clerk, **common)
worker.essential_skills.add(tig)
Vacancy.objects.create(title="Boekhouder", description="Administratie", occupation=clerk, **common)
result = {}
for query in ("lassen", "zzzz yyyy", "soudeur", "welder", "lässer", "lasser", "tig lassen"):
    filterset = VacancyFilter({"q": query}, queryset=vacancy_list_public())
    result[query] = sorted(v.title for v in filterset.qs)
skill_filter = VacancyFilter({"skill": tig.pk}, queryset=vacancy_list_public())
result["skill"] = [v.title for v in skill_filter.qs]
print("RESULT " + json.dumps(result))
"""


def test_the_search_works_on_sqlite(tmp_path):
    """The quick start's database: migrate a fresh SQLite file and search it with the real code."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "nsp_portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'search.sqlite3'}",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    migrate = subprocess.run([*manage, "migrate", "--no-input"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    run = subprocess.run(
        [*manage, "shell", "-c", SQLITE_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    line = next(line for line in run.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["lassen"] == ["Lasser-monteur", "Medewerker werkplaats"], result
    assert result["zzzz yyyy"] == []
    assert result["soudeur"] == ["Lasser-monteur"]
    assert "Lasser-monteur" in result["welder"]  # and the vacancy that requires TIG welding
    assert "Boekhouder" not in result["welder"]
    assert result["lässer"] == result["lasser"]
    assert "Lasser-monteur" in result["lasser"]
    assert result["tig lassen"] == ["Medewerker werkplaats"]
    assert result["skill"] == ["Medewerker werkplaats"]

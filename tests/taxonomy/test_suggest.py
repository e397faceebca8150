"""taxonomy.suggest: the matcher over the database's ESCO, in the user's language, rebuilt when
the reference data is reloaded; and its measured quality (evaluate_vocabulary)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from taxonomy import suggest as suggest_module
from taxonomy.models import Occupation, ReferenceDataVersion, Skill
from taxonomy.signals import reference_data_loaded
from taxonomy.suggest import suggest

pytestmark = pytest.mark.django_db

WELDER = "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b"
FORKLIFT_OPERATOR = "http://data.europa.eu/esco/occupation/eeac6251-1974-42f5-91ed-513c6c883755"


def test_suggests_occupation_and_skills_with_labels_in_the_active_language():
    with translation.override("fr"):
        found = suggest("Lasser", "Je last TIG-lassen op roestvast staal en leest bouwtekeningen.")
    top = found["occupations"][0]
    assert top["uri"] == WELDER
    welder = Occupation.objects.get(uri=WELDER)
    assert top["id"] == welder.pk
    assert top["label"] == welder.label_fr
    assert 0 < top["confidence"] <= 1
    assert "Lasser" in top["triggers"]
    skills = {row["uri"]: row for row in found["skills"]}
    tig = Skill.objects.get(label_en="perform tungsten inert gas welding")
    assert tig.uri in skills
    assert set(skills[tig.uri]) == {"id", "uri", "label", "confidence", "triggers"}


def test_limits_and_empty_text():
    found = suggest("Heftruckchauffeur", "Je laadt en lost vrachtwagens met de heftruck.", occupations=1, skills=1)
    assert [row["uri"] for row in found["occupations"]] == [FORKLIFT_OPERATOR]
    assert len(found["skills"]) <= 1
    assert suggest("", "") == {"occupations": [], "skills": []}


def test_built_once_and_rebuilt_when_the_reference_data_changes():
    suggest("Lasser", "")
    built = suggest_module.vocabulary_current()
    assert suggest_module.vocabulary_current() is built  # same process, same data: no rebuild
    # Another process reloaded the data: the stored digest differs.
    ReferenceDataVersion.objects.create(name="another-file-set", digest="0" * 64)
    assert suggest_module.vocabulary_current() is not built
    rebuilt = suggest_module.vocabulary_current()
    # This process reloaded the data: the signal drops the built vocabulary.
    reference_data_loaded.send(sender=None, report=None)
    assert suggest_module.vocabulary_current() is not rebuilt


def test_a_renamed_occupation_is_found_after_the_rebuild():
    welder = Occupation.objects.get(uri=WELDER)
    welder.label_nl = "Zzyzxlasvakman"
    welder.save()
    suggest_module.vocabulary_forget()
    assert suggest("Zzyzxlasvakman", "")["occupations"][0]["uri"] == WELDER


def test_evaluation_meets_the_quality_targets_on_the_full_vocabulary():
    """The regression guard of docs/vocabulary.md: top-3 >= 0.85, skill precision >= 0.7."""
    assert Occupation.objects.count() >= 2900  # the full ESCO, not the curated subset
    out = StringIO()
    call_command("evaluate_vocabulary", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["overall"]["items"] >= 150
    assert figures["overall"]["occupation_top3"] >= 0.85, figures["overall"]
    assert figures["overall"]["skill_precision"] >= 0.7, figures["overall"]
    assert set(figures["by_language"]) == {"nl", "fr", "en"}


def test_evaluation_prints_a_table():
    out = StringIO()
    call_command("evaluate_vocabulary", stdout=out)
    text = out.getvalue()
    assert "occ@3" in text
    assert "lang nl" in text
    assert "vocabulary built in" in text

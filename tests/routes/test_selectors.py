"""Trainings for a gap, ranked by coverage, next start and travel time; gaps in words."""

import pytest
from django.template import engines
from django.utils import translation

from routes.selectors import GapInWords, gaps_described, trainings_for_gap, travel_minutes
from taxonomy.models import Skill, TravelTime
from tests.factories import place
from tests.routes.helpers import offer, skills
from tests.workspace_helpers import candidate_with_profile

pytestmark = pytest.mark.django_db


def test_ranked_by_coverage_then_next_start_then_travel():
    candidate = candidate_with_profile()
    a, b = skills(2)
    gap = {"kind": "skills", "skills": [a.pk, b.pk], "language": None, "education": None}
    half_soon = offer(skills=[a], starts_in_days=(5,), title="Half, soon")
    full_late = offer(skills=[a, b], starts_in_days=(90,), title="Full, late")
    full_soon = offer(skills=[a, b], starts_in_days=(10,), title="Full, soon")
    offer(skills=[], title="Unrelated")
    offer(skills=[a, b], is_active=False, title="Inactive")
    options = trainings_for_gap(candidate=candidate, gap=gap)
    assert [o.offer for o in options] == [full_soon, full_late, half_soon]
    assert [o.coverage_percent for o in options] == [100, 100, 50]
    assert options[0].next_start.starts_on > options[2].next_start.starts_on


def test_travel_time_breaks_a_tie_and_comes_from_the_travel_time_table_by_the_candidates_modes():
    candidate = candidate_with_profile()  # Terneuzen, by car
    (a,) = skills(1)
    gap = {"kind": "skills", "skills": [a.pk], "language": None, "education": None}
    far = offer(skills=[a], place_name="Vlissingen", starts_in_days=(10,))
    near = offer(skills=[a], place_name="Terneuzen", starts_in_days=(10,))
    expected = (
        TravelTime.objects.filter(origin=candidate.home_place, destination=place("Vlissingen"), mode="car")
        .values_list("minutes", flat=True)
        .first()
    )
    options = trainings_for_gap(candidate=candidate, gap=gap)
    assert [o.offer for o in options] == [near, far]
    assert options[1].travel_minutes == expected == travel_minutes(candidate=candidate, place_id=far.place_id)


def test_a_language_gap_is_covered_by_a_high_enough_level_only():
    candidate = candidate_with_profile()
    gap = {"kind": "language", "skills": [], "language": {"code": "fr", "required": 3, "has": 2}, "education": None}
    enough = offer(languages=[("fr", 3)], title="Frans B1")
    offer(languages=[("fr", 2)], title="Frans A2")
    offer(languages=[("en", 4)], title="Engels B2")
    options = trainings_for_gap(candidate=candidate, gap=gap)
    assert [o.offer for o in options] == [enough]
    assert options[0].covers_language


def test_an_education_gap_has_no_training_and_an_empty_gap_lists_every_active_offer():
    candidate = candidate_with_profile()
    offer(skills=skills(1))
    education = {"kind": "education", "skills": [], "language": None, "education": {"required": 4, "has": 3}}
    assert trainings_for_gap(candidate=candidate, gap=education) == []
    assert [o.coverage for o in trainings_for_gap(candidate=candidate, gap={})] == [None]


def test_gaps_in_words_use_the_skill_labels_and_cefr_levels_of_the_page_language():
    (a,) = skills(1)
    gaps = [
        {"kind": "skills", "skills": [a.pk], "language": None, "education": None},
        {"kind": "language", "skills": [], "language": {"code": "nl", "required": 4, "has": 3}, "education": None},
    ]
    with translation.override("fr"):
        words = gaps_described(gaps)
        assert words[0].skills == [a]
        assert words[0].skills[0].label == a.label_fr
        assert words[1].language == {"name": "néerlandais", "required": "B2", "has": "B1"}


# --- the gap in words ------------------------------------------------------------------------------

# templates/routes/partials/gap.html before issue 15 wrote it in Python (GapInWords.html): the reference.
OLD_GAP_TEMPLATE = """{% load i18n %}{# What is missing, in words: skills by label, language and CEFR levels, EQF levels. #}{% if gap.skills %}{% translate "Missing essential skills:" %} {% for skill in gap.skills %}{{ skill.label }}{% if not forloop.last %}, {% endif %}{% endfor %}{% elif gap.language %}{% blocktranslate trimmed with language=gap.language.name|capfirst required=gap.language.required has=gap.language.has %}{{ language }}: level {{ required }} asked, {{ has }} now{% endblocktranslate %}{% elif gap.education %}{% blocktranslate trimmed with required=gap.education.required has=gap.education.has %}Education: EQF {{ required }} asked, EQF {{ has }} now{% endblocktranslate %}{% else %}{% translate "Nothing missing (a shortlist entry)" %}{% endif %}"""


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_the_gap_in_words_is_what_the_template_wrote(language):
    welding = Skill(pk=1, label_en="welding <TIG>", label_nl="lassen <TIG>", label_fr="soudage <TIG>")
    cutting = Skill(pk=2, label_en="cutting", label_nl="snijden", label_fr="découpe")
    gaps = [
        GapInWords(kind="skills", skills=[welding, cutting], language=None, education=None),
        GapInWords(
            kind="language", skills=[], language={"name": "dutch", "required": "B1 <x>", "has": "A2"}, education=None
        ),
        GapInWords(kind="education", skills=[], language=None, education={"required": 4, "has": 3}),
        GapInWords(kind="", skills=[], language=None, education=None),
    ]
    template = engines["django"].from_string(OLD_GAP_TEMPLATE)
    with translation.override(language):
        for gap in gaps:
            assert str(gap.html()) == template.render({"gap": gap})
        assert "&lt;TIG&gt;" in gaps[0].html()

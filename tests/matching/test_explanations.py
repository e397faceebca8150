"""Explanations in the reader's language: every engine code, names from the database, fallbacks."""

import pytest
from django.utils import translation

from matching.engine.commute import PT_NO_TRIP
from matching.explanations import (
    FILTER_REASON_LABELS,
    RENDERERS,
    Lookup,
    factor_rows,
    filter_reason_label,
    line_text,
    render_explanation,
    render_reason,
)

# One example of every reason the engine writes (matching/engine/explain.py), ids as stored.
EXAMPLES = [
    {"code": "no_consent_matching"},
    {
        "code": "cross_border",
        "resident_country": "NL",
        "job_country": "BE",
        "consent": True,
        "advice": "grensinfopunt_scheldemond",
    },
    {
        "code": "occupation",
        "level": "same_isco_unit_group",
        "vacancy_occupation": 1,
        "desired_occupation": 2,
        "isco": "8131",
    },
    {
        "code": "skills_met",
        "met": 1,
        "required": 2,
        "missing": [10],
        "optional_met": 1,
        "optional_total": 3,
        "profile_has_skills": True,
    },
    {
        "code": "education",
        "result": "no_min_secondary_diploma",
        "eqf": 2,
        "min_eqf": 0,
        "requires_min_secondary": True,
        "has_min_secondary": False,
    },
    {
        "code": "commute",
        "result": "too_far",
        "minutes": 95,
        "mode": "public_transport",
        "crossings": ["ferry_vlissingen_breskens", "land_border"],
        "max_minutes": 60,
        "from_place": 5,
        "to_place": 6,
    },
    {"code": "languages", "required": {"nl": 4, "fr": 3}, "levels": {"nl": 5}, "short": ["fr"]},
    {"code": "workplace_language", "language": "nl", "level": 3},
    {"code": "stem", "has_background": False},
    {"code": "hours", "wanted": 32, "offered": 38},
    {"code": "shift_work", "accepts": False},
    {"code": "availability", "result": "too_late", "available_from": "2026-09-01", "start": "2026-08-01"},
    {"code": "near_miss_gap", "kind": "skills", "skills": [10], "language": None, "education": None},
]
LOOKUP = Lookup(
    skills={10: "lassen"}, occupations={1: "procesoperator", 2: "machineoperator"}, places={5: "Vlissingen", 6: "Gent"}
)


def test_every_code_of_the_engine_has_a_renderer():
    assert {example["code"] for example in EXAMPLES} == set(RENDERERS)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e["code"])
def test_each_reason_renders_translated_in_english(example):
    with translation.override("en"):
        reason = render_reason(example, LOOKUP)
    assert reason.translated
    assert reason.text
    assert reason.tone in ("ok", "warning", "info")


def test_sentences_carry_the_names_and_the_route():
    with translation.override("en"):
        texts = [r.text for r in render_explanation(EXAMPLES, LOOKUP)]
    assert "Wants to work as machineoperator: the same ISCO-08 unit group (8131) as procesoperator." in texts
    assert "Has 1 of 2 essential skills; missing: lassen; 1 of 3 nice-to-have skills." in texts
    assert (
        "95 min by public transport from Vlissingen to Gent with the Vlissingen–Breskens ferry across the "
        "Dutch–Belgian border (more than the limit of 60 min)."
    ) in texts
    assert "Dutch C1 (B2 required); French none (B1 required)." in texts


def test_unknown_codes_and_unreadable_parameters_fall_back_to_the_engines_text():
    unknown = render_reason({"code": "new_in_engine_v9", "text": "something new"})
    assert (unknown.text, unknown.translated) == ("something new", False)
    broken = render_reason({"code": "commute", "result": "within_limit", "mode": "rocket", "text": "by rocket"})
    assert broken.text == "by rocket"
    assert not broken.translated
    assert render_reason("plain string").text == "plain string"
    # Names the page cannot resolve are left out, not guessed.
    with translation.override("en"):
        partial = render_reason({"code": "skills_met", "met": 0, "required": 2, "missing": [998, 999]}, Lookup())
    assert partial.translated
    assert "2 essential skills missing" in partial.text


def test_factor_rows_and_filter_reasons():
    with translation.override("en"):
        assert factor_rows({"skills": 0.666, "commute": 1, "bogus": 0.5}) == [
            ("skills", "Skills", 67),
            ("commute", "Commute", 100),
        ]
        assert filter_reason_label("commute_too_far") == "the commute is longer than the candidate's limit"
        assert filter_reason_label("never_heard_of") == "never_heard_of"
    from matching.engine.rules import REASONS

    assert set(FILTER_REASON_LABELS) >= set(REASONS)


def _commute(**extra) -> dict:
    return {
        "code": "commute",
        "result": "within_limit",
        "minutes": 77,
        "mode": "public_transport",
        "crossings": ["land_border"],
        "max_minutes": 90,
        "from_place": 5,
        "to_place": 6,
        **extra,
    }


def test_the_line_of_the_timetable_is_named_in_the_readers_language():
    reason = _commute(line="bus Terneuzen–Gent Dampoort, hourly, no change")
    with translation.override("nl"):
        dutch = render_reason(reason, LOOKUP).text
    with translation.override("fr"):
        french = render_reason(reason, LOOKUP).text
    assert "(bus Terneuzen–Gent Dampoort, elk uur, zonder overstap)" in dutch
    assert "(bus Terneuzen–Gent Dampoort, toutes les heures, sans correspondance)" in french


def test_a_journey_with_a_change_and_an_unknown_shape():
    with translation.override("nl"):
        changed = line_text("train Vlissingen–Goes, every 30 min; change at Goes to bus Goes–Terneuzen, every 2 hours")
        odd = line_text("hovercraft X, whenever")
    assert changed == "trein Vlissingen–Goes, om de 30 min; overstappen in Goes op bus Goes–Terneuzen, om de 2 uur"
    assert odd == "hovercraft X, whenever"  # shown as the timetable wrote it, never dropped


def test_no_connection_at_all_is_said_in_words_not_as_9999_minutes():
    reason = _commute(result="too_far", minutes=PT_NO_TRIP)
    with translation.override("en"):
        text = render_reason(reason, LOOKUP).text
    assert "9999" not in text
    assert text.startswith("No public transport connection")


def test_a_near_miss_gap_is_told_in_the_users_language():
    language = {"code": "near_miss_gap", "kind": "language", "skills": [], "education": None}
    language["language"] = {"code": "nl", "required": 4, "has": 3}
    education = {"code": "near_miss_gap", "kind": "education", "skills": [], "language": None}
    education["education"] = {"required": 4, "has": 3}
    skills = {"code": "near_miss_gap", "kind": "skills", "skills": [10], "language": None, "education": None}
    with translation.override("en"):
        assert render_reason(skills, LOOKUP).text == "Near miss: lacks the essential skill(s) lassen."
        assert render_reason(language, LOOKUP).text == "Near miss: Dutch B1, B2 required."
        assert render_reason(education, LOOKUP).text == "Near miss: education at EQF level 3, EQF 4 required."
        assert filter_reason_label("missing_essential_skills") == "an essential skill missing"
    with translation.override("nl"):
        assert render_reason(education, LOOKUP).text == "Net niet: opleiding op EQF-niveau 3, EQF 4 vereist."
        assert filter_reason_label("missing_essential_skills") == "een essentiële vaardigheid ontbreekt"
    # A skill the page cannot name: the engine's text, not a guess.
    unnamed = render_reason({**skills, "skills": [999], "text": "near miss: lacks skill 999"}, Lookup())
    assert (unnamed.text, unnamed.translated) == ("near miss: lacks skill 999", False)

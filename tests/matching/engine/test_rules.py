"""Every hard filter and every factor, one pair at a time, through MatchingEngine.evaluate_pairs."""

import dataclasses

import numpy as np
import pytest

from matching.engine import COUNTRY_BE, COUNTRY_NL, COUNTRY_OTHER, MODE_BIKE, MODE_CAR, Weights
from matching.engine.commute import BIKE, CAR, build_commute_model

from .helpers import (
    PIPE_WELDER,
    PLACES,
    PLANT_OPERATOR,
    PLUMBER,
    PROCESS_TECH,
    SHEET_METAL,
    TOOLMAKER,
    WELDER,
    P,
    candidates,
    engine,
    pair,
    reason,
    vacancies,
)

MODEL = build_commute_model(PLACES)


# --- hard filters -----------------------------------------------------------------------------------


def test_consent_to_matching_is_required():
    match = pair({"consent_matching": False}, {})
    assert match.failed_filters == ("no_consent_matching",)
    assert match.flagged
    assert reason(match, "no_consent_matching")


@pytest.mark.parametrize(
    ("home_country", "job_country", "consent", "fails"),
    [
        (COUNTRY_NL, COUNTRY_BE, False, True),
        (COUNTRY_NL, COUNTRY_BE, True, False),
        (COUNTRY_BE, COUNTRY_NL, False, True),
        (COUNTRY_NL, COUNTRY_NL, False, False),  # no consent needed at home
        (COUNTRY_BE, COUNTRY_BE, False, False),
        (COUNTRY_OTHER, COUNTRY_NL, False, True),  # a third country is always cross-border
    ],
)
def test_cross_border_consent_is_required_across_the_border_only(home_country, job_country, consent, fails):
    match = pair(
        {"country": home_country, "consent_cross_border": consent, "place": P["Zelzate"]},
        {"country": job_country, "place": P["Zelzate"]},
    )
    assert ("no_consent_cross_border" in match.failed_filters) == fails
    cross = [r for r in match.reasons if r["code"] == "cross_border"]
    assert bool(cross) == (home_country != job_country)


MIN_SECONDARY = {"requires_min_secondary": True}


@pytest.mark.parametrize(
    ("who", "diploma", "passes"),
    [
        ("Flemish BSO after the 7th year", {"country": COUNTRY_BE, "eqf": 4, "has_min_secondary": True}, True),
        ("Dutch MBO-2", {"country": COUNTRY_NL, "eqf": 2, "has_min_secondary": True}, True),
        ("Dutch VMBO kader", {"country": COUNTRY_NL, "eqf": 2, "has_min_secondary": False}, False),
        ("Flemish BSO 6th year", {"country": COUNTRY_BE, "eqf": 3, "has_min_secondary": False}, False),
        ("Dutch HAVO", {"country": COUNTRY_NL, "eqf": 4, "has_min_secondary": True}, True),
    ],
)
def test_minimum_secondary_diploma_is_a_per_country_rule(who, diploma, passes):
    match = pair({**diploma, "place": P["Sluiskil"]}, {**MIN_SECONDARY, "place": P["Sluiskil"]})
    assert (match.failed_filters == ()) == passes, who
    education = reason(match, "education")
    assert education["result"] == ("meets_requirement" if passes else "no_min_secondary_diploma")
    if not passes:
        assert match.failed_filters == ("no_min_secondary_diploma",)


def test_minimum_secondary_diploma_text():
    match = pair({"eqf": 3, "has_min_secondary": True}, {"requires_min_secondary": True, "min_eqf": 3})
    assert reason(match, "education")["text"] == "EQF 3, meets the minimum EQF 3, meets the minimum secondary diploma"
    match = pair({"eqf": 3, "has_min_secondary": True}, {"requires_min_secondary": True})
    assert reason(match, "education")["text"] == "EQF 3, meets the minimum secondary diploma"


def test_minimum_eqf():
    assert pair({"eqf": 3}, {"min_eqf": 4}).failed_filters == ("education_below_minimum",)
    assert pair({"eqf": 4}, {"min_eqf": 4}).failed_filters == ()
    assert pair({"eqf": 6}, {"min_eqf": 4}).failed_filters == ()
    both = pair({"eqf": 2, "has_min_secondary": False}, {"min_eqf": 4, "requires_min_secondary": True})
    assert both.failed_filters == ("education_below_minimum", "no_min_secondary_diploma")


def test_no_diploma_is_missing_data_only_where_education_is_required():
    assert pair({"eqf": 0, "has_min_secondary": False}, {"min_eqf": 2}).failed_filters == ("missing_diploma",)
    assert pair({"eqf": 0, "has_min_secondary": False}, MIN_SECONDARY).failed_filters == ("missing_diploma",)
    match = pair({"eqf": 0, "has_min_secondary": False}, {})
    assert match.failed_filters == ()
    assert reason(match, "education")["result"] == "no_requirement"


def test_languages_at_or_above_the_required_level():
    job = {"languages": (3, 0, 2, 0)}  # Dutch B1, English A2
    assert pair({"languages": (3, 0, 2, 0)}, job).failed_filters == ()
    assert pair({"languages": (6, 0, 5, 0)}, job).failed_filters == ()
    assert pair({"languages": (6, 0, 1, 0)}, job).failed_filters == ("language_below_required",)
    short = pair({"languages": (2, 4, 4, 0)}, job)
    assert short.failed_filters == ("language_below_required",)
    assert reason(short, "languages")["short"] == ["nl"]
    assert pair({"languages": (0, 0, 0, 0)}, job).failed_filters == ("missing_languages",)
    assert pair({"languages": (0, 0, 0, 0)}, {}).failed_filters == ()


def test_commute_within_the_limit_for_at_least_one_mode():
    by_car = int(MODEL.minutes[P["Vlissingen"], P["Terneuzen"], CAR])
    job = {"place": P["Terneuzen"]}
    assert pair({"place": P["Vlissingen"], "max_commute_minutes": by_car}, job).failed_filters == ()
    too_far = pair({"place": P["Vlissingen"], "max_commute_minutes": by_car - 1}, job)
    assert too_far.failed_filters == ("commute_too_far",)
    assert reason(too_far, "commute")["result"] == "too_far"
    # By bike only, the same limit is not enough (the ferry), but bike + car passes.
    assert pair(
        {"place": P["Vlissingen"], "max_commute_minutes": by_car, "commute_modes": MODE_BIKE}, job
    ).failed_filters == ("commute_too_far",)
    assert (
        pair(
            {"place": P["Vlissingen"], "max_commute_minutes": by_car, "commute_modes": MODE_BIKE | MODE_CAR}, job
        ).failed_filters
        == ()
    )


def test_commute_reason_names_the_tunnel():
    match = pair({"place": P["Vlissingen"], "max_commute_minutes": 60}, {"place": P["Terneuzen"]})
    commute = reason(match, "commute")
    assert commute["crossings"] == ["westerscheldetunnel"]
    assert commute["mode"] == "car"
    assert commute["text"] == f"{commute['minutes']} min by car via the Westerscheldetunnel (limit 60 min)"


def test_missing_commute_data_excludes_and_says_why():
    assert pair({"place": -1}, {}).failed_filters == ("missing_home_place",)
    assert pair({"commute_modes": 0}, {}).failed_filters == ("missing_commute_modes",)
    assert pair({"max_commute_minutes": 0}, {}).failed_filters == ("missing_max_commute",)
    assert pair({"place": -1, "commute_modes": 0}, {}).failed_filters == ("missing_home_place", "missing_commute_modes")
    # A vacancy without a place has no commute filter nor factor.
    match = pair({"place": -1}, {"place": -1})
    assert match.failed_filters == ()
    assert "commute" not in match.factors


def test_availability_before_the_start_when_both_are_known():
    assert pair({"available_from": 20_010}, {"start_day": 20_000}).failed_filters == ("not_available_in_time",)
    assert pair({"available_from": 20_000}, {"start_day": 20_000}).failed_filters == ()
    assert pair({"available_from": -1}, {"start_day": 20_000}).failed_filters == ()
    assert pair({"available_from": 20_010}, {"start_day": -1}).failed_filters == ()
    late = pair({"available_from": 20_010}, {"start_day": 20_000})
    assert reason(late, "availability") == {
        "code": "availability",
        "result": "too_late",
        "available_from": "2024-10-14",
        "start": "2024-10-04",
        "text": "available from 2024-10-14, after the start on 2024-10-04",
    }


# --- factors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("desired", "expected", "level"),
    [
        ((WELDER,), 1.0, "same_occupation"),
        ((PIPE_WELDER,), 0.8, "same_isco_unit_group"),
        ((SHEET_METAL,), 0.6, "same_isco_minor_group"),
        ((TOOLMAKER,), 0.4, "same_isco_sub_major_group"),
        ((PLUMBER,), 0.2, "same_isco_major_group"),
        ((PLANT_OPERATOR,), 0.0, "unrelated"),
        ((PLANT_OPERATOR, SHEET_METAL, PROCESS_TECH), 0.6, "same_isco_minor_group"),  # the best wish counts
        ((), 0.0, "no_desired_occupation"),
    ],
)
def test_occupation_similarity_follows_the_isco_hierarchy(desired, expected, level):
    match = pair({"desired": desired}, {"occupation": WELDER})
    assert match.factors["occupation"] == expected
    assert reason(match, "occupation")["level"] == level


def test_occupation_reason_names_the_related_wish():
    match = pair({"desired": (PLANT_OPERATOR, SHEET_METAL)}, {"occupation": WELDER})
    occupation = reason(match, "occupation")
    assert occupation["desired_occupation"] == SHEET_METAL
    assert occupation["isco"] == "721"
    assert occupation["text"] == "wants sheet-metal worker (same ISCO minor group 721)"


def test_no_occupation_on_the_vacancy_leaves_the_factor_out():
    match = pair({}, {"occupation": -1})
    assert "occupation" not in match.factors
    assert not [r for r in match.reasons if r["code"] == "occupation"]


def test_skills_coverage_essential_counts_more_than_optional():
    job = {"essential": (0, 1, 2, 3), "optional": (4, 5)}
    match = pair({"skills": (0, 1, 2, 9)}, job)
    skills = reason(match, "skills_met")
    assert (skills["met"], skills["required"], skills["missing"]) == (3, 4, [3])
    assert (skills["optional_met"], skills["optional_total"]) == (0, 2)
    assert skills["text"] == "3 of 4 essential skills (missing: grinding), 0 of 2 optional skills"
    # default weights: essential 2, optional 1
    assert match.factors["skills"] == pytest.approx((2 * 3 / 4 + 1 * 0 / 2) / 3)
    only_optional = pair({"skills": (4, 5)}, job)
    assert only_optional.factors["skills"] == pytest.approx(1 / 3)
    assert pair({"skills": (0, 1, 2, 3, 4, 5)}, job).factors["skills"] == 1.0


def test_skills_without_a_list_are_neutral_and_without_a_profile_zero():
    assert "skills" not in pair({"skills": (0,)}, {}).factors
    empty = pair({"skills": ()}, {"essential": (0, 1)})
    assert empty.factors["skills"] == 0.0
    # No skills at all: the essential ones are missing (a hard filter since issue 12).
    assert empty.failed_filters == ("missing_essential_skills",)
    assert pair({"skills": ()}, {"optional": (0, 1)}).failed_filters == ()  # optional ones only weigh
    assert reason(empty, "skills_met")["profile_has_skills"] is False


def test_skill_weighting_is_configurable():
    job = {"essential": (0, 1), "optional": (4, 5)}
    match = pair({"skills": (4, 5)}, job, Weights(essential_skill_weight=1, optional_skill_weight=1))
    assert match.factors["skills"] == pytest.approx(0.5)


def test_education_fit_small_bonus_above_no_penalty_for_more():
    job = {"min_eqf": 4}
    assert pair({"eqf": 4}, job).factors["education"] == 0.9
    assert pair({"eqf": 5}, job).factors["education"] == 1.0
    assert pair({"eqf": 8}, job).factors["education"] == 1.0
    assert "education" not in pair({"eqf": 8}, {}).factors
    assert "education" not in pair({"eqf": 8}, MIN_SECONDARY).factors


def test_commute_score_is_a_line_of_the_minutes_alone_from_10_to_90():
    t = int(MODEL.minutes[P["Axel"], P["Terneuzen"], CAR])
    assert 10 < t < 90
    job = {"place": P["Terneuzen"]}
    match = pair({"place": P["Axel"], "max_commute_minutes": 60}, job)
    assert match.factors["commute"] == pytest.approx((90 - t) / 80)
    # The candidate's own limit filters but does not score: at the limit or far below it, the same.
    at_limit = pair({"place": P["Axel"], "max_commute_minutes": t}, job)
    generous = pair({"place": P["Axel"], "max_commute_minutes": 600}, job)
    assert at_limit.failed_filters == generous.failed_filters == ()
    assert at_limit.factors["commute"] == generous.factors["commute"] == match.factors["commute"]
    assert pair({"place": P["Axel"], "max_commute_minutes": t - 1}, job).failed_filters == ("commute_too_far",)
    closer = pair({"place": P["Terneuzen"], "max_commute_minutes": 60}, job)
    assert int(MODEL.minutes[P["Terneuzen"], P["Terneuzen"], CAR]) <= 10
    assert closer.factors["commute"] == 1.0


def test_commute_score_reaches_zero_at_90_minutes_and_stays_there():
    from matching.engine.rules import commute_factor

    assert commute_factor(np.array([0, 10, 26, 38, 50, 89, 90, 200])).tolist() == pytest.approx(
        [1.0, 1.0, 0.8, 0.65, 0.5, 1 / 80, 0.0, 0.0]
    )


def test_commute_uses_the_best_mode():
    # Vlissingen -> Breskens: the bike and the ferry against the car round through the tunnel. The
    # car is made slower here so the rule, not the road model's figures, decides which mode wins.
    v, b = P["Vlissingen"], P["Breskens"]
    bike = int(MODEL.minutes[v, b, BIKE])
    minutes = MODEL.minutes.copy()
    minutes[v, b, CAR] = bike + 10
    slower_car = dataclasses.replace(MODEL, minutes=minutes)
    eng = engine(
        candidates({"place": v, "commute_modes": MODE_CAR | MODE_BIKE, "max_commute_minutes": 90}),
        vacancies({"place": b}),
        commute=slower_car,
    )
    match = eng.evaluate_pairs([1], [1001]).match(0)
    commute = reason(match, "commute")
    assert commute["mode"] == "bike"
    assert commute["minutes"] == bike
    assert commute["crossings"] == ["ferry_vlissingen_breskens"]
    assert match.factors["commute"] == pytest.approx(min(1.0, (90 - bike) / 80))


def test_languages_above_the_minimum_score_higher():
    job = {"languages": (3, 0, 0, 0)}
    assert pair({"languages": (3, 0, 0, 0)}, job).factors["languages"] == pytest.approx(0.6)
    assert pair({"languages": (4, 0, 0, 0)}, job).factors["languages"] == pytest.approx(0.8)
    assert pair({"languages": (6, 0, 0, 0)}, job).factors["languages"] == pytest.approx(1.0)
    two = {"languages": (3, 0, 3, 0)}
    assert pair({"languages": (5, 0, 3, 0)}, two).factors["languages"] == pytest.approx((1.0 + 0.6) / 2)


def test_without_requirements_the_workplace_language_counts():
    for country in (COUNTRY_NL, COUNTRY_BE):  # Dutch on both sides of the border here
        job = {"country": country}
        assert pair({"languages": (4, 0, 0, 0)}, job).factors["languages"] == 1.0
        assert pair({"languages": (2, 6, 6, 0)}, job).factors["languages"] == 0.5
        match = pair({"languages": (0, 6, 6, 0)}, job)
        assert match.factors["languages"] == 0.0
        assert reason(match, "workplace_language") == {
            "code": "workplace_language",
            "language": "nl",
            "level": 0,
            "text": "Dutch none (workplace language)",
        }


def test_stem_counts_for_stem_vacancies_only():
    assert pair({"stem_background": True}, {"is_stem": True}).factors["stem"] == 1.0
    assert pair({"stem_background": False}, {"is_stem": True}).factors["stem"] == 0.0
    assert "stem" not in pair({"stem_background": False}, {"is_stem": False}).factors


def test_hours_and_shift_fit():
    job = {"hours_per_week": 38}
    assert pair({"hours_wanted": 36}, job).factors["hours_shift"] == 1.0
    assert pair({"hours_wanted": 24}, job).factors["hours_shift"] == pytest.approx((20 - 14) / 16)
    assert pair({"hours_wanted": 16}, job).factors["hours_shift"] == 0.0
    assert pair({"hours_wanted": 0}, job).factors["hours_shift"] == 0.5
    shifts = {"hours_per_week": 38, "shift_work": True}
    assert pair({"hours_wanted": 38, "accepts_shift_work": False}, shifts).factors["hours_shift"] == 0.5
    assert pair({"accepts_shift_work": False}, {"shift_work": True}).factors["hours_shift"] == 0.0
    assert "hours_shift" not in pair({}, {}).factors


# --- the total -------------------------------------------------------------------------------------------


def test_total_is_the_weighted_mean_of_the_applicable_factors():
    weights = Weights()
    match = pair(
        {"skills": (0, 1), "hours_wanted": 38}, {"essential": (0, 1, 2, 3), "min_eqf": 3, "hours_per_week": 38}, weights
    )
    w = dict(
        zip(
            ("occupation", "skills", "education", "commute", "languages", "stem", "hours_shift"),
            weights.factor_weights(),
        )
    )
    expected = sum(w[f] * s for f, s in match.factors.items()) / sum(w[f] for f in match.factors)
    assert match.score == pytest.approx(expected)
    assert sum(match.contributions.values()) == pytest.approx(match.score)
    assert 0.0 <= match.score <= 1.0


def test_a_perfect_candidate_scores_one_and_weights_are_normalised():
    perfect = {
        "skills": (0, 1),
        "desired": (WELDER,),
        "eqf": 5,
        "languages": (6, 0, 6, 0),
        "place": P["Terneuzen"],
        "max_commute_minutes": 600,
        "hours_wanted": 38,
    }
    job = {
        "essential": (0,),
        "optional": (1,),
        "min_eqf": 4,
        "languages": (3, 0, 3, 0),
        "hours_per_week": 38,
        "shift_work": True,
    }
    assert pair(perfect, job).score == pytest.approx(1.0, abs=0.02)
    doubled = Weights(
        **{
            f: 2 * getattr(Weights(), f)
            for f in ("occupation", "skills", "education", "commute", "languages", "stem", "hours_shift")
        }
    )
    assert pair(perfect, job, doubled).score == pytest.approx(pair(perfect, job).score)


def test_when_no_factor_applies_the_total_is_zero():
    weights = Weights(occupation=0, skills=0, education=0, commute=0, languages=0, stem=1, hours_shift=0)
    assert pair({}, {"is_stem": False}, weights).score == 0.0
    assert pair({}, {"is_stem": True}, weights).score == 1.0


def test_failing_pairs_still_get_a_score():
    match = pair({"eqf": 2, "max_commute_minutes": 5, "place": P["Goes"]}, {"min_eqf": 4})
    assert set(match.failed_filters) == {"education_below_minimum", "commute_too_far"}
    assert 0.0 <= match.score <= 1.0
    assert match.factors["education"] == 0.0
    assert match.factors["commute"] == 0.0


def test_gaps_count_missing_data_per_candidate():
    cands = candidates(
        {},
        {"place": -1, "eqf": 0, "has_min_secondary": False},
        {"skills": (), "desired": ()},
        {"consent_matching": False, "skills": (1,)},
        {"skills": (1,), "hours_wanted": 0},
    )
    eng = engine(cands, vacancies({}))
    counts = eng.gaps.counts
    assert counts["missing_home_place"] == 1
    assert counts["missing_diploma"] == 1
    assert counts["missing_skills"] == 3
    assert counts["missing_desired_occupation"] == 1
    assert counts["no_consent_matching"] == 1
    assert counts["missing_hours"] == 1
    assert counts["missing_available_from"] == 5
    assert eng.gaps.codes(1) == ("missing_home_place", "missing_diploma", "missing_skills", "missing_available_from")
    assert np.asarray(eng.gaps.flags).shape == (5,)

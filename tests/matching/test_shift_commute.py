"""Shift-aware public transport and the commute factor in absolute minutes (issue 10).

The engine tests use a hand-made timetable on top of the real places, so each rule is shown on
numbers written here; the last tests run the portal end to end on the real reference data and
timetable (``matching/engine/commute.py``).
"""

import dataclasses

import numpy as np
import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import shortlists
from matching.engine import MODE_BIKE, MODE_CAR, MODE_PT, MatchingEngine, Weights
from matching.engine.commute import CAR, PT, PT_NO_TRIP, build_commute_model
from matching.engine.naive import naive_candidates, naive_context, naive_vacancies, score_pair_naive
from matching.explanations import Lookup, filter_reason_label, render_reason
from matching.models import Match, ShortlistSummary
from matching.transparency import candidate_exclusions
from tests.matching.conftest import make_candidate, make_vacancy
from vacancies.models import Vacancy

from .engine.helpers import PLACES, TAXONOMY, P, candidates, engine, reason, vacancies
from .engine.test_properties import assert_engine_equals_naive, candidate_spec, vacancy_spec

BASE = build_commute_model(PLACES)
TERNEUZEN, GENT, ZELZATE, VLISSINGEN = P["Terneuzen"], P["Gent"], P["Zelzate"], P["Vlissingen"]
SIX, TWO_PM, TEN_PM = 1 << 6, 1 << 14, 1 << 22


def model(*, minutes: dict | None = None, arrive_by: dict | None = None, first_hour: int = 7):
    """The real model with fixed minutes for some (origin, destination, mode) and a timetable:
    from ``first_hour`` on a journey arrives by every hour at the daytime minutes, before it none;
    ``arrive_by`` overrides single (hour, origin, destination) cells."""
    table = BASE.minutes.copy()
    for (o, d, m), value in (minutes or {}).items():
        table[o, d, m] = value
    timetable = np.full((24, PLACES.n, PLACES.n), PT_NO_TRIP, dtype=np.int32)
    timetable[first_hour:] = table[:, :, PT]
    for (h, o, d), value in (arrive_by or {}).items():
        timetable[h, o, d] = value
    return dataclasses.replace(BASE, minutes=table, pt_arrive_by=timetable)


def pt_only(limit: int = 90, **extra) -> dict:
    return {"place": TERNEUZEN, "commute_modes": MODE_PT, "max_commute_minutes": limit, **extra}


def one_pair(cand: dict, vac: dict, commute):
    return engine(candidates(cand), vacancies(vac), commute=commute).evaluate_pairs([1], [1001]).match(0)


T_GENT_PT = {(TERNEUZEN, GENT, PT): 75}


# --- the rule ----------------------------------------------------------------------------------


def test_no_bus_before_a_06_00_shift_drops_public_transport_with_its_own_reason():
    commute = model(minutes=T_GENT_PT)
    day = one_pair(pt_only(), {"place": GENT}, commute)
    assert day.failed_filters == ()
    assert reason(day, "commute")["minutes"] == 75

    early = one_pair(pt_only(), {"place": GENT, "shift_start_hours": SIX}, commute)
    assert early.failed_filters == ("no_transit_before_shift",)
    commute_reason = reason(early, "commute")
    assert commute_reason["result"] == "no_transit_before_shift"
    assert commute_reason["transit_before_shift"] == "no_trip"
    assert commute_reason["no_trip_hour"] == 6
    assert commute_reason["shift_hours"] == [6]
    assert commute_reason["mode"] is None
    assert commute_reason["minutes"] is None
    assert "no public transport from Terneuzen arrives before 06:00" in commute_reason["text"]
    assert early.factors["commute"] == 0.0


def test_later_shifts_keep_public_transport_at_the_worst_of_their_journeys():
    commute = model(
        minutes=T_GENT_PT,
        arrive_by={(6, TERNEUZEN, GENT): 88, (14, TERNEUZEN, GENT): 70, (22, TERNEUZEN, GENT): 80},
    )
    match = one_pair(pt_only(), {"place": GENT, "shift_start_hours": SIX | TWO_PM | TEN_PM}, commute)
    assert match.failed_filters == ()
    commute_reason = reason(match, "commute")
    assert (commute_reason["mode"], commute_reason["minutes"]) == ("public_transport", 88)
    assert commute_reason["transit_before_shift"] == "in_time"
    assert match.factors["commute"] == pytest.approx((90 - 88) / 80)
    # Over the limit at the worst shift: too far (the shift alone does not exclude).
    assert one_pair(pt_only(limit=85), {"place": GENT, "shift_start_hours": SIX | TWO_PM}, commute).failed_filters == (
        "commute_too_far",
    )
    # One start without a journey is enough to drop public transport.
    assert one_pair(pt_only(), {"place": GENT, "shift_start_hours": 1 << 5 | TWO_PM}, commute).failed_filters == (
        "no_transit_before_shift",
    )


def test_another_mode_still_counts_and_the_explanation_says_why_the_bus_does_not():
    commute = model(minutes={(TERNEUZEN, GENT, PT): 60, (TERNEUZEN, GENT, CAR): 80})
    both = {"commute_modes": MODE_CAR | MODE_PT}
    passes = one_pair(pt_only(limit=90, **both), {"place": GENT, "shift_start_hours": SIX}, commute)
    assert passes.failed_filters == ()
    commute_reason = reason(passes, "commute")
    assert (commute_reason["mode"], commute_reason["minutes"]) == ("car", 80)
    assert commute_reason["no_trip_hour"] == 6
    # The car alone is beyond a 70-min limit, the bus would have made it: the shift excludes.
    fails = one_pair(pt_only(limit=70, **both), {"place": GENT, "shift_start_hours": SIX}, commute)
    assert fails.failed_filters == ("no_transit_before_shift",)
    assert reason(fails, "commute")["text"].startswith(
        "no public transport from Terneuzen arrives before 06:00; 80 min"
    )
    # Both beyond the limit whatever the hour: too far, as before.
    assert one_pair(pt_only(limit=50, **both), {"place": GENT, "shift_start_hours": SIX}, commute).failed_filters == (
        "commute_too_far",
    )


def test_without_a_timetable_or_without_start_times_public_transport_counts_at_any_hour():
    without_timetable = dataclasses.replace(model(minutes=T_GENT_PT), pt_arrive_by=None)
    assert one_pair(pt_only(), {"place": GENT, "shift_start_hours": SIX}, without_timetable).failed_filters == ()
    assert one_pair(pt_only(), {"place": GENT, "shift_start_hours": 0}, model(minutes=T_GENT_PT)).failed_filters == ()
    # Car and bike never depend on the shift.
    car = one_pair(pt_only(commute_modes=MODE_CAR | MODE_BIKE), {"place": GENT, "shift_start_hours": SIX}, model())
    assert "transit_before_shift" not in reason(car, "commute")


def test_the_bulk_engine_counts_the_new_reason_and_keeps_the_candidate_off_the_early_shift():
    commute = model(minutes=T_GENT_PT)
    cands = candidates(pt_only(), pt_only(commute_modes=MODE_CAR), pt_only(limit=30))
    vacs = vacancies({"place": GENT}, {"place": GENT, "shift_start_hours": SIX})
    results = {r.vacancy_id: r for r in engine(cands, vacs, commute=commute).run()}
    assert sorted(results[1001].candidate_ids.tolist()) == [1, 2]
    assert results[1002].candidate_ids.tolist() == [2]
    assert results[1002].exclusions["no_transit_before_shift"] == 1
    assert results[1002].exclusions["commute_too_far"] == 1
    assert results[1001].exclusions["no_transit_before_shift"] == 0
    assert results[1001].exclusions["commute_too_far"] == 1


def test_the_engine_checks_the_timetable_shape():
    bad = dataclasses.replace(BASE, pt_arrive_by=np.zeros((23, PLACES.n, PLACES.n), np.int32))
    with pytest.raises(ValueError, match="pt_arrive_by"):
        MatchingEngine(PLACES, TAXONOMY, candidates(pt_only()), vacancies({}), commute=bad)


SHIFT_MASKS = st.sampled_from([0, SIX, TWO_PM, SIX | TWO_PM | TEN_PM, 1 << 5 | 1 << 13 | 1 << 21, 1 << 23])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(candidate_spec, min_size=1, max_size=20),
    st.lists(st.tuples(vacancy_spec, SHIFT_MASKS), min_size=1, max_size=4),
    st.integers(0, 2**32 - 1),
    st.integers(1, 3),
)
def test_engine_equals_the_naive_reference_with_shift_starts(cand_specs, vac_specs, seed, chunk):
    rng = np.random.default_rng(seed)
    commute = model(first_hour=int(rng.integers(0, 24)))
    timetable = commute.pt_arrive_by
    timetable[rng.random(timetable.shape) < 0.2] = PT_NO_TRIP
    timetable += np.where(timetable < PT_NO_TRIP, rng.integers(-10, 30, timetable.shape), 0).astype(np.int32)
    np.maximum(timetable, 1, out=timetable)
    vacs = vacancies(*[{**spec, "shift_start_hours": mask} for spec, mask in vac_specs])
    eng = engine(candidates(*cand_specs), vacs, Weights(top_k=5), commute=commute, chunk_size=chunk)
    assert_engine_equals_naive(eng)
    pairs = eng.evaluate_pairs(np.repeat(eng.candidates.ids, vacs.n), np.tile(vacs.ids, eng.candidates.n))
    ctx = naive_context(TAXONOMY, commute, eng.weights)
    naive_c, naive_v = naive_candidates(eng.candidates), naive_vacancies(vacs)
    for p, (i, j) in enumerate((i, j) for i in range(len(naive_c)) for j in range(len(naive_v))):
        naive = score_pair_naive(naive_c[i], naive_v[j], ctx)
        assert naive.failed == pairs.failed_filters(p)
        assert naive.total == pairs.scores[p]


# --- the commute factor in absolute minutes ------------------------------------------------------


def test_a_near_candidate_with_a_short_limit_ranks_above_a_far_one_with_a_long_limit():
    """Issue 10: Zelzate 26 min (limit 30) above Vlissingen 38 min (limit 180), otherwise equal."""
    commute = model(minutes={(ZELZATE, TERNEUZEN, CAR): 26, (VLISSINGEN, TERNEUZEN, CAR): 38})
    far = {"id": 1, "place": VLISSINGEN, "max_commute_minutes": 180}  # the lower id would win a tie
    near = {"id": 2, "place": ZELZATE, "max_commute_minutes": 30}
    eng = engine(candidates(far, near), vacancies({"place": TERNEUZEN}), commute=commute)
    result = eng.match_vacancy(1001)
    assert result.candidate_ids.tolist() == [2, 1]
    factors = {m.candidate_id: m.factors["commute"] for m in result.matches}
    assert factors == {2: pytest.approx(0.8), 1: pytest.approx(0.65)}
    # Under the old rule (1 - minutes / limit) the order was the other way round.
    assert 1 - 26 / 30 < 1 - 38 / 180
    # The limit is still shown with the minutes.
    far_reason = reason(next(m for m in result.matches if m.candidate_id == 1), "commute")
    assert far_reason["text"].startswith("38 min by car")
    assert far_reason["text"].endswith("(limit 180 min)")


# --- the Django side: texts in three languages --------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "No public transport from Terneuzen arrives before 06:00. Limit 90 min."),
        ("nl", "Geen openbaar vervoer vanuit Terneuzen komt aan vóór 06:00. Maximum 90 min."),
        ("fr", "Aucun transport en commun depuis Terneuzen n’arrive avant 06:00. Limite 90 min."),
    ],
)
def test_the_explanation_says_no_public_transport_arrives_before_the_shift(language, expected):
    item = {
        "code": "commute",
        "result": "no_transit_before_shift",
        "minutes": None,
        "mode": None,
        "crossings": [],
        "max_minutes": 90,
        "from_place": 1,
        "from_place_label": "Terneuzen",
        "to_place": 2,
        "to_place_label": "Gent",
        "shift_hours": [6],
        "transit_before_shift": "no_trip",
        "no_trip_hour": 6,
        "text": "no public transport from Terneuzen arrives before 06:00 (limit 90 min)",
    }
    with translation.override(language):
        rendered = render_reason(item)
        assert rendered.translated
        assert rendered.tone == "warning"
        assert rendered.text == expected
        assert filter_reason_label("no_transit_before_shift") != "no_transit_before_shift"


def test_the_explanation_with_another_mode_names_the_missing_bus_and_the_limit():
    item = {
        "code": "commute",
        "result": "within_limit",
        "minutes": 38,
        "mode": "car",
        "crossings": [],
        "max_minutes": 180,
        "from_place_label": "Terneuzen",
        "to_place_label": "Gent",
        "transit_before_shift": "no_trip",
        "no_trip_hour": 22,
    }
    with translation.override("en"):
        text = render_reason(item).text
    assert text == "No public transport from Terneuzen arrives before 22:00. 38 min by car (limit 180 min)."


# --- end to end on the real reference data and timetable ------------------------------------------


@pytest.fixture
def terneuzen_without_car(occupation, occupation_skills):
    """Issue 10's jobseeker: lives in Terneuzen, no car, public transport only, at most 90 min."""
    return make_candidate(
        occupation=occupation,
        skills=occupation_skills,
        home="Terneuzen",
        commute_by_car=False,
        commute_by_bike=False,
        commute_by_public_transport=True,
        max_commute_minutes=90,
    )


@pytest.mark.django_db
def test_a_terneuzen_jobseeker_without_a_car_reaches_a_day_job_in_gent_but_not_a_06_00_shift(
    terneuzen_without_car, occupation, occupation_skills
):
    candidate = terneuzen_without_car
    day = make_vacancy(occupation=occupation, skills=occupation_skills, where="Gent", country="BE")
    early = make_vacancy(
        occupation=occupation,
        skills=occupation_skills,
        where="Gent",
        country="BE",
        shift_work=True,
        shift_start_times=["06:00", "14:00", "22:00"],
    )
    inputs = shortlists.engine_inputs()
    home = int(inputs.index.place_positions(np.array([candidate.home_place_id]))[0])
    work = int(inputs.index.place_positions(np.array([day.place_id]))[0])
    arrive_by = inputs.commute.pt_arrive_by
    assert arrive_by is not None, "the portal's travel model has no timetable"
    assert arrive_by[6, home, work] == PT_NO_TRIP, "the timetable now has a journey arriving in Gent by 06:00"
    assert inputs.commute.minutes[home, work, PT] <= 90

    shortlists.vacancy_rematch(vacancy_id=day.pk)
    shortlists.vacancy_rematch(vacancy_id=early.pk)

    on_day = Match.objects.get(vacancy=day, candidate=candidate)
    assert on_day.rank == 1
    commute_reason = next(r for r in on_day.explanation if r["code"] == "commute")
    assert (commute_reason["mode"], commute_reason["result"]) == ("public_transport", "within_limit")
    assert not Match.objects.filter(vacancy=early, candidate=candidate).exists()
    assert ShortlistSummary.objects.get(vacancy=early).exclusions["no_transit_before_shift"] == 1
    assert ShortlistSummary.objects.get(vacancy=day).exclusions["no_transit_before_shift"] == 0

    # The reason and its explanation, as the jobseeker's "why not" page and a caseworker see them.
    report = candidate_exclusions(candidate_id=candidate.pk)
    assert report.counts["no_transit_before_shift"] == 1
    row = next(r for r in report.rows if r.code == "no_transit_before_shift")
    assert row.step == "commute"
    engine = shortlists.build_engine(inputs=inputs, vacancies=Vacancy.objects.filter(pk=early.pk))
    match = engine.evaluate_pairs([candidate.pk], [early.pk]).match(0)
    assert match.failed_filters == ("no_transit_before_shift",)
    reasons = shortlists.reasons_for_db(match.reasons, inputs.index)
    item = next(r for r in reasons if r["code"] == "commute")
    assert item["no_trip_hour"] == 6
    lookup = Lookup(places={candidate.home_place_id: "Terneuzen", early.place_id: "Gent"})
    with translation.override("en"):
        assert (
            render_reason(item, lookup).text == "No public transport from Terneuzen arrives before 06:00. Limit 90 min."
        )
    with translation.override("nl"):
        assert render_reason(item, lookup).text.startswith(
            "Geen openbaar vervoer vanuit Terneuzen komt aan vóór 06:00."
        )


def test_a_public_transport_reason_names_the_line_of_the_journey():
    routes = np.full((PLACES.n, PLACES.n), -1, np.int32)
    routes[TERNEUZEN, GENT] = 0
    commute = dataclasses.replace(
        model(minutes=T_GENT_PT), pt_route=routes, pt_route_texts=("bus Terneuzen–Gent Dampoort, hourly, no change",)
    )
    commute_reason = reason(one_pair(pt_only(), {"place": GENT}, commute), "commute")
    assert commute_reason["line"] == "bus Terneuzen–Gent Dampoort, hourly, no change"
    assert "(bus Terneuzen–Gent Dampoort, hourly, no change)" in commute_reason["text"]
    with translation.override("nl"):
        text = render_reason({**commute_reason, "from_place_label": "Terneuzen", "to_place_label": "Gent"}).text
    assert text == (
        "75 min met het openbaar vervoer van Terneuzen naar Gent over de Nederlands-Belgische grens "
        "(bus Terneuzen–Gent Dampoort, elk uur, zonder overstap) (maximum 90 min)."
    )
    car = reason(one_pair(pt_only(commute_modes=MODE_CAR), {"place": GENT}, commute), "commute")
    assert "line" not in car

"""An always-fresh shortlist (issue 10): after one candidate's change, every open vacancy's
summary counts and shortlist equal what a rematch of that vacancy from scratch writes, freed
places are refilled, decisions are kept. Tasks run eagerly on commit, as in the portal."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidates.models import Candidate
from candidates.services import candidate_add_skills, candidate_set_consent, candidate_update
from matching import shortlists
from matching.models import Match, ReviewStatus, ShortlistSummary
from matching.services import match_decide
from taxonomy.models import Skill
from tests.factories import CaseworkerFactory, service
from tests.matching.conftest import make_candidate, make_vacancy

pytestmark = pytest.mark.django_db

TOP_K = 2


@pytest.fixture(autouse=True)
def short_lists(settings):
    settings.MATCHING_TOP_K = TOP_K
    shortlists._cache.clear()  # engines cached by another test were built with another top K
    yield
    shortlists._cache.clear()


def state(vacancy):
    """What a shortlist page shows: the counts and the rows (order, rank, status, flag)."""
    summary = ShortlistSummary.objects.get(vacancy=vacancy)
    rows = list(
        Match.objects.filter(vacancy=vacancy)
        .order_by("rank", "candidate_id")
        .values_list("candidate_id", "rank", "review_status", "reviewer_id", "is_flagged")
    )
    return (summary.candidates_total, summary.eligible, summary.exclusions), rows


def assert_fresh(*vacancies):
    """The state equals what a rematch of each vacancy from scratch writes (it changes nothing)."""
    for vacancy in vacancies:
        before = state(vacancy)
        shortlists.vacancy_rematch(vacancy_id=vacancy.pk)
        assert state(vacancy) == before, f"vacancy {vacancy.pk} was stale"


def on_list(vacancy, *, unflagged=True):
    rows = Match.objects.filter(vacancy=vacancy)
    if unflagged:
        rows = rows.filter(is_flagged=False)
    return set(rows.values_list("candidate_id", flat=True))


@pytest.fixture
def other_skills(occupation_skills):
    return list(Skill.objects.exclude(pk__in=[s.pk for s in occupation_skills]).order_by("uri")[:2])


@pytest.fixture
def region(occupation, occupation_skills, other_skills):
    """Star has every skill; b, c and d fewer and fewer; e and f have the skills that only the
    third vacancy asks for, so star passes there without being on its shortlist.  Essential
    skills are a hard filter (issue 12): the vacancies list one and rank on the others as
    optional ones."""
    s = occupation_skills
    people = {
        "star": make_candidate(occupation=occupation, skills=s + other_skills[:1]),
        "b": make_candidate(occupation=occupation, skills=s[:3]),
        "c": make_candidate(occupation=occupation, skills=s[:2]),
        "d": make_candidate(occupation=occupation, skills=s[:1]),
        "e": make_candidate(occupation=occupation, skills=other_skills),
        "f": make_candidate(occupation=occupation, skills=other_skills),
    }
    vacancies = {
        "v1": make_vacancy(occupation=occupation, skills=s[:1], optional=s[1:]),
        "v2": make_vacancy(occupation=occupation, skills=s[:1], optional=s[1:]),
        "v3": make_vacancy(occupation=occupation, skills=other_skills[:1], optional=other_skills[1:]),
    }
    shortlists.vacancies_rematch(vacancy_ids=[v.pk for v in vacancies.values()])
    return people, vacancies


def test_withdrawn_consent_recounts_every_vacancy_refills_and_keeps_decisions(
    region, django_capture_on_commit_callbacks
):
    people, vacancies = region
    v1, v2, v3 = vacancies["v1"], vacancies["v2"], vacancies["v3"]
    star, b, c = people["star"], people["b"], people["c"]
    assert on_list(v1) == on_list(v2) == {star.pk, b.pk}
    assert star.pk not in on_list(v3)  # but counted there as eligible
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    match_decide(match=Match.objects.get(vacancy=v1, candidate=b), reviewer=caseworker, decision="approved")
    counts_before = {v.pk: state(v)[0] for v in (v1, v2, v3)}

    with django_capture_on_commit_callbacks(execute=True):
        candidate_set_consent(candidate=star, kind="matching", given=False)

    assert not Match.objects.filter(candidate=star).exists()
    # Refilled from the next best: the freed place goes to c on both shortlists.
    assert on_list(v1) == on_list(v2) == {b.pk, c.pk}
    approved = Match.objects.get(vacancy=v1, candidate=b)
    assert (approved.review_status, approved.reviewer) == (ReviewStatus.APPROVED, caseworker)
    for vacancy in (v1, v2, v3):  # v3's list did not change, its counts did
        total, eligible, exclusions = state(vacancy)[0]
        old_total, old_eligible, old_exclusions = counts_before[vacancy.pk]
        assert (total, eligible) == (old_total, old_eligible - 1)
        assert exclusions["no_consent_matching"] == old_exclusions["no_consent_matching"] + 1
    assert_fresh(v1, v2, v3)
    assert Match.objects.get(vacancy=v1, candidate=b).review_status == ReviewStatus.APPROVED


def test_a_lowered_commute_limit_takes_the_candidate_off_and_refills(
    occupation, occupation_skills, django_capture_on_commit_callbacks
):
    s = occupation_skills
    # Lives in Hulst: a 10-minute limit no longer reaches Terneuzen (as in test_shortlists.py).
    mover = make_candidate(occupation=occupation, skills=s, home="Hulst", max_commute_minutes=90)
    near = make_candidate(occupation=occupation, skills=s[:2])
    next_best = make_candidate(occupation=occupation, skills=s[:1])
    vacancies = [make_vacancy(occupation=occupation, skills=s[:1], optional=s[1:]) for _ in range(3)]
    shortlists.vacancies_rematch(vacancy_ids=[v.pk for v in vacancies])
    for vacancy in vacancies:
        assert on_list(vacancy) == {mover.pk, near.pk}
    match_decide(
        match=Match.objects.get(vacancy=vacancies[0], candidate=mover),
        reviewer=CaseworkerFactory(employment_service=service("uwv")),
        decision=ReviewStatus.APPROVED,
    )
    too_far_before = {v.pk: state(v)[0][2]["commute_too_far"] for v in vacancies}

    with django_capture_on_commit_callbacks(execute=True):
        candidate_update(candidate=mover, max_commute_minutes=10)

    decided = Match.objects.get(vacancy=vacancies[0], candidate=mover)
    assert decided.review_status == ReviewStatus.APPROVED  # kept, flagged
    assert decided.is_flagged
    assert "commute_too_far" in decided.flag_reasons
    assert on_list(vacancies[0]) == on_list(vacancies[1]) == on_list(vacancies[2]) == {near.pk, next_best.pk}
    assert not Match.objects.filter(candidate=mover, review_status=ReviewStatus.PROPOSED).exists()
    for vacancy in vacancies:
        assert state(vacancy)[0][2]["commute_too_far"] == too_far_before[vacancy.pk] + 1
    assert_fresh(*vacancies)


def test_an_added_skill_puts_the_candidate_on_a_shortlist_and_pushes_the_last_off(
    region, other_skills, django_capture_on_commit_callbacks
):
    people, vacancies = region
    v1, v3 = vacancies["v1"], vacancies["v3"]
    d = people["d"]
    assert d.pk not in on_list(v3)
    assert on_list(v3) == {people["e"].pk, people["f"].pk}
    decided_on_v1 = Match.objects.get(vacancy=v1, candidate=people["b"])
    match_decide(
        match=decided_on_v1,
        reviewer=CaseworkerFactory(employment_service=service("uwv")),
        decision=ReviewStatus.REJECTED,
        reason="skills",
    )

    with django_capture_on_commit_callbacks(execute=True):
        candidate_add_skills(candidate=d, skills=[*other_skills, *v1.essential_skills.all(), *v1.optional_skills.all()])

    # d now has every skill of both: first on v3 (one of e/f drops off), and on v1 above b.
    assert d.pk in on_list(v3)
    assert len(on_list(v3, unflagged=False)) == TOP_K
    assert d.pk in on_list(v1)
    rejected = Match.objects.get(pk=decided_on_v1.pk)
    assert rejected.review_status == ReviewStatus.REJECTED  # a decision is never dropped
    assert_fresh(*vacancies.values())


def test_a_deleted_candidate_frees_places_that_the_next_rematch_fills(region):
    people, vacancies = region
    star, c = people["star"], people["c"]
    Candidate.objects.filter(pk=star.pk).delete()  # erasure: the rows go with the profile

    result = shortlists.candidate_rematch(candidate_id=star.pk)

    assert result["exists"] is False
    assert on_list(vacancies["v1"]) == on_list(vacancies["v2"]) == {people["b"].pk, c.pk}
    assert_fresh(*vacancies.values())


def test_an_unchanged_candidate_rewrites_only_their_shortlists(region):
    people, vacancies = region
    before = {v.pk: state(v) for v in vacancies.values()}
    result = shortlists.candidate_rematch(candidate_id=people["e"].pk)
    assert result["summaries_updated"] == result["shortlists_rewritten"] == 1  # v3 only
    assert {v.pk: state(v) for v in vacancies.values()} == before


def test_one_transaction_per_chunk_and_queries_do_not_grow_with_vacancies(
    occupation, occupation_skills, settings, django_capture_on_commit_callbacks
):
    s = occupation_skills
    star = make_candidate(occupation=occupation, skills=s)
    for skills in (s[:2], s[:1]):
        make_candidate(occupation=occupation, skills=skills)
    vacancies = [make_vacancy(occupation=occupation, skills=s[:1], optional=s[1:]) for _ in range(2)]
    shortlists.vacancies_rematch(vacancy_ids=[v.pk for v in vacancies])

    def queries_of_a_rematch():
        shortlists.candidate_rematch(candidate_id=star.pk)  # warms the worker's cached engine
        with CaptureQueriesContext(connection) as captured:
            shortlists.candidate_rematch(candidate_id=star.pk)
        return [q["sql"] for q in captured.captured_queries]

    few = queries_of_a_rematch()
    vacancies += [make_vacancy(occupation=occupation, skills=s[:1], optional=s[1:]) for _ in range(4)]
    shortlists.vacancies_rematch(vacancy_ids=[v.pk for v in vacancies])
    many = queries_of_a_rematch()
    assert len(many) == len(few)

    settings.MATCHING_CHUNK_VACANCIES = 2
    chunked = queries_of_a_rematch()
    savepoints = [q for q in chunked if q.startswith("SAVEPOINT")]
    assert len(savepoints) > len([q for q in many if q.startswith("SAVEPOINT")])
    # Chunks change the transactions, not the outcome.
    with django_capture_on_commit_callbacks(execute=True):
        candidate_set_consent(candidate=star, kind="matching", given=False)
    assert not Match.objects.filter(candidate=star).exists()
    for vacancy in vacancies:
        assert len(on_list(vacancy)) == TOP_K
    assert_fresh(*vacancies)


@pytest.mark.django_db(transaction=True)
def test_candidate_rematches_take_turns(reference_data, occupation, occupation_skills):
    """A rematch waits while another holds the turn, so an older one never writes last."""
    import threading

    from django.db import connections

    candidate = make_candidate(occupation=occupation, skills=occupation_skills)
    vacancy = make_vacancy(occupation=occupation, skills=occupation_skills)
    other = connections.create_connection("default")  # another worker holding the turn
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [shortlists.CANDIDATE_REMATCH_LOCK])
    results = []

    def rematch():
        try:
            results.append(shortlists.candidate_rematch(candidate_id=candidate.pk))
        finally:
            connections.close_all()

    thread = threading.Thread(target=rematch)
    thread.start()
    thread.join(timeout=2)
    assert thread.is_alive()
    assert not ShortlistSummary.objects.filter(vacancy=vacancy).exists()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [shortlists.CANDIDATE_REMATCH_LOCK])
    other.close()
    thread.join(timeout=60)
    assert results[0]["shortlists_rewritten"] == 1
    assert ShortlistSummary.objects.get(vacancy=vacancy).eligible == 1
    assert Match.objects.filter(vacancy=vacancy, candidate=candidate, rank=1).exists()

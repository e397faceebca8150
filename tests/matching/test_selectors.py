"""The reads behind the caseworker's and employer's pages: scoping, the decide rule in SQL, counts."""

import itertools

import pytest

from matching import selectors
from matching.models import CandidateResponse, Match, ReviewStatus
from matching.permissions import can_decide
from taxonomy.models import Skill
from tests.factories import CaseworkerFactory, EmployerFactory, UserFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy
from vacancies.models import Vacancy, VacancyLanguage

pytestmark = pytest.mark.django_db


def test_the_decide_rule_in_sql_agrees_with_the_python_rule_in_every_case():
    """matching.permissions.can_decide is the rule; selectors.decidable_q must say the same."""
    caseworkers = {code: CaseworkerFactory(employment_service=service(code)) for code in ("vdab", "uwv", "wsp-zvl")}
    admin = UserFactory(role="admin")
    vacancies = {"NL": published_vacancy(place=place("Terneuzen")), "BE": published_vacancy(place=place("Zelzate"))}
    matches = []
    for code, consent, country in itertools.product(("vdab", "uwv", "wsp-zvl"), (False, True), ("NL", "BE")):
        home = "Terneuzen" if code != "vdab" else "Zelzate"
        candidate = candidate_with_profile(
            service_code=code, cross_border=consent, home=home, country="BE" if code == "vdab" else "NL"
        )
        matches.append(make_match(vacancy=vacancies[country], candidate=candidate))
    for user in [*caseworkers.values(), admin]:
        visible = selectors.with_decidable(Match.objects.for_caseworker(user), user)
        flags = dict(visible.values_list("pk", "decidable"))
        for match in matches:
            if match.pk in flags:
                assert flags[match.pk] == can_decide(user, match), (user.employment_service, match.candidate)
        # What the caseworker cannot see, they cannot decide either.
        for match in matches:
            if match.pk not in flags:
                assert not can_decide(user, match)


def test_a_caseworker_sees_own_candidates_and_consenting_ones_of_other_services():
    vacancy = published_vacancy()
    own = make_match(vacancy=vacancy, candidate=candidate_with_profile(service_code="uwv"))
    other_consenting = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(service_code="vdab", cross_border=True, home="Zelzate", country="BE"),
    )
    make_match(vacancy=vacancy, candidate=candidate_with_profile(service_code="vdab", home="Zelzate", country="BE"))
    uwv = CaseworkerFactory(employment_service=service("uwv"))
    rows = list(selectors.shortlist_for_caseworker(user=uwv, vacancy=vacancy))
    assert {m.pk for m in rows} == {own.pk, other_consenting.pk}
    assert {m.pk: m.decidable for m in rows} == {own.pk: True, other_consenting.pk: True}  # job in NL
    assert selectors.hidden_match_count(user=uwv, vacancy=vacancy) == 1
    vdab = CaseworkerFactory(employment_service=service("vdab"))
    vdab_rows = {m.pk: m.decidable for m in selectors.shortlist_for_caseworker(user=vdab, vacancy=vacancy)}
    assert vdab_rows[other_consenting.pk] is True  # own candidate
    assert own.pk not in vdab_rows  # UWV candidate without cross-border consent


def test_the_decide_rule_for_one_vacancy_agrees_with_the_general_one():
    """decidable_on_vacancy_q (no join to the vacancy) says what decidable_q says, row by row."""
    caseworkers = [CaseworkerFactory(employment_service=service(code)) for code in ("vdab", "uwv", "wsp-zvl")]
    vacancies = [published_vacancy(place=place("Terneuzen")), published_vacancy(place=place("Zelzate"))]
    for vacancy in vacancies:
        for code, consent in itertools.product(("vdab", "uwv"), (False, True)):
            candidate = candidate_with_profile(
                service_code=code,
                cross_border=consent,
                home="Zelzate" if code == "vdab" else "Terneuzen",
                country="BE" if code == "vdab" else "NL",
            )
            make_match(vacancy=vacancy, candidate=candidate)
    for user in [*caseworkers, UserFactory(role="admin")]:
        for vacancy in vacancies:
            matches = Match.objects.for_caseworker(user).filter(vacancy=vacancy)
            general = dict(selectors.with_decidable(matches, user).values_list("pk", "decidable"))
            one = dict(selectors.with_decidable(matches, user, vacancy).values_list("pk", "decidable"))
            assert one == general
            assert general  # every caseworker sees some rows of each vacancy here


def test_the_rows_people_come_in_one_query_and_none_without_them(django_assert_num_queries):
    vacancy = published_vacancy()
    uwv = CaseworkerFactory(employment_service=service("uwv"))
    plain = make_match(vacancy=vacancy, candidate=candidate_with_profile(service_code="uwv"))
    rows = list(selectors.shortlist_for_caseworker(user=uwv, vacancy=vacancy))
    with django_assert_num_queries(0):
        selectors.shortlist_rows_complete(rows)
    decided = make_match(vacancy=vacancy, candidate=candidate_with_profile(service_code="uwv"))
    Match.objects.filter(pk=decided.pk).update(reviewer=uwv, review_status=ReviewStatus.APPROVED)
    Match.objects.filter(pk=plain.pk).update(added_by=uwv, source="manual")
    rows = list(selectors.shortlist_for_caseworker(user=uwv, vacancy=vacancy))
    with django_assert_num_queries(1):
        selectors.shortlist_rows_complete(rows)
    with django_assert_num_queries(0):
        names = {
            m.pk: (str(m.reviewer) if m.reviewer_id else None, str(m.added_by) if m.added_by_id else None) for m in rows
        }
    assert names == {decided.pk: (str(uwv), None), plain.pk: (None, str(uwv))}


def test_shortlist_views_filter_by_status_and_flag():
    vacancy = published_vacancy()
    proposed = make_match(vacancy=vacancy, candidate=candidate_with_profile(), score=0.9)
    approved = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(),
        score=0.8,
        review_status=ReviewStatus.APPROVED,
        is_flagged=True,
        flag_reasons=["commute_too_far"],
    )
    rejected = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(),
        score=0.7,
        review_status=ReviewStatus.REJECTED,
        reason="skills",
    )
    user = CaseworkerFactory(employment_service=service("uwv"))
    ids = lambda view: [m.pk for m in selectors.shortlist_for_caseworker(user=user, vacancy=vacancy, view=view)]  # noqa: E731
    assert ids("all") == [proposed.pk, approved.pk, rejected.pk]  # best score first
    assert ids("proposed") == [proposed.pk]
    assert ids("approved") == [approved.pk]
    assert ids("flagged") == [approved.pk]
    assert ids("rejected") == [rejected.pk]
    assert selectors.shortlist_counts(user=user, vacancy=vacancy) == {
        "all": 3,
        "proposed": 1,
        "approved": 1,
        "rejected": 1,
        "flagged": 1,
    }


def test_the_employer_sees_only_approved_and_accepted_matches_of_own_vacancies():
    vacancy = published_vacancy()
    shared = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(),
        review_status=ReviewStatus.APPROVED,
        candidate_response=CandidateResponse.ACCEPTED,
    )
    make_match(vacancy=vacancy, candidate=candidate_with_profile(), review_status=ReviewStatus.APPROVED)
    make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(),
        review_status=ReviewStatus.APPROVED,
        candidate_response=CandidateResponse.DECLINED,
    )
    make_match(vacancy=vacancy, candidate=candidate_with_profile())
    assert list(selectors.shortlist_for_employer(employer_id=vacancy.employer_id, vacancy=vacancy)) == [shared]
    assert list(selectors.shortlist_for_employer(employer_id=EmployerFactory().pk, vacancy=vacancy)) == []
    assert list(selectors.shortlist_for_employer(employer_id=None, vacancy=vacancy)) == []


# --- the work queue's counts (ShortlistCount, kept by triggers) -----------------------------------


def _counts_recomputed() -> set[tuple]:
    """What the counting triggers must hold, grouped again from the matches in Python."""
    from collections import Counter

    groups: Counter = Counter()
    for match in Match.objects.select_related("candidate"):
        key = (match.vacancy_id, match.candidate.employment_service_id, match.candidate.has_cross_border_consent)
        groups[(*key, "proposed")] += match.review_status == ReviewStatus.PROPOSED
        groups[(*key, "approved")] += match.review_status == ReviewStatus.APPROVED
        groups[(*key, "rejected")] += match.review_status == ReviewStatus.REJECTED
        groups[(*key, "flagged")] += match.is_flagged
    keys = {key[:3] for key in groups}
    return {
        (
            *key,
            groups[(*key, "proposed")],
            groups[(*key, "approved")],
            groups[(*key, "rejected")],
            groups[(*key, "flagged")],
        )
        for key in keys
    }


def _counts_stored() -> set[tuple]:
    from matching.models import ShortlistCount

    return set(
        ShortlistCount.objects.values_list(
            "vacancy_id", "employment_service_id", "cross_border", "proposed", "approved", "rejected", "flagged"
        )
    )


def _queue_rows_equal_a_regrouping_of_the_matches() -> int:
    """Every caseworker scope's queue (``QueueScope``, kept by triggers) equals the same rows
    grouped from the matches, for each service filter and country; returns the rows compared."""
    from accounts.models import EmploymentService

    services = list(EmploymentService.objects.all())
    viewers = [UserFactory(role="admin"), *[CaseworkerFactory(employment_service=s) for s in services]]
    compared = 0
    for user, of_service, country in itertools.product(viewers, [None, *services], [None, "NL", "BE"]):
        filters = {key: value for key, value in (("service", of_service), ("country", country)) if value}
        stored = list(selectors.shortlists_needing_review(user=user, filters=filters))
        grouped = list(selectors._shortlists_needing_review_from_matches(user=user, filters=filters))
        assert stored == grouped, (user.employment_service, of_service, country)
        compared += len(stored)
    return compared


def test_the_queue_counts_follow_every_write_to_matches_and_candidates():
    vacancy, other = published_vacancy(), published_vacancy()
    uwv_candidate = candidate_with_profile(service_code="uwv")
    vdab_candidate = candidate_with_profile(service_code="vdab", cross_border=True, home="Zelzate", country="BE")
    first = make_match(vacancy=vacancy, candidate=uwv_candidate, score=0.9)
    make_match(vacancy=vacancy, candidate=vdab_candidate, score=0.7)
    make_match(vacancy=other, candidate=vdab_candidate, score=0.6)
    assert _counts_stored() == _counts_recomputed()
    assert len(_counts_stored()) == 3

    Match.objects.filter(pk=first.pk).update(review_status=ReviewStatus.APPROVED, is_flagged=True)
    assert _counts_stored() == _counts_recomputed()
    Match.objects.filter(candidate=vdab_candidate).update(review_status=ReviewStatus.REJECTED)
    assert _counts_stored() == _counts_recomputed()

    # Withdrawing cross-border consent moves the candidate's matches to another group.
    vdab_candidate.consent_cross_border_at = None
    vdab_candidate.save()
    assert (other.pk, vdab_candidate.employment_service_id, False, 0, 0, 1, 0) in _counts_stored()
    assert _counts_stored() == _counts_recomputed()

    Match.objects.filter(vacancy=other).delete()
    assert _counts_stored() == _counts_recomputed()
    assert not [row for row in _counts_stored() if row[0] == other.pk]
    uwv_candidate.delete()  # erasure cascades to the matches
    assert _counts_stored() == _counts_recomputed()


def test_the_queue_rows_per_scope_follow_every_write_to_matches_candidates_and_vacancies():
    from django.db import connection

    from matching.models import QueueScope

    if connection.vendor != "postgresql":
        pytest.skip("the queue's rows per scope are kept by PostgreSQL triggers")
    nl_vacancy, be_vacancy = published_vacancy(place=place("Terneuzen")), published_vacancy(place=place("Zelzate"))
    uwv_candidate = candidate_with_profile(service_code="uwv")
    vdab_candidate = candidate_with_profile(service_code="vdab", cross_border=True, home="Zelzate", country="BE")
    hidden = candidate_with_profile(service_code="vdab", home="Zelzate", country="BE")
    first = make_match(vacancy=nl_vacancy, candidate=uwv_candidate, score=0.9)
    for vacancy in (nl_vacancy, be_vacancy):
        make_match(vacancy=vacancy, candidate=vdab_candidate, score=0.7)
        make_match(vacancy=vacancy, candidate=hidden, score=0.95)
    assert _queue_rows_equal_a_regrouping_of_the_matches() > 0

    Match.objects.filter(pk=first.pk).update(review_status=ReviewStatus.APPROVED, is_flagged=True)
    assert _queue_rows_equal_a_regrouping_of_the_matches() > 0
    Match.objects.filter(candidate=hidden).update(review_status=ReviewStatus.REJECTED)
    assert _queue_rows_equal_a_regrouping_of_the_matches() > 0

    vdab_candidate.consent_cross_border_at = None  # consent withdrawn
    vdab_candidate.save()
    assert _queue_rows_equal_a_regrouping_of_the_matches() > 0

    # A vacancy that closes leaves the queue; published again, it is back; a move changes its country.
    from vacancies.models import Vacancy, VacancyStatus

    Vacancy.objects.filter(pk=be_vacancy.pk).update(status=VacancyStatus.CLOSED)
    assert not QueueScope.objects.filter(vacancy=be_vacancy).exists()
    _queue_rows_equal_a_regrouping_of_the_matches()
    Vacancy.objects.filter(pk=be_vacancy.pk).update(status=VacancyStatus.PUBLISHED)
    assert QueueScope.objects.filter(vacancy=be_vacancy).exists()
    Vacancy.objects.filter(pk=nl_vacancy.pk).update(place=place("Zelzate"), is_stem=True)
    assert set(QueueScope.objects.filter(vacancy=nl_vacancy).values_list("country", "is_stem")) == {("BE", True)}
    assert _queue_rows_equal_a_regrouping_of_the_matches() > 0

    Match.objects.filter(vacancy=be_vacancy).delete()
    assert not QueueScope.objects.filter(vacancy=be_vacancy).exists()
    assert _queue_rows_equal_a_regrouping_of_the_matches() > 0
    uwv_candidate.delete()  # erasure cascades to the matches
    vdab_candidate.delete()
    hidden.delete()
    assert _queue_rows_equal_a_regrouping_of_the_matches() == 0
    assert not QueueScope.objects.exists()


def test_the_queue_shows_what_the_caseworker_sees_and_may_decide():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the counting triggers are PostgreSQL's")
    be_vacancy = published_vacancy(place=place("Zelzate"))
    nl_vacancy = published_vacancy(place=place("Terneuzen"))
    own = candidate_with_profile(service_code="uwv")
    consenting = candidate_with_profile(service_code="vdab", cross_border=True, home="Zelzate", country="BE")
    hidden = candidate_with_profile(service_code="vdab", home="Zelzate", country="BE")
    for vacancy in (be_vacancy, nl_vacancy):
        for candidate, score in ((own, 0.9), (consenting, 0.8), (hidden, 0.95)):
            make_match(vacancy=vacancy, candidate=candidate, score=score)
    uwv = CaseworkerFactory(employment_service=service("uwv"))
    rows = {row["vacancy"]: row for row in selectors.shortlists_needing_review(user=uwv, filters={})}
    from_matches = {
        row["vacancy"]: row for row in selectors._shortlists_needing_review_from_matches(user=uwv, filters={})
    }
    assert rows == from_matches
    assert rows[nl_vacancy.pk]["undecided"] == 2
    assert rows[nl_vacancy.pk]["decidable"] == 2
    assert rows[be_vacancy.pk]["decidable"] == 1  # the consenting VDAB candidate is decided in Belgium
    assert rows[nl_vacancy.pk]["best"] == pytest.approx(0.9)  # the hidden candidate's 0.95 is not shown
    only_vdab = selectors.shortlists_needing_review(user=uwv, filters={"service": service("vdab")})
    assert {row["vacancy"]: row["undecided"] for row in only_vdab} == {be_vacancy.pk: 1, nl_vacancy.pk: 1}
    admin = UserFactory(role="admin")
    admin_rows = list(selectors.shortlists_needing_review(user=admin, filters={}))
    assert admin_rows == list(selectors._shortlists_needing_review_from_matches(user=admin, filters={}))
    assert {row["undecided"] for row in admin_rows} == {3}


def test_the_shortlists_vacancy_has_its_requirements_as_prefetch_related_gives_them(django_assert_num_queries):
    vacancy = published_vacancy()
    skills = list(Skill.objects.order_by("uri")[:7])
    assert len(skills) == 7  # the reference data's skills
    vacancy.essential_skills.set(skills[:3])
    vacancy.optional_skills.set(skills[3:])
    VacancyLanguage.objects.create(vacancy=vacancy, language="nl", min_level=4)
    VacancyLanguage.objects.create(vacancy=vacancy, language="en", min_level=3)
    expected = Vacancy.objects.prefetch_related("essential_skills", "optional_skills", "languages").get(pk=vacancy.pk)
    with django_assert_num_queries(3):  # the vacancy, its skills, its languages
        ours = selectors.vacancy_for_shortlist(pk=vacancy.pk)
    with django_assert_num_queries(0):
        for name in ("essential_skills", "optional_skills", "languages"):
            assert list(getattr(ours, name).all()) == list(getattr(expected, name).all()), name
        assert [s.label for s in ours.essential_skills.all()] == [s.label for s in expected.essential_skills.all()]
        assert [(x.language, x.min_level) for x in ours.languages.all()] == [("en", 3), ("nl", 4)]

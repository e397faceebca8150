"""The work queue: what waits for a caseworker, across the apps, and its filters."""

import pytest

from matching.models import ReviewStatus
from tests.factories import CaseworkerFactory, EmployerFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy
from vacancies.models import VacancyStatus
from workspace import selectors

pytestmark = pytest.mark.django_db


def test_work_queue_rows_and_filters():
    nl_stem = published_vacancy(place=place("Terneuzen"), is_stem=True)
    be_other = published_vacancy(place=place("Zelzate"), is_stem=False)
    for vacancy in (nl_stem, be_other):
        make_match(vacancy=vacancy, candidate=candidate_with_profile(service_code="uwv"))
        make_match(
            vacancy=vacancy, candidate=candidate_with_profile(service_code="uwv"), review_status=ReviewStatus.APPROVED
        )
    in_review = published_vacancy(
        employer=EmployerFactory(is_verified=False), status=VacancyStatus.IN_REVIEW, place=place("Zelzate")
    )
    unverified = in_review.employer
    user = CaseworkerFactory(employment_service=service("uwv"))

    queue = selectors.work_queue(user=user, filters={})
    rows = {row["vacancy"]: row for row in queue.shortlists}
    assert set(rows) == {nl_stem.pk, be_other.pk}
    assert rows[nl_stem.pk]["undecided"] == 1
    assert rows[nl_stem.pk]["decidable"] == 1
    assert rows[be_other.pk]["decidable"] == 1  # own candidates, wherever the job is
    assert list(queue.vacancies_in_review) == [in_review]
    assert unverified in list(queue.employers_to_verify)

    assert [r["vacancy"] for r in selectors.work_queue(user=user, filters={"stem": True}).shortlists] == [nl_stem.pk]
    by_country = selectors.work_queue(user=user, filters={"country": "BE"})
    assert [r["vacancy"] for r in by_country.shortlists] == [be_other.pk]
    assert list(by_country.vacancies_in_review) == [in_review]
    by_place = selectors.work_queue(user=user, filters={"place": place("Terneuzen")})
    assert [r["vacancy"] for r in by_place.shortlists] == [nl_stem.pk]
    assert not by_place.vacancies_in_review.exists()
    vdab_only = selectors.work_queue(user=user, filters={"service": service("vdab")})
    assert list(vdab_only.shortlists) == []  # no VDAB candidates on these shortlists
    assert list(vdab_only.vacancies_in_review) == [in_review]  # the vacancy is in VDAB's country

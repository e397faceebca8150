"""Which employment service moderates which vacancy and verifies which employer (accounts.roles,
docs/architecture.md "Roles"): a service decides for the employers of its own country (VDAB:
Belgian, UWV and WSP Zeeuws-Vlaanderen: Dutch), a portal admin everywhere; the other country's
caseworkers see the page read-only. Both roads, the pages and the API (sessions and tokens),
give the same answer, because both go through the same services."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from accounts.models import SERVICE_SCOPES, Employer, Role
from accounts.roles import may_moderate_vacancy, may_verify_employer, moderation_country_of
from accounts.services import api_token_issue, employer_verify
from tests.factories import (
    CaseworkerFactory,
    EmployerFactory,
    EmployerUserFactory,
    UserFactory,
    VacancyFactory,
    place,
    service,
)
from tests.workspace_helpers import published_vacancy
from vacancies.models import Vacancy, VacancyStatus
from vacancies.services import vacancy_moderate

pytestmark = pytest.mark.django_db

SERVICES = {"vdab": "BE", "uwv": "NL", "wsp-zvl": "NL"}
COUNTRIES = ("NL", "BE")


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # the API's throttle counters live in the cache
    yield
    cache.clear()


def unverified_employer(country: str) -> Employer:
    return EmployerFactory(is_verified=False, belgian=country == "BE")


def vacancy_in_review(country: str) -> Vacancy:
    employer = unverified_employer(country)
    EmployerUserFactory(employer=employer)
    return published_vacancy(employer=employer, status=VacancyStatus.IN_REVIEW, published_at=None)


def page(name: str, **kwargs) -> str:
    with translation.override("en"):
        return reverse(f"workspace:{name}", kwargs=kwargs)


def admin():
    return UserFactory(role=Role.ADMIN)


# --- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SERVICES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_a_service_decides_for_the_employers_of_its_own_country(code, country):
    caseworker = CaseworkerFactory(employment_service=service(code))
    coordinator = CaseworkerFactory(employment_service=service(code), is_coordinator=True)
    vacancy = vacancy_in_review(country)
    own = SERVICES[code] == country
    for user in (caseworker, coordinator):  # a coordinator is bound to the service's country too
        assert moderation_country_of(user) == SERVICES[code]
        assert may_verify_employer(user, vacancy.employer) is own
        assert may_moderate_vacancy(user, vacancy) is own


def test_a_portal_admin_decides_everywhere_and_other_roles_nowhere():
    superuser = UserFactory(role=Role.JOBSEEKER, is_superuser=True)
    for country in COUNTRIES:
        vacancy = vacancy_in_review(country)
        for user in (admin(), superuser):
            assert moderation_country_of(user) is None
            assert may_moderate_vacancy(user, vacancy)
            assert may_verify_employer(user, vacancy.employer)
        for user in (UserFactory(), EmployerUserFactory(employer=vacancy.employer)):
            assert moderation_country_of(user) == ""
            assert not may_moderate_vacancy(user, vacancy)
            assert not may_verify_employer(user, vacancy.employer)


def test_the_employers_country_counts_not_the_vacancys_place():
    """A Dutch company's job across the border is still vouched for by a Dutch service."""
    employer = unverified_employer("NL")
    vacancy = published_vacancy(employer=employer, status=VacancyStatus.IN_REVIEW, place=place("Zelzate", "BE"))
    assert may_moderate_vacancy(CaseworkerFactory(employment_service=service("uwv")), vacancy)
    assert not may_moderate_vacancy(CaseworkerFactory(employment_service=service("vdab")), vacancy)


# --- the services: the one place that enforces it -------------------------------------------------


def test_the_services_refuse_the_other_country_and_change_nothing():
    vacancy = vacancy_in_review("NL")
    vdab = CaseworkerFactory(employment_service=service("vdab"))
    with pytest.raises(PermissionDenied):
        vacancy_moderate(vacancy=vacancy, approve=True, moderator=vdab)
    with pytest.raises(PermissionDenied):
        employer_verify(employer=vacancy.employer, verified_by=vdab)
    vacancy.refresh_from_db()
    vacancy.employer.refresh_from_db()
    assert vacancy.status == VacancyStatus.IN_REVIEW
    assert not vacancy.employer.is_verified

    uwv = CaseworkerFactory(employment_service=service("uwv"))
    assert vacancy_moderate(vacancy=vacancy, approve=True, moderator=uwv).status == VacancyStatus.PUBLISHED
    assert employer_verify(employer=vacancy.employer, verified_by=uwv).verified_by == uwv


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", SERVICES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_the_review_page_moderates_the_own_country_and_shows_the_other_read_only(client, code, country):
    vacancy = vacancy_in_review(country)
    client.force_login(CaseworkerFactory(employment_service=service(code)))
    url = page("vacancy_review", pk=vacancy.pk)
    html = client.get(url).content.decode()
    own = SERVICES[code] == country
    assert ("Save the decision" in html) is own
    assert ("Read only" in html) is not own
    if not own:
        deciders = "VDAB" if country == "BE" else "UWV, WSP Zeeuws-Vlaanderen"
        assert f"moderated by {deciders}" in html
    response = client.post(url, {"decision": "approve", "note": ""})
    assert response.status_code == (302 if own else 403)
    vacancy.refresh_from_db()
    assert vacancy.status == (VacancyStatus.PUBLISHED if own else VacancyStatus.IN_REVIEW)


@pytest.mark.parametrize("code", SERVICES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_the_company_page_verifies_the_own_country_and_shows_the_other_read_only(client, code, country):
    employer = unverified_employer(country)
    client.force_login(CaseworkerFactory(employment_service=service(code)))
    url = page("employer_review", pk=employer.pk)
    html = client.get(url).content.decode()
    own = SERVICES[code] == country
    assert ('id="verify-heading"' in html) is own
    assert ("Read only" in html) is not own
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == (302 if own else 403)
    employer.refresh_from_db()
    assert employer.is_verified is own


def test_a_portal_admin_moderates_and_verifies_both_countries_on_the_pages(client):
    client.force_login(admin())
    for country in COUNTRIES:
        vacancy = vacancy_in_review(country)
        assert client.post(page("employer_review", pk=vacancy.employer_id), {"confirm": "on"}).status_code == 302
        assert client.post(page("vacancy_review", pk=vacancy.pk), {"decision": "approve"}).status_code == 302
        vacancy.refresh_from_db()
        assert vacancy.status == VacancyStatus.PUBLISHED
        assert vacancy.employer.is_verified


def test_what_a_caseworker_may_not_see_stays_a_404(client):
    client.force_login(CaseworkerFactory(employment_service=service("vdab")))
    draft = VacancyFactory(employer=unverified_employer("NL"))  # not in review: nobody's to moderate
    assert client.get(page("vacancy_review", pk=draft.pk)).status_code == 404
    assert client.post(page("vacancy_review", pk=draft.pk), {"decision": "approve"}).status_code == 404


def test_the_work_queue_marks_the_other_countrys_rows(client):
    dutch = vacancy_in_review("NL")
    belgian = vacancy_in_review("BE")
    client.force_login(CaseworkerFactory(employment_service=service("vdab")))
    response = client.get(page("work_queue"))
    rows = {v.pk: v.moderated_by for v in response.context["vacancies"].object_list}
    assert rows == {dutch.pk: "UWV, WSP Zeeuws-Vlaanderen", belgian.pk: ""}
    companies = {e.pk: e.moderated_by for e in response.context["employers"].object_list}
    assert companies == {dutch.employer_id: "UWV, WSP Zeeuws-Vlaanderen", belgian.employer_id: ""}
    assert "Moderated by UWV, WSP Zeeuws-Vlaanderen" in response.content.decode()


# --- the API: sessions and tokens of each service ------------------------------------------------


def api_client(*, code: str | None = None, token: bool = False, user=None) -> APIClient:
    client = APIClient()
    if token:
        _row, secret = api_token_issue(name=f"{code} systeem", scopes=SERVICE_SCOPES, employment_service=service(code))
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    else:
        client.force_login(user or CaseworkerFactory(employment_service=service(code)))
    return client


@pytest.mark.parametrize("token", [False, True], ids=["session", "token"])
@pytest.mark.parametrize("code", SERVICES)
@pytest.mark.parametrize("country", COUNTRIES)
def test_the_api_moderates_the_own_country_and_refuses_the_other_with_403(code, country, token):
    vacancy = vacancy_in_review(country)
    client = api_client(code=code, token=token)
    # Visible (read-only) to every caseworker, as on the page.
    assert client.get(f"/api/v1/vacancies/{vacancy.pk}").status_code == 200
    assert vacancy.pk in {v["id"] for v in client.get("/api/v1/vacancies/moderation").json()["results"]}
    response = client.post(
        f"/api/v1/vacancies/{vacancy.pk}/moderate", {"approve": True}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    vacancy.refresh_from_db()
    if SERVICES[code] == country:
        assert response.status_code == 200
        assert vacancy.status == VacancyStatus.PUBLISHED
    else:
        assert response.status_code == 403
        body = response.json()
        assert (body["status"], body["code"]) == (403, "permission_denied")
        assert "employer's country" in body["detail"]
        assert vacancy.status == VacancyStatus.IN_REVIEW


def test_the_api_refuses_before_reading_the_body_as_the_page_does():
    """An invalid body from the wrong service is a 403, not a 400 that would talk about the note."""
    vacancy = vacancy_in_review("NL")
    response = api_client(code="vdab", token=True).post(
        f"/api/v1/vacancies/{vacancy.pk}/moderate", {"approve": False}, format="json"
    )
    assert response.status_code == 403


def test_a_portal_admin_moderates_both_countries_over_the_api():
    client = api_client(user=admin())
    for country in COUNTRIES:
        vacancy = vacancy_in_review(country)
        response = client.post(f"/api/v1/vacancies/{vacancy.pk}/moderate", {"approve": True}, format="json")
        assert response.status_code == 200
        assert response.json()["status"] == "published"


def test_the_api_keeps_a_404_for_what_is_not_in_review():
    draft = VacancyFactory(employer=unverified_employer("BE"))
    response = api_client(code="vdab", token=True).post(
        f"/api/v1/vacancies/{draft.pk}/moderate", {"approve": True}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("decision", [{"decision": "approve"}, {"decision": "send_back", "note": "Geef het salaris."}])
def test_after_moderating_the_caseworker_lands_on_the_work_queue_even_on_a_second_save(client, decision):
    """A double click or the back button posts the decision twice: the second lands on a page too."""
    vacancy = vacancy_in_review("NL")
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))
    first = client.post(page("vacancy_review", pk=vacancy.pk), decision, follow=True)
    assert first.status_code == 200
    assert first.redirect_chain[-1][0] == page("work_queue")
    second = client.post(page("vacancy_review", pk=vacancy.pk), decision, follow=True)
    assert second.status_code == 200
    assert second.redirect_chain[-1][0] == page("work_queue")
    assert "it was moderated already" in second.content.decode()
    # Another country's service still gets no page for it.
    client.force_login(CaseworkerFactory(employment_service=service("vdab")))
    assert client.post(page("vacancy_review", pk=vacancy.pk), decision).status_code == 404

"""The front page: search, newest vacancies, role-aware navigation and the jobseeker's profile state."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CandidateFactory, CaseworkerFactory, EmployerUserFactory, UserFactory, VacancyFactory

pytestmark = pytest.mark.django_db


def test_anonymous_home_offers_search_signup_and_login(client):
    VacancyFactory(
        title="Kraanmachinist",
        status="published",
        published_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=5),
    )
    body = client.get("/en/").content.decode()
    assert "Kraanmachinist" in body
    assert 'href="/en/accounts/signup/"' in body
    assert 'href="/en/accounts/login/"' in body
    assert "My applications" not in body


def test_jobseeker_home_shows_profile_state_and_jobseeker_menu(client):
    client.force_login(UserFactory())
    body = client.get("/en/").content.decode()
    assert "You have not filled in your profile yet." in body
    assert 'href="/en/applications/"' in body
    assert 'href="/en/matching/mine/"' in body
    client.force_login(CandidateFactory().user)
    body = client.get("/en/").content.decode()
    assert "complete" in body
    assert "No diploma" in body


@pytest.mark.parametrize("factory", [EmployerUserFactory, CaseworkerFactory])
def test_other_roles_do_not_get_the_jobseeker_menu(client, factory):
    client.force_login(factory())
    body = client.get("/en/").content.decode()
    assert 'href="/en/matching/mine/"' not in body
    assert 'href="/en/profile/"' not in body
    assert "Log out" in body

"""The language a user chose sticks: stored on the user, applied after login and on every page (issue 11)."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def test_the_language_switch_stores_the_choice_on_the_user(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "fr", "next": url("applications:list")})
    assert response.status_code == 302
    assert response["Location"] == url("applications:list", "fr")
    user.refresh_from_db()
    assert (user.language, user.preferred_language) == ("fr", "fr")  # pages and emails


def test_the_language_switch_still_works_for_visitors(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert not User.objects.exclude(language="").exists()


def test_after_login_the_page_asked_for_comes_in_the_chosen_language(client):
    UserFactory(email="jan@example.test", language="fr")
    target = url("applications:list", "en")
    response = client.post(
        url("accounts:login", "en") + f"?next={target}",
        {"username": "jan@example.test", "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == url("applications:list", "fr")


def test_after_login_the_start_page_comes_in_the_chosen_language(client):
    UserFactory(email="jan@example.test", language="en")
    response = client.post(url("accounts:login"), {"username": "jan@example.test", "password": PASSWORD})
    assert response["Location"] == url("candidates:profile", "en")


def test_every_page_follows_the_chosen_language_and_keeps_the_query(client):
    client.force_login(UserFactory(language="en"))
    response = client.get(url("vacancies:list") + "?q=lasser")
    assert response.status_code == 302
    assert response["Location"] == url("vacancies:list", "en") + "?q=lasser"
    assert client.get(response["Location"]).status_code == 200


def test_a_user_who_never_chose_keeps_the_language_of_the_address(client):
    client.force_login(UserFactory())
    assert client.get(url("vacancies:list", "fr")).status_code == 200
    assert client.get(url("vacancies:list")).status_code == 200

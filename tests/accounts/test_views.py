"""Sign-up, login (with throttling), logout, password reset, the account page and the data rights."""

import json
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import OutgoingEmail, Role, User
from applications.models import Application, ApplicationStatus
from candidates.models import Candidate
from matching.models import Match, MatchDecision, ReviewStatus
from tests.factories import CandidateFactory, CaseworkerFactory, EmployerUserFactory, UserFactory, VacancyFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def signup_data(**overrides) -> dict:
    data = {
        "first_name": "Anouk",
        "last_name": "de Vries",
        "email": "Anouk@Example.test",
        "password1": "Scheldemond-2026!",
        "password2": "Scheldemond-2026!",
        "accept_privacy": "on",
    }
    data.update(overrides)
    return data


# --- sign-up ------------------------------------------------------------------------------------


def test_signup_creates_a_logged_in_jobseeker_and_starts_the_profile(client):
    response = client.post(url("accounts:signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == url("candidates:step", step="home")
    user = User.objects.get(email="anouk@example.test")
    assert user.role == Role.JOBSEEKER
    assert user.preferred_language == "en"
    assert user.check_password("Scheldemond-2026!")
    assert client.get(url("candidates:profile")).status_code == 200  # logged in


def test_signup_in_dutch_keeps_dutch_as_the_email_language(client):
    client.post(url("accounts:signup", "nl"), signup_data(email="piet@example.test"))
    assert User.objects.get(email="piet@example.test").preferred_language == "nl"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something-else-2026"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"email": "not-an-email"}, "email"),
        ({"accept_privacy": ""}, "accept_privacy"),
        ({"first_name": ""}, "first_name"),
    ],
)
def test_signup_errors_rerender_the_form_and_keep_the_input(client, overrides, field):
    response = client.post(url("accounts:signup"), signup_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'value="de Vries"' in response.content.decode()
    assert not User.objects.filter(email="anouk@example.test").exists()


def test_signup_refuses_an_existing_email_whatever_its_case(client):
    UserFactory(email="anouk@example.test")
    response = client.post(url("accounts:signup"), signup_data(email="ANOUK@example.test"))
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["email"])


def test_a_logged_in_user_is_sent_away_from_signup(client):
    client.force_login(UserFactory())
    assert client.get(url("accounts:signup")).status_code == 302


# --- login, throttling, logout --------------------------------------------------------------------


def test_login_with_email_and_password(client):
    user = UserFactory(email="jan@example.test")
    response = client.post(url("accounts:login"), {"username": "jan@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url("candidates:profile")
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(
    ("factory", "start"),
    [
        (lambda: EmployerUserFactory(email="werkgever@example.test"), "vacancies:employer_vacancy_list"),
        (lambda: CaseworkerFactory(email="consulent@example.test"), "workspace:work_queue"),
    ],
)
def test_each_role_starts_where_its_work_is(client, factory, start):
    user = factory()
    response = client.post(url("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == url(start)


def test_login_goes_back_to_the_page_asked_for(client):
    UserFactory(email="jan@example.test")
    target = url("applications:list")
    response = client.post(
        url("accounts:login") + f"?next={target}",
        {"username": "jan@example.test", "password": PASSWORD, "next": target},
    )
    assert response["Location"] == target


def test_wrong_password_gives_a_clear_error(client):
    UserFactory(email="jan@example.test")
    response = client.post(url("accounts:login"), {"username": "jan@example.test", "password": "wrong"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_too_many_failures_lock_the_login_with_a_clear_page(client, settings):
    UserFactory(email="locked@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url("accounts:login"), {"username": "locked@example.test", "password": "wrong"})
    # Even the right password is refused while locked, with a page that says why and what to do.
    response = client.post(url("accounts:login"), {"username": "locked@example.test", "password": PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many login attempts" in body
    assert "15 minutes" in body
    assert url("accounts:password_reset") in body
    assert "_auth_user_id" not in client.session


def test_lockout_page_is_dutch_by_default(client, settings):
    UserFactory(email="slot@example.test")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(url("accounts:login", "nl"), {"username": "slot@example.test", "password": "fout"})
    assert response.status_code == 429
    assert 'lang="nl"' in response.content.decode()
    assert "Te veel" in response.content.decode()


def test_logout_is_a_post_and_says_so(client):
    client.force_login(UserFactory())
    response = client.post(url("accounts:logout"), follow=True)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "logged out" in response.content.decode()


# --- password reset ---------------------------------------------------------------------------------


def test_password_reset_by_email(client):
    user = UserFactory(email="vergeten@example.test")
    response = client.post(url("accounts:password_reset"), {"email": "vergeten@example.test"})
    assert response.status_code == 302
    assert response["Location"] == url("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"new_password1": "Nieuw-Wachtwoord-77", "new_password2": "Nieuw-Wachtwoord-77"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nieuw-Wachtwoord-77")


def test_password_reset_for_an_unknown_email_says_the_same_and_sends_nothing(client):
    response = client.post(url("accounts:password_reset"), {"email": "niemand@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_with_a_bad_link_explains(client):
    response = client.get(url("accounts:password_reset_confirm", uidb64="MQ", token="bad-token"))
    assert response.status_code == 200
    assert "not valid any more" in response.content.decode()


# --- the account page -------------------------------------------------------------------------------


def test_account_page_needs_login(client):
    response = client.get(url("accounts:account"))
    assert response.status_code == 302
    assert url("accounts:login") in response["Location"]


def test_account_page_changes_name_and_email_language(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        url("accounts:account"), {"first_name": "Ann", "last_name": "Peeters", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.preferred_language) == ("Ann", "fr")


def test_account_page_rejects_an_unknown_language(client):
    client.force_login(UserFactory())
    response = client.post(url("accounts:account"), {"first_name": "A", "last_name": "B", "preferred_language": "xx"})
    assert response.status_code == 200
    assert "preferred_language" in response.context["form"].errors


# --- data rights: export and delete -------------------------------------------------------------------


@pytest.fixture
def jobseeker_with_history():
    candidate = CandidateFactory(user__email="data@example.test", postcode="4531 AB")
    vacancy = VacancyFactory(status="published")
    application = Application.objects.create(candidate=candidate, vacancy=vacancy, motivation="Ik wil graag lassen.")
    match = Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        score=0.8,
        engine_version="t",
        review_status=ReviewStatus.APPROVED,
        note="Kent de kandidaat persoonlijk",
        explanation=[{"code": "commute", "text": "30 min from Terneuzen"}],
    )
    MatchDecision.objects.create(match=match, decision=ReviewStatus.APPROVED, note="Goed gesprek gehad")
    return candidate, application, match


def test_download_all_my_data_as_json(client, jobseeker_with_history):
    candidate, application, match = jobseeker_with_history
    client.force_login(candidate.user)
    response = client.get(url("my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "data@example.test"
    assert data["profile"]["home_place"] == "Terneuzen"
    assert data["applications"][0]["motivation"] == "Ik wil graag lassen."
    assert data["matches"][0]["review_status"] == "approved"


def test_export_needs_login(client):
    assert client.get(url("my_data_export")).status_code == 302


def test_delete_account_needs_the_password(client, jobseeker_with_history):
    candidate, _application, _match = jobseeker_with_history
    client.force_login(candidate.user)
    response = client.post(url("account_delete"), {"password": "wrong", "confirm": "on"})
    assert response.status_code == 200
    assert "password" in response.context["form"].errors
    assert User.objects.get(pk=candidate.user_id).is_active


def test_delete_account_erases_personal_data_and_keeps_anonymous_decisions(client, jobseeker_with_history):
    candidate, application, match = jobseeker_with_history
    user_id = candidate.user_id
    client.force_login(candidate.user)
    response = client.post(url("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    user = User.objects.get(pk=user_id)
    assert not user.is_active
    assert user.first_name == ""
    assert "data@example.test" not in user.email
    assert not user.has_usable_password()
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.home_place is None
    assert candidate.postcode == ""
    assert candidate.consent_matching_at is None
    application.refresh_from_db()
    assert application.motivation == ""
    assert application.status == ApplicationStatus.WITHDRAWN
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.APPROVED
    assert match.note == ""
    assert match.explanation == []
    assert MatchDecision.objects.get(match=match).note == ""
    # The old login no longer works.
    response = client.post(url("accounts:login"), {"username": "data@example.test", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_only_jobseekers_delete_their_account_here(client):
    client.force_login(EmployerUserFactory())
    assert client.get(url("account_delete")).status_code == 403


def test_the_portal_mails_to_a_user_are_in_the_export_and_go_with_the_account(client, jobseeker_with_history):
    candidate, _application, _match = jobseeker_with_history
    user = candidate.user
    OutgoingEmail.objects.create(key=f"test-event:{user.pk}", user=user, to=user.email, subject="Uw match", body="…")
    OutgoingEmail.objects.create(key="test-event:by-address", to=user.email.upper(), subject="Uitnodiging", body="…")
    other = OutgoingEmail.objects.create(key="test-event:other", to="someone@example.test", subject="x", body="…")
    client.force_login(user)
    exported = client.get(url("my_data_export")).json()
    subjects = [e["subject"] for e in exported["emails"]]
    assert "Uw match" in subjects
    assert "Uitnodiging" not in subjects  # recorded by address only: not linked to this account
    client.post(url("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert list(OutgoingEmail.objects.filter(key__startswith="test-event").values_list("pk", flat=True)) == [other.pk]
    assert not OutgoingEmail.objects.filter(user_id=user.pk).exists()

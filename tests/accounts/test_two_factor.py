"""Two-factor authentication (accounts/two_factor.py): caseworkers and admins need a session verified
with a TOTP code on every page and session API call; jobseekers and employers do not.

These tests log in through the real login form (``client.post``), not ``force_login``: the test
helper in tests/conftest.py lets force_login pass the second factor, the form does not."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.urls import URLPattern, reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin import UserAdmin
from accounts.models import SERVICE_SCOPES, User
from accounts.services import api_token_issue
from accounts.two_factor import confirmed_device, two_factor_required
from tests.factories import CaseworkerFactory, EmployerUserFactory, UserFactory, service, totp_code
from workspace import urls as workspace_urls

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SAMPLE_KWARGS = {"pk": 1, "slug": "sample", "task_id": "x"}


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def password_login(client, user, next_url: str = "", language: str = "en"):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(url("accounts:login", language), data)


def workspace_page_urls() -> list[str]:
    urls = []
    for pattern in workspace_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {key: SAMPLE_KWARGS[key] for key in pattern.pattern.converters}
        urls.append(url(f"workspace:{pattern.name}", **kwargs))
    return urls


def test_who_must_use_two_factor():
    assert two_factor_required(CaseworkerFactory())
    assert two_factor_required(CaseworkerFactory(is_coordinator=True))
    assert two_factor_required(UserFactory(role="admin"))
    assert two_factor_required(UserFactory(is_staff=True, is_superuser=True))
    assert two_factor_required(UserFactory(is_staff=True))  # staff: the Django admin
    assert not two_factor_required(UserFactory())
    assert not two_factor_required(EmployerUserFactory())


@pytest.mark.parametrize("page", workspace_page_urls())
def test_unverified_caseworker_is_sent_to_the_code_from_every_workspace_page(client, page):
    password_login(client, CaseworkerFactory())
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:two_factor_verify") + "?next=")


def test_new_caseworker_sets_up_the_app_then_lands_on_the_page_asked_for(client):
    caseworker = CaseworkerFactory(two_factor_device=False)
    figures = url("workspace:figures")
    response = password_login(client, caseworker, next_url=figures)
    assert response["Location"] == figures
    response = client.get(figures, follow=True)
    assert response.redirect_chain[-1][0].startswith(url("accounts:two_factor_setup"))
    page = response.content.decode()
    assert "<svg" in page
    assert 'id="two-factor-secret"' in page
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    response = client.post(url("accounts:two_factor_setup"), {"code": totp_code(device), "next": figures})
    assert response.status_code == 302
    assert response["Location"] == figures
    assert confirmed_device(caseworker) is not None
    assert client.get(figures).status_code == 200


def test_coordinator_with_an_app_enters_the_code_and_lands_on_the_page_asked_for(client):
    caseworker = CaseworkerFactory(is_coordinator=True)
    oversight = url("workspace:oversight")
    password_login(client, caseworker, next_url=oversight)
    response = client.get(oversight)
    assert response["Location"].startswith(url("accounts:two_factor_verify"))
    verify_url = response["Location"]
    assert client.get(verify_url).status_code == 200
    response = client.post(verify_url, {"code": totp_code(confirmed_device(caseworker)), "next": oversight})
    assert response.status_code == 302
    assert response["Location"] == oversight
    assert client.get(oversight).status_code == 200


def test_wrong_code_is_refused_in_the_users_language_and_throttled(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the first wait: a minute, so a slow machine cannot outlast it
    caseworker = CaseworkerFactory()
    password_login(client, caseworker, language="nl")
    verify = url("accounts:two_factor_verify", "nl")
    right = totp_code(confirmed_device(caseworker))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(verify, {"code": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet" in response.content.decode()
    # the next try within the throttle's delay is refused even with the right code
    response = client.post(verify, {"code": right})
    assert response.status_code == 200
    assert "Te veel verkeerde codes" in response.content.decode()
    assert client.get(url("workspace:work_queue", "nl")).status_code == 302
    response = client.post(verify, {"code": "12ab"})
    assert "Typ de 6 cijfers" in response.content.decode()


def test_next_must_stay_on_the_site(client):
    caseworker = CaseworkerFactory()
    password_login(client, caseworker)
    response = client.post(
        url("accounts:two_factor_verify"),
        {"code": totp_code(confirmed_device(caseworker)), "next": "https://evil.example/steal"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("workspace:work_queue")


def test_session_api_call_needs_the_code_and_a_token_does_not(client):
    caseworker = CaseworkerFactory()
    password_login(client, caseworker)
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    body = response.json()
    assert body["status"] == 403
    assert body["code"] == "two_factor_required"
    assert body["detail"]

    _token, secret = api_token_issue(name="VDAB matcher", scopes=SERVICE_SCOPES, employment_service=service("vdab"))
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code == 200


def test_jobseeker_and_employer_are_not_asked(client):
    jobseeker = UserFactory()
    password_login(client, jobseeker)
    response = client.get(url("accounts:account"))
    assert response.status_code == 200
    assert client.get("/api/v1/me").status_code == 200
    client.logout()
    password_login(client, EmployerUserFactory())
    assert client.get(url("vacancies:employer_vacancy_list")).status_code == 200
    assert not TOTPDevice.objects.filter(user__role__in=["jobseeker", "employer"]).exists()


def test_admin_site_needs_the_code(client):
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    password_login(client, admin)
    response = client.get(url("admin:index"))
    assert response.status_code == 302
    assert url("accounts:two_factor_verify") in response["Location"]
    client.post(url("accounts:two_factor_verify"), {"code": totp_code(confirmed_device(admin))})
    assert client.get(url("admin:index")).status_code == 200


def test_unverified_user_may_log_out_switch_language_and_health_checks_answer(client):
    password_login(client, CaseworkerFactory())
    assert client.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 302
    # The chosen language sticks (accounts/language.py): the code page comes in French.
    response = client.get(url("accounts:two_factor_verify"), follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"].startswith("/fr/")
    response = client.post(url("accounts:logout"))
    assert response.status_code == 302
    assert "two-factor" not in response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_password_alone_cannot_replace_a_confirmed_app(client):
    caseworker = CaseworkerFactory()
    password_login(client, caseworker)
    response = client.get(url("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1


def test_admin_resets_a_lost_phone_and_the_user_sets_up_again(client, rf):
    caseworker = CaseworkerFactory()
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    request = rf.post("/")
    request.user = admin
    request._messages = []

    class Messages(list):
        def add(self, level, message, extra_tags=""):
            self.append(message)

    request._messages = Messages()
    UserAdmin(User, admin_site).reset_two_factor(request, User.objects.filter(pk=caseworker.pk))
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    password_login(client, caseworker)
    response = client.get(url("workspace:work_queue"))
    assert response["Location"].startswith(url("accounts:two_factor_setup"))


def test_force_login_helper_verifies_only_for_users_with_a_device(client):
    """tests/conftest.py's helper: a force-logged-in caseworker sees the workspace (its session is verified)."""
    client.force_login(CaseworkerFactory())
    assert client.get(url("workspace:work_queue")).status_code == 200

"""Registering a company, inviting colleagues, and the caseworker's verification."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Employer, Role, User
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, place, service
from tests.workspace_helpers import invited_colleague

pytestmark = pytest.mark.django_db


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"accounts:{name}", kwargs=kwargs or None)


def url_workspace(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"workspace:{name}", kwargs=kwargs or None)


def signup_data(**overrides):
    data = {
        "company-legal_name": "Kanaalzone Onderhoud B.V.",
        "company-country": "NL",
        "company-kvk_number": "69365591",
        "company-enterprise_number": "",
        "company-place": place("Terneuzen").pk,
        "company-website": "",
        "user-first_name": "Els",
        "user-last_name": "de Vries",
        "user-email": "els@kanaalzone.example",
        "user-preferred_language": "nl",
        "user-password1": "Zeeuwse-haven-2026!",
        "user-password2": "Zeeuwse-haven-2026!",
    }
    data.update(overrides)
    return data


def test_register_a_dutch_company_with_its_first_user(client):
    assert client.get(url("employer_signup")).status_code == 200
    response = client.post(url("employer_signup"), signup_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("vacancies:employer_vacancy_list")
    employer = Employer.objects.get(kvk_number="69365591")
    assert employer.is_verified is False
    user = User.objects.get(email="els@kanaalzone.example")
    assert user.role == Role.EMPLOYER
    assert user.employer == employer
    assert user.check_password("Zeeuwse-haven-2026!")
    # Logged in: the employer's pages open.
    assert client.get(reverse("vacancies:employer_vacancy_list")).status_code == 200


def test_register_a_belgian_company_normalises_the_kbo_number(client):
    client.post(
        url("employer_signup"),
        signup_data(
            **{
                "company-country": "BE",
                "company-kvk_number": "",
                "company-enterprise_number": "BE0403170701",
                "company-place": place("Zelzate").pk,
            }
        ),
    )
    assert Employer.objects.get().enterprise_number == "0403.170.701"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "A KvK number has exactly 8 digits."),
        ("nl", None),
    ],
)
def test_an_invalid_kvk_number_is_refused_in_the_users_language(client, language, expected):
    response = client.post(url("employer_signup", language), signup_data(**{"company-kvk_number": "12345"}))
    assert response.status_code == 200
    assert not Employer.objects.exists()
    assert not User.objects.exists()
    errors = response.context["company_form"].errors
    assert "kvk_number" in errors
    html = response.content.decode()
    if expected:
        assert expected in html
    else:
        assert "A KvK number has exactly 8 digits." not in html
    assert 'value="Kanaalzone Onderhoud B.V."' in html  # nothing is lost


def test_an_invalid_kbo_checksum_and_a_mismatch_of_country_are_field_errors(client):
    response = client.post(
        url("employer_signup", "en"),
        signup_data(**{"company-country": "BE", "company-kvk_number": "", "company-enterprise_number": "0403.170.702"}),
    )
    assert "enterprise_number" in response.context["company_form"].errors
    response = client.post(url("employer_signup", "en"), signup_data(**{"company-country": "BE"}))
    assert {"enterprise_number", "kvk_number"} <= set(response.context["company_form"].errors)


def test_empty_form_and_bad_passwords_give_errors_not_an_error_page(client):
    response = client.post(url("employer_signup", "en"), {})
    assert response.status_code == 200
    assert {"legal_name", "country", "place"} <= set(response.context["company_form"].errors)
    assert {"email", "password1"} <= set(response.context["user_form"].errors)
    response = client.post(url("employer_signup", "en"), signup_data(**{"user-password2": "something else"}))
    assert "password2" in response.context["user_form"].errors


def test_a_company_or_email_registered_twice_gets_a_clear_message(client):
    EmployerFactory(kvk_number="69365591")
    UserFactory(email="els@kanaalzone.example")
    response = client.post(url("employer_signup", "en"), signup_data())
    html = response.content.decode()
    assert "A company with this KvK number is already registered" in html
    assert "An account with this email address already exists." in html


def test_a_logged_in_user_is_sent_away_from_the_signup(client):
    client.force_login(UserFactory())
    assert client.get(url("employer_signup")).status_code == 302


def test_invite_a_colleague_who_sets_a_password_with_a_one_time_link(client, django_capture_on_commit_callbacks):
    boss = EmployerUserFactory(first_name="Els")
    client.force_login(boss)
    assert client.get(url("employer_invite")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("employer_invite"),
            {"first_name": "Jan", "last_name": "Peeters", "email": "jan@example.test", "preferred_language": "en"},
        )
    assert response.status_code == 302
    colleague = User.objects.get(email="jan@example.test")
    assert colleague.employer == boss.employer
    assert not colleague.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jan@example.test"]
    assert message.extra_headers["Content-Language"] == "en"
    assert "invited" in message.subject
    link = re.search(r"https?://\S+/employer/invitation/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    page = client.get("/" + path)
    assert page.status_code == 200
    assert page.context["valid"]
    response = client.post("/" + path, {"new_password1": "Schelde-tunnel-2026", "new_password2": "Schelde-tunnel-2026"})
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.check_password("Schelde-tunnel-2026")
    # The link works once.
    client.logout()
    again = client.get("/" + path)
    assert again.status_code == 200
    assert not again.context["valid"]


def test_a_garbage_invitation_link_is_a_page_not_an_error(client):
    response = client.get(url("employer_invitation_accept", uidb64="zzz", token="nope"))
    assert response.status_code == 200
    assert response.context["valid"] is False


def test_company_page_lists_colleagues_and_saves_details(client):
    user = EmployerUserFactory()
    EmployerUserFactory(employer=user.employer, email="collega@example.test")
    client.force_login(user)
    page = client.get(url("employer_company"))
    assert "collega@example.test" in page.content.decode()
    response = client.post(
        url("employer_company"),
        {"legal_name": "Nieuwe Naam B.V.", "place": place("Gent").pk, "website": "https://example.test"},
    )
    assert response.status_code == 302
    user.employer.refresh_from_db()
    assert user.employer.legal_name == "Nieuwe Naam B.V."
    assert user.employer.website == "https://example.test"
    response = client.post(url("employer_company", "en"), {"legal_name": "", "place": "", "website": "nonsense"})
    assert response.status_code == 200
    assert {"legal_name", "place", "website"} <= set(response.context["form"].errors)


def test_a_caseworker_verifies_a_company(client, django_capture_on_commit_callbacks):
    employer = EmployerFactory(is_verified=False)
    EmployerUserFactory(employer=employer, email="hr@example.test")
    caseworker = CaseworkerFactory(employment_service=service("uwv"))  # a Dutch company: UWV or WSP verify it
    client.force_login(caseworker)
    page = client.get(url_workspace("employer_review", pk=employer.pk))
    assert page.status_code == 200
    response = client.post(url_workspace("employer_review", pk=employer.pk, language="en"), {})
    assert response.status_code == 200
    assert "confirm" in response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url_workspace("employer_review", pk=employer.pk), {"confirm": "on"})
    assert response.status_code == 302
    employer.refresh_from_db()
    assert employer.is_verified
    assert employer.verified_by == caseworker
    assert [m.to for m in mail.outbox] == [["hr@example.test"]]


def test_employers_and_jobseekers_cannot_verify(client):
    employer = EmployerFactory(is_verified=False)
    client.force_login(EmployerUserFactory(employer=employer))
    assert client.post(url_workspace("employer_review", pk=employer.pk), {"confirm": "on"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(url_workspace("employer_review", pk=employer.pk)).status_code == 403
    employer.refresh_from_db()
    assert not employer.is_verified


def test_resend_an_invitation_to_a_colleague_without_password(client, django_capture_on_commit_callbacks):
    boss = EmployerUserFactory()
    invited = invited_colleague(employer=boss.employer, email="later@example.test")
    client.force_login(boss)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("employer_invite_resend", pk=invited.pk))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["later@example.test"]]
    assert "/employer/invitation/" in mail.outbox[0].body
    # Not for a colleague who has a password, not for another company's user.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("employer_invite_resend", pk=boss.pk))
    assert len(mail.outbox) == 1
    other = invited_colleague()
    assert client.post(url("employer_invite_resend", pk=other.pk)).status_code == 404


# --- a smoother walk: the way in for employers ---------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_login_page_links_to_the_employer_sign_up(client, language):
    html = client.get(url("login", language)).content.decode()
    assert f'href="{url("employer_signup", language)}"' in html


def test_every_field_of_the_employer_sign_up_is_styled_like_the_other_forms(client):
    """The stylesheet styles text inputs by type: every input type on the form must be one of them."""
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "portal.css").read_text()
    styled = set(re.findall(r"input\[type=(\w+)\]", css))
    html = client.get(url("employer_signup", "en")).content.decode()
    form = html[html.index('<form method="post"') :]
    types = set(re.findall(r'<input type="(\w+)"', form)) - {"hidden", "checkbox", "radio"}
    assert "url" in types  # the company's website
    assert types <= styled, f"unstyled input types: {types - styled}"
    assert '<form method="post" class="card"' in html  # framed like the jobseeker's sign-up and the login

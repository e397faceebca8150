"""The role rules of accounts/roles.py, and the decorators, DRF classes and template flags made from them.

One matrix of users, one table of what each user is; the predicates must give the table and
everything built on them must agree with the predicates.
"""

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from accounts import decorators, permissions, roles
from accounts.context_processors import roles as roles_context
from accounts.models import Role, User
from accounts.services import system_user_for
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, service

pytestmark = pytest.mark.django_db

FLAGS = ("jobseeker", "employer", "caseworker", "service_caseworker", "portal_admin", "coordinator")

# user -> (the flags that hold, service code)
EXPECTED: dict[str, tuple[set[str], str]] = {
    "anonymous": (set(), ""),
    "jobseeker": ({"jobseeker"}, ""),
    "employer": ({"employer"}, ""),
    "employer_without_company": (set(), ""),
    "caseworker_vdab": ({"caseworker", "service_caseworker"}, "vdab"),
    "coordinator_vdab": ({"caseworker", "service_caseworker", "coordinator"}, "vdab"),
    # The flag means nothing on anyone but a service caseworker.
    "jobseeker_flagged_coordinator": ({"jobseeker"}, ""),
    "caseworker_without_service": (set(), ""),
    "portal_admin": ({"caseworker", "portal_admin", "coordinator"}, ""),
    "superuser_jobseeker": ({"caseworker", "portal_admin", "coordinator"}, ""),
    "superuser_admin": ({"caseworker", "portal_admin", "coordinator"}, ""),
    # A token acts as its organisation's system user (inactive, but authenticated).
    "employer_token_user": ({"employer"}, ""),
    "service_token_user": ({"caseworker", "service_caseworker"}, "uwv"),
}
USERS = sorted(EXPECTED)


def make_user(name: str):
    if name == "anonymous":
        return AnonymousUser()
    if name == "jobseeker":
        return UserFactory()
    if name == "employer":
        return EmployerUserFactory()
    if name == "employer_without_company":
        return User(email="nocompany@example.test", role=Role.EMPLOYER)  # unsaved: a DB constraint forbids it
    if name == "caseworker_vdab":
        return CaseworkerFactory(employment_service=service("vdab"))
    if name == "coordinator_vdab":
        return CaseworkerFactory(employment_service=service("vdab"), is_coordinator=True)
    if name == "jobseeker_flagged_coordinator":
        return UserFactory(is_coordinator=True)
    if name == "caseworker_without_service":
        return User(email="noservice@example.test", role=Role.CASEWORKER)  # unsaved, likewise
    if name == "portal_admin":
        return UserFactory(role=Role.ADMIN)
    if name == "superuser_jobseeker":
        return UserFactory(role=Role.JOBSEEKER, is_staff=True, is_superuser=True)
    if name == "superuser_admin":
        return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    if name == "employer_token_user":
        return system_user_for(employer=EmployerFactory())
    if name == "service_token_user":
        return system_user_for(employment_service=service("uwv"))
    raise KeyError(name)


# --- the predicates -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", USERS)
def test_the_predicates_give_the_table(name):
    user = make_user(name)
    flags, code = EXPECTED[name]
    assert roles.role_flags(user) == {flag: flag in flags for flag in FLAGS}
    assert roles.is_jobseeker(user) == ("jobseeker" in flags)
    assert roles.is_employer(user) == ("employer" in flags)
    assert roles.is_caseworker(user) == ("caseworker" in flags)
    assert roles.is_service_caseworker(user) == ("service_caseworker" in flags)
    assert roles.is_portal_admin(user) == ("portal_admin" in flags)
    assert roles.is_coordinator(user) == ("coordinator" in flags)
    assert roles.service_code_of(user) == code


def test_no_user_at_all_is_nobody():
    assert roles.role_flags(None) == dict.fromkeys(FLAGS, False)
    assert roles.service_code_of(None) == ""


# --- the view decorators ------------------------------------------------------------------------

DECORATORS = {
    "jobseeker_required": (decorators.jobseeker_required, roles.is_jobseeker),
    "employer_required": (decorators.employer_required, roles.is_employer),
    "caseworker_required": (decorators.caseworker_required, roles.is_caseworker),
    "admin_required": (decorators.admin_required, roles.is_portal_admin),
    "coordinator_required": (decorators.coordinator_required, roles.is_coordinator),
}


def _status(decorator, user) -> int:
    """The status the decorated view answers with (a PermissionDenied becomes Django's 403)."""

    @decorator
    def view(request):
        return HttpResponse("in")

    request = RequestFactory().get("/somewhere/?x=1")
    request.user = user
    try:
        return view(request).status_code
    except PermissionDenied:
        return 403


@pytest.mark.parametrize("decorator_name", sorted(DECORATORS))
@pytest.mark.parametrize("name", USERS)
def test_a_decorator_lets_in_whom_its_predicate_lets_in(decorator_name, name):
    decorator, predicate = DECORATORS[decorator_name]
    user = make_user(name)
    expected = 302 if name == "anonymous" else 200 if predicate(user) else 403
    assert _status(decorator, user) == expected


def test_an_anonymous_user_goes_to_the_login_page_and_comes_back():
    @decorators.jobseeker_required
    def view(request):
        return HttpResponse("in")

    request = RequestFactory().get("/somewhere/?x=1")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert "next=/somewhere/%3Fx%3D1" in response["Location"]


def test_a_superuser_with_the_jobseeker_role_gets_no_jobseeker_page(client):
    """The deliberate rule: a superuser is a portal admin, never a jobseeker (it has no profile)."""
    client.force_login(UserFactory(role=Role.JOBSEEKER, is_staff=True, is_superuser=True))
    assert client.get(reverse("candidates:profile")).status_code == 403


# --- the DRF permission classes -----------------------------------------------------------------

CLASSES = {
    permissions.IsJobseeker: {"jobseeker"},
    permissions.IsEmployer: {"employer"},
    permissions.IsCaseworker: {"caseworker"},
    permissions.IsPortalAdmin: {"portal_admin"},
    permissions.IsJobseekerOrEmployer: {"jobseeker", "employer"},
    permissions.IsEmployerOrCaseworker: {"employer", "caseworker"},
    permissions.IsParticipant: {"jobseeker", "employer", "caseworker"},
}


@pytest.mark.parametrize("name", USERS)
def test_the_permission_classes_agree_with_the_predicates(name):
    user = make_user(name)
    flags = roles.role_flags(user)
    request = SimpleNamespace(user=user)
    for permission_class, lets_in in CLASSES.items():
        expected = any(flags[flag] for flag in lets_in)
        assert permission_class().has_permission(request, view=None) == expected, permission_class.__name__


def test_every_permission_class_is_covered():
    object_level = {permissions.RolePermission, permissions.MayModerateVacancy}  # tested below
    assert set(CLASSES) == {getattr(permissions, name) for name in permissions.__all__} - object_level


# Whose employers each user verifies and moderates: the service's country, None = every country.
MODERATION_COUNTRY = {
    "caseworker_vdab": "BE",
    "coordinator_vdab": "BE",  # a coordinator too: their powers are their own service's
    "portal_admin": None,
    "superuser_jobseeker": None,
    "superuser_admin": None,
    "service_token_user": "NL",  # UWV's token
}


@pytest.mark.parametrize("name", USERS)
def test_who_moderates_and_verifies_which_country(name):
    user = make_user(name)
    country = MODERATION_COUNTRY.get(name, "")
    assert roles.moderation_country_of(user) == country
    for employer in (EmployerFactory(), EmployerFactory(belgian=True)):
        vacancy = SimpleNamespace(employer=employer)
        allowed = country is None or employer.country == country
        assert roles.may_verify_employer(user, employer) is allowed
        assert roles.may_moderate_vacancy(user, vacancy) is allowed
        assert permissions.MayModerateVacancy().has_object_permission(SimpleNamespace(user=user), None, vacancy) is (
            allowed
        )


def test_a_permission_class_refuses_a_request_without_user():
    assert permissions.IsParticipant().has_permission(SimpleNamespace(user=None), view=None) is False


# --- the templates' roles -----------------------------------------------------------------------


@pytest.mark.parametrize("name", USERS)
def test_the_context_processor_gives_the_flags(name):
    user = make_user(name)
    request = RequestFactory().get("/")
    request.user = user
    context_roles = roles_context(request)["roles"]
    assert {flag: context_roles[flag] for flag in FLAGS} == roles.role_flags(user)


def test_the_context_processor_is_installed_and_lazy():
    template = engines["django"].from_string(
        "{% if roles.jobseeker %}J{% endif %}{% if roles.caseworker %}C{% endif %}{% if roles.portal_admin %}A{% endif %}"
    )
    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert template.render(request=request) == "J"
    request.user = UserFactory(role=Role.ADMIN, is_superuser=True)
    assert template.render(request=request) == "CA"
    # A request without a user (no auth middleware) is nobody; the flags are computed only when asked.
    bare = RequestFactory().get("/")
    assert template.render(request=bare) == ""
    assert roles_context(bare)["roles"]["employer"] is False


def test_no_role_is_compared_with_a_string_literal_outside_the_roles_module():
    """Roles are decided in accounts/roles.py only; elsewhere a string comparison would be a second copy."""
    import re
    import subprocess

    literal = re.compile(r"""role\s*(==|!=)\s*["']|["']\s*(==|!=)\s*\w*\.?role\b""")
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py", "*.html"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    offenders = []
    for name in listed:
        if name in ("accounts/roles.py", "tests/accounts/test_roles.py"):
            continue
        path = settings.BASE_DIR / name
        if not path.is_file():
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if literal.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert offenders == []

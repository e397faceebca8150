"""A small world for the API tests: two employers, two jobseekers, caseworkers of the three
services, an admin, vacancies in several states, applications, matches and system tokens."""

from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import EMPLOYER_SCOPES, SERVICE_SCOPES, Role
from accounts.services import api_token_issue, api_token_revoke
from applications.models import Application, ApplicationStatusChange
from matching.models import CandidateResponse, Match, ReviewStatus
from taxonomy.models import Occupation, Skill
from tests.factories import (
    CandidateFactory,
    CaseworkerFactory,
    EmployerFactory,
    EmployerUserFactory,
    UserFactory,
    VacancyFactory,
    place,
    service,
)
from vacancies.models import VacancyLanguage, VacancyStatus

ROLES = (
    "anonymous",
    "jobseeker",
    "jobseeker_other",
    "employer",
    "employer_other",
    "caseworker_vdab",
    "caseworker_uwv",
    "caseworker_wsp",
    "admin",
    "token_employer",
    "token_service",
    "token_service_vdab",
    "token_limited",
    "token_revoked",
)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    users: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if role in self.tokens:
            client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[role]}")
        elif role in self.users:
            client.force_authenticate(user=None)
            client.force_login(self.users[role])
        return client

    def __getitem__(self, name: str):
        return self.objects[name]


def published(**fields):
    now = timezone.now()
    return {
        "status": VacancyStatus.PUBLISHED,
        "published_at": now,
        "expires_at": now + timezone.timedelta(days=30),
        **fields,
    }


def make_match(candidate, vacancy, review_status=ReviewStatus.PROPOSED, response=CandidateResponse.PENDING) -> Match:
    decided = review_status != ReviewStatus.PROPOSED
    return Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        score=0.8,
        rank=1,
        engine_version="test",
        factors={"skills": 0.9, "commute": 0.7},
        explanation=[{"code": "commute", "minutes": 20, "text": "20 minutes by car"}],
        review_status=review_status,
        reviewed_at=timezone.now() if decided else None,
        candidate_response=response,
        responded_at=timezone.now() if response != CandidateResponse.PENDING else None,
    )


def build_world() -> World:
    world = World()
    occupation = Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()
    skills = list(Skill.objects.filter(occupation_links__occupation=occupation).order_by("uri")[:3])

    employer_a = EmployerFactory(legal_name="Kanaalzone Chemie B.V.", website="https://kanaalzone.example")
    employer_b = EmployerFactory(belgian=True, legal_name="Zelzate Staal NV")
    employer_c = EmployerFactory(legal_name="Nieuw Bedrijf B.V.", is_verified=False)
    world.users["employer"] = EmployerUserFactory(employer=employer_a)
    world.users["employer_other"] = EmployerUserFactory(employer=employer_b)
    js1 = CandidateFactory(employment_service=service("uwv"))
    js2 = CandidateFactory(
        country="BE",
        home_place=place("Zelzate", "BE"),
        employment_service=service("vdab"),
        consent_cross_border_at=timezone.now(),
        consent_findable_at=timezone.now(),  # findable by verified employers (talent/)
    )
    js1.skills.set(skills)
    world.users["jobseeker"] = js1.user
    world.users["jobseeker_other"] = js2.user
    world.users["caseworker_vdab"] = CaseworkerFactory(employment_service=service("vdab"))
    world.users["caseworker_uwv"] = CaseworkerFactory(employment_service=service("uwv"))
    world.users["caseworker_wsp"] = CaseworkerFactory(employment_service=service("wsp-zvl"))
    world.users["admin"] = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)

    va_pub = VacancyFactory(employer=employer_a, occupation=occupation, reference="A-PUB", **published())
    va_pub.essential_skills.set(skills[:2])
    VacancyLanguage.objects.create(vacancy=va_pub, language="nl", min_level=3)
    va_draft = VacancyFactory(employer=employer_a, occupation=occupation, reference="A-DRAFT")
    vb_pub = VacancyFactory(employer=employer_b, occupation=occupation, place=place("Zelzate", "BE"), **published())
    vc_review = VacancyFactory(employer=employer_c, occupation=occupation, status=VacancyStatus.IN_REVIEW)

    app1 = Application.objects.create(candidate=js1, vacancy=va_pub, motivation="Ik wil graag in ploegen werken.")
    ApplicationStatusChange.objects.create(application=app1, to_status="received", changed_by=js1.user)
    app2 = Application.objects.create(candidate=js2, vacancy=vb_pub, motivation="Dichtbij huis.")

    m1 = make_match(js1, va_pub, ReviewStatus.APPROVED, CandidateResponse.ACCEPTED)
    m2 = make_match(js2, vb_pub)
    m3 = make_match(js2, va_pub, ReviewStatus.APPROVED, CandidateResponse.ACCEPTED)

    world.objects.update(
        employer_a=employer_a,
        employer_b=employer_b,
        employer_c=employer_c,
        js1=js1,
        js2=js2,
        occupation=occupation,
        skills=skills,
        va_pub=va_pub,
        va_draft=va_draft,
        vb_pub=vb_pub,
        vc_review=vc_review,
        app1=app1,
        app2=app2,
        m1=m1,
        m2=m2,
        m3=m3,
    )
    _token, world.tokens["token_employer"] = api_token_issue(name="ATS", scopes=EMPLOYER_SCOPES, employer=employer_a)
    _token, world.tokens["token_service"] = api_token_issue(
        name="UWV systeem", scopes=SERVICE_SCOPES, employment_service=service("uwv")
    )
    _token, world.tokens["token_service_vdab"] = api_token_issue(
        name="VDAB systeem", scopes=SERVICE_SCOPES, employment_service=service("vdab")
    )
    _token, world.tokens["token_limited"] = api_token_issue(
        name="Careers site", scopes=["vacancies:read"], employer=employer_a
    )
    revoked, world.tokens["token_revoked"] = api_token_issue(name="Old", scopes=EMPLOYER_SCOPES, employer=employer_a)
    api_token_revoke(token=revoked)
    return world


@pytest.fixture
def world(db) -> World:
    return build_world()

"""Shared objects for the conversations tests: one application and its participants and strangers."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from applications.models import Application
from applications.services import application_create
from conversations.ics import ICS_TIMEZONE
from tests.factories import CandidateFactory, CaseworkerFactory, EmployerUserFactory, VacancyFactory, service
from vacancies.models import VacancyStatus


@dataclass
class World:
    application: Application
    candidate_user: object
    employer_user: object
    colleague: object  # another user of the same employer
    other_employer_user: object
    other_jobseeker: object
    caseworker: object  # of the service the candidate is registered with (UWV)
    other_caseworker: object  # of another service (VDAB)


def make_world() -> World:
    now = timezone.now()
    vacancy = VacancyFactory(
        title="Lasser TIG", status=VacancyStatus.PUBLISHED, published_at=now, expires_at=now + timedelta(days=30)
    )
    candidate = CandidateFactory(
        user__email="an@example.test", user__first_name="An", employment_service=service("uwv")
    )
    application = application_create(candidate=candidate, vacancy=vacancy, motivation="Ik las al tien jaar.")
    return World(
        application=application,
        candidate_user=candidate.user,
        employer_user=EmployerUserFactory(employer=vacancy.employer, email="hr@example.test"),
        colleague=EmployerUserFactory(employer=vacancy.employer, email="boss@example.test"),
        other_employer_user=EmployerUserFactory(email="other-hr@example.test"),
        other_jobseeker=CandidateFactory(user__email="other@example.test").user,
        caseworker=CaseworkerFactory(employment_service=service("uwv"), email="cw-uwv@example.test"),
        other_caseworker=CaseworkerFactory(employment_service=service("vdab"), email="cw-vdab@example.test"),
    )


def brussels(days_ahead: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in Brussels ``days_ahead`` days from today."""
    day = timezone.now().astimezone(ICS_TIMEZONE).date() + timedelta(days=days_ahead)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ICS_TIMEZONE)


def two_slots() -> list[dict]:
    return [
        {"starts_at": brussels(5, 10), "location": "Kanaalweg 3, Sluiskil"},
        {"starts_at": brussels(6, 14, 30), "video_url": "https://meet.example/abc"},
    ]

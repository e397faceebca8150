"""Shared objects for the candidate search tests: findable candidates, a verified employer
with an open vacancy, travel times of the test's own."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import CandidateLanguage, ConsentKind
from candidates.services import candidate_set_consent
from taxonomy.models import Skill, TravelTime
from tests.factories import CandidateFactory, EmployerUserFactory, UserFactory, VacancyFactory, place
from vacancies.models import VacancyStatus


def url(name: str, language: str = "nl", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def employer_user(verified: bool = True):
    user = EmployerUserFactory()
    if not verified:
        user.employer.is_verified = False
        user.employer.save(update_fields=["is_verified"])
    return user


def open_vacancy(employer, **fields):
    now = timezone.now()
    return VacancyFactory(
        employer=employer,
        status=VacancyStatus.PUBLISHED,
        published_at=now,
        expires_at=now + timedelta(days=30),
        **fields,
    )


def candidate(*, findable: bool = True, home: str = "Terneuzen", skills=(), languages=(), **fields):
    """A candidate with a profile; findable by the consent's own service (as the consent page does)."""
    user = UserFactory(first_name=fields.pop("first_name", "Anna"), last_name=fields.pop("last_name", "Verbeke"))
    made = CandidateFactory(user=user, home_place=place(home), **fields)
    if skills:
        made.skills.set(skills)
    for language, level in languages:
        CandidateLanguage.objects.create(candidate=made, language=language, level=level)
    if findable:
        candidate_set_consent(candidate=made, kind=ConsentKind.FINDABLE, given=True)
    return made


def some_skills(n: int = 2) -> list[Skill]:
    return list(Skill.objects.order_by("uri")[:n])


def travel_time(origin: str, destination: str, mode: str, minutes: int) -> None:
    """The test's own value (the commute model may have filled the table already)."""
    TravelTime.objects.update_or_create(
        origin=place(origin),
        destination=place(destination),
        mode=mode,
        defaults={"minutes": minutes, "westerschelde_crossing": "", "crosses_border": False},
    )

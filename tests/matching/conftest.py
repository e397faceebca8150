import pytest
from django.utils import timezone

from candidates.models import CandidateDiploma, CandidateLanguage
from taxonomy.models import Diploma, Occupation, Skill
from tests.factories import CandidateFactory, EmployerFactory, VacancyFactory, place
from vacancies.models import VacancyLanguage, VacancyStatus


@pytest.fixture
def occupation():
    return Occupation.objects.filter(is_stem=True, skill_links__relation="essential").order_by("uri").first()


@pytest.fixture
def occupation_skills(occupation):
    return list(
        Skill.objects.filter(occupation_links__occupation=occupation, occupation_links__relation="essential").order_by(
            "uri"
        )[:4]
    )


def make_candidate(
    *,
    occupation,
    skills,
    home="Terneuzen",
    country="NL",
    diploma="nl-mbo-4",
    cross_border=True,
    service="uwv",
    **fields,
):
    from tests.factories import service as service_by_code

    candidate = CandidateFactory(
        country=country,
        home_place=place(home, country),
        employment_service=service_by_code(service),
        consent_cross_border_at=timezone.now() if cross_border else None,
        **fields,
    )
    candidate.desired_occupations.set([occupation])
    candidate.skills.set(skills)
    if diploma:
        CandidateDiploma.objects.create(candidate=candidate, diploma=Diploma.objects.get(code=diploma))
    CandidateLanguage.objects.create(candidate=candidate, language="nl", level=6)
    return candidate


def make_vacancy(*, occupation, skills, where="Terneuzen", country="NL", optional=(), **fields):
    fields = {
        "status": VacancyStatus.PUBLISHED,
        "published_at": timezone.now(),
        "expires_at": timezone.now() + timezone.timedelta(days=30),
        **fields,
    }
    vacancy = VacancyFactory(
        employer=EmployerFactory(belgian=country == "BE", place=place(where, country)),
        occupation=occupation,
        place=place(where, country),
        **fields,
    )
    vacancy.essential_skills.set(skills)
    vacancy.optional_skills.set(optional)  # essential skills are a hard filter: rank on these
    VacancyLanguage.objects.create(vacancy=vacancy, language="nl", min_level=3)
    return vacancy

"""Test data for the employer and caseworker pages: candidates with a profile, matches the way
the worker stores them, applications with their history (over the real reference data)."""

from datetime import timedelta

from django.utils import timezone

from applications.models import Application, ApplicationStatus, ApplicationStatusChange
from candidates.models import CandidateDiploma, CandidateLanguage
from matching.models import Match
from taxonomy.models import Diploma, Skill, StudyField
from tests.factories import CandidateFactory, UserFactory, VacancyFactory, place, service
from vacancies.models import VacancyStatus

PASSWORD = "correct horse battery staple"


def published_vacancy(**fields):
    now = timezone.now()
    fields.setdefault("status", VacancyStatus.PUBLISHED)
    fields.setdefault("published_at", now)
    fields.setdefault("expires_at", now + timedelta(days=30))
    return VacancyFactory(**fields)


def candidate_with_profile(
    *,
    service_code: str = "uwv",
    cross_border: bool = False,
    first_name: str = "Test",
    last_name: str | None = None,
    language: str = "nl",
    home: str = "Terneuzen",
    country: str = "NL",
):
    user = UserFactory(
        first_name=first_name, preferred_language=language, **({"last_name": last_name} if last_name else {})
    )
    candidate = CandidateFactory(
        user=user,
        employment_service=service(service_code),
        country=country,
        home_place=place(home, country),
        consent_cross_border_at=timezone.now() if cross_border else None,
    )
    diploma = Diploma.objects.filter(country=country if country in ("NL", "BE") else "NL", eqf_level=4).first()
    field = StudyField.objects.filter(is_stem=True).first()
    CandidateDiploma.objects.create(candidate=candidate, diploma=diploma, field=field, year=2015)
    CandidateLanguage.objects.create(candidate=candidate, language="nl", level=5)
    candidate.skills.set(Skill.objects.order_by("uri")[:2])
    return candidate


def explanation_for(vacancy, candidate, *, minutes: int = 25) -> list[dict]:
    """Reasons as matching/shortlists.py stores them: engine codes, database ids, English text."""
    missing = list(vacancy.essential_skills.values_list("pk", flat=True)[:1])
    reasons = [
        {
            "code": "occupation",
            "level": "same_occupation",
            "vacancy_occupation": vacancy.occupation_id,
            "desired_occupation": vacancy.occupation_id,
            "isco": vacancy.occupation.isco_group.code,
            "text": f"wants to work as {vacancy.occupation.label_en}",
        },
        {
            "code": "skills_met",
            "met": 2,
            "required": 3,
            "missing": missing,
            "optional_met": 0,
            "optional_total": 0,
            "profile_has_skills": True,
            "text": "2 of 3 essential skills",
        },
        {
            "code": "education",
            "result": "above_minimum",
            "eqf": 4,
            "min_eqf": 3,
            "requires_min_secondary": True,
            "has_min_secondary": True,
            "text": "EQF 4, above the minimum EQF 3",
        },
        {
            "code": "commute",
            "result": "within_limit",
            "minutes": minutes,
            "mode": "car",
            "crossings": ["westerscheldetunnel"],
            "max_minutes": 60,
            "from_place": candidate.home_place_id,
            "to_place": vacancy.place_id,
            "text": f"{minutes} min by car via the Westerscheldetunnel (limit 60 min)",
        },
        {
            "code": "languages",
            "required": {"nl": 4},
            "levels": {"nl": 5},
            "short": [],
            "text": "Dutch C1 (B2 required)",
        },
        {"code": "stem", "has_background": True, "text": "STEM background"},
        {"code": "brand_new_code", "text": "an English reason the portal does not know yet"},
    ]
    if candidate.country != vacancy.place.country:
        reasons.insert(
            0,
            {
                "code": "cross_border",
                "resident_country": candidate.country,
                "job_country": vacancy.place.country,
                "consent": True,
                "advice": "grensinfopunt_scheldemond",
                "text": "cross-border",
            },
        )
    return reasons


def make_match(*, vacancy, candidate, score: float = 0.8, **fields) -> Match:
    fields.setdefault(
        "factors", {"occupation": 1.0, "skills": 0.67, "education": 1.0, "commute": 0.58, "languages": 0.8, "stem": 1.0}
    )
    fields.setdefault("explanation", explanation_for(vacancy, candidate))
    fields.setdefault("engine_version", "test")
    return Match.objects.create(vacancy=vacancy, candidate=candidate, score=score, **fields)


def make_application(*, vacancy, candidate, status: str = ApplicationStatus.RECEIVED, motivation: str = "Graag!"):
    application = Application.objects.create(vacancy=vacancy, candidate=candidate, motivation=motivation, status=status)
    ApplicationStatusChange.objects.create(
        application=application, from_status="", to_status=status, changed_by=candidate.user
    )
    return application


def queries_of(func) -> int:
    """How many queries ``func()`` runs (then asserted constant with django_assert_num_queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        func()
    return len(context.captured_queries)


def invited_colleague(**fields):
    """An employer user who was invited and has not set a password yet."""
    from tests.factories import EmployerUserFactory

    user = EmployerUserFactory(**fields)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return user

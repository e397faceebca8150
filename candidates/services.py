"""Writes to jobseekers' profiles: the profile steps and consents."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import EmploymentService, User
from accounts.validators import normalise_be_postcode, normalise_nl_postcode
from taxonomy.models import Diploma, Place, StudyField

from .models import Candidate, CandidateDiploma, CandidateLanguage, ConsentEvent, ConsentKind
from .signals import candidate_changed

PROFILE_FIELDS = (
    "country",
    "home_place",
    "postcode",
    "employment_service",
    "commute_by_car",
    "commute_by_bike",
    "commute_by_public_transport",
    "max_commute_minutes",
    "available_from",
    "hours_wanted",
    "accepts_shift_work",
    "year_of_birth",
)


def _notify_changed(candidate: Candidate) -> None:
    candidate_changed.send(sender=Candidate, candidate_id=candidate.pk)


def default_employment_service(*, country: str) -> EmploymentService | None:
    """Flemish residents register with VDAB, Dutch residents with UWV unless they choose WSP."""
    code = {"BE": "vdab", "NL": "uwv"}.get(country)
    return EmploymentService.objects.filter(code=code).first() if code else None


def home_errors(*, country: str | None, home_place: Place | None) -> dict[str, str]:
    """The one rule for a consistent home (page and API): the home place lies in the country of residence.

    The engine decides "cross-border" from the country, so the two must agree. Someone living in
    another country has no place in the region's list. Diplomas are not part of this rule: one from
    either country, or from elsewhere, is accepted whatever the country of residence.
    """
    if home_place is None or not country:
        return {}
    if country == "NL" and home_place.country != "NL":
        return {"home_place": _("This place is not in the Netherlands. Choose a Dutch place, or change your country.")}
    if country == "BE" and home_place.country != "BE":
        return {"home_place": _("This place is not in Belgium. Choose a Belgian place, or change your country.")}
    if country not in ("NL", "BE"):
        return {"home_place": _("This place is in the Netherlands or Belgium: choose that country, or no place.")}
    return {}


def home_fields_complete(*, candidate: Candidate | None, fields: dict[str, Any]) -> dict[str, Any]:
    """A change of the home place alone carries its country along (the country follows the place)."""
    place = fields.get("home_place")
    moved = place is not None and "country" not in fields and place.country in ("NL", "BE")
    if moved and (candidate is None or candidate.country != place.country):
        fields = {**fields, "country": place.country}
    return fields


def _validate_postcode(candidate: Candidate) -> None:
    if candidate.postcode:
        try:
            if candidate.country == "NL":
                candidate.postcode = normalise_nl_postcode(candidate.postcode)
            elif candidate.country == "BE":
                candidate.postcode = normalise_be_postcode(candidate.postcode)
        except ValidationError as exc:
            raise ValidationError({"postcode": exc.messages}) from exc
    errors = home_errors(country=candidate.country, home_place=candidate.home_place)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def candidate_create(*, user: User, **fields: Any) -> Candidate:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown candidate fields: {sorted(unknown)}")
    candidate = Candidate(user=user, **fields)
    if candidate.employment_service_id is None:
        candidate.employment_service = default_employment_service(country=candidate.country)
    _validate_postcode(candidate)
    candidate.full_clean()
    candidate.save()
    _notify_changed(candidate)
    return candidate


@transaction.atomic
def candidate_update(*, candidate: Candidate, **fields: Any) -> Candidate:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown candidate fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(candidate, name, value)
    _validate_postcode(candidate)
    candidate.full_clean()
    candidate.save()
    _notify_changed(candidate)
    return candidate


@transaction.atomic
def candidate_set_diplomas(
    *, candidate: Candidate, diplomas: Iterable[tuple[Diploma, StudyField | None, int | None]]
) -> list[CandidateDiploma]:
    candidate.diplomas.all().delete()
    rows = [CandidateDiploma(candidate=candidate, diploma=d, field=f, year=y) for d, f, y in diplomas]
    for row in rows:
        row.full_clean(exclude=["candidate"])
    CandidateDiploma.objects.bulk_create(rows)
    _notify_changed(candidate)
    return rows


@transaction.atomic
def candidate_set_languages(*, candidate: Candidate, languages: Iterable[tuple[str, int]]) -> None:
    candidate.languages.all().delete()
    CandidateLanguage.objects.bulk_create(
        [CandidateLanguage(candidate=candidate, language=language, level=level) for language, level in languages]
    )
    _notify_changed(candidate)


@transaction.atomic
def candidate_set_skills(
    *, candidate: Candidate, skills: Iterable, desired_occupations: Iterable | None = None
) -> None:
    candidate.skills.set(skills)
    if desired_occupations is not None:
        candidate.desired_occupations.set(desired_occupations)
    _notify_changed(candidate)


@transaction.atomic
def candidate_add_skills(*, candidate: Candidate, skills: Iterable = (), desired_occupations: Iterable = ()) -> None:
    """Add skills and desired occupations to those the profile has (the CV page's accepted suggestions).

    Through ``candidate_set_skills``, the skills step's service: one rule for a profile's skills,
    and the same rematch as any profile change.
    """
    current_occupations = set(candidate.desired_occupations.all())
    occupations = current_occupations | set(desired_occupations)
    candidate_set_skills(
        candidate=candidate,
        skills=set(candidate.skills.all()) | set(skills),
        desired_occupations=occupations if occupations != current_occupations else None,
    )


@transaction.atomic
def candidate_set_consent(*, candidate: Candidate, kind: str, given: bool) -> Candidate:
    """Give or withdraw a consent; every change is recorded with its time."""
    field = {ConsentKind.MATCHING: "consent_matching_at", ConsentKind.CROSS_BORDER: "consent_cross_border_at"}[kind]
    current = getattr(candidate, field) is not None
    if current != given:
        setattr(candidate, field, timezone.now() if given else None)
        candidate.save(update_fields=[field, "updated_at"])
        ConsentEvent.objects.create(candidate=candidate, kind=kind, given=given)
        _notify_changed(candidate)
    return candidate

"""Writes to jobseekers' profiles: the profile steps and consents."""

import datetime
from collections.abc import Iterable
from typing import Any

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import EmploymentService, User
from accounts.validators import normalise_be_postcode, normalise_nl_postcode
from core.pdf import PDF_MAX_BYTES, pdf_check_upload
from taxonomy.models import Diploma, Occupation, Place, StudyField

from .models import Candidate, CandidateDiploma, CandidateLanguage, ConsentEvent, ConsentKind, CvCheck, Experience
from .signals import candidate_changed, profile_cv_uploaded

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
    "phone",
    "driving_licences",
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


# Phone numbers are accepted in the formats of the region's two countries (national or +31/+32).
PHONE_REGIONS = ("NL", "BE")


def normalise_phone(value: str, *, country: str | None = None) -> str:
    """A Dutch or Belgian phone number as E.164 ("+31612345678"); "" stays "".

    A national number ("0470 12 34 56") is read as one of the country of residence first, then of
    the other country: "06..." is Dutch, "04..." Belgian, whatever the user's country.
    """
    value = (value or "").strip()
    if not value:
        return ""
    regions = sorted(PHONE_REGIONS, key=lambda region: region != country)
    for region in regions:
        try:
            number = phonenumbers.parse(value, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) in PHONE_REGIONS:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    raise ValidationError(
        _("This is not a Dutch or Belgian phone number. Write it as 06 12345678, 0470 12 34 56 or +32 470 12 34 56."),
        code="phone_invalid",
    )


def _validate_postcode(candidate: Candidate) -> None:
    try:
        candidate.phone = normalise_phone(candidate.phone, country=candidate.country)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    candidate.driving_licences = sorted(set(candidate.driving_licences or []), key=_licence_order)
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
    field = {
        ConsentKind.MATCHING: "consent_matching_at",
        ConsentKind.CROSS_BORDER: "consent_cross_border_at",
        ConsentKind.FINDABLE: "consent_findable_at",
    }[kind]
    current = getattr(candidate, field) is not None
    if current != given:
        setattr(candidate, field, timezone.now() if given else None)
        candidate.save(update_fields=[field, "updated_at"])
        ConsentEvent.objects.create(candidate=candidate, kind=kind, given=given)
        _notify_changed(candidate)
    return candidate


def _licence_order(code: str) -> int:
    from .models import DrivingLicence

    values = list(DrivingLicence.values)
    return values.index(code) if code in values else len(values)


# --- work experience ----------------------------------------------------------------------------

EXPERIENCE_FIELDS = ("occupation", "employer_name", "country", "started_on", "ended_on", "description")


def _month(value: datetime.date | None) -> datetime.date | None:
    """Month precision: any day of a month stands for the month (its first day)."""
    return value.replace(day=1) if value else None


def _experience_validate(experience: Experience) -> None:
    experience.started_on = _month(experience.started_on)
    experience.ended_on = _month(experience.ended_on)
    experience.employer_name = (experience.employer_name or "").strip()
    experience.description = (experience.description or "").strip()
    this_month = _month(timezone.localdate())
    errors: dict[str, str] = {}
    if experience.started_on and experience.started_on > this_month:
        errors["started_on"] = _("A job you list here has started: choose this month or an earlier one.")
    if experience.started_on and experience.ended_on and experience.ended_on < experience.started_on:
        errors["ended_on"] = _("The end comes after the start. Leave it empty if you still work there.")
    if errors:
        raise ValidationError(errors)
    experience.full_clean(exclude=["candidate"])


@transaction.atomic
def experience_create(*, candidate: Candidate, **fields: Any) -> Experience:
    unknown = set(fields) - set(EXPERIENCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown experience fields: {sorted(unknown)}")
    experience = Experience(candidate=candidate, **fields)
    _experience_validate(experience)
    experience.save()
    return experience


@transaction.atomic
def experience_update(*, experience: Experience, user: User, **fields: Any) -> Experience:
    unknown = set(fields) - set(EXPERIENCE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown experience fields: {sorted(unknown)}")
    experience = Experience.objects.select_for_update().select_related("candidate").get(pk=experience.pk)
    if experience.candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your profile."))
    for name, value in fields.items():
        setattr(experience, name, value)
    _experience_validate(experience)
    experience.save()
    return experience


@transaction.atomic
def experience_delete(*, experience: Experience, user: User) -> None:
    experience = Experience.objects.select_for_update().select_related("candidate").get(pk=experience.pk)
    if experience.candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your profile."))
    experience.delete()


def experience_occupation(*, pk: int | None) -> Occupation | None:
    return Occupation.objects.filter(pk=pk).first() if pk else None


# --- the profile's CV -------------------------------------------------------------------------------

CV_MAX_BYTES = PDF_MAX_BYTES


def cv_validate(cv: UploadedFile) -> None:
    """The request's checks of a CV (the profile's and an application's): at most 5 MB, the
    ``%PDF-`` header, a PDF content type. Nothing here parses the file: the worker does
    (``applications.services.application_cv_check`` / ``profile_cv_check``). The codes keep
    their ``cv_`` names for the forms and the API."""
    try:
        pdf_check_upload(cv)
    except ValidationError as exc:
        code = (exc.code or "pdf_damaged").replace("pdf_", "cv_", 1)
        raise ValidationError(exc.messages[0], code=code) from exc


@transaction.atomic
def candidate_set_cv(*, candidate: Candidate, cv: UploadedFile) -> Candidate:
    """Store a new profile CV as "checking"; the worker checks it (signal ``profile_cv_uploaded``,
    heard by applications, which owns the check). The previous file goes once this commits."""
    try:
        cv_validate(cv)
    except ValidationError as exc:
        raise ValidationError({"cv": exc.messages}) from exc
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    previous = candidate.cv.name
    candidate.cv = cv
    candidate.cv_check = CvCheck.CHECKING
    candidate.cv_check_reason = ""
    candidate.cv_check_attempts = 0
    candidate.cv_check_requested_at = timezone.now()
    candidate.save(
        update_fields=["cv", "cv_check", "cv_check_reason", "cv_check_attempts", "cv_check_requested_at", "updated_at"]
    )
    candidate_id = candidate.pk
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))
    transaction.on_commit(lambda: profile_cv_uploaded.send(sender=Candidate, candidate_id=candidate_id))
    return candidate


@transaction.atomic
def candidate_delete_cv(*, candidate: Candidate) -> Candidate:
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    previous = candidate.cv.name
    candidate.cv = ""
    candidate.cv_check = CvCheck.PASSED
    candidate.cv_check_reason = ""
    candidate.cv_check_attempts = 0
    candidate.cv_check_requested_at = None
    candidate.save(
        update_fields=["cv", "cv_check", "cv_check_reason", "cv_check_attempts", "cv_check_requested_at", "updated_at"]
    )
    if previous:
        transaction.on_commit(lambda: default_storage.delete(previous))
    return candidate

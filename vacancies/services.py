"""Writes to vacancies: create, update and the lifecycle (docs/architecture.md §2: services)."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Employer, User
from accounts.roles import may_moderate_vacancy

from .models import Vacancy, VacancyLanguage, VacancyStatus
from .signals import vacancy_changed

DEFAULT_VALIDITY = timedelta(days=60)

# Which status may follow which; everything else is refused.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    VacancyStatus.DRAFT: {VacancyStatus.IN_REVIEW, VacancyStatus.PUBLISHED, VacancyStatus.CLOSED},
    VacancyStatus.IN_REVIEW: {VacancyStatus.PUBLISHED, VacancyStatus.DRAFT, VacancyStatus.CLOSED},
    VacancyStatus.PUBLISHED: {VacancyStatus.FILLED, VacancyStatus.CLOSED, VacancyStatus.EXPIRED},
    VacancyStatus.EXPIRED: {VacancyStatus.PUBLISHED, VacancyStatus.CLOSED},
    VacancyStatus.FILLED: {VacancyStatus.CLOSED},
    VacancyStatus.CLOSED: set(),
}

EDITABLE_FIELDS = (
    "title",
    "description",
    "occupation",
    "is_stem",
    "min_eqf_level",
    "requires_min_secondary",
    "place",
    "contract_type",
    "hours_per_week",
    "shift_work",
    "shift_start_times",
    "salary_min",
    "salary_max",
    "salary_period",
    "openings",
    "start_date",
    "expires_at",
    "reference",
)


class InvalidTransition(ValidationError):
    pass


def _notify_changed(vacancy: Vacancy) -> None:
    vacancy_changed.send(sender=Vacancy, vacancy_id=vacancy.pk)


def _set_languages(vacancy: Vacancy, languages: Iterable[tuple[str, int]]) -> None:
    vacancy.languages.all().delete()
    VacancyLanguage.objects.bulk_create(
        [VacancyLanguage(vacancy=vacancy, language=language, min_level=level) for language, level in languages]
    )


@transaction.atomic
def vacancy_create(
    *,
    employer: Employer,
    essential_skills: Iterable = (),
    optional_skills: Iterable = (),
    languages: Iterable[tuple[str, int]] = (),
    **fields: Any,
) -> Vacancy:
    """A new draft vacancy. ``is_stem`` defaults from the occupation when not given."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown vacancy fields: {sorted(unknown)}")
    if fields.get("is_stem") is None and fields.get("occupation") is not None:
        fields["is_stem"] = fields["occupation"].is_stem
    vacancy = Vacancy(employer=employer, status=VacancyStatus.DRAFT, **fields)
    vacancy.full_clean()
    vacancy.save()
    vacancy.essential_skills.set(essential_skills)
    vacancy.optional_skills.set(set(optional_skills) - set(essential_skills))
    _set_languages(vacancy, languages)
    _notify_changed(vacancy)
    return vacancy


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    essential_skills: Iterable | None = None,
    optional_skills: Iterable | None = None,
    languages: Iterable[tuple[str, int]] | None = None,
    **fields: Any,
) -> Vacancy:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown vacancy fields: {sorted(unknown)}")
    if vacancy.status in (VacancyStatus.CLOSED, VacancyStatus.FILLED):
        raise ValidationError(_("A closed or filled vacancy can no longer be edited."), code="vacancy_closed")
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.full_clean()
    vacancy.save()
    if essential_skills is not None:
        vacancy.essential_skills.set(essential_skills)
    if optional_skills is not None:
        essential = set(vacancy.essential_skills.all())
        vacancy.optional_skills.set(set(optional_skills) - essential)
    if languages is not None:
        _set_languages(vacancy, languages)
    _notify_changed(vacancy)
    return vacancy


def _transition(vacancy: Vacancy, to_status: str) -> None:
    if to_status not in ALLOWED_TRANSITIONS[vacancy.status]:
        raise InvalidTransition(
            _("A vacancy cannot go from “%(from)s” to “%(to)s”.")
            % {"from": VacancyStatus(vacancy.status).label, "to": VacancyStatus(to_status).label},
            code="invalid_transition",
        )
    vacancy.status = to_status


def _publish(vacancy: Vacancy) -> None:
    now = timezone.now()
    _transition(vacancy, VacancyStatus.PUBLISHED)
    vacancy.published_at = now
    if vacancy.expires_at is None or vacancy.expires_at <= now:
        vacancy.expires_at = now + DEFAULT_VALIDITY
    vacancy.expiry_warning_sent_at = None


@transaction.atomic
def vacancy_submit(*, vacancy: Vacancy) -> Vacancy:
    """Publish a draft; a vacancy of an unverified employer goes to review first."""
    vacancy = Vacancy.objects.select_for_update().select_related("employer").get(pk=vacancy.pk)
    if vacancy.employer.is_verified:
        _publish(vacancy)
    else:
        _transition(vacancy, VacancyStatus.IN_REVIEW)
    vacancy.save(update_fields=["status", "published_at", "expires_at", "expiry_warning_sent_at", "updated_at"])
    _notify_changed(vacancy)
    return vacancy


@transaction.atomic
def vacancy_moderate(*, vacancy: Vacancy, approve: bool, moderator: User, note: str = "") -> Vacancy:
    """A caseworker or admin approves (publishes) or sends back (draft) a vacancy in review.

    Only a service of the employer's country (or a portal admin) may: ``accounts.roles``."""
    vacancy = Vacancy.objects.select_for_update(of=("self",)).select_related("employer").get(pk=vacancy.pk)
    if not may_moderate_vacancy(moderator, vacancy):
        raise PermissionDenied(_("Only an employment service of the employer's country may moderate this vacancy."))
    if vacancy.status != VacancyStatus.IN_REVIEW:
        raise InvalidTransition(_("Only a vacancy in review can be moderated."), code="not_in_review")
    if approve:
        _publish(vacancy)
        vacancy.codes_suggested = False  # the caseworker saw the portal's suggested codes and let them stand
    else:
        if not note.strip():
            raise ValidationError({"note": _("Please say why the vacancy is sent back.")})
        _transition(vacancy, VacancyStatus.DRAFT)
    vacancy.moderation_note = note
    vacancy.save()
    _notify_changed(vacancy)
    _notify_moderated(vacancy_id=vacancy.pk, approved=approve)
    return vacancy


@transaction.atomic
def vacancy_set_status(*, vacancy: Vacancy, status: str) -> Vacancy:
    """Close, mark filled, expire or renew; publishing goes through submit/moderate.

    The page's buttons and the API's ``status`` action both land here: renewing (published
    again) is for an expired vacancy only; a draft is published with ``vacancy_submit``.
    """
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if status == VacancyStatus.PUBLISHED:
        if status in ALLOWED_TRANSITIONS[vacancy.status] and vacancy.status != VacancyStatus.EXPIRED:
            raise ValidationError(
                {"status": _("Only an expired vacancy can be published again; submit a draft instead.")}
            )
        _publish(vacancy)
    else:
        _transition(vacancy, status)
    vacancy.save()
    _notify_changed(vacancy)
    return vacancy


def vacancy_expire_due(*, now=None) -> int:
    """Expire every published vacancy past its expiry date; returns how many."""
    now = now or timezone.now()
    count = 0
    for vacancy in Vacancy.objects.published().filter(expires_at__lte=now).only("pk"):
        vacancy_set_status(vacancy=vacancy, status=VacancyStatus.EXPIRED)
        count += 1
    return count


# --- notifications of the employer: moderation outcome, expiry warning -------------------------

EXPIRY_WARNING_BEFORE = timedelta(days=7)


def _notify_moderated(*, vacancy_id: int, approved: bool) -> None:
    """Recorded in the moderation's transaction, sent by a task once it commits."""
    from accounts.notifications import notify

    from .notifications import notify_vacancy_moderated

    notify(notify_vacancy_moderated, vacancy_id=vacancy_id, approved=approved)


@transaction.atomic
def vacancy_warn_expiring(*, now=None, before: timedelta = EXPIRY_WARNING_BEFORE) -> int:
    """Mark every published vacancy expiring within ``before`` and email its employer once.

    ``expiry_warning_sent_at`` makes it idempotent (a second run sends nothing); renewing a
    vacancy (publishing it again) clears it, so the next expiry is warned about again.
    """
    from accounts.notifications import notify

    from .notifications import notify_vacancy_expiring

    now = now or timezone.now()
    due = list(
        Vacancy.objects.published()
        .filter(expires_at__gt=now, expires_at__lte=now + before, expiry_warning_sent_at__isnull=True)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    Vacancy.objects.filter(pk__in=due).update(expiry_warning_sent_at=now)
    for vacancy_id in due:
        notify(notify_vacancy_expiring, vacancy_id=vacancy_id)
    return len(due)


def vacancy_codes_checked(*, vacancy: Vacancy) -> Vacancy:
    """The employer saved the vacancy's form: the codes the portal suggested at import are theirs now.
    The suggestion itself (``code_suggestions``) is kept, for the record."""
    if vacancy.codes_suggested:
        Vacancy.objects.filter(pk=vacancy.pk).update(codes_suggested=False)
        vacancy.codes_suggested = False
    return vacancy

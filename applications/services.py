"""Writes to applications: apply, withdraw, move through the stages; every change is recorded.

The CV is checked by its content (``cv_validate``), not by its name: the web form and the
API both call these services, so the rules hold for both.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import FileField
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify, reverse_in, send_to_user
from candidates.models import Candidate
from core.pdf import PDF_MAX_BYTES, pdf_validate
from vacancies.models import Vacancy

from .models import Application, ApplicationStatus, ApplicationStatusChange

logger = logging.getLogger(__name__)

CV_MAX_BYTES = PDF_MAX_BYTES

# The stages an application may go to from each stage; a final stage has no way out.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.RECEIVED: {
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.IN_REVIEW: {
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.OFFER,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    ApplicationStatus.INTERVIEW: {ApplicationStatus.OFFER, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.OFFER: {ApplicationStatus.HIRED, ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.HIRED: set(),
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.WITHDRAWN: set(),
}
FINAL_STATUSES = frozenset(status for status, following in ALLOWED_TRANSITIONS.items() if not following)


def cv_validate(cv: UploadedFile) -> None:
    """A CV is a real PDF of at most 5 MB: the size, the ``%PDF-`` header and a parse of its structure.

    The checks are ``core.pdf``'s (shared with the jobseeker's "fill my profile from my CV" page);
    the codes keep their ``cv_`` names for the form and the API.
    """
    try:
        pdf_validate(cv)
    except ValidationError as exc:
        code = (exc.code or "pdf_damaged").replace("pdf_", "cv_", 1)
        raise ValidationError(exc.messages[0], code=code) from exc


def _record(application: Application, *, from_status: str, to_status: str, changed_by, note: str = "") -> None:
    ApplicationStatusChange.objects.create(
        application=application, from_status=from_status, to_status=to_status, changed_by=changed_by, note=note
    )


@transaction.atomic
def application_create(
    *, candidate: Candidate, vacancy: Vacancy, motivation: str, cv: UploadedFile | None = None
) -> Application:
    """Apply to an open vacancy; the employer's users get an email once the application is saved."""
    if not Vacancy.objects.open_for_matching().filter(pk=vacancy.pk).exists():
        raise ValidationError(_("This vacancy is no longer open for applications."), code="vacancy_closed")
    if Application.objects.filter(candidate=candidate, vacancy=vacancy).exists():
        raise ValidationError(_("You have already applied to this vacancy."), code="already_applied")
    if not (motivation or "").strip():
        raise ValidationError({"motivation": _("Please write a few words about why you apply.")})
    if cv:
        try:
            cv_validate(cv)
        except ValidationError as exc:
            raise ValidationError({"cv": exc.messages}) from exc
    application = Application(candidate=candidate, vacancy=vacancy, motivation=motivation.strip())
    if cv:
        application.cv = cv
    application.full_clean(exclude=["cv"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a double submit that raced past the check above
        # The file was written before the insert failed: no row will ever point to it.
        if application.cv.name:
            application.cv.storage.delete(application.cv.name)
        raise ValidationError(_("You have already applied to this vacancy."), code="already_applied") from exc
    _record(application, from_status="", to_status=ApplicationStatus.RECEIVED, changed_by=candidate.user)
    notify(application_notify_employer, application_id=application.pk)
    return application


def application_notify_employer(*, application_id: int) -> int:
    """Email the employer's active users about a new application, each in their own language."""
    application = (
        Application.objects.select_related("vacancy__employer", "vacancy__place", "candidate__user")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return 0
    recipients = (
        get_user_model().objects.filter(employer_id=application.vacancy.employer_id, is_active=True).order_by("pk")
    )
    sent = 0
    for user in recipients:
        try:
            link = reverse_in(
                user.preferred_language or settings.LANGUAGE_CODE,
                "applications:employer_application_detail",
                kwargs={"pk": application.pk},
            )
        except NoReverseMatch:
            link = reverse_in(user.preferred_language or settings.LANGUAGE_CODE, "home")
        sent += send_to_user(
            user=user,
            template="applications/email/application_received",
            event=f"application-received:{application.pk}",
            context={"application": application, "vacancy": application.vacancy, "link": link},
        )
    return sent


@transaction.atomic
def application_withdraw(*, application: Application, user, note: str = "") -> Application:
    """The jobseeker withdraws their own application (not after a final stage)."""
    application = Application.objects.select_for_update().select_related("candidate").get(pk=application.pk)
    if application.candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your application."))
    if application.status in FINAL_STATUSES:
        raise ValidationError(
            _("This application is already “%(status)s” and can no longer be withdrawn.")
            % {"status": ApplicationStatus(application.status).label},
            code="final_status",
        )
    previous = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _record(application, from_status=previous, to_status=ApplicationStatus.WITHDRAWN, changed_by=user, note=note)
    return application


@transaction.atomic
def application_set_status(*, application: Application, status: str, changed_by, note: str = "") -> Application:
    """The employer moves an application to its next stage; the history keeps every step."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if status == application.status:
        return application
    if status == ApplicationStatus.WITHDRAWN:
        raise ValidationError(_("Only the jobseeker can withdraw an application."), code="withdraw_by_candidate")
    if status not in ALLOWED_TRANSITIONS.get(application.status, set()):
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {"from": ApplicationStatus(application.status).label, "to": ApplicationStatus(status).label},
            code="invalid_transition",
        )
    previous = application.status
    application.status = status
    application.save(update_fields=["status", "updated_at"])
    _record(application, from_status=previous, to_status=status, changed_by=changed_by, note=note)
    return application


@transaction.atomic
def applications_erase_for_candidate(*, candidate: Candidate) -> int:
    """Erase the personal content of a candidate's applications (motivation, CV); keep the stages anonymously."""
    count = 0
    for application in Application.objects.select_for_update().filter(candidate=candidate):
        if application.cv:
            application.cv.delete(save=False)
        application.cv = ""
        application.motivation = ""
        if application.status not in FINAL_STATUSES:
            previous = application.status
            application.status = ApplicationStatus.WITHDRAWN
            _record(application, from_status=previous, to_status=ApplicationStatus.WITHDRAWN, changed_by=None)
        application.save(update_fields=["cv", "motivation", "status", "updated_at"])
        count += 1
    ApplicationStatusChange.objects.filter(application__candidate=candidate).update(note="")
    return count


# --- the employer's side: moving an application through the stages ----------------------------

EMPLOYER_STAGES = (
    ApplicationStatus.RECEIVED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
    ApplicationStatus.REJECTED,
)


@transaction.atomic
def application_move_stage(*, application: Application, to_status: str, user, note: str = "") -> Application:
    """An employer user (of the vacancy's employer) moves an application to another stage.

    The change is recorded (ApplicationStatusChange) by ``application_set_status`` and the
    jobseeker gets an email in their own language once the transaction commits.
    """
    from .notifications import notify_application_status_changed

    application = Application.objects.select_related("vacancy").get(pk=application.pk)
    if getattr(user, "employer_id", None) is None or application.vacancy.employer_id != user.employer_id:
        raise PermissionDenied(_("This application is not for one of your vacancies."))
    if to_status not in EMPLOYER_STAGES:
        raise ValidationError({"status": _("Choose one of the stages.")})
    previous = application.status
    application = application_set_status(application=application, status=to_status, changed_by=user, note=note)
    if application.status != previous:
        notify(notify_application_status_changed, application_id=application.pk)
    return application


# --- uploaded files that no row references --------------------------------------------------------


def _referenced_media_names() -> set[str]:
    """Every file name a FileField of any model points to (CVs today; a new upload field is included)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and field.concrete:
                names.update(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return names


def _media_files(storage, folder: str):
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _media_files(storage, f"{folder}/{directory}")


def media_orphans_sweep(*, now=None) -> int:
    """Delete files under ``MEDIA_SWEEP_FOLDERS`` that no row references and that are older than
    ``MEDIA_ORPHAN_MIN_AGE_MINUTES`` (an upload in flight is written before its row commits).

    Orphans come from a request that wrote its file and then rolled back (a lost double
    submit, a crash between the write and the commit). Returns how many files went.
    """
    cutoff = (now or timezone.now()) - timedelta(minutes=settings.MEDIA_ORPHAN_MIN_AGE_MINUTES)
    deleted = 0
    for folder in settings.MEDIA_SWEEP_FOLDERS:
        if not default_storage.exists(folder):
            continue
        # Listed before the references are read: a file whose row commits in between is referenced.
        candidates = [
            name for name in _media_files(default_storage, folder) if default_storage.get_modified_time(name) < cutoff
        ]
        referenced = _referenced_media_names()
        for name in candidates:
            if name not in referenced:
                default_storage.delete(name)
                deleted += 1
    if deleted:
        logger.info("Media sweep: deleted %d file(s) no row references", deleted)
    return deleted

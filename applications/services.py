"""Writes to applications: apply, withdraw, move through the stages; every change is recorded.

The CV is checked by its content, not by its name, in two steps: the request does only the cheap
checks (``cv_validate``: size, ``%PDF-`` header, content type) and stores it as "checking"; the
worker (``application_cv_check``, task ``applications.tasks.cv_check``) parses it with limits,
keeps a sanitised copy ("passed") or deletes it ("rejected"). The web form and the API both call
these services, so the rules hold for both.
"""

import logging
import os
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import FileField, Q
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify, reverse_in, send_to_user
from candidates.models import Candidate
from candidates.services import CV_MAX_BYTES, cv_validate  # noqa: F401 (one rule for both CVs; forms import it here)
from core.pdf import PDF_MAX_BYTES, PdfRejected, pdf_inspect
from vacancies.models import Vacancy

from .models import Application, ApplicationStatus, ApplicationStatusChange, CvCheck, cv_upload_to

logger = logging.getLogger(__name__)

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


def _record(application: Application, *, from_status: str, to_status: str, changed_by, note: str = "") -> None:
    ApplicationStatusChange.objects.create(
        application=application, from_status=from_status, to_status=to_status, changed_by=changed_by, note=note
    )


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    vacancy: Vacancy,
    motivation: str,
    cv: UploadedFile | None = None,
    use_profile_cv: bool = False,
) -> Application:
    """Apply to an open vacancy; the employer's users get an email once the application is saved.

    ``use_profile_cv``: send a copy of the profile's CV (only once the worker passed it: the copy
    is then "passed" at once; a later change of the profile's CV leaves the application's as sent).
    """
    if use_profile_cv and cv:
        raise ValidationError({"cv": _("Send either your profile's CV or another file, not both.")})
    if use_profile_cv and not candidate.cv_passed:
        raise ValidationError(
            {"cv": _("Your profile's CV is not checked yet (or was refused): upload a CV here instead.")},
            code="profile_cv_unavailable",
        )
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
        application.cv_check = CvCheck.CHECKING
        application.cv_check_requested_at = timezone.now()
    elif use_profile_cv:
        try:
            with candidate.cv.open("rb") as handle:
                copy = ContentFile(handle.read(PDF_MAX_BYTES + 1))
        except FileNotFoundError as exc:
            raise ValidationError({"cv": _("Your profile's CV is missing: upload it again.")}) from exc
        application.cv.save(cv_upload_to(application, ""), copy, save=False)
        application.cv_check = CvCheck.PASSED  # the copy of a file the worker already sanitised
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
    from .notifications import notify_application_sent  # notifications import this module's models

    notify(notify_application_sent, application_id=application.pk)
    if application.cv and application.cv_check == CvCheck.CHECKING:
        application_id = application.pk
        transaction.on_commit(lambda: cv_check_enqueue(application_id=application_id))
    return application


# --- the worker's check of an uploaded CV ----------------------------------------------------------


def cv_check_enqueue(*, application_id: int) -> bool:
    """Queue the CV's check; False when the broker is down (the row stays "checking" and
    ``cv_checks_requeue`` sends it again). Never raises: the application is saved already."""
    from . import tasks

    try:
        tasks.cv_check.apply_async(args=(application_id,), retry=False)
    except Exception as exc:  # kombu/redis raise several types; the sweep catches up
        logger.warning("Broker unreachable, CV check of application %s waits for the sweep: %s", application_id, exc)
        return False
    return True


def application_cv_check(*, application_id: int) -> str | None:
    """Check the application's CV with ``core.pdf.pdf_inspect`` under ``CV_*`` limits.

    Passed: the stored file is replaced by the sanitised copy. Rejected: the file is deleted and
    the reason code kept for the jobseeker's message. The attempt is counted (and committed)
    before the file is parsed: a file that kills the worker every time is rejected as too slow
    after ``CV_CHECK_MAX_ATTEMPTS``. Returns the new ``cv_check``, or None when there was
    nothing to check (already checked, erased, replaced).
    """
    from .notifications import notify_cv_rejected

    def rejected(pk: int) -> None:
        notify(notify_cv_rejected, application_id=pk)

    return _cv_check(model=Application, pk=application_id, on_rejected=rejected)


def profile_cv_check(*, candidate_id: int) -> str | None:
    """The same check for the CV on a jobseeker's profile (the profile page shows the outcome)."""
    return _cv_check(model=Candidate, pk=candidate_id, on_rejected=None)


def _cv_check(*, model, pk: int, on_rejected) -> str | None:
    """The worker's check of the ``cv`` of a row of ``model`` (Application or Candidate): both
    carry the same ``cv``/``cv_check*`` fields, so both CVs follow one rule."""
    label = f"{model._meta.model_name} {pk}"
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk, cv_check=CvCheck.CHECKING).exclude(cv="").first()
        if row is None:
            return None
        row.cv_check_attempts += 1
        row.cv_check_requested_at = timezone.now()  # the sweep waits a full period again
        row.save(update_fields=["cv_check_attempts", "cv_check_requested_at"])
    name = row.cv.name
    finish = {"model": model, "pk": pk, "checked_name": name, "on_rejected": on_rejected}
    if row.cv_check_attempts > settings.CV_CHECK_MAX_ATTEMPTS:
        return _cv_check_finish(**finish, clean=None, code="pdf_too_slow")
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read(PDF_MAX_BYTES + 1)
    except FileNotFoundError:
        return _cv_check_finish(**finish, clean=None, code="pdf_damaged")
    clean, code = None, ""
    try:
        clean = pdf_inspect(
            data,
            max_pages=settings.CV_MAX_PAGES,
            max_decompressed_bytes=settings.CV_MAX_DECOMPRESSED_BYTES,
            max_seconds=settings.CV_CHECK_SECONDS,
        )
    except PdfRejected as exc:
        code = exc.code
        logger.info("CV of %s rejected: %s", label, exc)
    except SoftTimeLimitExceeded:
        code = "pdf_too_slow"
        logger.info("CV of %s rejected: the check passed its time limit", label)
    return _cv_check_finish(**finish, clean=clean, code=code)


@transaction.atomic
def _cv_check_finish(*, model, pk: int, checked_name: str, clean: bytes | None, code: str, on_rejected) -> str | None:
    row = model.objects.select_for_update().filter(pk=pk).first()
    if row is None or row.cv.name != checked_name or row.cv_check != CvCheck.CHECKING:
        return None  # erased, withdrawn with its CV or replaced while the worker read it: stale
    if clean is not None:
        row.cv.name = _store_sanitised(row, clean)
        row.cv_check = CvCheck.PASSED
        row.cv_check_reason = ""
    else:
        row.cv = ""
        row.cv_check = CvCheck.REJECTED
        row.cv_check_reason = code.replace("pdf_", "cv_", 1)
    row.save(update_fields=["cv", "cv_check", "cv_check_reason", "updated_at"])
    if row.cv_check == CvCheck.REJECTED and on_rejected is not None:
        on_rejected(row.pk)
    if row.cv.name != checked_name:
        # The original goes once the row no longer points to it (a crash in between: the media sweep).
        transaction.on_commit(lambda: default_storage.delete(checked_name))
    return row.cv_check


def _store_sanitised(row, clean: bytes) -> str:
    """Put the sanitised copy in place of the upload, under the same name (atomic rename on the
    file system); a storage without local paths gets a new name. Returns the name."""
    name = row.cv.name
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        return default_storage.save(row._meta.get_field("cv").upload_to(row, ""), ContentFile(clean))
    partial = f"{path}.sanitising"
    with open(partial, "wb") as handle:
        handle.write(clean)
    os.replace(partial, path)  # a crash before this leaves the upload; the next attempt checks it again
    return name


def profile_cv_check_enqueue(*, candidate_id: int) -> bool:
    """Queue the profile CV's check; False when the broker is down (the sweep sends it again)."""
    from . import tasks

    try:
        tasks.profile_cv_check.apply_async(args=(candidate_id,), retry=False)
    except Exception as exc:  # kombu/redis raise several types; the sweep catches up
        logger.warning(
            "Broker unreachable, profile CV check of candidate %s waits for the sweep: %s", candidate_id, exc
        )
        return False
    return True


def cv_checks_requeue(*, now=None) -> int:
    """Queue again the checks still "checking" after ``CV_CHECK_REQUEUE_MINUTES`` (the broker was
    down, the worker died, the message was lost), of applications' and profiles' CVs; returns how
    many were sent."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.CV_CHECK_REQUEUE_MINUTES)
    sent = 0
    for model, enqueue in (
        (Application, lambda pk: cv_check_enqueue(application_id=pk)),
        (Candidate, lambda pk: profile_cv_check_enqueue(candidate_id=pk)),
    ):
        # Set to "checking" without a file (e.g. an operator's bulk re-check): nothing to check.
        model.objects.filter(cv_check=CvCheck.CHECKING, cv="").update(cv_check=CvCheck.PASSED)
        due = list(
            model.objects.filter(cv_check=CvCheck.CHECKING)
            .filter(Q(cv_check_requested_at__lte=cutoff) | Q(cv_check_requested_at__isnull=True))
            .order_by("cv_check_requested_at")
            .values_list("pk", flat=True)[:500]
        )
        for pk in due:
            model.objects.filter(pk=pk).update(cv_check_requested_at=now)
            if enqueue(pk):
                sent += 1
        if due:
            logger.info(
                "CV checks (%s): %d waiting longer than %d min",
                model._meta.model_name,
                len(due),
                settings.CV_CHECK_REQUEUE_MINUTES,
            )
    return sent


def cv_replaceable(application: Application) -> bool:
    """May the jobseeker send another CV: the application is open and its CV was refused (or it had none)."""
    if application.status in FINAL_STATUSES:
        return False
    return not application.cv or application.cv_check == CvCheck.REJECTED


@transaction.atomic
def application_replace_cv(*, application: Application, user, cv: UploadedFile) -> Application:
    """The jobseeker uploads another CV after the worker refused theirs (or adds one they had not sent)."""
    application = Application.objects.select_for_update().select_related("candidate").get(pk=application.pk)
    if application.candidate.user_id != user.pk:
        raise PermissionDenied(_("This is not your application."))
    if not cv_replaceable(application):
        if application.status in FINAL_STATUSES:
            raise ValidationError(_("This application is closed; its CV can no longer change."), code="final_status")
        raise ValidationError(_("This application already has a CV."), code="cv_present")
    try:
        cv_validate(cv)
    except ValidationError as exc:
        raise ValidationError({"cv": exc.messages}) from exc
    application.cv = cv
    application.cv_check = CvCheck.CHECKING
    application.cv_check_reason = ""
    application.cv_check_attempts = 0
    application.cv_check_requested_at = timezone.now()
    application.save(
        update_fields=["cv", "cv_check", "cv_check_reason", "cv_check_attempts", "cv_check_requested_at", "updated_at"]
    )
    application_id = application.pk
    transaction.on_commit(lambda: cv_check_enqueue(application_id=application_id))
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

"""The worker's check of an uploaded CV: the request stores it as "checking" without parsing it,
the check (Celery, eager here; a real worker in test_cv_check_worker.py) passes a sanitised copy
or deletes a hostile file; employers download only passed CVs; the jobseeker sees why and sends
another; checks left "checking" are queued again by the sweep (with the broker really down: the
integration test in test_cv_check_worker.py)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import OutgoingEmail
from applications.models import Application, CvCheck
from applications.services import (
    application_create,
    application_cv_check,
    application_replace_cv,
    cv_checks_requeue,
)
from tests.factories import EmployerUserFactory
from tests.pdf_helpers import (
    WELDER_CV,
    bomb_pdf,
    embedded_file_pdf,
    javascript_pdf,
    many_pages_pdf,
    text_pdf,
    zip_appended_pdf,
)
from tests.workspace_helpers import candidate_with_profile, published_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def employer():
    return EmployerUserFactory()


@pytest.fixture
def vacancy(employer):
    return published_vacancy(employer=employer.employer)


@pytest.fixture
def candidate():
    return candidate_with_profile(first_name="Jan", last_name="de Smet")


def upload(content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", content, content_type=content_type)


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(f"applications:{name}", kwargs=kwargs)


def apply_with(candidate, vacancy, content: bytes) -> Application:
    """Apply without running the check (its task waits for the commit, which never comes here)."""
    return application_create(candidate=candidate, vacancy=vacancy, motivation="Graag", cv=upload(content))


def test_the_request_stores_the_cv_as_checking_without_parsing_it(candidate, vacancy, employer, client):
    application = apply_with(candidate, vacancy, many_pages_pdf())
    assert application.cv_check == CvCheck.CHECKING
    assert Path(application.cv.path).read_bytes() == many_pages_pdf()  # stored as sent, unparsed
    client.force_login(employer)
    assert client.get(url("employer_application_cv", pk=application.pk)).status_code == 404
    page = client.get(url("employer_application_detail", pk=application.pk)).content.decode()
    assert "being checked for safety" in page
    assert url("employer_application_cv", pk=application.pk) not in page


@pytest.mark.parametrize(
    ("build", "reason", "words"),
    [
        (javascript_pdf, "cv_javascript", "JavaScript"),
        (zip_appended_pdf, "cv_appended_data", "other data appended"),
        (bomb_pdf, "cv_too_big_inside", "far more data"),
        (embedded_file_pdf, "cv_embedded_files", "attached files"),
        (many_pages_pdf, "cv_too_many_pages", "more than 50 pages"),
    ],
    ids=["javascript", "zip-appended", "bomb", "embedded-file", "20000-pages"],
)
def test_a_hostile_cv_is_rejected_deleted_and_explained(candidate, vacancy, employer, client, build, reason, words):
    application = apply_with(candidate, vacancy, build())
    stored = Path(application.cv.path)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert application_cv_check(application_id=application.pk) == CvCheck.REJECTED
    application.refresh_from_db()
    assert (application.cv_check, application.cv_check_reason, application.cv.name) == ("rejected", reason, "")
    assert not stored.exists()  # the file is gone from disk
    client.force_login(employer)
    assert client.get(url("employer_application_cv", pk=application.pk)).status_code == 404
    client.force_login(candidate.user)
    page = client.get(url("detail", pk=application.pk)).content.decode()
    assert "Your CV was refused." in page
    assert words in page
    assert url("cv_replace", pk=application.pk) in page  # the way to send another one
    assert "Your CV was refused." in client.get(url("list")).content.decode()
    mail = OutgoingEmail.objects.get(to=candidate.user.email, subject__contains="geweigerd")  # in their Dutch
    assert url("detail", "nl", pk=application.pk) in mail.body
    with translation.override("nl"):
        assert application.cv_rejection_message in mail.body


def test_a_good_cv_passes_as_a_sanitised_copy_the_employer_downloads(candidate, vacancy, employer, client):
    application = apply_with(candidate, vacancy, text_pdf(WELDER_CV))
    original = Path(application.cv.path)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert application_cv_check(application_id=application.pk) == CvCheck.PASSED
    application.refresh_from_db()
    assert application.cv_check == CvCheck.PASSED
    assert Path(application.cv.path) == original
    assert original.read_bytes() != text_pdf(WELDER_CV)  # replaced by the copy qpdf wrote
    assert not list(original.parent.glob("*.sanitising"))
    client.force_login(employer)
    response = client.get(url("employer_application_cv", pk=application.pk))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert body != text_pdf(WELDER_CV)
    assert application_cv_check(application_id=application.pk) is None  # checked once


def test_applying_in_the_web_runs_the_check_after_the_commit(
    candidate, vacancy, client, django_capture_on_commit_callbacks
):
    client.force_login(candidate.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("apply", vacancy_pk=vacancy.pk), {"motivation": "Graag", "cv": upload(javascript_pdf())}
        )
    assert response.status_code == 302
    application = Application.objects.get(candidate=candidate)
    assert (application.cv_check, application.cv_check_reason) == ("rejected", "cv_javascript")


def test_the_request_still_refuses_what_is_cheap_to_see(candidate, vacancy, client):
    client.force_login(candidate.user)
    for content, content_type in ((b"MZ\x90\x00", "application/pdf"), (text_pdf(WELDER_CV), "text/html")):
        response = client.post(
            url("apply", vacancy_pk=vacancy.pk), {"motivation": "x", "cv": upload(content, content_type)}
        )
        assert response.status_code == 200
        assert "not a PDF file" in response.content.decode()
    assert not Application.objects.exists()


def test_after_a_rejection_the_jobseeker_sends_another_cv(
    candidate, vacancy, client, django_capture_on_commit_callbacks
):
    application = apply_with(candidate, vacancy, javascript_pdf())
    application_cv_check(application_id=application.pk)
    client.force_login(candidate.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("cv_replace", pk=application.pk), {"cv": upload(text_pdf(WELDER_CV))})
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.cv_check, application.cv_check_reason) == ("passed", "")
    assert application.cv


def test_a_cv_that_is_being_checked_or_passed_cannot_be_replaced(candidate, vacancy):
    from django.core.exceptions import ValidationError

    application = apply_with(candidate, vacancy, text_pdf(WELDER_CV))
    with pytest.raises(ValidationError) as caught:
        application_replace_cv(application=application, user=candidate.user, cv=upload(text_pdf(WELDER_CV)))
    assert caught.value.code == "cv_present"


def test_a_stale_result_does_not_overwrite_a_replaced_cv(candidate, vacancy):
    application = apply_with(candidate, vacancy, javascript_pdf())
    application_cv_check(application_id=application.pk)
    application.refresh_from_db()
    replaced = application_replace_cv(application=application, user=candidate.user, cv=upload(text_pdf(WELDER_CV)))
    # A second delivery of the old task finds the new file: it checks that one, not a stale verdict.
    assert application_cv_check(application_id=replaced.pk) == CvCheck.PASSED


def test_the_sweep_queues_checks_left_waiting_and_gives_up_after_the_attempts(candidate, vacancy, settings):
    application = apply_with(candidate, vacancy, text_pdf(WELDER_CV))
    assert cv_checks_requeue() == 0  # young: its own task may still come
    Application.objects.filter(pk=application.pk).update(
        cv_check_requested_at=timezone.now() - timedelta(minutes=settings.CV_CHECK_REQUEUE_MINUTES + 1)
    )
    assert cv_checks_requeue() == 1  # queued (eager here: checked at once)
    application.refresh_from_db()
    assert application.cv_check == CvCheck.PASSED
    # A file that killed the worker on every try (hard time limit): the attempt count ends it.
    stuck = apply_with(candidate_with_profile(), vacancy, text_pdf(WELDER_CV))
    Application.objects.filter(pk=stuck.pk).update(cv_check_attempts=settings.CV_CHECK_MAX_ATTEMPTS)
    assert application_cv_check(application_id=stuck.pk) == CvCheck.REJECTED
    stuck.refresh_from_db()
    assert stuck.cv_check_reason == "cv_too_slow"


def test_the_soft_time_limit_rejects_the_cv_as_too_slow(candidate, vacancy, monkeypatch):
    # Celery raises SoftTimeLimitExceeded inside the task when CV_CHECK_SECONDS pass; stand in for the signal.
    from celery.exceptions import SoftTimeLimitExceeded

    from applications import services

    def out_of_time(*args, **kwargs):
        raise SoftTimeLimitExceeded

    application = apply_with(candidate, vacancy, text_pdf(WELDER_CV))
    monkeypatch.setattr(services, "pdf_inspect", out_of_time)
    assert application_cv_check(application_id=application.pk) == CvCheck.REJECTED
    application.refresh_from_db()
    assert application.cv_check_reason == "cv_too_slow"


def test_the_api_shows_the_check_and_the_schema_documents_it(candidate, vacancy, client):
    application = apply_with(candidate, vacancy, javascript_pdf())
    application_cv_check(application_id=application.pk)
    client.force_login(candidate.user)
    data = client.get(f"/api/v1/applications/{application.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (data["cv_check"], data["cv_check_reason"], data["has_cv"]) == ("rejected", "cv_javascript", False)
    assert "JavaScript" in data["cv_check_message"]
    schema = client.get("/api/schema/?format=json").json()
    properties = schema["components"]["schemas"]["Application"]["properties"]
    check = properties["cv_check"]
    enum = check.get("enum") or schema["components"]["schemas"][check["allOf"][0]["$ref"].split("/")[-1]]["enum"]
    assert set(enum) == {"checking", "passed", "rejected"}
    assert "cv_check_reason" in properties
    assert "cv_check_message" in properties

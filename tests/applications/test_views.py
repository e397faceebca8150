"""Apply with a motivation and a CV checked by content; my applications; withdraw; who may see what."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from pypdf import PdfWriter

from applications.models import Application, ApplicationStatus, ApplicationStatusChange
from applications.services import application_create, application_set_status
from tests.factories import (
    CandidateFactory,
    CaseworkerFactory,
    EmployerFactory,
    EmployerUserFactory,
    UserFactory,
    VacancyFactory,
    place,
)
from vacancies.models import VacancyStatus

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def published(**fields):
    now = timezone.now()
    return VacancyFactory(
        status=VacancyStatus.PUBLISHED, published_at=now, expires_at=now + timedelta(days=30), **fields
    )


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded CVs go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def vacancy():
    return published(title="Procesoperator Zelzate")


@pytest.fixture
def candidate(client):
    candidate = CandidateFactory()
    client.force_login(candidate.user)
    return candidate


# --- applying ---------------------------------------------------------------------------------------


def test_apply_with_motivation_and_pdf_cv_notifies_the_employer_in_their_language(
    client, candidate, vacancy, django_capture_on_commit_callbacks
):
    EmployerUserFactory(employer=vacancy.employer, email="hr-nl@example.test", preferred_language="nl")
    EmployerUserFactory(employer=vacancy.employer, email="hr-fr@example.test", preferred_language="fr")
    EmployerUserFactory(email="other-company@example.test")
    cv = SimpleUploadedFile("mijn cv.pdf", pdf_bytes(), content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("applications:apply", vacancy_pk=vacancy.pk),
            {"motivation": "Ik heb vijf jaar ervaring als operator.", "cv": cv},
        )
    application = Application.objects.get(candidate=candidate, vacancy=vacancy)
    assert response.status_code == 302
    assert response["Location"] == url("applications:detail", pk=application.pk)
    assert application.status == ApplicationStatus.RECEIVED
    assert application.cv.name.endswith(".pdf")
    assert "mijn cv" not in application.cv.name
    assert list(application.history.values_list("from_status", "to_status")) == [("", "received")]
    employer_mails = [m for m in mail.outbox if m.to[0] != candidate.user.email]
    assert sorted(m.to[0] for m in employer_mails) == ["hr-fr@example.test", "hr-nl@example.test"]
    subjects = {m.to[0]: m.subject for m in employer_mails}
    assert "Procesoperator Zelzate" in subjects["hr-nl@example.test"]
    assert subjects["hr-nl@example.test"] != subjects["hr-fr@example.test"]  # each in their own language
    application.cv.delete(save=False)


def test_apply_without_cv(client, candidate, vacancy):
    response = client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "Graag!"})
    assert response.status_code == 302
    assert not Application.objects.get(candidate=candidate).cv


def test_cv_larger_than_5_mb_is_refused_clearly(client, candidate, vacancy):
    big = pdf_bytes() + b"%" + b"0" * (20 * 1024 * 1024)
    cv = SimpleUploadedFile("cv.pdf", big, content_type="application/pdf")
    response = client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "Mijn motivatie", "cv": cv})
    assert response.status_code == 200
    assert "larger than 5 MB" in response.content.decode()
    assert "Mijn motivatie" in response.content.decode()  # nothing typed is lost
    assert not Application.objects.exists()


def test_exe_renamed_to_pdf_is_refused(client, candidate, vacancy):
    exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 2000
    cv = SimpleUploadedFile("cv.pdf", exe, content_type="application/pdf")
    response = client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "x", "cv": cv})
    assert response.status_code == 200
    assert "not a PDF file" in response.content.decode()
    assert not Application.objects.exists()


def test_damaged_pdf_with_a_pdf_header_is_refused_by_the_worker(
    client, candidate, vacancy, django_capture_on_commit_callbacks
):
    # The request does not parse the file (tests/applications/test_cv_check.py); the worker refuses it.
    cv = SimpleUploadedFile("cv.pdf", b"%PDF-1.7\n" + b"garbage " * 500, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "x", "cv": cv})
    assert response.status_code == 302
    application = Application.objects.get(candidate=candidate)
    assert (application.cv_check, application.cv_check_reason) == ("rejected", "cv_damaged")
    assert "cannot read this PDF" in client.get(response["Location"]).content.decode()


def test_cv_error_is_in_the_users_language(client, candidate, vacancy):
    cv = SimpleUploadedFile("cv.pdf", b"MZ" + b"\x00" * 100, content_type="application/pdf")
    response = client.post(url("applications:apply", "nl", vacancy_pk=vacancy.pk), {"motivation": "x", "cv": cv})
    assert response.status_code == 200
    assert "Uw cv is geen pdf-bestand" in response.content.decode()


def test_empty_motivation_is_refused(client, candidate, vacancy):
    response = client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "   "})
    assert response.status_code == 200
    assert "a few words" in response.content.decode()


def test_applying_twice_leads_to_the_existing_application(client, candidate, vacancy):
    client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "Eerste keer"})
    response = client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "Tweede keer"})
    application = Application.objects.get()
    assert response["Location"] == url("applications:detail", pk=application.pk)
    assert application.motivation == "Eerste keer"


def test_the_service_refuses_a_second_application_and_a_closed_vacancy(candidate, vacancy):
    from django.core.exceptions import ValidationError

    application_create(candidate=candidate, vacancy=vacancy, motivation="x")
    with pytest.raises(ValidationError):
        application_create(candidate=candidate, vacancy=vacancy, motivation="y")
    with pytest.raises(ValidationError):
        application_create(candidate=candidate, vacancy=VacancyFactory(status=VacancyStatus.DRAFT), motivation="y")


def test_cannot_apply_to_a_vacancy_that_is_not_published(client, candidate):
    draft = VacancyFactory(status=VacancyStatus.DRAFT)
    assert client.get(url("applications:apply", vacancy_pk=draft.pk)).status_code == 404


def test_apply_before_the_profile_exists_starts_the_profile(client, vacancy):
    client.force_login(UserFactory())
    target = url("applications:apply", vacancy_pk=vacancy.pk)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == url("candidates:step", step="home") + "?" + urlencode({"next": target})


def test_after_the_last_profile_step_the_jobseeker_is_back_at_the_application(client, vacancy):
    client.force_login(UserFactory())
    target = url("applications:apply", vacancy_pk=vacancy.pk)
    start = client.get(target)["Location"]
    client.get(start)  # the wizard remembers where to return
    client.post(
        url("candidates:step", step="home"),
        {"country": "NL", "postcode": "4531ab", "home_place": place("Terneuzen", "NL").pk},
    )
    response = client.post(url("candidates:step", step="consent"), {"consent_matching": "on"})
    assert response.status_code == 302
    assert response["Location"] == target


def test_an_offsite_next_is_ignored_by_the_wizard(client, candidate):
    client.get(url("candidates:step", step="home") + "?next=https://evil.example/apply/")
    response = client.post(url("candidates:step", step="consent"), {"consent_matching": "on"})
    assert response["Location"] == url("candidates:profile")


def test_applying_sends_a_confirmation_to_the_jobseeker_in_their_language(
    client, candidate, vacancy, django_capture_on_commit_callbacks
):
    candidate.user.preferred_language = "fr"
    candidate.user.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "Graag!"})
    application = Application.objects.get(candidate=candidate)
    sent = [m for m in mail.outbox if m.to == [candidate.user.email]]
    assert len(sent) == 1
    assert "Procesoperator Zelzate" in sent[0].subject
    assert sent[0].extra_headers["Content-Language"] == "fr"
    with translation.override("fr"):
        assert (
            settings.PORTAL_BASE_URL.rstrip("/") + reverse("applications:detail", kwargs={"pk": application.pk})
            in sent[0].body
        )


# --- permissions ----------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_and_back(client, vacancy):
    target = url("applications:apply", vacancy_pk=vacancy.pk)
    response = client.get(target)
    assert response.status_code == 302
    assert url("accounts:login") in response["Location"]
    assert "next=" in response["Location"]
    assert client.get(url("applications:list")).status_code == 302


@pytest.mark.parametrize("factory", [EmployerUserFactory, CaseworkerFactory])
def test_employers_and_caseworkers_get_403(client, vacancy, factory):
    client.force_login(factory())
    assert client.get(url("applications:apply", vacancy_pk=vacancy.pk)).status_code == 403
    assert client.get(url("applications:list")).status_code == 403


def test_another_jobseekers_application_is_404(client, candidate, vacancy):
    other = Application.objects.create(candidate=CandidateFactory(), vacancy=vacancy, motivation="private")
    assert client.get(url("applications:detail", pk=other.pk)).status_code == 404
    assert client.post(url("applications:withdraw", pk=other.pk)).status_code == 404
    assert client.get(url("applications:cv", pk=other.pk)).status_code == 404
    other.refresh_from_db()
    assert other.status == ApplicationStatus.RECEIVED


# --- my applications, history, withdraw, my CV -------------------------------------------------------------


def test_my_applications_shows_status_history(client, candidate, vacancy):
    application = application_create(candidate=candidate, vacancy=vacancy, motivation="x")
    hr = EmployerUserFactory(employer=vacancy.employer)
    application_set_status(
        application=application, status=ApplicationStatus.INTERVIEW, changed_by=hr, note="intern: sterke kandidaat"
    )
    body = client.get(url("applications:list")).content.decode()
    assert "Procesoperator Zelzate" in body
    assert "Interview" in body
    assert "Received" in body
    detail = client.get(url("applications:detail", pk=application.pk)).content.decode()
    assert "Interview" in detail
    assert "sterke kandidaat" not in detail


def test_withdraw_records_the_change(client, candidate, vacancy):
    application = application_create(candidate=candidate, vacancy=vacancy, motivation="x")
    response = client.post(url("applications:withdraw", pk=application.pk), {"note": "Andere baan gevonden"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    change = ApplicationStatusChange.objects.filter(application=application).last()
    assert (change.from_status, change.to_status, change.changed_by) == ("received", "withdrawn", candidate.user)
    # Withdrawing twice explains instead of failing.
    response = client.post(url("applications:withdraw", pk=application.pk), follow=True)
    assert response.status_code == 200
    assert "no longer be withdrawn" in response.content.decode()


def test_withdraw_is_post_only(client, candidate, vacancy):
    application = application_create(candidate=candidate, vacancy=vacancy, motivation="x")
    assert client.get(url("applications:withdraw", pk=application.pk)).status_code == 405


def test_download_my_own_cv(client, candidate, vacancy):
    cv = SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf")
    application = application_create(candidate=candidate, vacancy=vacancy, motivation="x", cv=cv)
    response = client.get(url("applications:cv", pk=application.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    application.cv.delete(save=False)


@pytest.mark.parametrize("rows", [1, 5])
def test_my_applications_query_count_is_constant(client, candidate, django_assert_num_queries, rows):
    employer = EmployerFactory()
    for _ in range(rows):
        application = application_create(candidate=candidate, vacancy=published(employer=employer), motivation="x")
        application_set_status(application=application, status=ApplicationStatus.IN_REVIEW, changed_by=None)
    # session, user, candidate id, count, rows (with vacancy, employer, place), history
    with django_assert_num_queries(6):
        response = client.get(url("applications:list"))
    assert len(response.context["applications"]) == rows

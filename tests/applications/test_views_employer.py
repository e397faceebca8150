"""The employer's side of applications: the list per vacancy, stages, CSV, CV."""

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from applications.models import Application, ApplicationStatus
from tests.factories import EmployerUserFactory
from tests.workspace_helpers import candidate_with_profile, make_application, published_vacancy, queries_of

pytestmark = pytest.mark.django_db


def url(name, language="nl", **kwargs):
    with translation.override(language):
        return reverse(f"applications:{name}", kwargs=kwargs)


@pytest.fixture
def employer_user(client):
    user = EmployerUserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def vacancy(employer_user):
    return published_vacancy(employer=employer_user.employer)


def test_the_employer_sees_applications_with_the_candidates_profile(client, vacancy):
    candidate = candidate_with_profile(first_name="Sanne", last_name="Jansen")
    application = make_application(vacancy=vacancy, candidate=candidate)
    response = client.get(url("employer_application_list", vacancy_pk=vacancy.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sanne Jansen" in html
    assert candidate.user.email in html
    detail = client.get(url("employer_application_detail", pk=application.pk))
    html = detail.content.decode()
    assert "Graag!" in html  # the motivation
    for skill in candidate.skills.all():
        assert skill.label_nl in html
    assert "EQF 4" in html


def test_list_query_count_is_constant(client, vacancy, django_assert_num_queries):
    make_application(vacancy=vacancy, candidate=candidate_with_profile())
    one = queries_of(lambda: client.get(url("employer_application_list", vacancy_pk=vacancy.pk)))
    for _ in range(5):
        make_application(vacancy=vacancy, candidate=candidate_with_profile())
    with django_assert_num_queries(one):
        response = client.get(url("employer_application_list", vacancy_pk=vacancy.pk))
    assert len(response.context["rows"]) == 6


def test_move_a_stage_records_it_and_tells_the_jobseeker_in_their_language(
    client, vacancy, employer_user, django_capture_on_commit_callbacks
):
    candidate = candidate_with_profile(language="en")
    application = make_application(vacancy=vacancy, candidate=candidate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("employer_application_detail", pk=application.pk),
            {"status": "interview", "note": "Dinsdag 10u", "back": "list"},
        )
    assert response.status_code == 302
    assert response["Location"] == url("employer_application_list", vacancy_pk=vacancy.pk)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    last = application.history.order_by("-at", "-id").first()
    assert (last.from_status, last.to_status, last.changed_by, last.note) == (
        "received",
        "interview",
        employer_user,
        "Dinsdag 10u",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [candidate.user.email]
    assert "Interview" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Content-Language"] == "en"


def test_an_impossible_move_is_an_error_on_the_page(client, vacancy):
    application = make_application(vacancy=vacancy, candidate=candidate_with_profile())
    response = client.post(url("employer_application_detail", "en", pk=application.pk), {"status": "hired"})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    response = client.post(url("employer_application_detail", "en", pk=application.pk), {"status": ""})
    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_a_withdrawn_application_cannot_be_moved(client, vacancy):
    application = make_application(
        vacancy=vacancy, candidate=candidate_with_profile(), status=ApplicationStatus.WITHDRAWN
    )
    response = client.post(url("employer_application_detail", pk=application.pk), {"status": "interview"})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_another_employers_applications_are_404(client, employer_user):
    other_vacancy = published_vacancy()
    application = make_application(vacancy=other_vacancy, candidate=candidate_with_profile())
    assert client.get(url("employer_application_list", vacancy_pk=other_vacancy.pk)).status_code == 404
    assert client.get(url("employer_application_export", vacancy_pk=other_vacancy.pk)).status_code == 404
    assert client.get(url("employer_application_detail", pk=application.pk)).status_code == 404
    assert (
        client.post(url("employer_application_detail", pk=application.pk), {"status": "interview"}).status_code == 404
    )
    assert client.get(url("employer_application_cv", pk=application.pk)).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECEIVED


def test_csv_export_is_safe_for_spreadsheets(client, vacancy):
    candidate = candidate_with_profile(first_name='=HYPERLINK("x")')
    make_application(vacancy=vacancy, candidate=candidate, motivation="@SUM(1+1)")
    response = client.get(url("employer_application_export", vacancy_pk=vacancy.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "'@SUM(1+1)" in text
    assert candidate.user.email in text


def test_cv_download_for_the_employer_only(client, vacancy, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    application = make_application(vacancy=vacancy, candidate=candidate_with_profile())
    assert client.get(url("employer_application_cv", pk=application.pk)).status_code == 404  # no CV
    application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    response = client.get(url("employer_application_cv", pk=application.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Application.objects.count() == 1

"""A real profile: work experience (ESCO occupation, months), phone (NL/BE, E.164), driving
licences, a CV on the profile checked by the worker's CV check and sent when applying."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Application, CvCheck
from applications.services import application_create, cv_checks_requeue
from candidates.models import Experience
from candidates.services import (
    candidate_set_cv,
    candidate_update,
    experience_create,
    experience_delete,
    experience_update,
    normalise_phone,
)
from taxonomy.models import Occupation
from tests.factories import CandidateFactory, EmployerUserFactory, UserFactory
from tests.pdf_helpers import WELDER_CV, javascript_pdf, text_pdf
from tests.workspace_helpers import candidate_with_profile, published_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", content, content_type="application/pdf")


@pytest.fixture
def candidate(client):
    candidate = CandidateFactory()
    client.force_login(candidate.user)
    return candidate


@pytest.fixture
def occupation():
    return Occupation.objects.order_by("pk").first()


def job(candidate, occupation, **fields):
    fields = {"employer_name": "Dow Benelux", "country": "NL", "started_on": date(2018, 4, 1), **fields}
    return experience_create(candidate=candidate, occupation=occupation, **fields)


# --- phone ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("06 12345678", "NL", "+31612345678"),
        ("0031 6 1234 5678", "BE", "+31612345678"),
        ("0115-612345", "NL", "+31115612345"),  # Terneuzen landline
        ("0470 12 34 56", "BE", "+32470123456"),
        ("0470/12.34.56", "NL", "+32470123456"),  # a Belgian mobile, typed by a Dutch resident
        ("+32 9 225 12 34", "NL", "+3292251234"),
        ("", "NL", ""),
    ],
)
def test_dutch_and_belgian_numbers_are_stored_as_e164(typed, country, stored):
    assert normalise_phone(typed, country=country) == stored


@pytest.mark.parametrize("typed", ["12345", "+49 30 1234567", "06 1234", "call me"])
def test_other_numbers_are_refused(typed):
    with pytest.raises(ValidationError) as exc:
        normalise_phone(typed, country="NL")
    assert exc.value.code == "phone_invalid"


def test_the_home_step_saves_the_phone_and_shows_it_formatted(client, candidate):
    response = client.post(
        url("candidates:step", step="home"),
        {"country": "NL", "home_place": candidate.home_place_id, "phone": "06-12345678"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    candidate.refresh_from_db()
    assert candidate.phone == "+31612345678"
    assert "+31 6 12345678" in client.get(url("candidates:profile")).content.decode()


def test_a_bad_phone_re_renders_the_step_in_the_users_language(client, candidate):
    response = client.post(
        url("candidates:step", "nl", step="home"),
        {"country": "NL", "home_place": candidate.home_place_id, "phone": "123"},
    )
    assert response.status_code == 200
    assert "Dit is geen Nederlands of Belgisch telefoonnummer" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.phone == ""


# --- driving licences -------------------------------------------------------------------------------------


def test_the_commute_step_saves_the_eu_licence_categories(client, candidate):
    response = client.post(
        url("candidates:step", step="commute"),
        {"modes": ["car"], "max_commute_minutes": 45, "driving_licences": ["CE", "B", "C"]},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.driving_licences == ["B", "C", "CE"]  # the directive's order
    response = client.post(
        url("candidates:step", step="commute"), {"modes": ["car"], "max_commute_minutes": 45, "driving_licences": ["X"]}
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.driving_licences == ["B", "C", "CE"]


# --- work experience -------------------------------------------------------------------------------------


def test_experience_is_kept_by_month_and_ordered_current_first(candidate, occupation):
    old = job(candidate, occupation, started_on=date(2015, 2, 17), ended_on=date(2018, 3, 31))
    current = job(candidate, occupation, started_on=date(2018, 4, 9), ended_on=None)
    assert (old.started_on, old.ended_on) == (date(2015, 2, 1), date(2018, 3, 1))
    assert list(candidate.experiences.all()) == [current, old]
    with pytest.raises(ValidationError) as exc:
        job(candidate, occupation, started_on=date(2020, 5, 1), ended_on=date(2019, 1, 1))
    assert "ended_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        job(candidate, occupation, started_on=timezone.localdate().replace(day=1, year=timezone.localdate().year + 1))
    assert "started_on" in exc.value.message_dict


def test_add_change_and_delete_a_job_on_the_profile_page(client, candidate, occupation):
    response = client.post(
        url("candidates:experience_add"),
        {
            "occupation": occupation.pk,
            "employer_name": "Zeeland Refinery",
            "country": "NL",
            "started_on": "2019-03",
            "ended_on": "",
            "description": "Onderhoud",
        },
    )
    assert response.status_code == 302
    experience = Experience.objects.get(candidate=candidate)
    assert (experience.started_on, experience.ended_on) == (date(2019, 3, 1), None)
    page = client.get(url("candidates:profile")).content.decode()
    assert "Zeeland Refinery" in page
    assert url("candidates:experience_edit", pk=experience.pk) in page

    form = client.get(url("candidates:experience_edit", pk=experience.pk)).content.decode()
    assert 'type="month"' in form
    assert 'value="2019-03"' in form
    assert "data-autocomplete-url" in form  # the ESCO autocomplete widget
    response = client.post(
        url("candidates:experience_edit", pk=experience.pk),
        {
            "occupation": occupation.pk,
            "employer_name": "Zeeland Refinery",
            "country": "BE",
            "started_on": "2019-03",
            "ended_on": "2021-06",
        },
    )
    assert response.status_code == 302
    experience.refresh_from_db()
    assert (experience.country, experience.ended_on) == ("BE", date(2021, 6, 1))

    assert client.get(url("candidates:experience_delete", pk=experience.pk)).status_code == 405
    assert client.post(url("candidates:experience_delete", pk=experience.pk)).status_code == 302
    assert not Experience.objects.exists()


def test_bad_experience_input_re_renders_with_errors(client, candidate, occupation):
    response = client.post(
        url("candidates:experience_add", "nl"),
        {
            "occupation": occupation.pk,
            "employer_name": "X",
            "country": "NL",
            "started_on": "2020-05",
            "ended_on": "2019-01",
        },
    )
    assert response.status_code == 200
    assert "Het einde komt na het begin" in response.content.decode()
    assert not Experience.objects.exists()


def test_anothers_experience_is_a_404_on_page_and_service(client, candidate, occupation):
    other = job(CandidateFactory(), occupation, employer_name="Secret BV")
    assert client.get(url("candidates:experience_edit", pk=other.pk)).status_code == 404
    assert client.post(url("candidates:experience_delete", pk=other.pk)).status_code == 404
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        experience_update(experience=other, user=candidate.user, employer_name="Mine")
    with pytest.raises(PermissionDenied):
        experience_delete(experience=other, user=candidate.user)
    assert Experience.objects.get(pk=other.pk).employer_name == "Secret BV"


def test_a_jobseeker_without_a_profile_starts_with_home(client):
    client.force_login(UserFactory())
    for name in ("candidates:experience_add", "candidates:profile_cv"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert response["Location"] == url("candidates:step", step="home")


# --- the profile's CV ----------------------------------------------------------------------------------


def test_the_profile_cv_is_checked_by_the_workers_cv_check(client, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("candidates:profile_cv"), {"action": "upload", "cv": upload(text_pdf(WELDER_CV))})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.cv_check == CvCheck.PASSED  # the eager worker ran the check after the commit
    assert Path(candidate.cv.path).read_bytes() != text_pdf(WELDER_CV)  # the sanitised copy
    assert 'data-cv-status="passed"' in client.get(url("candidates:profile_cv")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("candidates:profile_cv"), {"action": "upload", "cv": upload(javascript_pdf())})
    candidate.refresh_from_db()
    assert (candidate.cv_check, candidate.cv_check_reason, candidate.cv.name) == ("rejected", "cv_javascript", "")
    page = client.get(url("candidates:profile_cv")).content.decode()
    assert 'data-cv-status="rejected"' in page


def test_the_profile_cv_request_refuses_what_is_cheap_to_see(client, candidate):
    response = client.post(url("candidates:profile_cv"), {"action": "upload", "cv": upload(b"MZ\x90\x00")})
    assert response.status_code == 200
    assert "not a PDF file" in response.content.decode()
    candidate.refresh_from_db()
    assert not candidate.cv


def test_removing_the_profile_cv_deletes_the_file(client, candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        candidate_set_cv(candidate=candidate, cv=upload(text_pdf(WELDER_CV)))
    candidate.refresh_from_db()
    path = Path(candidate.cv.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("candidates:profile_cv"), {"action": "delete"})
    candidate.refresh_from_db()
    assert not candidate.cv
    assert not path.exists()


def test_the_sweep_queues_a_profile_cv_left_checking(candidate, settings):
    candidate_set_cv(candidate=candidate, cv=upload(text_pdf(WELDER_CV)))  # no commit hook ran: still checking
    candidate.refresh_from_db()
    assert candidate.cv_check == CvCheck.CHECKING
    later = timezone.now() + timedelta(minutes=settings.CV_CHECK_REQUEUE_MINUTES + 1)
    assert cv_checks_requeue(now=later) == 1
    candidate.refresh_from_db()
    assert candidate.cv_check == CvCheck.PASSED


# --- applying with the profile's CV -------------------------------------------------------------------------


def test_applying_offers_and_sends_a_copy_of_the_checked_profile_cv(client, django_capture_on_commit_callbacks):
    candidate = candidate_with_profile()
    client.force_login(candidate.user)
    vacancy = published_vacancy()
    employer = EmployerUserFactory(employer=vacancy.employer)
    assert "cv_source" not in client.get(url("applications:apply", vacancy_pk=vacancy.pk)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        candidate_set_cv(candidate=candidate, cv=upload(text_pdf(WELDER_CV)))
    candidate.refresh_from_db()
    page = client.get(url("applications:apply", vacancy_pk=vacancy.pk)).content.decode()
    assert 'name="cv_source" value="profile"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("applications:apply", vacancy_pk=vacancy.pk), {"motivation": "Graag", "cv_source": "profile"}
        )
    assert response.status_code == 302
    application = Application.objects.get(candidate=candidate)
    assert application.cv_check == CvCheck.PASSED
    assert application.cv.name != candidate.cv.name  # a copy: the profile's CV may change later
    assert Path(application.cv.path).read_bytes() == Path(candidate.cv.path).read_bytes()
    client.force_login(employer)
    assert client.get(url("applications:employer_application_cv", pk=application.pk)).status_code == 200


def test_upload_another_wins_over_the_profile_cv(client, django_capture_on_commit_callbacks):
    candidate = candidate_with_profile()
    client.force_login(candidate.user)
    vacancy = published_vacancy()
    with django_capture_on_commit_callbacks(execute=True):
        candidate_set_cv(candidate=candidate, cv=upload(text_pdf(WELDER_CV)))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("applications:apply", vacancy_pk=vacancy.pk),
            {"motivation": "Graag", "cv_source": "upload", "cv": upload(javascript_pdf())},
        )
    application = Application.objects.get(candidate=candidate)
    assert (application.cv_check, application.cv_check_reason) == ("rejected", "cv_javascript")


def test_a_profile_cv_not_passed_cannot_be_sent(candidate):
    candidate_set_cv(candidate=candidate, cv=upload(text_pdf(WELDER_CV)))  # still checking
    candidate.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        application_create(candidate=candidate, vacancy=published_vacancy(), motivation="x", use_profile_cv=True)
    assert "cv" in exc.value.message_dict
    assert not Application.objects.exists()


# --- the employer's view of an applicant ---------------------------------------------------------------------


def test_the_employer_sees_experience_phone_and_licences_of_an_applicant(client, occupation):
    candidate = candidate_with_profile()
    candidate_update(candidate=candidate, phone="0470 12 34 56", driving_licences=["B", "C"])
    job(candidate, occupation, employer_name="Havenbedrijf Gent", country="BE")
    vacancy = published_vacancy()
    application = application_create(candidate=candidate, vacancy=vacancy, motivation="Graag")
    client.force_login(EmployerUserFactory(employer=vacancy.employer))
    page = client.get(url("applications:employer_application_detail", pk=application.pk)).content.decode()
    assert "+32 470 12 34 56" in page
    assert 'href="tel:+32470123456"' in page
    assert "Havenbedrijf Gent" in page
    assert occupation.label in page
    assert "B, C" in page


# --- query counts: the pages that list experience ----------------------------------------------------------


def _queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_profile_page_query_count_does_not_grow_with_the_jobs(client, candidate, occupation):
    job(candidate, occupation)
    one = _queries(client, url("candidates:profile"))
    for n in range(5):
        job(candidate, occupation, employer_name=f"Werkgever {n}")
    assert _queries(client, url("candidates:profile")) == one


def test_the_employer_pages_query_count_does_not_grow_with_the_jobs(client, occupation):
    candidate = candidate_with_profile()
    job(candidate, occupation)
    vacancy = published_vacancy()
    application = application_create(candidate=candidate, vacancy=vacancy, motivation="Graag")
    client.force_login(EmployerUserFactory(employer=vacancy.employer))
    path = url("applications:employer_application_detail", pk=application.pk)
    one = _queries(client, path)
    for n in range(5):
        job(candidate, occupation, employer_name=f"Werkgever {n}")
    assert _queries(client, path) == one


# --- the API: the jobseeker's own experience, phone and licences --------------------------------------------


@pytest.fixture
def api(candidate):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(candidate.user)
    return client


def test_the_api_adds_changes_lists_and_deletes_the_callers_jobs(api, candidate, occupation):
    body = {"occupation": occupation.pk, "employer_name": "Damen", "started_on": "2019-03"}
    response = api.post("/api/v1/candidates/me/experience", body, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["started_on"], created["ended_on"], created["country"]) == ("2019-03", None, "NL")
    assert created["occupation_label"] == occupation.label
    path = f"/api/v1/candidates/me/experience/{created['id']}"
    response = api.patch(path, {"ended_on": "2018-01"}, format="json")
    assert response.status_code == 400
    assert "ended_on" in response.json()["errors"]
    response = api.patch(path, {"ended_on": "2025-06"}, format="json")
    assert response.json()["ended_on"] == "2025-06"
    assert [job["id"] for job in api.get("/api/v1/candidates/me/experience").json()] == [created["id"]]
    assert api.get("/api/v1/candidates/me").json()["experience"][0]["employer_name"] == "Damen"
    other = job(CandidateFactory(), occupation, employer_name="Secret BV")
    assert api.get(f"/api/v1/candidates/me/experience/{other.pk}").status_code == 404
    assert api.delete(f"/api/v1/candidates/me/experience/{other.pk}").status_code == 404
    assert api.delete(path).status_code == 204
    assert list(Experience.objects.all()) == [other]


def test_the_api_stores_the_phone_as_e164_and_refuses_a_bad_one(api, candidate):
    response = api.patch(
        "/api/v1/candidates/me", {"phone": "0470 12 34 56", "driving_licences": ["CE", "B"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["phone"], response.json()["driving_licences"]) == ("+32470123456", ["B", "CE"])
    response = api.patch("/api/v1/candidates/me", {"phone": "12"}, format="json")
    assert response.status_code == 400
    assert "phone" in response.json()["errors"]
    response = api.patch("/api/v1/candidates/me", {"driving_licences": ["Z"]}, format="json")
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.phone == "+32470123456"


def test_a_jobseeker_without_profile_gets_a_404_on_the_experience_api(client):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_login(UserFactory())
    assert api.get("/api/v1/candidates/me/experience").status_code == 404
    body = {"occupation": Occupation.objects.first().pk, "employer_name": "X", "started_on": "2019-03"}
    assert api.post("/api/v1/candidates/me/experience", body, format="json").status_code == 404

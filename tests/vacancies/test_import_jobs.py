"""Import jobs (the API answers 202 and a status URL, the worker imports) and the codes the
portal suggests for records without them. The worker here is Celery's eager mode; the real
worker process runs the same jobs in test_import_jobs_worker.py."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from rest_framework.test import APIClient

from accounts.models import EMPLOYER_SCOPES
from accounts.services import api_token_issue
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, service
from tests.vacancies.test_imports import posting
from vacancies.imports import import_job_run, import_job_submit, import_jobs_sweep, vacancy_import
from vacancies.jobposting.codes import OCCUPATION_MIN_CONFIDENCE, suggest_codes
from vacancies.models import ImportJob, ImportStatus, Vacancy

pytestmark = pytest.mark.django_db

# A port vacancy as an aggregator sends it: a Dutch title and text, nothing coded.
# Written for these tests in the style of Zeeland process-industry ads (assumption, not a real ad).
PROCESOPERATOR = {
    "identifier": "PO-2026-7",
    "title": "Procesoperator B – volcontinu",
    "description": (
        "<p>Ben jij de procesoperator B die ons team in volcontinudienst komt versterken? In onze chemische "
        "fabriek in Sluiskil bedien je vanuit de controlekamer en in het veld de installaties.</p>"
        "<ul><li>Je bedient pompsystemen en de geautomatiseerde procesbesturing</li>"
        "<li>Je neemt monsters voor analyse en spoort storingen op</li>"
        "<li>Je werkt veilig en draagt gepaste beschermende uitrusting</li></ul>"
        "<p>Je hebt een mbo-diploma op niveau 4, je bent bereid in ploegen te werken en je spreekt "
        "Nederlands.</p>"
    ),
    "occupationalCategory": None,
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def employer():
    return EmployerFactory(legal_name="Kanaalzone Chemie B.V.")


def token_client(employer) -> APIClient:
    _token, key = api_token_issue(name="ATS", scopes=EMPLOYER_SCOPES, employer=employer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api(employer):
    return token_client(employer)


def submit(employer, documents, **options) -> ImportJob:
    return import_job_submit(employer=employer, user=None, content=json.dumps(documents).encode(), **options)


# --- the API: 202, the status URL, scoping ------------------------------------------------------


def test_the_api_answers_202_at_once_and_the_status_url_follows_the_job(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post("/api/v1/vacancies/import", json.dumps(posting()), content_type="application/json")
        assert response.status_code == 202
        body = response.json()
        assert response["Location"] == body["status_url"]
        assert body["job"]["status"] == "queued"
        assert body["job"]["report"] is None
        # Nothing imported while the request runs: the job waits for its transaction to commit.
        assert api.get(body["status_url"]).json()["job"]["status"] == "queued"
        assert not Vacancy.objects.exists()
    assert callbacks, "the job is sent to the worker once the upload's transaction commits"
    job = api.get(body["status_url"]).json()["job"]
    assert job["status"] == "done"
    assert (job["total"], job["processed"], job["percent"]) == (1, 1, 100)
    assert job["report"]["summary"]["created"] == 1
    assert job["report"]["records"][0]["vacancy"] == Vacancy.objects.get().pk
    assert ImportJob.objects.get().content is None  # the file is dropped once the job is done


def test_another_employers_job_is_a_404(api, employer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        url = api.post("/api/v1/vacancies/import", json.dumps(posting()), content_type="application/json")["Location"]
    assert api.get(url).status_code == 200
    other = token_client(EmployerFactory())
    response = other.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert APIClient().get(url).status_code == 401
    assert api.get(url.replace(f"/{ImportJob.objects.get().pk}", "/999999")).status_code == 404


def test_a_file_over_the_limit_is_refused_before_a_job_exists(api, settings):
    settings.VACANCY_IMPORT_MAX_BYTES = 1000
    body = json.dumps([posting(identifier=f"X-{i}") for i in range(5)])
    response = api.post("/api/v1/vacancies/import", body, content_type="application/json")
    assert response.status_code == 413
    assert not ImportJob.objects.exists()


# --- the job: idempotent, failures recorded, the sweep -------------------------------------------


def test_a_redelivered_task_for_a_done_job_does_nothing(employer):
    job = submit(employer, [posting()])
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.DONE
    finished_at, report = job.finished_at, job.report
    again = import_job_run(job_id=job.pk)
    assert (again.status, again.finished_at, again.report) == (ImportStatus.DONE, finished_at, report)
    assert Vacancy.objects.count() == 1


def test_a_job_that_fails_is_recorded_as_failed_not_left_running(employer, settings):
    job = submit(employer, [posting()])
    settings.VACANCY_IMPORT_MAX_BYTES = 10  # lowered after the upload: the worker refuses the file
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.FAILED
    assert "larger than" in job.error
    assert job.content is None
    assert job.finished_at is not None
    assert not Vacancy.objects.exists()


def test_a_job_the_broker_never_got_is_sent_by_the_sweep(employer):
    job = submit(employer, [posting()])  # its on-commit send never ran: as if the broker were down
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.QUEUED
    assert import_jobs_sweep(now=job.created_at + timedelta(seconds=1)) == 0  # within the grace period
    assert import_jobs_sweep(now=job.created_at + timedelta(seconds=30)) == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert Vacancy.objects.count() == 1
    assert import_jobs_sweep(now=timezone.now() + timedelta(hours=2)) == 0  # a done job is never sent again


def test_a_job_whose_worker_died_is_failed_by_the_sweep(employer):
    job = submit(employer, [posting()])
    long_ago = timezone.now() - timedelta(hours=3)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=long_ago, enqueued_at=long_ago)
    import_jobs_sweep()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "did not finish" in job.error


# --- suggested codes ------------------------------------------------------------------------------


def test_a_dutch_title_and_text_get_an_occupation_and_skills_suggested(employer):
    report = vacancy_import(employer=employer, content=json.dumps(posting(**PROCESOPERATOR)).encode())
    record = report.records[0]
    assert record.outcome == "created", record.as_dict()
    vacancy = Vacancy.objects.get(pk=record.vacancy)
    assert vacancy.codes_suggested
    suggested = vacancy.code_suggestions
    assert "procesoperator" in vacancy.occupation.label_nl  # e.g. procesoperator chemie
    assert suggested["occupation"]["confidence"] >= OCCUPATION_MIN_CONFIDENCE
    assert vacancy.occupation_id == suggested["occupation"]["id"]
    assert suggested["skills"], "the text asks for skills the portal knows"
    assert set(vacancy.optional_skills.values_list("pk", flat=True)) == {s["id"] for s in suggested["skills"]}
    assert not vacancy.essential_skills.exists()  # a guess never holds a candidate back
    assert record.suggested == suggested
    notes = " ".join(record.warnings)
    assert f"Occupation suggested by the portal: {suggested['occupation']['label']}" in notes
    assert "Skills suggested by the portal:" in notes
    assert "codes suggested by the portal" in report.as_text()


def test_a_coded_record_is_not_marked(employer):
    report = vacancy_import(employer=employer, content=json.dumps(posting()).encode())  # ISCO 7212
    vacancy = Vacancy.objects.get(pk=report.records[0].vacancy)
    assert vacancy.occupation.isco_group.code == "7212"
    assert "occupation" not in vacancy.code_suggestions


def test_a_text_without_a_confident_occupation_is_refused_with_the_best_guess(employer):
    document = posting(occupationalCategory=None, title="Maanreiziger", description="Een reis.")
    report = vacancy_import(employer=employer, content=json.dumps(document).encode())
    record = report.records[0]
    assert record.outcome == "refused"
    assert "occupation" in record.errors
    assert any("recognised no occupation" in w or "too uncertain" in w for w in record.warnings)
    assert not Vacancy.objects.exists()


def test_importing_again_keeps_an_occupation_someone_corrected(employer):
    content = json.dumps(posting(**PROCESOPERATOR)).encode()
    vacancy = Vacancy.objects.get(pk=vacancy_import(employer=employer, content=content).records[0].vacancy)
    from taxonomy.models import Occupation

    corrected = Occupation.objects.exclude(pk=vacancy.occupation_id).filter(isco_group__code="8131").first()
    Vacancy.objects.filter(pk=vacancy.pk).update(occupation=corrected)
    report = vacancy_import(employer=employer, content=content)
    assert report.records[0].outcome == "unchanged"
    assert Vacancy.objects.get(pk=vacancy.pk).occupation == corrected


# --- the employer's import page and the "suggested — check" mark --------------------------------


def page(name, **kwargs) -> str:
    with translation.override("nl"):
        return reverse(f"vacancies:{name}", kwargs=kwargs or None)


def test_the_import_page_uploads_and_the_job_page_shows_progress_then_the_report(
    client, employer, django_capture_on_commit_callbacks
):
    client.force_login(EmployerUserFactory(employer=employer))
    assert page("employer_vacancy_import") in client.get(page("employer_vacancy_list")).content.decode()
    upload = SimpleUploadedFile("feed.json", json.dumps([posting(**PROCESOPERATOR)]).encode(), "application/json")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page("employer_vacancy_import"), {"file": upload, "draft": "on"})
        job = ImportJob.objects.get()
        assert response.status_code == 302
        assert response["Location"] == page("employer_vacancy_import_job", pk=job.pk)
        waiting = client.get(response["Location"]).content.decode()
        assert "import_progress.js" in waiting  # follows the job by itself, no inline script
        assert f'data-import-status-url="/api/v1/vacancies/import/jobs/{job.pk}"' in waiting
        assert "<progress" in waiting
    done = client.get(response["Location"]).content.decode()
    assert "import_progress.js" not in done
    vacancy = Vacancy.objects.get()
    assert page("employer_vacancy_detail", pk=vacancy.pk) in done
    assert "Voorgesteld door het portaal — controleer" in done
    detail = client.get(page("employer_vacancy_detail", pk=vacancy.pk)).content.decode()
    assert "Voorgesteld door het portaal — controleer" in detail
    assert escape(vacancy.code_suggestions["occupation"]["label"]) in detail


def test_the_import_page_refuses_a_file_too_large_in_dutch(client, employer, settings):
    client.force_login(EmployerUserFactory(employer=employer))
    settings.VACANCY_IMPORT_MAX_BYTES = 100
    upload = SimpleUploadedFile("feed.json", json.dumps([posting()]).encode(), "application/json")
    response = client.post(page("employer_vacancy_import"), {"file": upload})
    assert response.status_code == 200
    assert "groter dan" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_another_employers_job_page_is_a_404(client, employer):
    job = submit(employer, [posting()])
    client.force_login(EmployerUserFactory())
    assert client.get(page("employer_vacancy_import_job", pk=job.pk)).status_code == 404


def test_the_moderator_sees_the_mark_and_approving_clears_it(client):
    unverified = EmployerFactory(is_verified=False)
    vacancy = Vacancy.objects.get(
        pk=vacancy_import(employer=unverified, content=json.dumps(posting(**PROCESOPERATOR)).encode())
        .records[0]
        .vacancy
    )
    assert vacancy.status == "in_review"
    client.force_login(CaseworkerFactory(employment_service=service("uwv")))  # a Dutch company: UWV moderates
    with translation.override("nl"):
        review = reverse("workspace:vacancy_review", kwargs={"pk": vacancy.pk})
    assert "Voorgesteld door het portaal — controleer" in client.get(review).content.decode()
    client.post(review, {"decision": "approve", "note": ""})
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.codes_suggested) == ("published", False)
    assert vacancy.code_suggestions["occupation"]  # kept, for the record


def test_the_thresholds_still_hold_on_the_evaluation_set(settings):
    """vacancies/jobposting/codes.py chose its thresholds on vocabulary/eval/: measured again here,
    so that a retuned matcher that no longer supports the choice fails this test."""
    path = Path(settings.BASE_DIR) / "vocabulary" / "eval" / "vacancies.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    occupations_kept = occupations_right = skills_kept = skills_right = 0
    for item in items:
        found = suggest_codes(title=item["title"], text=item["text"], occupation=True, skills=True)
        if found.occupation is not None:
            occupations_kept += 1
            occupations_right += found.occupation.uri in item["occupations"]
        skills_kept += len(found.skills)
        skills_right += sum(skill.uri in item["skills"] for skill in found.skills)
    assert occupations_kept >= 0.85 * len(items)  # measured: 159 of 168
    assert occupations_right / occupations_kept >= 0.72  # measured: 0.77
    assert skills_right / skills_kept >= 0.7  # measured: 0.74

"""Deeply nested JSON in a vacancy import: the API refuses it at upload (400 ``too_deep``, no job),
and the worker refuses a job that reached it by another road (the page) with a clear message,
by the same rule (``core.api.parsers.json_too_deep``), never a RecursionError."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from core.api.parsers import json_depth
from tests.factories import EmployerFactory
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for
from tests.vacancies.test_import_jobs import token_client
from tests.vacancies.test_imports import posting
from vacancies.imports import import_job_run, import_job_submit
from vacancies.models import ImportJob, ImportStatus, Vacancy

pytestmark = pytest.mark.django_db

DEEP = 50_000


def nested(depth: int) -> bytes:
    return ("[" * depth + "]" * depth).encode()


# A JobPosting whose skills hold the nesting: the file looks right at its start.
DEEP_POSTING = json.dumps(posting(identifier="DEEP-1")).encode()[:-1] + b', "x": ' + nested(DEEP) + b"}"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def employer():
    return EmployerFactory(legal_name="Kanaalzone Chemie B.V.")


@pytest.mark.parametrize("content_type", ["application/json", "application/ld+json"])
@pytest.mark.parametrize("body", [nested(DEEP), b"[" * DEEP, DEEP_POSTING], ids=["closed", "unclosed", "posting"])
def test_the_api_refuses_deep_json_at_upload_with_the_envelope(employer, content_type, body):
    response = token_client(employer).post(
        "/api/v1/vacancies/import", body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    assert (answer["status"], answer["code"]) == (400, "too_deep")
    assert "nested too deeply" in answer["detail"]
    assert not ImportJob.objects.exists()  # refused before a job is queued


def test_the_api_refuses_a_deep_json_file_uploaded_as_multipart(employer):
    upload = SimpleUploadedFile("feed.json", nested(DEEP), content_type="application/json")
    response = token_client(employer).post("/api/v1/vacancies/import", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert not ImportJob.objects.exists()


def test_the_api_takes_json_at_the_limit_and_csv_with_brackets(employer, settings):
    body = json.dumps([posting()]).encode()
    settings.API_JSON_MAX_DEPTH = json_depth(body)  # exactly at the limit: taken
    client = token_client(employer)
    response = client.post("/api/v1/vacancies/import", body, content_type="application/json")
    assert response.status_code == 202, response.content[:300]
    # CSV is not JSON: brackets in a cell are text.
    response = client.post("/api/v1/vacancies/import", "title\n" + "[" * 100 + "\n", content_type="text/csv")
    assert response.status_code == 202
    assert ImportJob.objects.filter(status=ImportStatus.QUEUED).count() == 2


@pytest.mark.parametrize("content", [nested(DEEP), b"[" * DEEP, DEEP_POSTING], ids=["closed", "unclosed", "posting"])
def test_the_worker_fails_a_deep_job_from_another_road_with_a_clear_message(employer, content):
    # The page's road (import_job_submit) does not check the depth: the worker must.
    job = import_job_submit(employer=employer, user=None, content=content, filename="feed.json")
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.FAILED
    assert job.error == (
        "The file is nested too deeply: JSON with more than 32 levels of arrays and objects is refused; "
        "nothing was written."
    )
    assert job.content is None
    assert job.finished_at is not None
    assert not Vacancy.objects.exists()


def test_the_worker_message_is_in_the_uploaders_language(employer):
    with translation.override("nl"):
        job = import_job_submit(employer=employer, user=None, content=nested(DEEP), filename="feed.json")
    job = import_job_run(job_id=job.pk)
    assert job.status == ImportStatus.FAILED
    assert "te diep" in job.error


def test_the_import_command_refuses_a_deep_file(employer, tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(nested(DEEP))
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_vacancies", str(path), "--employer", str(employer.pk))
    assert not Vacancy.objects.exists()


# The page's road in a separate portal process: the job is queued without a depth check and sent
# to the broker when its transaction commits.
SUBMIT = """
from django.db import transaction
from accounts.models import Employer
from vacancies.imports import import_job_submit
with transaction.atomic():
    job = import_job_submit(employer=Employer.objects.get(pk={employer}), user=None,
                            content=open({path!r}, "rb").read(), filename="feed.json")
print(job.pk)
"""


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_fails_a_deep_job_and_keeps_working(employer, tmp_path):
    path = tmp_path / "feed.json"
    path.write_bytes(nested(DEEP))
    redis_server = RedisServer()
    redis_server.start()
    worker = Worker(redis_server.url).start()
    try:
        out = run_portal_code(SUBMIT.format(employer=employer.pk, path=str(path)), redis_server.url)
        job_id = int(out.strip().splitlines()[-1])
        job = wait_for(lambda: ImportJob.objects.filter(pk=job_id, finished_at__isnull=False).first(), 60)
        assert worker.process.poll() is None, worker.output()  # the worker survived it
    finally:
        worker.stop()
        redis_server.close()
    assert job.status == ImportStatus.FAILED
    assert "nested too deeply" in job.error or "te diep genest" in job.error
    assert "RecursionError" not in worker.output()

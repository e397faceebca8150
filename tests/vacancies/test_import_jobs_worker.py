"""Import jobs through a real Redis broker and a real Celery worker process (with beat), the
upload made by a separate portal process as a web worker would: a 5 MB file answers 202 at
once and is imported by the worker; with the broker down the job waits and the sweep sends it;
an uncoded Dutch vacancy gets its codes suggested and then a shortlist."""

import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import EMPLOYER_SCOPES
from accounts.services import api_token_issue
from matching.models import Match
from tests.factories import EmployerFactory, place
from tests.matching.conftest import make_candidate
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for
from tests.vacancies.test_import_jobs import PROCESOPERATOR
from tests.vacancies.test_imports import posting
from vacancies.jobposting import html_to_text
from vacancies.jobposting.codes import suggest_codes
from vacancies.models import ImportJob, ImportStatus, Vacancy

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Runs in its own process (the web worker): POSTs the file, prints the answer and the job's
# status in the database the moment the answer arrived.
UPLOAD = """
import json
from rest_framework.test import APIClient
from vacancies.models import ImportJob
client = APIClient()
client.credentials(HTTP_AUTHORIZATION="Token {key}")
with open({path!r}, "rb") as body:
    response = client.post("/api/v1/vacancies/import{query}", body.read(), content_type="application/json")
answer = response.json()
status_now = ImportJob.objects.get(pk=answer["job"]["id"]).status if response.status_code == 202 else None
print(json.dumps({{"code": response.status_code, "answer": answer, "location": response.get("Location"),
                  "status_now": status_now}}))
"""

# A long HTML description, as full job ads on careers sites have (assumption: a typical length).
LONG_DESCRIPTION = (
    "<p>Wij zoeken een lasser voor onze fabriek in de Kanaalzone.</p>"
    + "<ul>"
    + "".join(
        f"<li>Taak {n}: je last constructiedelen volgens tekening en lasmethodebeschrijving.</li>" for n in range(90)
    )
    + "</ul>"
)


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.fixture
def employer(reference_data):
    return EmployerFactory(legal_name="Kanaalzone Chemie B.V.")


def token_key(employer) -> str:
    _token, key = api_token_issue(name="ATS", scopes=EMPLOYER_SCOPES, employer=employer)
    return key


def upload(tmp_path, redis_url: str, key: str, documents, query: str = "") -> dict:
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(documents))
    out = run_portal_code(UPLOAD.format(key=key, path=str(path), query=query), redis_url)
    return json.loads(out.strip().splitlines()[-1])


def test_a_5_mb_import_answers_202_at_once_and_finishes_in_the_worker(employer, redis_server, tmp_path):
    documents = [
        posting(
            identifier=f"BULK-{n:05d}",
            title=f"Lasser TIG {n}",
            description=LONG_DESCRIPTION,
            skills=[{"@type": "DefinedTerm", "name": "TIG-lassen"}],
        )
        for n in range(560)
    ]
    size = len(json.dumps(documents).encode())
    assert 4_500_000 < size <= 5 * 1024 * 1024
    key = token_key(employer)
    worker = Worker(redis_server.url).start()
    try:
        sent = upload(tmp_path, redis_server.url, key, documents, query="?draft=true")
        assert sent["code"] == 202, sent
        assert sent["answer"]["job"]["status"] == "queued"
        assert sent["status_now"] != ImportStatus.DONE  # answered before the import, not after it
        assert sent["location"] == sent["answer"]["status_url"]
        job_id = sent["answer"]["job"]["id"]
        wait_for(
            lambda: ImportJob.objects.get(pk=job_id).finished,
            600,
            interval=1,
            message="the worker to finish the import",
        )
    finally:
        worker.stop()
    assert "vacancies.tasks.vacancy_import_job" in worker.log_path.read_text(errors="replace")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    job = client.get(sent["location"]).json()["job"]
    assert job["status"] == "done", job
    assert (job["total"], job["processed"], job["percent"]) == (560, 560, 100)
    report = job["report"]
    assert report["summary"]["created"] == 560
    assert len(report["records"]) == 560
    assert report["records"][0]["vacancy"] == Vacancy.objects.get(reference="BULK-00000").pk
    assert Vacancy.objects.filter(employer=employer).count() == 560
    assert ImportJob.objects.get(pk=job_id).content is None


def test_with_the_broker_down_the_job_waits_then_an_uncoded_dutch_vacancy_gets_codes_and_a_shortlist(
    employer, redis_server, tmp_path
):
    text = html_to_text(PROCESOPERATOR["description"])
    expected = suggest_codes(title=PROCESOPERATOR["title"], text=text, occupation=True, skills=True)
    assert expected.occupation is not None
    # Jobseekers of that occupation nearby, with its suggested skills: eligible for the shortlist.
    candidates = [
        make_candidate(occupation=expected.occupation, skills=expected.skills, home=home, country=country)
        for home, country in [("Terneuzen", "NL"), ("Sluiskil", "NL"), ("Zelzate", "BE")]
    ]
    assert place("Sluiskil", "NL")
    key = token_key(employer)
    worker = Worker(redis_server.url, VACANCY_IMPORT_SWEEP_SECONDS="1").start()
    try:
        redis_server.stop()
        sent = upload(tmp_path, redis_server.url, key, [posting(**PROCESOPERATOR)])
        assert sent["code"] == 202, sent
        job_id = sent["answer"]["job"]["id"]
        job = ImportJob.objects.get(pk=job_id)
        assert (job.status, job.enqueued_at) == (ImportStatus.QUEUED, None)  # kept, waiting for the broker
        redis_server.start()  # nobody uploads again: the sweep sends the job
        wait_for(
            lambda: ImportJob.objects.get(pk=job_id).finished, 180, interval=0.5, message="the job after Redis is back"
        )
        job = ImportJob.objects.get(pk=job_id)
        assert job.status == ImportStatus.DONE, job.error
        record = job.report["records"][0]
        assert record["outcome"] == "created", record
        assert record["suggested"]["occupation"]["id"] == expected.occupation.pk
        assert any("procesoperator" in warning.lower() for warning in record["warnings"]), record["warnings"]
        vacancy = Vacancy.objects.get(pk=record["vacancy"])
        assert vacancy.codes_suggested
        assert vacancy.occupation == expected.occupation
        assert vacancy.status == "published"
        rows = wait_for(
            lambda: list(Match.objects.filter(vacancy=vacancy).values_list("candidate_id", flat=True)),
            120,
            interval=0.5,
            message="the shortlist of the imported vacancy",
        )
        assert set(rows) == {candidate.pk for candidate in candidates}
    finally:
        worker.stop()
    assert job.finished_at <= timezone.now()

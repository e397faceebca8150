"""A 20,000-page PDF never blocks a web worker, and a CV sent while the broker is down is checked
once it is back. Applying answers at once: the request does not open the PDF (pikepdf is never
imported in the web process and the application is "checking" before any worker runs); a real
Celery worker then rejects the files and deletes them (the second one queued again by beat's
sweep); the employer never downloads them."""

import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from applications.models import Application, CvCheck
from tests.factories import EmployerUserFactory
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for
from tests.pdf_helpers import javascript_pdf, many_pages_pdf
from tests.workspace_helpers import candidate_with_profile, published_vacancy

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

APPLY = """
import json, sys, time
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from candidates.models import Candidate
client = Client()
client.force_login(Candidate.objects.get(pk={candidate_id}).user)
cv = SimpleUploadedFile("cv.pdf", open({pdf_path!r}, "rb").read(), content_type="application/pdf")
url = reverse("applications:apply", kwargs={{"vacancy_pk": {vacancy_id}}})
started = time.monotonic()
response = client.post(url, {{"motivation": "Graag", "cv": cv}})
print(json.dumps({{"seconds": time.monotonic() - started, "status": response.status_code,
                  "pikepdf_loaded": "pikepdf" in sys.modules}}))
"""


def apply_in_a_web_process(server, media: Path, vacancy, content: bytes, tmp_path: Path) -> tuple[Application, dict]:
    candidate = candidate_with_profile()
    pdf_path = tmp_path / f"cv-{candidate.pk}.pdf"
    pdf_path.write_bytes(content)
    code = APPLY.format(candidate_id=candidate.pk, vacancy_id=vacancy.pk, pdf_path=str(pdf_path))
    out = json.loads(run_portal_code(code, server.url, MEDIA_ROOT=str(media)).splitlines()[-1])
    return Application.objects.get(candidate=candidate), out


def test_hostile_cvs_are_queued_by_the_web_and_rejected_by_the_worker(reference_data, tmp_path, settings, client):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    employer = EmployerUserFactory()
    vacancy = published_vacancy(employer=employer.employer)
    client.force_login(employer)
    server = RedisServer()
    server.start()
    worker = None
    try:
        pages, out = apply_in_a_web_process(server, media, vacancy, many_pages_pdf(20_000), tmp_path)
        assert out["status"] == 302
        assert out["seconds"] < 2.0, out  # the in-request parse took 11-25 s before
        assert out["pikepdf_loaded"] is False  # the web process never opened the PDF
        server.stop()
        script, out = apply_in_a_web_process(server, media, vacancy, javascript_pdf(), tmp_path)
        assert out["status"] == 302  # the broker is down: queueing failed, the application did not
        assert out["seconds"] < 3.0, out
        server.start()
        stored = {}
        for application in (pages, script):
            assert application.cv_check == CvCheck.CHECKING  # no worker yet: nobody parsed it
            stored[application.pk] = media / application.cv.name
            assert stored[application.pk].exists()
            with translation.override("en"):
                cv_url = reverse("applications:employer_application_cv", kwargs={"pk": application.pk})
            assert client.get(cv_url).status_code == 404

        # The first check waits in the queue; the second was never sent: beat's sweep sends it.
        worker = Worker(server.url, MEDIA_ROOT=str(media), CV_CHECK_REQUEUE_MINUTES="0", CV_CHECK_SWEEP_SECONDS="1")
        worker.start()
        wait_for(
            lambda: not Application.objects.filter(pk__in=stored, cv_check=CvCheck.CHECKING).exists(),
            60,
            message="the worker's CV checks",
        )
        results = dict(Application.objects.filter(pk__in=stored).values_list("pk", "cv_check_reason"))
        assert results == {pages.pk: "cv_too_many_pages", script.pk: "cv_javascript"}, worker.output()
        assert set(Application.objects.filter(pk__in=stored).values_list("cv_check", flat=True)) == {"rejected"}
        wait_for(lambda: not any(path.exists() for path in stored.values()), 10, message="the files to be deleted")
        assert not list(media.rglob("*.pdf"))
        for application in (pages, script):
            with translation.override("en"):
                cv_url = reverse("applications:employer_application_cv", kwargs={"pk": application.pk})
            assert client.get(cv_url).status_code == 404
    finally:
        if worker is not None:
            worker.stop()
        server.close()

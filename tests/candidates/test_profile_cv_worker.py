"""The CV on a profile is checked by the same real Celery worker task family as an application's:
the web request stores it "checking" without opening it, the worker (applications.tasks.
profile_cv_check) keeps a sanitised copy of a good PDF and deletes a hostile one."""

import json
from pathlib import Path

import pytest

from candidates.models import Candidate, CvCheck
from tests.matching.worker_support import RedisServer, Worker, run_portal_code, wait_for
from tests.pdf_helpers import WELDER_CV, javascript_pdf, text_pdf
from tests.workspace_helpers import candidate_with_profile

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

UPLOAD = """
import json, sys
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from candidates.models import Candidate
client = Client()
client.force_login(Candidate.objects.get(pk={candidate_id}).user)
cv = SimpleUploadedFile("cv.pdf", open({pdf_path!r}, "rb").read(), content_type="application/pdf")
response = client.post(reverse("candidates:profile_cv"), {{"action": "upload", "cv": cv}})
print(json.dumps({{"status": response.status_code, "pikepdf_loaded": "pikepdf" in sys.modules}}))
"""


def upload_in_a_web_process(server, media: Path, content: bytes, tmp_path: Path) -> tuple[Candidate, dict]:
    candidate = candidate_with_profile()
    pdf_path = tmp_path / f"cv-{candidate.pk}.pdf"
    pdf_path.write_bytes(content)
    code = UPLOAD.format(candidate_id=candidate.pk, pdf_path=str(pdf_path))
    out = json.loads(run_portal_code(code, server.url, MEDIA_ROOT=str(media)).splitlines()[-1])
    candidate.refresh_from_db()
    return candidate, out


def test_the_worker_checks_profile_cvs(reference_data, tmp_path, settings):
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    server = RedisServer()
    server.start()
    worker = None
    try:
        good, out = upload_in_a_web_process(server, media, text_pdf(WELDER_CV), tmp_path)
        assert out == {"status": 302, "pikepdf_loaded": False}  # the web process never opened it
        hostile, out = upload_in_a_web_process(server, media, javascript_pdf(), tmp_path)
        assert out["status"] == 302
        assert {good.cv_check, hostile.cv_check} == {CvCheck.CHECKING}
        hostile_path = media / hostile.cv.name
        assert hostile_path.exists()

        worker = Worker(server.url, MEDIA_ROOT=str(media))
        worker.start()
        wait_for(
            lambda: not Candidate.objects.filter(pk__in=[good.pk, hostile.pk], cv_check=CvCheck.CHECKING).exists(),
            60,
            message="the worker's profile CV checks",
        )
        good.refresh_from_db()
        hostile.refresh_from_db()
        assert (good.cv_check, good.cv_passed) == (CvCheck.PASSED, True), worker.output()
        assert (media / good.cv.name).read_bytes() != text_pdf(WELDER_CV)  # the sanitised copy
        assert (hostile.cv_check, hostile.cv_check_reason, hostile.cv.name) == ("rejected", "cv_javascript", "")
        wait_for(lambda: not hostile_path.exists(), 10, message="the hostile file to be deleted")
    finally:
        if worker is not None:
            worker.stop()
        server.close()

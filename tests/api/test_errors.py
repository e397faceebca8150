"""Every error under /api/ is the JSON envelope {status, code, detail, errors?}: DRF's, Django's own
(500, 400, 413, 405) and the parser's (JSON too deep); state conflicts are 409; pages keep HTML."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.views.decorators.http import require_GET
from rest_framework.views import APIView

from applications.models import Application
from nsp_portal import urls as portal_urls
from vacancies.models import Vacancy, VacancyStatus


class _BrokenApiView(APIView):
    permission_classes = []

    def get(self, request):
        raise RuntimeError("an unexpected bug in an API view")


def _broken_plain_view(request):
    raise RuntimeError("an unexpected bug in a plain view")


@require_GET
def _get_only_plain_view(request):
    return HttpResponse("ok")


# The portal's URLs plus three views that fail the way a bug would (pytest.mark.urls below).
urlpatterns = [
    path("api/test-broken/drf", _BrokenApiView.as_view()),
    path("api/test-broken/plain", _broken_plain_view),
    path("api/test-get-only", _get_only_plain_view),
    path("test-broken/page", _broken_plain_view),
    *portal_urls.urlpatterns,
]
handler500 = portal_urls.handler500


def assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_an_unexpected_exception_is_a_json_500_under_api_and_html_elsewhere(caplog):
    client = Client(raise_request_exception=False)
    for url in ("/api/test-broken/drf", "/api/test-broken/plain"):
        body = assert_envelope(client.get(url, HTTP_ACCEPT_LANGUAGE="en"), 500, "server_error")
        assert "unexpected bug" not in body["detail"]  # no internals to the client
    assert "an unexpected bug in an API view" in caplog.text  # but the traceback is logged
    dutch = client.get("/api/test-broken/drf", HTTP_ACCEPT_LANGUAGE="nl").json()["detail"]
    english = client.get("/api/test-broken/drf", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert dutch != english
    page = client.get("/test-broken/page")
    assert page.status_code == 500
    assert page["Content-Type"].startswith("text/html")


def test_a_body_over_the_upload_limit_is_a_json_413(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    client = world.client("jobseeker")
    big = json.dumps({"vacancy": world["vb_pub"].pk, "motivation": "x" * 5_000})
    assert_envelope(client.post("/api/v1/applications", big, content_type="application/json"), 413, "too_large")
    # A multipart form whose fields exceed the limit: Django's RequestDataTooBig, answered 413 too.
    response = client.post(
        "/api/v1/applications", {"vacancy": str(world["vb_pub"].pk), "motivation": "x" * 5_000}, format="multipart"
    )
    assert_envelope(response, 413, "too_large")
    assert not Application.objects.filter(motivation__startswith="xxx").exists()


def test_a_request_django_refuses_is_a_json_400(world, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 2  # more fields: Django's TooManyFieldsSent (SuspiciousOperation)
    client = world.client("jobseeker")
    fields = {f"field{index}": "x" for index in range(10)}
    assert_envelope(client.post("/api/v1/applications", fields, format="multipart"), 400, "bad_request")


@pytest.mark.urls(__name__)
def test_a_plain_view_under_api_answers_405_in_json(world):
    response = world.client("anonymous").post("/api/test-get-only")
    assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 50_000])
def test_json_nested_too_deeply_is_a_400_before_parsing(world, depth):
    client = world.client("jobseeker")
    body = '{"hours_wanted": 30, "skills": ' + _nested(depth) + "}"
    response = client.patch("/api/v1/candidates/me", body, content_type="application/json")
    assert_envelope(response, 400, "too_deep")
    # An unclosed one too (json would recurse before noticing the end).
    response = client.patch("/api/v1/candidates/me", "[" * depth, content_type="application/json")
    assert_envelope(response, 400, "too_deep")


def test_json_within_the_depth_limit_is_parsed(world):
    client = world.client("jobseeker")
    # 32 levels (the object and 31 arrays): parsed, then refused by the serializer as a field error.
    body = '{"skills": ' + _nested(31) + "}"
    response = client.patch("/api/v1/candidates/me", body, content_type="application/json")
    assert_envelope(response, 400, "invalid")
    assert "skills" in response.json()["errors"]
    # Brackets inside strings are text, not nesting.
    response = client.patch(
        "/api/v1/candidates/me", json.dumps({"hours_wanted": 30, "x": "[" * 100}), content_type="application/json"
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize(
    ("language", "detail"), [("en", "Not found."), ("nl", "Niet gevonden."), ("fr", "Non trouvé.")]
)
def test_an_object_404_says_not_found_in_the_requests_language(world, language, detail):
    for url in (f"/api/v1/vacancies/{10**9}", f"/api/v1/applications/{10**9}"):
        client = world.client("employer")
        body = assert_envelope(client.get(url, HTTP_ACCEPT_LANGUAGE=language), 404, "not_found")
        assert body["detail"] == detail
        assert "Vacancy" not in body["detail"]
        assert "Application" not in body["detail"]


def test_state_conflicts_are_409_with_the_services_code(world):
    employer = world.client("employer")
    response = employer.post(f"/api/v1/applications/{world['app1'].pk}/stage", {"status": "hired"}, format="json")
    assert_envelope(response, 409, "invalid_transition")
    Vacancy.objects.filter(pk=world["va_pub"].pk).update(status=VacancyStatus.CLOSED)
    response = employer.patch(f"/api/v1/vacancies/{world['va_pub'].pk}", {"title": "X"}, format="json")
    assert_envelope(response, 409, "vacancy_closed")
    # A field error stays a 400.
    response = employer.post("/api/v1/vacancies", {"title": ""}, format="json")
    assert_envelope(response, 400, "invalid")

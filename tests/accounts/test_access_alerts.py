"""Bulk access to candidates' personal data: counted per user and hour in a real Redis, alerted
once (ERROR log + audit event), refused past the hard limit, and never in the way when Redis is down."""

import logging

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from accounts.access_alerts import ALERT_KIND, personal_data_access_count, personal_data_access_note
from audit.models import AuditEvent
from tests.api.conftest import world  # noqa: F401  (fixture)
from tests.factories import EmployerUserFactory, place
from tests.matching.worker_support import RedisServer
from tests.workspace_helpers import candidate_with_profile, make_application, published_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_cache(settings):
    """The counters in a real Redis of this test's own, which the test can stop."""
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server
    server.close()


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def employer_with_cv(client):
    vacancy = published_vacancy(place=place("Terneuzen"))
    application = make_application(vacancy=vacancy, candidate=candidate_with_profile())
    application.cv.save("cv.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    employer = EmployerUserFactory(employer=vacancy.employer)
    client.force_login(employer)
    return employer, application


def alerts() -> list[tuple]:
    return list(AuditEvent.objects.filter(kind=ALERT_KIND).values_list("actor_id", "where", "data"))


def test_passing_the_threshold_alerts_once_per_hour(client, settings, redis_cache, employer_with_cv, caplog):
    settings.PERSONAL_DATA_ALERT_PER_HOUR = 3
    settings.PERSONAL_DATA_LIMIT_PER_HOUR = 0
    employer, application = employer_with_cv
    cv = url("applications:employer_application_cv", pk=application.pk)
    with caplog.at_level(logging.WARNING, logger="accounts.access_alerts"):
        for _ in range(2):
            assert client.get(cv).status_code == 200
        assert alerts() == []
        for _ in range(3):
            assert client.get(cv).status_code == 200
    assert alerts() == [
        (employer.pk, "applications:employer_application_cv", alerts()[0][2]),
    ]
    assert alerts()[0][2]["count"] == 3
    assert alerts()[0][2]["threshold"] == 3
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "Bulk access" in errors[0].getMessage()
    # Counted in Redis itself (shared by all web processes).
    assert personal_data_access_count(user_id=employer.pk) == 5
    # Another user has a counter of their own.
    other = EmployerUserFactory(employer=application.vacancy.employer)
    assert personal_data_access_count(user_id=other.pk) == 0


def test_the_counter_starts_again_each_hour(settings, redis_cache):
    settings.PERSONAL_DATA_ALERT_PER_HOUR = 2
    user = EmployerUserFactory()
    hour = 1_800_000_000.0
    assert personal_data_access_note(user=user, where="test", now=hour) == 1
    assert personal_data_access_note(user=user, where="test", now=hour + 10) == 2
    assert personal_data_access_note(user=user, where="test", now=hour + 3600) == 1
    assert personal_data_access_note(user=user, where="test", now=hour + 3610) == 2
    assert len(alerts()) == 2  # once in each hour


def test_pages_past_the_hard_limit_are_refused_until_the_next_hour(client, settings, redis_cache, employer_with_cv):
    settings.PERSONAL_DATA_ALERT_PER_HOUR = 2
    settings.PERSONAL_DATA_LIMIT_PER_HOUR = 3
    employer, application = employer_with_cv
    detail = url("applications:employer_application_detail", pk=application.pk)
    export = url("applications:employer_application_export", vacancy_pk=application.vacancy_id)
    assert client.get(detail).status_code == 200
    assert client.get(url("applications:employer_application_cv", pk=application.pk)).status_code == 200
    assert client.get(export).status_code == 200
    refused = client.get(export)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= 3600
    assert "Too many downloads of personal data" in refused.content.decode()
    assert client.get(url("applications:employer_application_cv", "nl", pk=application.pk)).status_code == 429
    dutch = client.get(url("applications:employer_application_detail", "nl", pk=application.pk))
    assert "Te veel downloads van persoonsgegevens" in dutch.content.decode()
    # A refused request hands out nothing and is not counted.
    assert personal_data_access_count(user_id=employer.pk) == 3


def test_the_api_export_past_the_hard_limit_is_a_429_envelope(settings, redis_cache, world):  # noqa: F811
    settings.PERSONAL_DATA_LIMIT_PER_HOUR = 2
    employer = world.client("employer")
    assert employer.get("/api/v1/applications/export").status_code == 200
    assert employer.get("/api/v1/matches/export").status_code == 200
    refused = employer.get("/api/v1/applications/export")
    assert refused.status_code == 429
    body = refused.json()
    assert body["status"] == 429
    assert body["code"] == "throttled"


def test_with_the_cache_down_access_goes_on_uncounted(client, settings, redis_cache, employer_with_cv, caplog):
    settings.PERSONAL_DATA_ALERT_PER_HOUR = 1
    settings.PERSONAL_DATA_LIMIT_PER_HOUR = 1
    employer, application = employer_with_cv
    redis_cache.stop()
    with caplog.at_level(logging.WARNING, logger="accounts.access_alerts"):
        for _ in range(3):
            assert client.get(url("applications:employer_application_cv", pk=application.pk)).status_code == 200
    assert alerts() == []
    assert any("cache down" in r.getMessage() for r in caplog.records)
    # The audit log still has every download.
    assert AuditEvent.objects.filter(where="applications:employer_application_cv").count() == 3
    cache.close()

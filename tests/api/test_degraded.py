"""The API keeps answering when a part fails, and refuses tokens that are dead on arrival."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_issue
from tests.factories import service
from tests.matching.worker_support import RedisServer


@pytest.fixture
def throttle_cache(settings):
    """The throttles' counters in a real Redis of this test's own, which the test can stop."""
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    yield server  # Django's setting_changed receiver gives the cache handler the new settings
    server.close()


@pytest.mark.integration
def test_with_the_throttle_cache_stopped_the_api_still_answers(world, throttle_cache, caplog):
    jobseeker = world.client("jobseeker")
    assert jobseeker.get("/api/v1/vacancies").status_code == 200  # counted in the running Redis
    throttle_cache.stop()
    anonymous = world.client("anonymous")
    for client in (jobseeker, anonymous):
        response = client.get("/api/v1/vacancies")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
    assert world.client("employer").get("/api/v1/me").status_code == 200
    assert "API throttling skipped: the cache is unavailable" in caplog.text


def test_issue_api_token_refuses_days_below_one(world):
    for days in ("0", "-1"):
        with pytest.raises(CommandError, match="--days"):
            call_command("issue_api_token", "--service", "uwv", "--scopes", "matches:read", "--days", days)
    assert not ApiToken.objects.filter(employment_service__code="uwv", name="").exists()
    call_command("issue_api_token", "--service", "uwv", "--scopes", "matches:read", "--days", "1", "--name", "U1")
    token = ApiToken.objects.get(name="U1")
    assert timezone.now() + timedelta(hours=23) < token.expires_at <= timezone.now() + timedelta(days=1)


def test_the_token_service_refuses_an_expiry_in_the_past(world):
    before = ApiToken.objects.count()
    with pytest.raises(ValidationError) as refused:
        api_token_issue(
            name="dead",
            scopes=["matches:read"],
            employment_service=service("uwv"),
            expires_at=timezone.now() - timedelta(days=1),
        )
    assert "expires_at" in refused.value.message_dict
    assert ApiToken.objects.count() == before

"""The API keeps answering when a part fails, and refuses tokens that are dead on arrival.

With Redis stopped (the cache with the throttles' counters, the Celery broker and result backend),
every route under /api/ answers as it does with Redis up: ``test_every_api_route_answers_as_usual_
with_redis_stopped`` takes the routes from the URL resolver (a new endpoint is covered without
touching this file), calls each with every role and a minimal valid request, once with Redis up
and once with it stopped, in a portal process configured like production through its environment.
"""

import json
import time
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import api_token_issue
from tests.api.conftest import build_world
from tests.factories import service
from tests.matching.worker_support import RedisServer, run_portal_code
from vacancies.models import ImportJob
from workspace.figures import FIGURE_SLUGS


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


# --- every route with Redis stopped ---------------------------------------------------------------

# One of each kind of caller: sessions of every role, and a token (a service's system).
PROBE_ROLES = ("anonymous", "jobseeker", "employer", "caseworker_vdab", "admin", "token_service")
# Routes that read what only Redis holds: with it stopped they answer 503 with the JSON envelope.
# "matching-rematch" may (the acceptance line) but goes through the outbox: it answers 202 queued=false.
REDIS_ONLY = {("matching-task", "get"), ("matching-rematch", "post")}
# Routes no role can use successfully with a minimal request (why, per route); every other one
# must answer 2xx to some role, so that the comparison is not only between refusals.
NO_SUCCESS_PROBE = {
    ("api-not-found", "get"): "the catch-all 404 of unknown /api/ paths",
}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def _methods(callback) -> list[str]:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    allowed = getattr(view_class, "http_method_names", ["get", "post", "put", "patch", "delete"])
    actions = getattr(callback, "actions", None)  # a DRF viewset route
    if actions:
        return sorted(method for method in actions if method in allowed)
    if view_class is not None:
        return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m) and m in allowed]
    return ["get"]  # plain views and feeds


def api_routes() -> list[tuple[str, str, str, URLPattern]]:
    """(url name, method, route, pattern) of every route under /api/, from the resolver."""
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith("api/"):
            continue
        # Only the catch-all (unknown /api/ paths: a JSON 404) has no name; another would need one.
        assert pattern.name or route == "api/^.*$", f"name the API route {route}"
        name = pattern.name or "api-not-found"
        for method in _methods(pattern.callback):
            found.append((name, method, route, pattern))
    return found


def _world_ids(world) -> dict:
    job = ImportJob.objects.create(employer=world["employer_a"], content=b"[]", size=2, status="done")
    return {
        "users": {role: user.pk for role, user in world.users.items()},
        "tokens": world.tokens,
        "objects": {
            "vacancy": world["va_pub"].pk,
            "draft": world["va_draft"].pk,
            "in_review": world["vc_review"].pk,
            "other_vacancy": world["vb_pub"].pk,
            "application": world["app1"].pk,
            "match": world["m1"].pk,
            "proposed_match": world["m2"].pk,
            "occupation": world["occupation"].pk,
            "skills": [skill.pk for skill in world["skills"]],
            "place": world["va_pub"].place_id,
            "job": job.pk,
            "findable_candidate": world["js2"].pk,
        },
    }


def _kwargs(name: str, pattern, objects: dict) -> dict:
    pk_by_route = {
        "vacancy-moderate": objects["in_review"],
        "vacancy-submit": objects["draft"],
        "match-decision": objects["proposed_match"],
        "talent-candidate-detail": objects["findable_candidate"],
    }
    values = {}
    for key in pattern.pattern.regex.groupindex:
        if key == "pk":
            basename = name.rsplit("-", 1)[0]
            values[key] = pk_by_route.get(name) or objects.get(basename) or _first_pk(pattern.callback)
            if values[key] is None:  # nothing of that kind in the world: a 404 with Redis up and down
                values[key] = 10**9
        elif key == "job_id":
            values[key] = objects["job"]
        elif key == "task_id":
            values[key] = str(uuid.UUID(int=17))
        elif key == "slug":
            values[key] = next(iter(FIGURE_SLUGS))
        else:
            values[key] = "1"
    return values


def _first_pk(callback):
    queryset = getattr(getattr(callback, "cls", None), "queryset", None)
    first = queryset.model.objects.order_by("pk").first() if queryset is not None else None
    return first.pk if first is not None else None


def _body(name: str, method: str, objects: dict) -> dict | list | None:
    """A minimal valid body for the routes where one is known; None for the others (they get {}:
    a 400 is fine, as long as it is the same with Redis down)."""
    vacancy = {
        "title": "Elektricien",
        "description": "Onderhoud aan de installaties.",
        "occupation": objects["occupation"],
        "place": objects["place"],
        "contract_type": "permanent",
        "hours_per_week": 38,
        "essential_skills": objects["skills"][:1],
        "languages": [{"language": "nl", "min_level": 4}],
    }
    return {
        ("candidate-me", "patch"): {"hours_wanted": 30},
        ("candidate-consents", "patch"): {"cross_border": True},
        ("matching-rematch", "post"): {"vacancy": objects["vacancy"]},
        ("vacancy-list", "post"): {**vacancy, "reference": "PROBE-1"},
        ("vacancy-detail", "put"): {**vacancy, "reference": "A-PUB"},
        ("vacancy-detail", "patch"): {"openings": 3},
        ("vacancy-set-status", "post"): {"status": "closed"},
        ("vacancy-moderate", "post"): {"approve": True},
        ("vacancy-import-vacancies", "post"): [],
        ("application-list", "post"): {"vacancy": objects["other_vacancy"], "motivation": "Graag"},
        ("application-stage", "post"): {"status": "interview"},
        ("match-decisions", "post"): {"matches": [objects["proposed_match"]], "decision": "approved"},
        ("match-decision", "post"): {"decision": "approved"},
        ("match-response", "post"): {"accept": True},
        ("saved-search-list", "post"): {"name": "Lasser", "query": "lasser"},
        ("application-messages", "post"): {"body": "Wanneer kan ik langskomen?"},
        ("application-messages-read", "post"): {},
        ("application-interviews", "post"): {
            "contact_person": "Els de Wit",
            "slots": [{"starts_at": "2030-05-06T10:00:00+02:00", "location": "Kanaalweg 3, Sluiskil"}],
        },
        ("application-interview-pick", "post"): {"slot": 1},
        ("application-interview-request-other", "post"): {"note": "Liever in de middag."},
        ("candidate-experience-list", "post"): {
            "occupation": objects["occupation"],
            "employer_name": "Damen Shipyards",
            "started_on": "2019-03",
        },
        ("candidate-experience-detail", "patch"): {"employer_name": "Damen Shipyards Vlissingen"},
        ("talent-invitation-list", "post"): {
            "candidate": objects["findable_candidate"],
            "vacancy": objects["vacancy"],
            "message": "Interesse?",
        },
    }.get((name, method))


def _client(role: str, ids: dict) -> APIClient:
    client = APIClient()
    if role in ids["tokens"]:
        client.credentials(HTTP_AUTHORIZATION=f"Token {ids['tokens'][role]}")
    elif role in ids["users"]:
        user = User.objects.get(pk=ids["users"][role])
        client.force_login(user)
        _verify_second_factor(client, user)
    return client


def _verify_second_factor(client, user) -> None:
    """As tests/conftest.py does for force_login: a caseworker's or admin's session has passed 2FA."""
    try:
        from django_otp import DEVICE_ID_SESSION_KEY

        from accounts.two_factor import confirmed_device, two_factor_required
    except ImportError:  # a portal without 2FA
        return
    device = confirmed_device(user) if two_factor_required(user) else None
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def probe_every_route(ids: dict, only: list[str] | None = None) -> dict:
    """Each route × method × role once (``only``: these keys), each in a transaction rolled back
    afterwards, so that the run with Redis up and the one with Redis down start from the same rows.
    What a commit would have run (on_commit: sending to the broker) is run too, and must not raise.
    The schema and docs (slow to generate, the same for everybody) are asked for anonymously."""
    clients = {role: _client(role, ids) for role in PROBE_ROLES}
    results = {}
    for name, method, route, pattern in api_routes():
        if name == "api-not-found":
            url = "/api/no-such-endpoint"
        else:
            url = reverse(f"api:{name}", kwargs=_kwargs(name, pattern, ids["objects"]))
        body = _body(name, method, ids["objects"])
        roles = PROBE_ROLES if route.startswith("api/v1/") else ("anonymous",)
        for role in roles:
            key = f"{method.upper()} {url} {role} [{name}]"
            if only is not None and key not in only:
                continue
            results[key] = _probe_one(clients[role], method, url, {} if body is None else body)
            results[key].update(name=name, method=method, role=role, known_body=body is not None)
    return results


def _probe_one(client, method: str, url: str, body) -> dict:
    started = time.monotonic()
    error = ""
    response = None
    with transaction.atomic():
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                arguments = () if method == "get" else (body,)
                response = getattr(client, method)(url, *arguments, format="json")
        except Exception as exc:  # the view or an on_commit hook raised: a 500 in production
            error = f"{type(exc).__name__}: {exc}"
        transaction.set_rollback(True)
    content_type = response.get("Content-Type", "") if response is not None else ""
    return {
        "status": response.status_code if response is not None else 500,
        "json": content_type.startswith("application/json"),
        "code": _code(response),
        "seconds": round(time.monotonic() - started, 3),
        "error": error,
        "resolved": "/1000000000" not in url,
    }


def _compared(up: dict) -> list[str]:
    """With Redis down, per route and method: the roles served with Redis up, anonymous and one refused role."""
    keys, refused_seen = [], set()
    for key, row in up.items():
        route = (row["name"], row["method"])
        if row["status"] < 300 or row["role"] == "anonymous":
            keys.append(key)
        elif route not in refused_seen:
            refused_seen.add(route)
            keys.append(key)
    return keys


def _code(response) -> str:
    if response is None or not response.get("Content-Type", "").startswith("application/json"):
        return ""
    try:
        body = json.loads(response.content)
    except ValueError:
        return ""
    return body.get("code", "") if isinstance(body, dict) else ""


PROBE = """
import json
from tests.api.test_degraded import probe_every_route
print("PROBES " + json.dumps(probe_every_route(json.loads({ids!r}), only={only!r})))
"""


def _probe(ids: dict, server: RedisServer, only: list[str] | None = None) -> dict:
    # Redis as production uses it: the cache (throttles) in db 1, the broker and results in db 0.
    out = run_portal_code(
        PROBE.format(ids=json.dumps(ids), only=only),
        server.url,
        CACHE_URL=server.url.rsplit("/", 1)[0] + "/1",
    )
    line = next(line for line in out.splitlines() if line.startswith("PROBES "))
    return json.loads(line.removeprefix("PROBES "))


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_every_api_route_answers_as_usual_with_redis_stopped(reference_data):
    ids = _world_ids(build_world())
    server = RedisServer()
    server.start()
    try:
        up = _probe(ids, server)
        server.stop()
        down = _probe(ids, server, only=_compared(up))
    finally:
        server.close()
    assert down.keys() == set(_compared(up))
    names = {(row["name"], row["method"]) for row in up.values()}
    assert {("matching-rematch", "post"), ("vacancy-list", "get"), ("api-not-found", "get")} <= names
    problems = [
        f"{key}: {row['status']} with Redis up {row['error']}"
        for key, row in up.items()
        if row["status"] >= 500 or row["error"]
    ]
    for key, degraded in down.items():
        normal = up[key]
        if (degraded["name"], degraded["method"]) in REDIS_ONLY and degraded["status"] == 503:
            if not (degraded["json"] and degraded["code"] == "unavailable"):
                problems.append(f"{key}: 503 without the JSON envelope")
        elif degraded["status"] != normal["status"] or degraded["error"]:
            problems.append(f"{key}: {degraded['status']} with Redis down, {normal['status']} up {degraded['error']}")
        if degraded["status"] >= 400 and degraded["name"] not in ("feed-rss", "feed-atom") and not degraded["json"]:
            problems.append(f"{key}: error {degraded['status']} is not JSON")
        if degraded["seconds"] > 5:  # a retry loop waiting for Redis would take ~20 s
            problems.append(f"{key}: {degraded['seconds']} s with Redis down")
    assert not problems, "\n".join(problems)
    # A GET of an existing object and a write with a known body must be served to some role,
    # so that the comparison is not only between refusals.
    served = {(row["name"], row["method"]) for row in up.values() if row["status"] < 300}
    expected = {
        (row["name"], row["method"])
        for row in up.values()
        if row["resolved"] and (row["method"] == "get" or row["known_body"])
    } - set(NO_SUCCESS_PROBE)
    assert expected <= served, "routes no probe was served by: " + ", ".join(
        f"{method.upper()} {name}" for name, method in sorted(expected - served)
    )

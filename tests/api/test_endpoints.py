"""What the endpoints do: the same services and rules as the pages, consistent error bodies,
sync by ETag and updated_since, throttling, exports, feeds and the task status."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.models import ApiToken, Role
from applications.models import ApplicationStatus
from matching.models import CandidateResponse, MatchDecision, RebuildRun, ReviewStatus
from taxonomy.models import Occupation, Place
from vacancies.models import Vacancy, VacancyStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def new_vacancy(world, **fields) -> dict:
    return {
        "title": "Elektricien",
        "description": "Onderhoud aan de installaties.",
        "occupation": world["occupation"].pk,
        "place": world["va_pub"].place_id,
        "contract_type": "permanent",
        "hours_per_week": 38,
        "essential_skills": [s.pk for s in world["skills"][:1]],
        "languages": [{"language": "nl", "min_level": 4}],
        **fields,
    }


# --- errors ---------------------------------------------------------------------------------------


def test_field_errors_on_400(world):
    response = world.client("employer").post(
        "/api/v1/vacancies",
        new_vacancy(
            world,
            hours_per_week=90,
            contract_type="forever",
            salary_min="3000",
            salary_max="2000",
            languages=[{"language": "nl", "min_level": 9}],
        ),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["code"] == "invalid"
    assert set(body["errors"]) >= {"hours_per_week", "contract_type", "languages.0.min_level"}


def test_service_rules_come_back_as_409s_and_400s(world):
    # A closed vacancy cannot be edited: vacancies.services says so, the API repeats it (a state conflict).
    client = world.client("employer")
    Vacancy.objects.filter(pk=world["va_pub"].pk).update(status=VacancyStatus.CLOSED)
    response = client.patch(f"/api/v1/vacancies/{world['va_pub'].pk}", {"title": "X"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "vacancy_closed"
    # The same reference twice for one employer: the database constraint, via full_clean.
    response = client.post("/api/v1/vacancies", new_vacancy(world, reference="A-DRAFT"), format="json")
    assert response.status_code == 400
    assert "errors" in response.json()


def test_an_unknown_api_path_is_a_json_404(world):
    response = world.client("anonymous").post("/api/v1/nothing/here", {}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_errors_are_in_the_requests_language(world):
    response = world.client("anonymous").get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 401
    assert response.json()["detail"] != "Authentication credentials were not provided."


# --- vacancies --------------------------------------------------------------------------------------


def test_an_employer_posts_submits_and_closes_its_vacancy(world):
    client = world.client("employer")
    response = client.post("/api/v1/vacancies", new_vacancy(world), format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "draft"
    assert created["is_stem"] == world["occupation"].is_stem
    assert response["Location"].endswith(f"/api/v1/vacancies/{created['id']}")
    response = client.post(f"/api/v1/vacancies/{created['id']}/submit")
    assert response.json()["status"] == "published"  # a verified employer
    response = client.post(f"/api/v1/vacancies/{created['id']}/status", {"status": "published"}, format="json")
    assert response.status_code == 409  # publishing again is only for an expired vacancy (a state conflict)
    assert response.json()["code"] == "invalid_transition"
    response = client.post(f"/api/v1/vacancies/{created['id']}/status", {"status": "closed"}, format="json")
    assert response.json()["status"] == "closed"


def test_an_unverified_employers_vacancy_goes_to_review_and_a_caseworker_moderates(world):
    from tests.factories import EmployerUserFactory

    user = EmployerUserFactory(employer=world["employer_c"])
    world.users["new_employer"] = user
    client = world.client("new_employer")
    created = client.post("/api/v1/vacancies", new_vacancy(world), format="json").json()
    assert client.post(f"/api/v1/vacancies/{created['id']}/submit").json()["status"] == "in_review"
    caseworker = world.client("caseworker_wsp")
    response = caseworker.post(f"/api/v1/vacancies/{created['id']}/moderate", {"approve": False}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    response = caseworker.post(
        f"/api/v1/vacancies/{created['id']}/moderate", {"approve": False, "note": "Vermeld het salaris."}, format="json"
    )
    assert response.json()["status"] == "draft"
    assert client.get(f"/api/v1/vacancies/{created['id']}").json()["moderation_note"] == "Vermeld het salaris."
    # The public never sees the moderation note.
    assert world.client("anonymous").get(f"/api/v1/vacancies/{world['va_pub'].pk}").json()["moderation_note"] == ""


def test_the_public_search_uses_the_search_pages_filters(world):
    client = world.client("anonymous")
    ids = lambda query: {row["id"] for row in client.get(f"/api/v1/vacancies?{query}").json()["results"]}  # noqa
    assert ids("country=BE") == {world["vb_pub"].pk}
    assert ids("country=NL") == {world["va_pub"].pk}
    assert ids(f"isco={world['occupation'].isco_group.code}") == {world["va_pub"].pk, world["vb_pub"].pk}
    assert ids("language=fr") == {world["vb_pub"].pk}  # va_pub asks Dutch
    response = client.get("/api/v1/vacancies?country=XX")
    assert response.status_code == 400
    assert "country" in response.json()["errors"]


def test_sync_by_updated_since_and_etags(world):
    client = world.client("token_employer")
    later = timezone.now() + timezone.timedelta(seconds=1)
    Vacancy.objects.filter(pk=world["va_draft"].pk).update(updated_at=later + timezone.timedelta(minutes=1))
    response = client.get("/api/v1/vacancies/mine", {"updated_since": later.isoformat()})
    assert [row["id"] for row in response.json()["results"]] == [world["va_draft"].pk]
    assert client.get("/api/v1/vacancies/mine?updated_since=yesterday").status_code == 400
    # Offsets Python accepts but PostgreSQL would not, and dates at the edge of the calendar (found by Schemathesis).
    for odd in ("0631-01-30T08:16:35.7+18:54", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-10:00"):
        assert client.get("/api/v1/matches", {"updated_since": odd}).status_code in (200, 400), odd
    response = client.get(f"/api/v1/vacancies/{world['va_pub'].pk}")
    etag = response["ETag"]
    assert client.get(f"/api/v1/vacancies/{world['va_pub'].pk}", HTTP_IF_NONE_MATCH=etag).status_code == 304
    world.client("employer").patch(f"/api/v1/vacancies/{world['va_pub'].pk}", {"openings": 4}, format="json")
    assert client.get(f"/api/v1/vacancies/{world['va_pub'].pk}", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_pagination(world):
    response = world.client("anonymous").get("/api/v1/places?page_size=5")
    body = response.json()
    assert len(body["results"]) == 5
    assert body["count"] == Place.objects.count()
    assert body["next"]
    assert world.client("anonymous").get("/api/v1/places?page=9999").status_code == 404


def test_throttling_answers_429_with_the_error_body(world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute", "import": "1/hour"},
    }
    client = world.client("anonymous")
    statuses = [client.get("/api/v1/skills").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/skills")
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response
    token = world.client("token_employer")
    assert token.post("/api/v1/vacancies/import", {}, format="json").status_code == 202  # an empty document
    assert token.post("/api/v1/vacancies/import", {}, format="json").status_code == 429


# --- reference data -----------------------------------------------------------------------------------


def test_reference_data_is_searchable_in_three_languages_by_uri_and_isco(world):
    client = world.client("anonymous")
    welder = Occupation.objects.get(label_en="welder")
    for query in ("q=lasser", "q=soudeur", "q=welder", f"uri={welder.uri}", "isco=7212"):
        labels = {row["label_en"] for row in client.get(f"/api/v1/occupations?{query}").json()["results"]}
        assert "welder" in labels, query
    detail = client.get(f"/api/v1/occupations/{welder.pk}", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert detail["label"] == "soudeur"
    assert detail["isco_code"] == "7212"
    assert detail["skills"]
    zelzate = client.get("/api/v1/places?postcode=9060").json()["results"]
    assert [place["name"] for place in zelzate] == ["Zelzate"]
    assert zelzate[0]["postcodes"] == ["9060"]
    diplomas = client.get("/api/v1/diplomas?country=BE&page_size=100").json()["results"]
    assert diplomas
    assert all(d["country"] == "BE" for d in diplomas)


# --- candidates -----------------------------------------------------------------------------------------


def test_a_jobseeker_reads_and_updates_the_profile_and_consents(world):
    client = world.client("jobseeker")
    skill = world["skills"][0]
    response = client.patch(
        "/api/v1/candidates/me",
        {
            "hours_wanted": 32,
            "skills": [skill.pk],
            "languages": [{"language": "nl", "level": 6}, {"language": "en", "level": 3}],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    profile = response.json()
    assert profile["hours_wanted"] == 32
    assert profile["skills"] == [skill.pk]
    assert len(profile["languages"]) == 2
    response = client.patch("/api/v1/candidates/me", {"hours_wanted": 0}, format="json")
    assert response.status_code == 400
    assert "hours_wanted" in response.json()["errors"]
    response = client.patch("/api/v1/candidates/me/consents", {"cross_border": True}, format="json")
    body = response.json()
    assert body["cross_border"] is True
    assert body["cross_border_at"]
    assert body["history"][0]["kind"] == "cross_border"
    response = client.patch("/api/v1/candidates/me/consents", {"matching": False}, format="json")
    assert response.json()["matching"] is False


def test_a_new_jobseeker_creates_the_profile_with_a_belgian_postcode(world):
    from tests.factories import UserFactory

    world.users["newcomer"] = UserFactory()
    client = world.client("newcomer")
    assert client.get("/api/v1/candidates/me").status_code == 404
    response = client.patch("/api/v1/candidates/me", {"country": "BE", "postcode": "9060"}, format="json")
    assert response.status_code == 200, response.content
    profile = response.json()
    assert profile["home_place"] == Place.objects.get(name="Zelzate").pk
    assert profile["employment_service"] == "vdab"


# --- applications -----------------------------------------------------------------------------------------


def test_apply_withdraw_and_the_employer_moves_stages(world, mailoutbox, django_capture_on_commit_callbacks):
    jobseeker, employer = world.client("jobseeker"), world.client("employer")
    with django_capture_on_commit_callbacks(execute=True):
        response = jobseeker.post(
            "/api/v1/applications", {"vacancy": world["vb_pub"].pk, "motivation": "Graag"}, format="json"
        )
    assert response.status_code == 201
    assert response.json()["status"] == "received"
    assert mailoutbox  # the employer is told, as when applying on the page
    again = jobseeker.post(
        "/api/v1/applications", {"vacancy": world["vb_pub"].pk, "motivation": "Nog eens"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_applied"
    app1 = world["app1"].pk
    response = employer.post(f"/api/v1/applications/{app1}/stage", {"status": "hired"}, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    response = employer.post(
        f"/api/v1/applications/{app1}/stage", {"status": "interview", "note": "Dinsdag"}, format="json"
    )
    assert response.json()["status"] == "interview"
    history = jobseeker.get(f"/api/v1/applications/{app1}").json()["history"]
    assert history[-1]["to_status"] == "interview"
    assert history[-1]["note"] == ""
    assert employer.get(f"/api/v1/applications/{app1}").json()["history"][-1]["note"] == "Dinsdag"
    response = jobseeker.post(f"/api/v1/applications/{app1}/withdraw", {}, format="json")
    assert response.json()["status"] == ApplicationStatus.WITHDRAWN


def test_the_application_export_is_the_employers_only(world):
    response = world.client("employer").get("/api/v1/applications/export")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][1] == "A-PUB"
    other = list(
        csv.reader(
            io.StringIO(world.client("employer_other").get("/api/v1/applications/export").content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert all(row[1] != "A-PUB" for row in other[1:])


# --- matches --------------------------------------------------------------------------------------------------


def test_decisions_follow_the_pages_rules(world):
    caseworker = world.client("caseworker_uwv")
    m1 = world["m1"].pk
    response = caseworker.post(f"/api/v1/matches/{m1}/decision", {"decision": "rejected"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]
    response = caseworker.post(
        f"/api/v1/matches/{m1}/decision", {"decision": "rejected", "reason": "other"}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()["errors"]
    response = caseworker.post(
        f"/api/v1/matches/{m1}/decision", {"decision": "rejected", "reason": "other", "note": "Verhuist"}, format="json"
    )
    assert response.json()["review_status"] == "rejected"
    # Rejecting resets the candidate's answer: the employer no longer sees it.
    assert m1 not in {row["id"] for row in world.client("employer").get("/api/v1/matches").json()["results"]}
    assert MatchDecision.objects.filter(match_id=m1).count() == 1


def test_bulk_decisions_are_all_or_nothing(world):
    client = world.client("caseworker_vdab")
    m2, m3 = world["m2"], world["m3"]  # vdab may decide on m2 (own candidate), and on m3 (own candidate too)
    response = client.post(
        "/api/v1/matches/decisions", {"matches": [m2.pk, m3.pk], "decision": "approved"}, format="json"
    )
    assert response.status_code == 200
    assert {row["review_status"] for row in response.json()} == {"approved"}
    response = client.post(
        "/api/v1/matches/decisions",
        {"matches": [m2.pk, world["m1"].pk], "decision": "rejected", "reason": "skills"},
        format="json",
    )
    assert response.status_code == 404
    m2.refresh_from_db()
    assert m2.review_status == ReviewStatus.APPROVED


def test_the_jobseeker_answers_and_the_employer_then_sees(world):
    world["m3"].candidate_response = CandidateResponse.PENDING
    world["m3"].save()
    employer = world.client("employer")
    assert world["m3"].pk not in {r["id"] for r in employer.get("/api/v1/matches").json()["results"]}
    response = world.client("jobseeker_other").post(
        f"/api/v1/matches/{world['m3'].pk}/response", {"accept": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["candidate"] is None
    shared = employer.get(f"/api/v1/matches/{world['m3'].pk}").json()
    assert shared["candidate"]["email"] == world.users["jobseeker_other"].email
    assert shared["decisions"] == []
    assert shared["note"] == ""


def test_the_shortlist_export(world):
    response = world.client("caseworker_uwv").get("/api/v1/matches/export")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 2  # m1 and m3 are approved; m2 is not
    response = world.client("employer").get(f"/api/v1/matches/export?vacancy={world['va_pub'].pk}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert {row[3] for row in rows[1:]} == {world["js1"].user.email, world["js2"].user.email}


def test_figures_as_csv_with_the_pages_choices(world):
    client = world.client("caseworker_vdab")
    response = client.get("/api/v1/matching/figures/decisions?months=6&service=uwv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert client.get("/api/v1/matching/figures/decisions?months=7").status_code == 400
    assert client.get("/api/v1/matching/figures/nonsense").status_code == 404


def test_rematch_returns_a_task_and_its_status(world, settings, django_capture_on_commit_callbacks):
    from matching import tasks
    from nsp_portal.celery import app

    # Eager tasks (the test settings) keep their result in Redis too. A task reads the setting
    # when it is first bound, so the tasks this test runs get it directly as well.
    app.conf.task_store_eager_result = True
    bound = [tasks.rematch_vacancy, tasks.rebuild_all]
    for task in bound:
        task.store_eager_result = True
    try:
        client = world.client("caseworker_uwv")
        with django_capture_on_commit_callbacks(execute=True):  # the request goes through the outbox
            response = client.post("/api/v1/matching/rematch", {"vacancy": world["va_pub"].pk}, format="json")
        assert response.status_code == 202, response.content
        task = response.json()
        status = client.get(task["status_url"].replace("http://testserver", "")).json()
        assert status["task_id"] == task["task_id"]
        assert status["state"] == "SUCCESS"
        assert status["progress"] == 1.0
        assert (
            client.post("/api/v1/matching/rematch", {"vacancy": world["va_draft"].pk}, format="json").status_code == 404
        )
        run = RebuildRun.objects.create(chunks_total=4, chunks_done=1)
        admin = world.client("admin")
        assert admin.post("/api/v1/matching/rebuild").status_code == 409  # one is running already
        run.status = "done"
        run.save()
        with django_capture_on_commit_callbacks(execute=True):
            response = admin.post("/api/v1/matching/rebuild")
        assert response.status_code == 202
        status = admin.get(response.json()["status_url"].replace("http://testserver", "")).json()
        assert status["rebuild"]["id"] == status["result"]
        assert 0 <= status["progress"] <= 1
    finally:
        app.conf.task_store_eager_result = False
        for task in bound:
            task.store_eager_result = False


# --- feeds, tokens --------------------------------------------------------------------------------------------


def test_feeds_list_new_vacancies(world):
    client = world.client("anonymous")
    rss = ET.fromstring(client.get("/api/v1/feeds/vacancies.rss").content)
    titles = [item.findtext("title") for item in rss.iter("item")]
    assert len(titles) == 2
    assert any("Kanaalzone" in title for title in titles)
    atom = ET.fromstring(client.get("/api/v1/feeds/vacancies.atom?country=BE").content)
    entries = atom.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    feed = client.get("/api/v1/feeds/vacancies.json").json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert {item["_jobposting"]["@type"] for item in feed["items"]} == {"JobPosting"}
    assert all(item["url"].startswith("http://testserver/") for item in feed["items"])


def test_issue_api_token_command(world, capsys):
    call_command("issue_api_token", "--service", "wsp-zvl", "--scopes", "matches:read,exports:read", "--name", "WSP")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="WSP")
    assert key.startswith(token.prefix)
    assert token.key_hash != key
    assert len(token.key_hash) == 64
    # It acts as the service's system user, which can never log in nor receive the portal's emails.
    assert token.user.role == Role.CASEWORKER
    assert not token.user.is_active
    assert not token.user.has_usable_password()
    world.tokens["wsp"] = key
    me = world.client("wsp").get("/api/v1/me").json()
    assert me["role"] == "caseworker"
    assert me["employment_service"] == "wsp-zvl"
    assert me["token_scopes"] == ["exports:read", "matches:read"]
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="applications:write"):
        call_command("issue_api_token", "--service", "uwv", "--scopes", "applications:write")
    with pytest.raises(CommandError, match="everything"):
        call_command("issue_api_token", "--employer", str(world["employer_a"].pk), "--scopes", "everything")
    call_command("issue_api_token", "--revoke", token.prefix)
    assert world.client("wsp").get("/api/v1/me").status_code == 401


def test_admin_issues_a_token_shown_once_and_revokes(world, client):
    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {
            "name": "Careers site B",
            "employer": world["employer_b"].pk,
            "employment_service": "",
            "scopes": ["vacancies:read", "vacancies:write"],
            "expires_at_0": "",
            "expires_at_1": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Careers site B")
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.prefix in message for message in shown)
    key = next(word for message in shown for word in message.split() if word.startswith("nsp_"))
    world.tokens["careers"] = key
    assert world.client("careers").get("/api/v1/vacancies/mine").status_code == 200
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    assert world.client("careers").get("/api/v1/vacancies/mine").status_code == 401
    # A token for both an employer and a service is refused by the form.
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"name": "Both", "employer": world["employer_b"].pk, "employment_service": 1, "scopes": ["vacancies:read"]},
    )
    assert response.status_code == 200
    assert not ApiToken.objects.filter(name="Both").exists()


@pytest.mark.parametrize(
    ("role", "path", "body"),
    [
        # Found by Schemathesis: a partial update makes nested fields optional, rows must still be whole.
        ("jobseeker", "/api/v1/candidates/me", {"languages": [{"level": 1}]}),
        ("jobseeker", "/api/v1/candidates/me", {"diplomas": [{"year": 2001}]}),
        ("jobseeker", "/api/v1/candidates/me", {"skills": [-624], "home_place": 19765, "desired_occupations": [0]}),
        ("employer", "/api/v1/vacancies/{va_draft}", {"languages": [{"min_level": 3}]}),
        ("employer", "/api/v1/vacancies/{va_draft}", {"expires_at": "0001-01-01T00:00:00+05:00"}),
    ],
)
def test_bad_bodies_are_400s_not_500s(world, role, path, body):
    path = path.format(va_draft=world["va_draft"].pk)
    response = world.client(role).patch(path, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]

"""Every endpoint × every role: nobody reads or writes what is not theirs.

Another's object is a 404 (the queryset is scoped first), the wrong role a 403, no
credentials a 401, a token without the scope a 403, a revoked token a 401. Each call runs in
a savepoint that is rolled back, so every role meets the same world.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from taxonomy.models import Diploma, IscoGroup, Occupation, Place, Skill, StudyField
from vacancies.models import ImportJob

from .conftest import ROLES

pytestmark = pytest.mark.django_db

CASEWORKERS = ("caseworker_vdab", "caseworker_uwv", "caseworker_wsp", "admin")
SERVICE_TOKENS = ("token_service", "token_service_vdab")
TASK = "3f1c6a5e-3d0b-4a59-9a7e-0c7f2b1d9e44"


def expect(default: int, *, anonymous: int = 401, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = anonymous
    table["token_revoked"] = 401
    for role, status in overrides.items():
        table[role] = status
    return table


def roles(status: int, *names: str) -> dict[str, int]:
    return dict.fromkeys(names, status)


PUBLIC = expect(200, anonymous=200)


def interview_of(w, *, planned: bool = False):
    """An interview of app1 (made inside the case's savepoint, directly: no mails); kept in w.objects."""
    from conversations.models import InterviewProposal, InterviewSlot

    proposal = InterviewProposal.objects.create(
        application=w["app1"], contact_person="Els", status="accepted" if planned else "proposed"
    )
    slot = InterviewSlot.objects.create(
        proposal=proposal, starts_at=timezone.now() + timezone.timedelta(days=3), location="Sluiskil"
    )
    if planned:
        proposal.chosen_slot = slot
        proposal.save(update_fields=["chosen_slot"])
    w.objects["interview_slot"] = slot
    return {"id": w["app1"].pk, "proposal_pk": proposal.pk}


PARTICIPANTS_READ = expect(
    404, jobseeker=200, employer=200, caseworker_uwv=200, admin=200, token_employer=200, **roles(403, *SERVICE_TOKENS)
)
PARTICIPANTS_READ["token_limited"] = 403


@dataclass
class Case:
    method: str
    template: str  # the path as in the OpenAPI schema
    expected: dict[str, int]
    ids: Callable[[Any], dict] = lambda w: {}
    body: Callable[[Any], Any] = lambda w: None
    name: str = ""

    def __str__(self) -> str:
        return self.name or f"{self.method} {self.template}"


def jobposting(w) -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "IMP-1",
        "title": "Lasser",
        "description": "<p>Lassen in de haven.</p>",
        "occupationalCategory": w["occupation"].isco_group.code,
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Terneuzen", "addressCountry": "NL"}},
        "employmentType": "FULL_TIME",
    }


def saved_search_of(w):
    """A saved search of the world's jobseeker (made inside the case's savepoint)."""
    from alerts.services import saved_search_create

    return saved_search_create(
        owner=w.users["jobseeker"], name="Lassen", query="q=lasser", frequency="daily", language="nl"
    )


def experience_of(w):
    """A job on the world's jobseeker's profile (made inside the case's savepoint)."""
    from candidates.services import experience_create

    return experience_create(
        candidate=w.users["jobseeker"].candidate,
        occupation=w["occupation"],
        employer_name="Damen",
        started_on=datetime.date(2019, 3, 1),
    )


def invitation_of(w):
    """Employer A's invitation of the findable jobseeker (js2) to its published vacancy (made inside the savepoint)."""
    from talent.models import CandidateInvitation

    invitation, _created = CandidateInvitation.objects.get_or_create(
        candidate=w["js2"], vacancy=w["va_pub"], defaults={"employer": w["employer_a"]}
    )
    return invitation


def training_offer_id() -> int:
    from tests.training.helpers import make_offer
    from training.models import TrainingOffer

    offer = TrainingOffer.objects.filter(reference="API-WALK").first() or make_offer(reference="API-WALK")
    return offer.pk


def near_miss_of(w) -> dict:
    """A near miss of js1 (UWV, no cross-border consent) on A's published vacancy (inside the savepoint)."""
    from matching.models import GapKind, NearMiss

    near_miss, _created = NearMiss.objects.get_or_create(
        candidate=w["js1"],
        vacancy=w["va_pub"],
        defaults={"score": 0.7, "rank": 1, "kind": GapKind.EDUCATION, "engine_version": "test"},
    )
    return {"id": near_miss.pk}


CASES = [
    Case("get", "/api/v1/me", expect(200)),
    # reference data: public
    Case("get", "/api/v1/occupations", PUBLIC),
    Case("get", "/api/v1/occupations/{id}", PUBLIC, ids=lambda w: {"id": Occupation.objects.first().pk}),
    Case("get", "/api/v1/skills", PUBLIC),
    Case("get", "/api/v1/skills/{id}", PUBLIC, ids=lambda w: {"id": Skill.objects.first().pk}),
    Case("get", "/api/v1/occupations/autocomplete", PUBLIC),
    Case("get", "/api/v1/skills/autocomplete", PUBLIC),
    Case("get", "/api/v1/places", PUBLIC),
    Case("get", "/api/v1/places/{id}", PUBLIC, ids=lambda w: {"id": Place.objects.first().pk}),
    # training offers: public data, read-only
    Case("get", "/api/v1/training-offers", PUBLIC),
    Case("get", "/api/v1/training-offers/{id}", PUBLIC, ids=lambda w: {"id": training_offer_id()}),
    Case("get", "/api/v1/diplomas", PUBLIC),
    Case("get", "/api/v1/diplomas/{id}", PUBLIC, ids=lambda w: {"id": Diploma.objects.first().pk}),
    Case("get", "/api/v1/isco-groups", PUBLIC),
    Case("get", "/api/v1/isco-groups/{id}", PUBLIC, ids=lambda w: {"id": IscoGroup.objects.first().pk}),
    Case("get", "/api/v1/study-fields", PUBLIC),
    Case("get", "/api/v1/study-fields/{id}", PUBLIC, ids=lambda w: {"id": StudyField.objects.first().pk}),
    # vacancies
    Case("get", "/api/v1/vacancies", PUBLIC),
    Case("get", "/api/v1/vacancies/{id}", PUBLIC, ids=lambda w: {"id": w["va_pub"].pk}, name="published vacancy"),
    Case(
        "get",
        "/api/v1/vacancies/{id}",
        expect(404, anonymous=404, employer=200, token_employer=200, token_limited=200),
        ids=lambda w: {"id": w["va_draft"].pk},
        name="another's draft is a 404",
    ),
    Case(
        "get",
        "/api/v1/vacancies/{id}",
        expect(404, anonymous=404, **roles(200, *CASEWORKERS, *SERVICE_TOKENS)),
        ids=lambda w: {"id": w["vc_review"].pk},
        name="in review: caseworkers only",
    ),
    Case(
        "patch",
        "/api/v1/vacancies/{id}",
        expect(403, employer=200, token_employer=200, employer_other=404),
        ids=lambda w: {"id": w["va_draft"].pk},
        body=lambda w: {"hours_per_week": 40},
    ),
    Case(
        "post",
        "/api/v1/vacancies",
        expect(403, employer=201, employer_other=201, token_employer=201),
        body=lambda w: {
            "title": "Monteur",
            "description": "Onderhoud.",
            "occupation": w["occupation"].pk,
            "place": w["va_pub"].place_id,
            "contract_type": "permanent",
            "hours_per_week": 38,
        },
    ),
    Case(
        "post",
        "/api/v1/vacancies/{id}/submit",
        expect(403, employer=200, token_employer=200, employer_other=404),
        ids=lambda w: {"id": w["va_draft"].pk},
    ),
    Case(
        "post",
        "/api/v1/vacancies/{id}/status",
        expect(403, employer=200, token_employer=200, employer_other=404),
        ids=lambda w: {"id": w["va_pub"].pk},
        body=lambda w: {"status": "closed"},
    ),
    Case(
        "post",
        "/api/v1/vacancies/{id}/moderate",
        # A Dutch employer's vacancy: UWV and WSP moderate it, VDAB (Belgian) may not (accounts.roles).
        expect(403, **roles(200, "caseworker_uwv", "caseworker_wsp", "admin", "token_service")),
        ids=lambda w: {"id": w["vc_review"].pk},
        body=lambda w: {"approve": True},
    ),
    Case(
        "post",
        "/api/v1/vacancies/{id}/moderate",
        expect(403, **roles(404, *CASEWORKERS, *SERVICE_TOKENS)),
        ids=lambda w: {"id": w["va_draft"].pk},
        body=lambda w: {"approve": True},
        name="moderate a draft: 404",
    ),
    Case("get", "/api/v1/vacancies/{id}/jobposting", PUBLIC, ids=lambda w: {"id": w["va_pub"].pk}),
    Case(
        "get",
        "/api/v1/vacancies/{id}/jobposting",
        expect(404, anonymous=404, employer=200, token_employer=200, token_limited=200),
        ids=lambda w: {"id": w["va_draft"].pk},
        name="jobposting of another's draft: 404",
    ),
    Case(
        "get",
        "/api/v1/vacancies/mine",
        expect(403, employer=200, employer_other=200, token_employer=200, token_limited=200),
    ),
    Case("get", "/api/v1/vacancies/moderation", expect(403, **roles(200, *CASEWORKERS, *SERVICE_TOKENS))),
    Case(
        "post",
        "/api/v1/vacancies/import",
        expect(403, employer=202, employer_other=202, token_employer=202),
        body=jobposting,
    ),
    Case(
        "get",
        "/api/v1/vacancies/import/jobs/{job_id}",
        expect(403, employer=200, employer_other=404, token_employer=200),
        ids=lambda w: {"job_id": ImportJob.objects.create(employer=w["employer_a"], filename="feed.json").pk},
    ),
    Case("get", "/api/v1/vacancies/import/template", PUBLIC),
    # the jobseeker's own profile
    Case("get", "/api/v1/candidates/me", expect(403, jobseeker=200, jobseeker_other=200)),
    Case(
        "patch",
        "/api/v1/candidates/me",
        expect(403, jobseeker=200, jobseeker_other=200),
        body=lambda w: {"hours_wanted": 30},
    ),
    Case("get", "/api/v1/candidates/me/consents", expect(403, jobseeker=200, jobseeker_other=200)),
    Case(
        "patch",
        "/api/v1/candidates/me/consents",
        expect(403, jobseeker=200, jobseeker_other=200),
        body=lambda w: {"cross_border": True},
    ),
    # the jobseeker's own work experience
    Case("get", "/api/v1/candidates/me/experience", expect(403, jobseeker=200, jobseeker_other=200)),
    Case(
        "post",
        "/api/v1/candidates/me/experience",
        expect(403, jobseeker=201, jobseeker_other=201),
        body=lambda w: {"occupation": w["occupation"].pk, "employer_name": "Damen", "started_on": "2019-03"},
    ),
    Case(
        "get",
        "/api/v1/candidates/me/experience/{id}",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=lambda w: {"id": experience_of(w).pk},
    ),
    Case(
        "patch",
        "/api/v1/candidates/me/experience/{id}",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=lambda w: {"id": experience_of(w).pk},
        body=lambda w: {"ended_on": "2025-06"},
    ),
    Case(
        "delete",
        "/api/v1/candidates/me/experience/{id}",
        expect(403, jobseeker=204, jobseeker_other=404),
        ids=lambda w: {"id": experience_of(w).pk},
    ),
    # the candidate search (verified employers, session only) and the invitations to apply (talent/)
    Case("get", "/api/v1/talent/candidates", expect(403, employer=200, employer_other=200)),
    Case(
        "get",
        "/api/v1/talent/candidates/{id}",
        expect(403, employer=200, employer_other=200),
        ids=lambda w: {"id": w["js2"].pk},
    ),
    Case(
        "get",
        "/api/v1/talent/candidates/{id}",
        expect(403, employer=404, employer_other=404),
        ids=lambda w: {"id": w["js1"].pk},
        name="the card of a candidate who did not opt in: 404",
    ),
    Case(
        "get",
        "/api/v1/talent/invitations",
        expect(403, employer=200, employer_other=200, jobseeker=200, jobseeker_other=200),
    ),
    Case(
        "post",
        "/api/v1/talent/invitations",
        expect(403, employer=201, employer_other=400),
        body=lambda w: {"candidate": w["js2"].pk, "vacancy": w["va_pub"].pk},
    ),
    Case(
        "get",
        "/api/v1/talent/invitations/{id}",
        expect(403, employer=200, employer_other=404, jobseeker=404, jobseeker_other=200),
        ids=lambda w: {"id": invitation_of(w).pk},
    ),
    Case(
        "post",
        "/api/v1/talent/invitations/{id}/accept",
        expect(403, jobseeker=404, jobseeker_other=200),
        ids=lambda w: {"id": invitation_of(w).pk},
    ),
    Case(
        "post",
        "/api/v1/talent/invitations/{id}/decline",
        expect(403, jobseeker=404, jobseeker_other=200),
        ids=lambda w: {"id": invitation_of(w).pk},
    ),
    # the jobseeker's own saved searches (job alerts)
    Case("get", "/api/v1/saved-searches", expect(403, jobseeker=200, jobseeker_other=200)),
    Case(
        "post",
        "/api/v1/saved-searches",
        expect(403, jobseeker=201, jobseeker_other=201),
        body=lambda w: {"name": "Lassen", "query": "q=lasser", "frequency": "daily"},
    ),
    Case(
        "get",
        "/api/v1/saved-searches/{id}",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=lambda w: {"id": saved_search_of(w).pk},
    ),
    Case(
        "patch",
        "/api/v1/saved-searches/{id}",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=lambda w: {"id": saved_search_of(w).pk},
        body=lambda w: {"frequency": "weekly"},
    ),
    Case(
        "delete",
        "/api/v1/saved-searches/{id}",
        expect(403, jobseeker=204, jobseeker_other=404),
        ids=lambda w: {"id": saved_search_of(w).pk},
    ),
    # applications
    Case(
        "get",
        "/api/v1/applications",
        expect(403, jobseeker=200, jobseeker_other=200, employer=200, employer_other=200, token_employer=200),
    ),
    Case(
        "get",
        "/api/v1/applications/{id}",
        expect(403, jobseeker=200, jobseeker_other=404, employer=200, employer_other=404, token_employer=200),
        ids=lambda w: {"id": w["app1"].pk},
    ),
    Case(
        "post",
        "/api/v1/applications",
        expect(403, jobseeker=201, jobseeker_other=409),  # applied already: a state conflict
        body=lambda w: {"vacancy": w["vb_pub"].pk, "motivation": "Graag!"},
    ),
    Case(
        "post",
        "/api/v1/applications/{id}/withdraw",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=lambda w: {"id": w["app1"].pk},
    ),
    Case(
        "post",
        "/api/v1/applications/{id}/stage",
        expect(403, employer=200, employer_other=404, token_employer=200),
        ids=lambda w: {"id": w["app1"].pk},
        body=lambda w: {"status": "in_review"},
    ),
    Case("get", "/api/v1/applications/export", expect(403, employer=200, employer_other=200, token_employer=200)),
    # messages and interviews of an application: its participants (caseworkers of the candidate's service read)
    Case("get", "/api/v1/applications/{id}/messages", PARTICIPANTS_READ, ids=lambda w: {"id": w["app1"].pk}),
    Case(
        "post",
        "/api/v1/applications/{id}/messages",
        expect(403, jobseeker=201, jobseeker_other=404, employer=201, employer_other=404, token_employer=201),
        ids=lambda w: {"id": w["app1"].pk},
        body=lambda w: {"body": "Wanneer kan ik langskomen?"},
    ),
    Case(
        "post",
        "/api/v1/applications/{id}/messages/read",
        expect(403, jobseeker=200, jobseeker_other=404, employer=200, employer_other=404, token_employer=200),
        ids=lambda w: {"id": w["app1"].pk},
    ),
    Case("get", "/api/v1/applications/{id}/interviews", PARTICIPANTS_READ, ids=lambda w: {"id": w["app1"].pk}),
    Case(
        "post",
        "/api/v1/applications/{id}/interviews",
        expect(403, employer=201, employer_other=404, token_employer=201),
        ids=lambda w: {"id": w["app1"].pk},
        body=lambda w: {
            "contact_person": "Els de Wit",
            "slots": [{"starts_at": (timezone.now() + timezone.timedelta(days=4)).isoformat(), "location": "Sluiskil"}],
        },
    ),
    Case(
        "post",
        "/api/v1/applications/{id}/interviews/{proposal_pk}/pick",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=interview_of,
        body=lambda w: {"slot": w["interview_slot"].pk},
    ),
    Case(
        "post",
        "/api/v1/applications/{id}/interviews/{proposal_pk}/request-other",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=interview_of,
        body=lambda w: {"note": "Liever in de middag."},
    ),
    Case(
        "get",
        "/api/v1/applications/{id}/interviews/{proposal_pk}/invitation.ics",
        expect(403, jobseeker=200, jobseeker_other=404, employer=200, employer_other=404, token_employer=200),
        ids=lambda w: interview_of(w, planned=True),
    ),
    # matches
    Case("get", "/api/v1/matches", expect(200, token_limited=403)),
    Case(
        "get",
        "/api/v1/matches/{id}",
        expect(
            404,
            jobseeker=200,
            employer=200,
            caseworker_uwv=200,
            admin=200,
            token_employer=200,
            token_service=200,
            token_limited=403,
        ),
        ids=lambda w: {"id": w["m1"].pk},
    ),
    Case(
        "post",
        "/api/v1/matches/{id}/decision",
        expect(
            403,
            caseworker_uwv=200,
            admin=200,
            token_service=200,
            caseworker_vdab=404,
            caseworker_wsp=404,
            token_service_vdab=404,
        ),
        ids=lambda w: {"id": w["m1"].pk},
        body=lambda w: {"decision": "rejected", "reason": "skills"},
        name="decide on a match of one's own service",
    ),
    Case(
        "post",
        "/api/v1/matches/{id}/decision",
        expect(403, caseworker_vdab=200, admin=200, token_service_vdab=200),
        ids=lambda w: {"id": w["m2"].pk},
        body=lambda w: {"decision": "approved"},
        name="cross-border candidate: the service of the vacancy's country decides",
    ),
    Case(
        "post",
        "/api/v1/matches/decisions",
        expect(403, caseworker_vdab=200, admin=200, token_service_vdab=200),
        body=lambda w: {"matches": [w["m2"].pk], "decision": "approved"},
    ),
    Case(
        "post",
        "/api/v1/matches/decisions",
        expect(
            403,
            caseworker_uwv=200,
            admin=200,
            token_service=200,
            caseworker_vdab=404,
            caseworker_wsp=404,
            token_service_vdab=404,
        ),
        body=lambda w: {"matches": [w["m1"].pk], "decision": "approved"},
        name="bulk decision on unseen: 404",
    ),
    Case(
        "post",
        "/api/v1/matches/{id}/response",
        expect(403, jobseeker=200, jobseeker_other=404),
        ids=lambda w: {"id": w["m1"].pk},
        body=lambda w: {"accept": False},
    ),
    Case(
        "get",
        "/api/v1/matches/export",
        expect(403, employer=200, employer_other=200, token_employer=200, **roles(200, *CASEWORKERS, *SERVICE_TOKENS)),
    ),
    # near misses: never for employers
    Case(
        "get",
        "/api/v1/near-misses",
        expect(200, employer=403, employer_other=403, token_employer=403, token_limited=403),
    ),
    Case(
        "get",
        "/api/v1/near-misses/{id}",
        expect(
            404,
            jobseeker=200,
            caseworker_uwv=200,
            admin=200,
            token_service=200,
            employer=403,
            employer_other=403,
            token_employer=403,
            token_limited=403,
        ),
        ids=near_miss_of,
    ),
    # matching
    Case(
        "post",
        "/api/v1/matching/rematch",
        expect(403, **roles(202, *CASEWORKERS, *SERVICE_TOKENS)),
        body=lambda w: {"vacancy": w["va_pub"].pk},
    ),
    Case("post", "/api/v1/matching/rebuild", expect(403, admin=202)),
    Case(
        "get",
        "/api/v1/matching/tasks/{task_id}",
        expect(403, **roles(200, *CASEWORKERS, *SERVICE_TOKENS)),
        ids=lambda w: {"task_id": TASK},
    ),
    Case(
        "get",
        "/api/v1/matching/figures/{slug}",
        expect(403, **roles(200, *CASEWORKERS, *SERVICE_TOKENS)),
        ids=lambda w: {"slug": "decisions"},
    ),
]


def _call(world, case: Case, role: str):
    path = case.template.format(**case.ids(world))
    client = world.client(role)
    method = getattr(client, case.method)
    body = case.body(world)
    if case.method == "get":
        return method(path)
    return method(path, body if body is not None else {}, format="json")


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_role_meets_the_rules(world, case):
    got = {}
    for role in ROLES:
        savepoint = transaction.savepoint()
        try:
            response = _call(world, case, role)
        finally:
            transaction.savepoint_rollback(savepoint)
        got[role] = response.status_code
        if response.status_code >= 400:
            body = response.json()
            assert set(body) >= {"status", "code", "detail"}, (role, body)
            assert body["status"] == response.status_code
    assert got == case.expected


def test_the_matrix_covers_every_endpoint_of_the_schema(world):
    schema = world.client("anonymous").get("/api/schema/", HTTP_ACCEPT="application/json").json()
    in_schema = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    covered = {(case.method, case.template) for case in CASES}
    assert in_schema == covered


def test_lists_show_each_role_only_its_own(world):
    def ids(role: str, path: str) -> set[int]:
        response = world.client(role).get(path)
        assert response.status_code == 200, (role, path, response.content)
        return {row["id"] for row in response.json()["results"]}

    w = world
    assert ids("jobseeker", "/api/v1/applications") == {w["app1"].pk}
    assert ids("jobseeker_other", "/api/v1/applications") == {w["app2"].pk}
    assert ids("employer", "/api/v1/applications") == {w["app1"].pk}
    assert ids("token_employer", "/api/v1/applications") == {w["app1"].pk}
    assert ids("employer_other", "/api/v1/applications") == {w["app2"].pk}
    assert ids("jobseeker", "/api/v1/matches") == {w["m1"].pk}
    assert ids("jobseeker_other", "/api/v1/matches") == {w["m3"].pk}
    assert ids("employer", "/api/v1/matches") == {w["m1"].pk, w["m3"].pk}
    assert ids("employer_other", "/api/v1/matches") == set()  # m2 is not approved yet
    assert ids("caseworker_uwv", "/api/v1/matches") == {w["m1"].pk, w["m2"].pk, w["m3"].pk}
    assert ids("token_service", "/api/v1/matches") == {w["m1"].pk, w["m2"].pk, w["m3"].pk}
    assert ids("caseworker_vdab", "/api/v1/matches") == {w["m2"].pk, w["m3"].pk}
    assert ids("caseworker_wsp", "/api/v1/matches") == {w["m2"].pk, w["m3"].pk}
    assert ids("employer", "/api/v1/vacancies/mine") == {w["va_pub"].pk, w["va_draft"].pk}
    assert ids("employer_other", "/api/v1/vacancies/mine") == {w["vb_pub"].pk}
    assert ids("caseworker_wsp", "/api/v1/vacancies/moderation") == {w["vc_review"].pk}


def test_a_revoked_token_is_refused_at_once(world):
    from accounts.models import ApiToken
    from accounts.services import api_token_revoke

    client = world.client("token_employer")
    assert client.get("/api/v1/vacancies/mine").status_code == 200
    api_token_revoke(token=ApiToken.objects.get(name="ATS"))
    response = client.get("/api/v1/vacancies/mine")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == 'Token realm="api"'


def test_an_expired_or_unknown_token_is_refused(world):
    from django.utils import timezone

    from accounts.models import ApiToken

    ApiToken.objects.filter(name="ATS").update(expires_at=timezone.now())
    assert world.client("token_employer").get("/api/v1/me").status_code == 401
    world.tokens["token_employer"] = "nsp_" + "x" * 43
    assert world.client("token_employer").get("/api/v1/me").status_code == 401
    world.tokens["token_employer"] = "garbage"
    assert world.client("token_employer").get("/api/v1/me").status_code == 401


def test_a_token_lacking_a_scope_says_which(world):
    response = world.client("token_limited").get("/api/v1/applications")
    assert response.status_code == 403
    assert "applications:read" in response.json()["detail"]


def test_the_audit_trail_records_a_decision_made_through_the_api(world):
    from matching.models import MatchDecision

    response = world.client("token_service").post(
        f"/api/v1/matches/{world['m1'].pk}/decision", {"decision": "rejected", "reason": "commute"}, format="json"
    )
    assert response.status_code == 200
    decision = MatchDecision.objects.get(match=world["m1"])
    assert decision.decision == "rejected"
    assert decision.reviewer_service == "uwv"
    assert decision.reviewer.email.endswith("@api.nsp-talent.invalid")
    assert response.json()["decisions"][-1]["reviewer_service"] == "uwv"

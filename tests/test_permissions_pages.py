"""Every URL of the portal, as every role: nobody reads or changes what is not theirs.

The test walks the URL resolver (so a new URL without a row in EXPECTED fails the test), fills
the path parameters with objects that belong to A (jobseeker A, employer A; candidate A is
registered with UWV, without cross-border consent) and asks each URL as:

    anonymous · jobseeker A · jobseeker B · employer A · employer B ·
    caseworker of VDAB · of UWV · of WSP Zeeuws-Vlaanderen · portal admin

Outcomes: OK (200), LOGIN (redirect to the login page), REDIRECT (another redirect, e.g. a
signed-in user sent away from the sign-up page), 401, 403, 404, 405 (GET on a POST-only URL),
DENIED (any of 401/403/404/405: for GETs on the API's POST-only actions).
Then WRITES tries the changes another user might attempt and checks that A's objects did
not change. The Django admin (`admin:*`) follows one rule: only a portal admin gets in.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.models import ApplicationStatus
from matching.models import CandidateResponse, Match, ReviewRequest, ReviewRequestKind, ReviewStatus
from nsp_portal import legacy_urls
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, place, service
from tests.workspace_helpers import (
    candidate_with_profile,
    invited_colleague,
    make_application,
    make_match,
    published_vacancy,
)
from vacancies.models import ImportJob, Vacancy, VacancyStatus

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "jobseeker_a", "jobseeker_b", "employer_a", "employer_b", "vdab", "uwv", "wsp", "admin")
JOBSEEKERS, EMPLOYERS, CASEWORKERS = (
    ("jobseeker_a", "jobseeker_b"),
    ("employer_a", "employer_b"),
    ("vdab", "uwv", "wsp"),
)

OK, LOGIN, REDIRECT = "200", "login", "redirect"
E401, E403, E404, E405 = "401", "403", "404", "405"
# Refused in any of the API's ways (401/403/404/405): used where DRF decides the order of its
# checks (a GET on a POST-only action may be a 405 before or after the permission check).
DENIED = "denied"


def expect(default: str, **overrides: str) -> dict[str, str]:
    """Expected outcome per role: ``default`` for all, then groups (jobseekers=, employers=,
    caseworkers=), then single roles. Keyword order does not matter: single roles win."""
    table = dict.fromkeys(ROLES, default)
    groups = {"jobseekers": JOBSEEKERS, "employers": EMPLOYERS, "caseworkers": CASEWORKERS}
    for key, value in overrides.items():
        for role in groups.get(key, ()):
            table[role] = value
    for key, value in overrides.items():
        if key not in groups:
            table[key] = value
    return table


PUBLIC = expect(OK)
SIGNED_IN = expect(OK, anonymous=LOGIN)
JOBSEEKER_ONLY = expect(E403, anonymous=LOGIN, jobseekers=OK)
EMPLOYER_ONLY = expect(E403, anonymous=LOGIN, employers=OK)
CASEWORKER_ONLY = expect(E403, anonymous=LOGIN, caseworkers=OK, admin=OK)
ADMIN_ONLY = expect(E403, anonymous=LOGIN, admin=OK)
OWN_EMPLOYER_OBJECT = expect(E403, anonymous=LOGIN, employer_a=OK, employer_b=E404)
OWN_JOBSEEKER_OBJECT = expect(E403, anonymous=LOGIN, jobseeker_a=OK, jobseeker_b=E404)
POST_ONLY = expect(E405)
# API (token or session; JSON errors): anonymous 401/403 by DRF's rules.
API_PUBLIC = expect(OK)
API_SIGNED_IN = expect(OK, anonymous=E401)


def import_job_of_a(world) -> ImportJob:
    """An import job of employer A (finished: nothing left to run)."""
    job, _created = ImportJob.objects.get_or_create(
        employer=world.vacancy_a.employer, filename="feed.json", defaults={"status": "failed", "error": "-"}
    )
    return job


def saved_search_of_a(world):
    """A saved search (job alert) of jobseeker A."""
    from alerts.models import SavedSearch

    search, _created = SavedSearch.objects.get_or_create(
        owner=world.candidate_a.user,
        name="A's alert",
        defaults={"query": "q=lasser", "language": "nl", "since": timezone.now()},
    )
    return search


def experience_of_a(world):
    """A job on jobseeker A's profile."""
    from candidates.models import Experience

    job, _created = Experience.objects.get_or_create(
        candidate=world.candidate_a,
        employer_name="A's employer",
        defaults={"occupation_id": world.vacancy_a.occupation_id, "country": "NL", "started_on": "2019-03-01"},
    )
    return job


def findable_a(world):
    """Jobseeker A, opted in to be findable by employers (talent/)."""
    from candidates.models import Candidate

    Candidate.objects.filter(pk=world.candidate_a.pk, consent_findable_at__isnull=True).update(
        consent_findable_at=timezone.now()
    )
    return world.candidate_a


def training_offer_of(world):
    """A training offer (public data kept by caseworkers; the walk's offer)."""
    from tests.training.helpers import make_offer
    from training.models import TrainingOffer

    return TrainingOffer.objects.filter(reference="WALK-1").first() or make_offer(reference="WALK-1")


def invitation_of_a(world):
    """Employer A's invitation of jobseeker A to vacancy A, accepted: A's full profile is employer A's to see."""
    from talent.models import CandidateInvitation

    invitation, _created = CandidateInvitation.objects.get_or_create(
        candidate=findable_a(world),
        vacancy=world.vacancy_a,
        defaults={"employer": world.employer_a, "status": "accepted"},
    )
    return invitation


def candidate_search_of_uwv(world):
    """A saved candidate search of the UWV caseworker (its owner's alone: other caseworkers and admins 404)."""
    from alerts.models import SavedSearch

    search, _created = SavedSearch.objects.get_or_create(
        owner=world.users["uwv"],
        name="UWV's candidate search",
        defaults={"kind": "candidates", "query": "", "language": "nl", "since": timezone.now()},
    )
    return search


def near_miss_of_a(world):
    """Jobseeker A nearly fits vacancy A (one essential skill missing), as the engine stores it."""
    from matching.models import NearMiss

    return NearMiss.objects.get_or_create(
        vacancy=world.vacancy_a,
        candidate=world.candidate_a,
        defaults={
            "score": 0.7,
            "rank": 1,
            "kind": "skills",
            "gap": {"kind": "skills", "skills": [world.skill_id], "language": None, "education": None},
            "engine_version": "test",
        },
    )[0]


def route_of_a(world):
    """A training route proposed to jobseeker A (made directly: no mail)."""
    from routes.models import TrainingRoute
    from training.models import TrainingOffer, TrainingProvider

    route = TrainingRoute.objects.filter(candidate=world.candidate_a).first()
    if route is None:
        provider = TrainingProvider.objects.get_or_create(name="Provider A (test)", defaults={"country": "NL"})[0]
        offer = TrainingOffer.objects.create(
            provider=provider,
            reference="A1",
            title_nl="Lassen",
            title_fr="Soudage",
            title_en="Welding",
            duration_weeks=4,
            hours_total=80,
            place=world.vacancy_a.place,
            instruction_language="nl",
            funding="uwv_budget",
        )
        route = TrainingRoute.objects.create(
            candidate=world.candidate_a, vacancy=world.vacancy_a, offer=offer, origin="near_miss"
        )
    return route


OWN_UWV_CASEWORKER_OBJECT = expect(E403, anonymous=LOGIN, caseworkers=E404, admin=E404, uwv=OK)


def unsubscribe_token_of_a(world) -> str:
    from alerts.services import unsubscribe_token

    return unsubscribe_token(saved_search_of_a(world))


def interview_of_a(world, *, planned: bool):
    """An interview of application A: planned (a time chosen) or still open; made directly (no mails)."""
    from datetime import timedelta as _delta

    from conversations.models import InterviewProposal, InterviewSlot, ProposalStatus

    status = ProposalStatus.ACCEPTED if planned else ProposalStatus.PROPOSED
    proposal = InterviewProposal.objects.filter(application=world.application_a, status=status).first()
    if proposal is None:
        proposal = InterviewProposal.objects.create(
            application=world.application_a, contact_person="Els", status=status
        )
        slot = InterviewSlot.objects.create(
            proposal=proposal, starts_at=timezone.now() + _delta(days=3), location="Terneuzen"
        )
        if planned:
            proposal.chosen_slot = slot
            proposal.save(update_fields=["chosen_slot"])
    return proposal


def interview_kwargs(planned: bool):
    return lambda w: {"pk": w.application_a.pk, "proposal_pk": interview_of_a(w, planned=planned).pk}


@dataclass
class Row:
    expected: dict[str, str]
    kwargs: object = None  # callable(world) -> dict of path parameters
    query: str = ""


# url name -> what each role gets. Path parameters are A's objects (see ``world``).
EXPECTED: dict[str, Row] = {
    # --- shared pages ------------------------------------------------------------------------
    "set_language": Row(expect(REDIRECT)),  # a GET just goes back; the switch itself is a POST
    "healthz": Row(PUBLIC),
    "readyz": Row(PUBLIC),
    "home": Row(PUBLIC),
    "my_data_export": Row(expect(OK, anonymous=LOGIN)),
    "account_delete": Row(JOBSEEKER_ONLY),  # organisations' accounts are closed by an admin
    # --- accounts -----------------------------------------------------------------------------
    "accounts:signup": Row(expect(REDIRECT, anonymous=OK)),
    "accounts:login": Row(expect(REDIRECT, anonymous=OK)),
    "accounts:logout": Row(expect(E405)),
    "accounts:password_reset": Row(PUBLIC),
    "accounts:password_reset_done": Row(PUBLIC),
    "accounts:password_reset_confirm": Row(PUBLIC, lambda w: {"uidb64": "MQ", "token": "set-password"}),
    "accounts:password_reset_complete": Row(PUBLIC),
    "accounts:password_change": Row(SIGNED_IN),
    "accounts:password_change_done": Row(SIGNED_IN),
    "accounts:account": Row(SIGNED_IN),
    # two-factor (force_login passes it, tests/conftest.py): the verified and those without 2FA are sent on
    "accounts:two_factor_setup": Row(expect(REDIRECT, anonymous=LOGIN)),
    "accounts:two_factor_verify": Row(expect(REDIRECT, anonymous=LOGIN)),
    "accounts:employer_signup": Row(expect(REDIRECT, anonymous=OK)),
    "accounts:employer_company": Row(EMPLOYER_ONLY),
    "accounts:employer_invite": Row(EMPLOYER_ONLY),
    "accounts:employer_invite_resend": Row(
        expect(E403, anonymous=LOGIN, employers=E405), lambda w: {"pk": w.invited_a.pk}
    ),
    "accounts:employer_invitation_accept": Row(PUBLIC, lambda w: {"uidb64": "MQ", "token": "not-a-token"}),
    # --- jobseekers ---------------------------------------------------------------------------
    "candidates:profile": Row(JOBSEEKER_ONLY),
    "candidates:skills_json": Row(JOBSEEKER_ONLY, query="q=las"),
    "candidates:step": Row(JOBSEEKER_ONLY, lambda w: {"step": "home"}),
    "candidates:cv_suggestions": Row(JOBSEEKER_ONLY),
    "candidates:profile_cv": Row(JOBSEEKER_ONLY),
    "candidates:experience_add": Row(JOBSEEKER_ONLY),
    "candidates:experience_edit": Row(OWN_JOBSEEKER_OBJECT, lambda w: {"pk": experience_of_a(w).pk}),
    "candidates:experience_delete": Row(
        expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": experience_of_a(w).pk}
    ),
    "vacancies:list": Row(PUBLIC),
    "vacancies:detail": Row(PUBLIC, lambda w: {"pk": w.vacancy_a.pk}),
    "applications:list": Row(JOBSEEKER_ONLY),
    "applications:apply": Row(
        expect(E403, anonymous=LOGIN, jobseeker_a=REDIRECT, jobseeker_b=OK), lambda w: {"vacancy_pk": w.vacancy_a.pk}
    ),
    "applications:detail": Row(OWN_JOBSEEKER_OBJECT, lambda w: {"pk": w.application_a.pk}),
    "applications:withdraw": Row(expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": w.application_a.pk}),
    "applications:cv": Row(expect(E403, anonymous=LOGIN, jobseekers=E404), lambda w: {"pk": w.application_a.pk}),
    "applications:cv_replace": Row(
        expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": w.application_a.pk}
    ),
    "matching:my_matches": Row(JOBSEEKER_ONLY),
    "routes:within_reach": Row(JOBSEEKER_ONLY),
    "routes:route_respond": Row(expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": route_of_a(w).pk}),
    "routes:route_confirm": Row(expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": route_of_a(w).pk}),
    "matching:match_respond": Row(expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": w.match_a.pk}),
    "matching:how_it_works": Row(PUBLIC),
    "matching:my_match": Row(OWN_JOBSEEKER_OBJECT, lambda w: {"pk": w.match_a.pk}),
    "matching:why_not": Row(JOBSEEKER_ONLY),
    "matching:review_request_create": Row(expect(E403, anonymous=LOGIN, jobseekers=E405)),
    "alerts:list": Row(JOBSEEKER_ONLY),
    "alerts:create": Row(JOBSEEKER_ONLY),
    "alerts:edit": Row(OWN_JOBSEEKER_OBJECT, lambda w: {"pk": saved_search_of_a(w).pk}),
    "alerts:delete": Row(expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": saved_search_of_a(w).pk}),
    # The signed link of an alert mail: anyone holding it sees the confirmation (a GET changes nothing).
    "alerts:unsubscribe": Row(PUBLIC, lambda w: {"token": unsubscribe_token_of_a(w)}),
    # messages and interviews (conversations): the application's participants; others 404
    "conversations:jobseeker_inbox": Row(JOBSEEKER_ONLY),
    "conversations:jobseeker_thread": Row(OWN_JOBSEEKER_OBJECT, lambda w: {"pk": w.application_a.pk}),
    "conversations:jobseeker_interview_answer": Row(
        expect(E403, anonymous=LOGIN, jobseekers=E405), interview_kwargs(planned=False)
    ),
    "conversations:jobseeker_interview_ics": Row(OWN_JOBSEEKER_OBJECT, interview_kwargs(planned=True)),
    "conversations:employer_inbox": Row(EMPLOYER_ONLY),
    "conversations:employer_thread": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": w.application_a.pk}),
    "conversations:employer_interview_propose": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": w.application_a.pk}),
    "conversations:employer_interview_ics": Row(OWN_EMPLOYER_OBJECT, interview_kwargs(planned=True)),
    "conversations:workspace_inbox": Row(CASEWORKER_ONLY),
    # Read-only for the caseworkers of the service candidate A is registered with (UWV), and admins.
    "conversations:workspace_thread": Row(
        expect(E403, anonymous=LOGIN, vdab=E404, uwv=OK, wsp=E404, admin=OK), lambda w: {"pk": w.application_a.pk}
    ),
    # invitations to apply from employers who found the jobseeker (talent/)
    "talent:invitation_list": Row(JOBSEEKER_ONLY),
    "talent:invitation_respond": Row(
        expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": invitation_of_a(w).pk}
    ),
    "talent:invitation_apply": Row(
        expect(E403, anonymous=LOGIN, jobseekers=E405), lambda w: {"pk": invitation_of_a(w).pk}
    ),
    # --- employers ----------------------------------------------------------------------------
    # the candidate search (verified employers; both are): every verified employer sees a findable card
    "talent:candidate_search": Row(EMPLOYER_ONLY),
    "talent:candidate_card": Row(EMPLOYER_ONLY, lambda w: {"pk": findable_a(w).pk}),
    "talent:candidate_profile": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": invitation_of_a(w).candidate_id}),
    "talent:employer_invitation_list": Row(EMPLOYER_ONLY),
    "vacancies:employer_vacancy_list": Row(EMPLOYER_ONLY),
    "vacancies:employer_vacancy_create": Row(EMPLOYER_ONLY),
    "vacancies:employer_vacancy_detail": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": w.vacancy_a.pk}),
    "vacancies:employer_vacancy_update": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": w.vacancy_a.pk}),
    "vacancies:employer_vacancy_action": Row(
        expect(E403, anonymous=LOGIN, employers=E405), lambda w: {"pk": w.vacancy_a.pk}
    ),
    "vacancies:employer_vacancy_import": Row(EMPLOYER_ONLY),
    "vacancies:employer_vacancy_import_job": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": import_job_of_a(w).pk}),
    "vacancies:employer_vacancy_import_template": Row(EMPLOYER_ONLY),
    "applications:employer_application_list": Row(OWN_EMPLOYER_OBJECT, lambda w: {"vacancy_pk": w.vacancy_a.pk}),
    "applications:employer_application_export": Row(OWN_EMPLOYER_OBJECT, lambda w: {"vacancy_pk": w.vacancy_a.pk}),
    "applications:employer_application_detail": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": w.application_a.pk}),
    "applications:employer_application_cv": Row(
        expect(E403, anonymous=LOGIN, employers=E404), lambda w: {"pk": w.application_a.pk}
    ),  # A sent no CV
    "matching:employer_shortlist": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": w.vacancy_a.pk}),
    "matching:employer_shortlist_export": Row(OWN_EMPLOYER_OBJECT, lambda w: {"pk": w.vacancy_a.pk}),
    "matching:employer_requirement_costs": Row(
        expect(E403, anonymous=LOGIN, employers=E405), lambda w: {"pk": w.vacancy_a.pk}
    ),  # POST only
    # --- caseworkers --------------------------------------------------------------------------
    "workspace:vacancy_review": Row(CASEWORKER_ONLY, lambda w: {"pk": w.vacancy_in_review.pk}),
    "workspace:employer_review": Row(CASEWORKER_ONLY, lambda w: {"pk": w.employer_a.pk}),
    "workspace:work_queue": Row(CASEWORKER_ONLY),
    "matching:shortlist": Row(CASEWORKER_ONLY, lambda w: {"pk": w.vacancy_a.pk}),
    "matching:rematch": Row(
        expect(E403, anonymous=LOGIN, caseworkers=E405, admin=E405), lambda w: {"pk": w.vacancy_a.pk}
    ),
    "matching:requirement_costs": Row(
        expect(E403, anonymous=LOGIN, caseworkers=E405, admin=E405), lambda w: {"pk": w.vacancy_a.pk}
    ),
    # Candidate A is UWV's, without cross-border consent: VDAB and WSP do not see the match.
    "matching:match_detail": Row(
        expect(E403, anonymous=LOGIN, vdab=E404, uwv=OK, wsp=E404, admin=OK), lambda w: {"pk": w.match_a.pk}
    ),
    # A request for human review is answered by the candidate's service (UWV for A) or an admin.
    "matching:review_request_answer": Row(
        expect(E403, anonymous=LOGIN, vdab=E404, uwv=OK, wsp=E404, admin=OK), lambda w: {"pk": w.review_request_a.pk}
    ),
    # Training routes (routes/): candidate A is UWV's without cross-border consent, so only UWV
    # and an admin may route A's near miss or match; another's route is a 404.
    "routes:route_list": Row(CASEWORKER_ONLY),
    "routes:route_advance": Row(
        expect(E403, anonymous=LOGIN, caseworkers=E405, admin=E405), lambda w: {"pk": route_of_a(w).pk}
    ),
    "routes:propose_for_near_miss": Row(
        expect(E403, anonymous=LOGIN, vdab=E404, uwv=OK, wsp=E404, admin=OK), lambda w: {"pk": near_miss_of_a(w).pk}
    ),
    "routes:propose_for_match": Row(
        expect(E403, anonymous=LOGIN, vdab=E404, uwv=OK, wsp=E404, admin=OK), lambda w: {"pk": w.match_a.pk}
    ),
    "workspace:figures": Row(CASEWORKER_ONLY),
    # The caseworker's candidate search (their service's jobseekers) and their saved candidate searches.
    "workspace:candidate_search": Row(CASEWORKER_ONLY),
    "alerts:candidate_list": Row(CASEWORKER_ONLY),
    "alerts:candidate_create": Row(CASEWORKER_ONLY),
    "alerts:candidate_edit": Row(OWN_UWV_CASEWORKER_OBJECT, lambda w: {"pk": candidate_search_of_uwv(w).pk}),
    "alerts:candidate_delete": Row(
        expect(E403, anonymous=LOGIN, caseworkers=E405, admin=E405), lambda w: {"pk": candidate_search_of_uwv(w).pk}
    ),
    "workspace:figure_csv": Row(CASEWORKER_ONLY, lambda w: {"slug": "decisions"}),
    "workspace:selection_rates": Row(CASEWORKER_ONLY),
    "workspace:selection_rates_csv": Row(CASEWORKER_ONLY),
    "workspace:rebuild": Row(ADMIN_ONLY),
    "workspace:audit_export": Row(ADMIN_ONLY),
    "workspace:rebuild_status": Row(CASEWORKER_ONLY),
    # Oversight: coordinators (none among the walk's caseworkers) and portal admins.
    "workspace:oversight": Row(expect(E403, anonymous=LOGIN, admin=OK)),
    "workspace:oversight_pause": Row(expect(E403, anonymous=LOGIN, admin=E405)),
    "workspace:oversight_resume": Row(expect(E403, anonymous=LOGIN, admin=E405), lambda w: {"pk": 1}),
    # training offers (training/): caseworkers of every service and admins
    "training:offer_list": Row(CASEWORKER_ONLY),
    "training:offer_create": Row(CASEWORKER_ONLY),
    "training:offer_import": Row(CASEWORKER_ONLY),
    "training:offer_detail": Row(CASEWORKER_ONLY, lambda w: {"pk": training_offer_of(w).pk}),
    "training:offer_update": Row(CASEWORKER_ONLY, lambda w: {"pk": training_offer_of(w).pk}),
    "training:offer_deactivate": Row(
        expect(E403, anonymous=LOGIN, caseworkers=E405, admin=E405), lambda w: {"pk": training_offer_of(w).pk}
    ),
    "matching:shortlist_add": Row(
        expect(E403, anonymous=LOGIN, caseworkers=E405, admin=E405), lambda w: {"pk": w.vacancy_a.pk}
    ),
    # --- the REST API (its own matrix with tokens and scopes: tests/api/test_permissions.py) -------
    "api:me": Row(API_SIGNED_IN),
    "api:candidate-me": Row(expect(E403, anonymous=E401, jobseekers=OK)),
    "api:candidate-consents": Row(expect(E403, anonymous=E401, jobseekers=OK)),
    "api:saved-search-list": Row(expect(E403, anonymous=E401, jobseekers=OK)),
    "api:candidate-experience-list": Row(expect(E403, anonymous=E401, jobseekers=OK)),
    "api:candidate-experience-detail": Row(
        expect(E403, anonymous=E401, jobseeker_a=OK, jobseeker_b=E404), lambda w: {"pk": experience_of_a(w).pk}
    ),
    "api:saved-search-detail": Row(
        expect(E403, anonymous=E401, jobseeker_a=OK, jobseeker_b=E404), lambda w: {"pk": saved_search_of_a(w).pk}
    ),
    "api:application-messages": Row(
        expect(E404, anonymous=E401, jobseeker_a=OK, employer_a=OK, uwv=OK, admin=OK),
        lambda w: {"pk": w.application_a.pk},
    ),
    "api:application-messages-read": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.application_a.pk}),
    "api:application-interviews": Row(
        expect(E404, anonymous=E401, jobseeker_a=OK, employer_a=OK, uwv=OK, admin=OK),
        lambda w: {"pk": w.application_a.pk},
    ),
    "api:application-interview-pick": Row(expect(DENIED, anonymous=E401), interview_kwargs(planned=False)),
    "api:application-interview-request-other": Row(expect(DENIED, anonymous=E401), interview_kwargs(planned=False)),
    "api:application-interview-ics": Row(
        expect(E403, anonymous=E401, jobseeker_a=OK, jobseeker_b=E404, employer_a=OK, employer_b=E404),
        interview_kwargs(planned=True),
    ),
    "api:talent-candidate-list": Row(expect(E403, anonymous=E401, employers=OK)),
    "api:talent-candidate-detail": Row(expect(E403, anonymous=E401, employers=OK), lambda w: {"pk": findable_a(w).pk}),
    "api:talent-invitation-list": Row(expect(E403, anonymous=E401, jobseekers=OK, employers=OK)),
    "api:talent-invitation-detail": Row(
        expect(E403, anonymous=E401, jobseeker_a=OK, jobseeker_b=E404, employer_a=OK, employer_b=E404),
        lambda w: {"pk": invitation_of_a(w).pk},
    ),
    "api:talent-invitation-accept": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": invitation_of_a(w).pk}),
    "api:talent-invitation-decline": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": invitation_of_a(w).pk}),
    "api:matching-rematch": Row(expect(DENIED, anonymous=E401)),
    "api:matching-rebuild": Row(expect(DENIED, anonymous=E401)),
    "api:matching-task": Row(
        expect(E403, anonymous=E401, caseworkers=E404, admin=E404), lambda w: {"task_id": "no-such-task"}
    ),
    "api:matching-figure": Row(expect(E403, anonymous=E401, caseworkers=OK, admin=OK), lambda w: {"slug": "decisions"}),
    "api:feed-rss": Row(API_PUBLIC),
    "api:feed-atom": Row(API_PUBLIC),
    "api:feed-json": Row(API_PUBLIC),
    "api:occupation-list": Row(API_PUBLIC),
    "api:occupation-detail": Row(API_PUBLIC, lambda w: {"pk": w.vacancy_a.occupation_id}),
    "api:skill-list": Row(API_PUBLIC),
    "api:occupation-autocomplete": Row(API_PUBLIC),  # reference data: public like the list
    "api:skill-autocomplete": Row(API_PUBLIC),
    "api:skill-detail": Row(API_PUBLIC, lambda w: {"pk": w.skill_id}),
    "api:place-list": Row(API_PUBLIC),
    "api:place-detail": Row(API_PUBLIC, lambda w: {"pk": w.vacancy_a.place_id}),
    "api:training-offer-list": Row(API_PUBLIC),
    "api:training-offer-detail": Row(API_PUBLIC, lambda w: {"pk": training_offer_of(w).pk}),
    "api:diploma-list": Row(API_PUBLIC),
    "api:diploma-detail": Row(API_PUBLIC, lambda w: {"pk": w.diploma_id}),
    "api:isco-group-list": Row(API_PUBLIC),
    "api:isco-group-detail": Row(API_PUBLIC, lambda w: {"pk": w.vacancy_a.occupation.isco_group_id}),
    "api:study-field-list": Row(API_PUBLIC),
    "api:study-field-detail": Row(API_PUBLIC, lambda w: {"pk": w.study_field_id}),
    "api:vacancy-list": Row(API_PUBLIC),
    "api:vacancy-import-template": Row(API_PUBLIC),  # an empty CSV template, no data
    "api:vacancy-import-vacancies": Row(expect(DENIED, anonymous=E401)),
    "api:vacancy-import-job": Row(
        expect(E403, anonymous=E401, employer_a=OK, employer_b=E404), lambda w: {"job_id": import_job_of_a(w).pk}
    ),
    "api:vacancy-mine": Row(expect(E403, anonymous=E401, employers=OK)),
    "api:vacancy-moderation": Row(expect(E403, anonymous=E401, caseworkers=OK, admin=OK)),
    "api:vacancy-detail": Row(API_PUBLIC, lambda w: {"pk": w.vacancy_a.pk}),
    "api:vacancy-jobposting": Row(API_PUBLIC, lambda w: {"pk": w.vacancy_a.pk}),
    "api:vacancy-moderate": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.vacancy_in_review.pk}),
    "api:vacancy-set-status": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.vacancy_a.pk}),
    "api:vacancy-submit": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.vacancy_a.pk}),
    "api:application-list": Row(expect(E403, anonymous=E401, jobseekers=OK, employers=OK)),
    "api:application-export": Row(expect(E403, anonymous=E401, employers=OK)),
    "api:application-detail": Row(
        expect(E403, anonymous=E401, jobseeker_a=OK, jobseeker_b=E404, employer_a=OK, employer_b=E404),
        lambda w: {"pk": w.application_a.pk},
    ),
    "api:application-stage": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.application_a.pk}),
    "api:application-withdraw": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.application_a.pk}),
    "api:match-list": Row(expect(E403, anonymous=E401, jobseekers=OK, employers=OK, caseworkers=OK, admin=OK)),
    "api:match-decisions": Row(expect(DENIED, anonymous=E401)),
    "api:match-export": Row(expect(E403, anonymous=E401, employers=OK, caseworkers=OK, admin=OK)),
    "api:match-detail": Row(
        expect(E404, anonymous=E401, jobseeker_a=OK, employer_a=OK, uwv=OK, admin=OK), lambda w: {"pk": w.match_a.pk}
    ),
    "api:match-decision": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.match_a.pk}),
    # Near misses: never shared with employers; a caseworker sees those a match would show them.
    "api:near-miss-list": Row(expect(E403, anonymous=E401, jobseekers=OK, caseworkers=OK, admin=OK)),
    "api:near-miss-detail": Row(
        expect(E404, anonymous=E401, employers=E403, jobseeker_a=OK, uwv=OK, admin=OK),
        lambda w: {"pk": near_miss_of_a(w).pk},
    ),
    "api:match-response": Row(expect(DENIED, anonymous=E401), lambda w: {"pk": w.match_a.pk}),
    "api:schema": Row(API_PUBLIC),
    "api:docs": Row(API_PUBLIC),
    "api:redoc": Row(API_PUBLIC),
    "api:?": Row(expect(E404), lambda w: {}, query=""),  # the catch-all: /api/anything -> JSON 404
}


# Changes another user might try: (url name, kwargs, data, roles that must be refused, expected).
WRITES = [
    (  # the requirement panel's "compute again": A's employer (and caseworkers on their page) only
        "matching:employer_requirement_costs",
        lambda w: {"pk": w.vacancy_a.pk},
        {},
        expect(E403, anonymous=LOGIN, employer_b=E404),
        ("employer_a",),
    ),
    (
        "candidates:experience_edit",
        lambda w: {"pk": experience_of_a(w).pk},
        {"employer_name": "Gekaapt", "country": "NL", "started_on": "2019-03"},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "candidates:experience_delete",
        lambda w: {"pk": experience_of_a(w).pk},
        {},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "conversations:jobseeker_thread",
        lambda w: {"pk": w.application_a.pk},
        {"body": "Gekaapt"},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "conversations:employer_thread",
        lambda w: {"pk": w.application_a.pk},
        {"body": "Gekaapt"},
        expect(E403, anonymous=LOGIN, employer_b=E404),
        ("employer_a",),
    ),
    (
        "conversations:workspace_thread",
        lambda w: {"pk": w.application_a.pk},
        {"body": "Meelezen is geen meeschrijven"},
        expect(E403, anonymous=LOGIN, caseworkers=E405, admin=E405),
        (),
    ),
    (
        "conversations:employer_interview_propose",
        lambda w: {"pk": w.application_a.pk},
        {"contact_person": "X", "duration_minutes": 30, "slot1_date": "2030-01-02", "slot1_time": "10:00"},
        expect(E403, anonymous=LOGIN, employer_b=E404),
        ("employer_a",),
    ),
    (
        "conversations:jobseeker_interview_answer",
        interview_kwargs(planned=False),
        {"action": "other", "note": "Niet van jou"},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "talent:invitation_respond",
        lambda w: {"pk": invitation_of_a(w).pk},
        {"answer": "decline"},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "vacancies:employer_vacancy_action",
        lambda w: {"pk": w.vacancy_a.pk},
        {"intent": "close"},
        expect(E403, anonymous=LOGIN, employer_b=E404),
        ("employer_a",),
    ),
    (
        "vacancies:employer_vacancy_update",
        lambda w: {"pk": w.vacancy_a.pk},
        {"title": "Gekaapt"},
        expect(E403, anonymous=LOGIN, employer_b=E404),
        ("employer_a",),
    ),
    (
        "applications:employer_application_detail",
        lambda w: {"pk": w.application_a.pk},
        {"status": "rejected"},
        expect(E403, anonymous=LOGIN, employer_b=E404),
        ("employer_a",),
    ),
    (
        "applications:withdraw",
        lambda w: {"pk": w.application_a.pk},
        {},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "matching:match_respond",
        lambda w: {"pk": w.match_a.pk},
        {"answer": "decline"},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "matching:match_detail",
        lambda w: {"pk": w.match_a.pk},
        {"decision": "rejected", "reason": "skills"},
        expect(E403, anonymous=LOGIN, vdab=E404, wsp=E404),
        ("uwv", "admin"),
    ),
    (
        "matching:shortlist",
        lambda w: {"pk": w.vacancy_a.pk},
        {"selected": ["MATCH"], "decision": "rejected", "reason": "skills"},
        expect(E403, anonymous=LOGIN, vdab=OK, wsp=OK),
        ("uwv", "admin"),
    ),  # a form error: not theirs to decide
    ("workspace:rebuild", lambda w: {}, {}, expect(E403, anonymous=LOGIN), ("admin",)),
    (
        "workspace:oversight_pause",
        lambda w: {},
        {"scope": "portal", "reason": "x"},
        expect(E403, anonymous=LOGIN),
        ("admin",),
    ),  # only a coordinator or an admin pauses matching
    (
        "matching:review_request_answer",
        lambda w: {"pk": w.review_request_a.pk},
        {"answer": "Not yours to answer"},
        expect(E403, anonymous=LOGIN, vdab=E404, wsp=E404),
        ("uwv", "admin"),
    ),
    (
        "matching:review_request_create",
        lambda w: {},
        {"match": ["MATCH"], "text": "Contest A's match"},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "accounts:employer_invite_resend",
        lambda w: {"pk": w.invited_a.pk},
        {},
        expect(E403, anonymous=LOGIN, employer_b=E404),
        ("employer_a",),
    ),
    (
        "workspace:vacancy_review",
        lambda w: {"pk": w.vacancy_in_review.pk},
        {"decision": "approve"},
        expect(E403, anonymous=LOGIN),  # VDAB too: a Dutch company is UWV's and WSP's (accounts.roles)
        ("uwv", "wsp", "admin"),
    ),
    (
        "workspace:employer_review",
        lambda w: {"pk": w.employer_unverified.pk},
        {"confirm": "on"},
        expect(E403, anonymous=LOGIN),  # VDAB too: a Dutch company is UWV's and WSP's (accounts.roles)
        ("uwv", "wsp", "admin"),
    ),
    (
        "routes:route_respond",
        lambda w: {"pk": route_of_a(w).pk},
        {"answer": "decline"},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "routes:route_confirm",
        lambda w: {"pk": route_of_a(w).pk},
        {},
        expect(E403, anonymous=LOGIN, jobseeker_b=E404),
        ("jobseeker_a",),
    ),
    (
        "routes:route_advance",
        lambda w: {"pk": route_of_a(w).pk},
        {"stage": "dropped"},
        expect(E403, anonymous=LOGIN, vdab=E404, wsp=E404),
        ("uwv", "admin"),
    ),
    (
        "routes:propose_for_near_miss",
        lambda w: {"pk": near_miss_of_a(w).pk},
        {"offer": "1"},
        expect(E403, anonymous=LOGIN, vdab=E404, wsp=E404),
        ("uwv", "admin"),
    ),
]


class World:
    """A's objects, B's objects, and one user per role."""

    def __init__(self):
        from taxonomy.models import Diploma, Skill, StudyField

        self.employer_a = EmployerFactory(legal_name="A B.V.", is_verified=True)
        self.employer_unverified = EmployerFactory(is_verified=False)
        self.vacancy_a = published_vacancy(employer=self.employer_a, place=place("Terneuzen"))
        self.vacancy_in_review = published_vacancy(
            employer=self.employer_unverified, status=VacancyStatus.IN_REVIEW, published_at=None
        )
        self.candidate_a = candidate_with_profile(service_code="uwv", cross_border=False)
        self.candidate_b = candidate_with_profile(service_code="vdab", home="Zelzate", country="BE")
        self.application_a = make_application(vacancy=self.vacancy_a, candidate=self.candidate_a)
        self.match_a = make_match(
            vacancy=self.vacancy_a,
            candidate=self.candidate_a,
            review_status=ReviewStatus.APPROVED,
            reviewed_at=timezone.now(),
            candidate_response=CandidateResponse.ACCEPTED,
            responded_at=timezone.now(),
        )
        self.skill_id = Skill.objects.order_by("pk").values_list("pk", flat=True).first()
        self.diploma_id = Diploma.objects.order_by("pk").values_list("pk", flat=True).first()
        self.study_field_id = StudyField.objects.order_by("pk").values_list("pk", flat=True).first()
        self.invited_a = invited_colleague(employer=self.employer_a)
        self.review_request_a = ReviewRequest.objects.create(
            candidate=self.candidate_a,
            requested_by=self.candidate_a.user,
            kind=ReviewRequestKind.EXCLUSION,
            filter_reason="commute_too_far",
            text="Please look again",
        )
        self.users = {
            "anonymous": None,
            "jobseeker_a": self.candidate_a.user,
            "jobseeker_b": self.candidate_b.user,
            "employer_a": EmployerUserFactory(employer=self.employer_a),
            "employer_b": EmployerUserFactory(employer=EmployerFactory(is_verified=True)),
            "vdab": CaseworkerFactory(employment_service=service("vdab")),
            "uwv": CaseworkerFactory(employment_service=service("uwv")),
            "wsp": CaseworkerFactory(employment_service=service("wsp-zvl")),
            "admin": UserFactory(role="admin", is_staff=True, is_superuser=True),
        }

    def snapshot(self) -> tuple:
        vacancy = Vacancy.objects.get(pk=self.vacancy_a.pk)
        match = Match.objects.get(pk=self.match_a.pk)
        application = self.application_a.__class__.objects.get(pk=self.application_a.pk)
        review_requests = tuple(ReviewRequest.objects.order_by("pk").values_list("pk", "status", "answer"))
        return (
            vacancy.status,
            vacancy.title,
            match.review_status,
            match.candidate_response,
            application.status,
            review_requests,
        )


def url_patterns(patterns=None, prefix: str = "", namespace: str | None = None):
    """(name, pattern) for every URL of the portal."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.urlconf_module is legacy_urls:
            continue  # old addresses, redirects only: tests/test_legacy_urls.py
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern):
            name = pattern.name or "?"
            yield (f"{namespace}:{name}" if namespace else name), prefix + str(pattern.pattern)


def outcome(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/accounts/login/" in location or "/admin/login/" in location:
            return LOGIN
        return REDIRECT
    return str(response.status_code)


def matches(got: str, expected: str) -> bool:
    if expected == DENIED:
        return got in (E401, E403, E404, E405)
    return got == expected


def build_url(name: str, row: Row, world: World) -> str:
    if name == "api:?":
        return "/api/v1/nothing-here"
    kwargs = row.kwargs(world) if row.kwargs else {}
    url = reverse(name, kwargs=kwargs or None)
    return f"{url}?{row.query}" if row.query else url


@pytest.fixture
def world(db):
    return World()


def test_every_url_has_a_row():
    names = {name for name, _ in url_patterns() if not name.startswith("admin:")}
    assert sorted(names - set(EXPECTED)) == [], "add these URLs to EXPECTED"
    assert sorted(set(EXPECTED) - names) == [], "these rows no longer have a URL"


def test_every_role_gets_what_the_table_says(client, world):
    wrong = []
    for name, _pattern in url_patterns():
        if name.startswith("admin:"):
            continue
        row = EXPECTED[name]
        url = build_url(name, row, world)
        for role in ROLES:
            client.logout()
            user = world.users[role]
            if user is not None:
                client.force_login(user)
            got = outcome(client.get(url))
            if not matches(got, row.expected[role]):
                wrong.append(f"{name} {url} as {role}: got {got}, expected {row.expected[role]}")
    assert not wrong, "\n" + "\n".join(wrong)


def test_nobody_changes_what_is_not_theirs(client, world):
    before = world.snapshot()
    wrong = []
    for name, kwargs, data, expected, owners in WRITES:
        url = reverse(name, kwargs=kwargs(world) or None)
        payload = {k: ([world.match_a.pk] if v == ["MATCH"] else v) for k, v in data.items()}
        for role in ROLES:
            if role in owners:
                continue
            client.logout()
            if world.users[role] is not None:
                client.force_login(world.users[role])
            got = outcome(client.post(url, payload))
            if got != expected[role]:
                wrong.append(f"POST {name} as {role}: got {got}, expected {expected[role]}")
    assert not wrong, "\n" + "\n".join(wrong)
    assert world.snapshot() == before
    from candidates.models import Experience

    assert list(Experience.objects.values_list("candidate_id", "employer_name")) == [
        (world.candidate_a.pk, "A's employer")  # neither changed nor deleted by another
    ]
    assert Vacancy.objects.get(pk=world.vacancy_in_review.pk).status == VacancyStatus.IN_REVIEW
    world.employer_unverified.refresh_from_db()
    assert not world.employer_unverified.is_verified
    assert world.application_a.__class__.objects.get(pk=world.application_a.pk).status == ApplicationStatus.RECEIVED
    from talent.models import CandidateInvitation

    assert list(CandidateInvitation.objects.values_list("status", flat=True)) == ["accepted"]
    from conversations.models import InterviewProposal, Message

    assert not Message.objects.exists()
    assert not InterviewProposal.objects.exclude(status="proposed").exclude(contact_person="Els").exists()
    from routes.models import TrainingRoute

    # A's route is still only proposed, and nobody proposed a second one.
    assert list(TrainingRoute.objects.values_list("stage", flat=True)) == ["proposed"]


def test_only_a_portal_admin_gets_into_the_django_admin(client, world):
    """Every admin URL: everyone but the portal admin is sent to the admin login; the admin gets in."""
    from django.apps import apps

    wrong = []
    for name, pattern in url_patterns():
        if not name.startswith("admin:"):
            continue
        kwargs = {}
        if name == "admin:?" and "(?P<url>" not in pattern:
            continue  # a model's unnamed "<id>/" redirect to its change page, checked as such
        if "content_type_id>" in pattern:
            continue  # view_on_site: a redirect to the object's own page, which is checked above
        if "<path:object_id>" in pattern:
            app_label, model_name = _model_of(name)
            model = apps.get_model(app_label, model_name)
            obj = model.objects.order_by("pk").first()
            if obj is None:
                continue
            kwargs["object_id"] = str(obj.pk)
        if "(?P<app_label>" in pattern:
            kwargs["app_label"] = "matching"
        if "<id>" in pattern:
            kwargs["id"] = str(world.users["employer_a"].pk)
        url = "/admin/no-such-page/" if name == "admin:?" else reverse(name, kwargs=kwargs or None)
        for identity in ROLES:
            client.logout()
            if world.users[identity] is not None:
                client.force_login(world.users[identity])
            got = outcome(client.get(url))
            if identity == "admin":
                # In, never an error page; a 403 only where the admin itself disables an action
                # (e.g. "add" on the axes logs or the single MatchingWeights row).
                if got == LOGIN or got.startswith("5") or (got == E403 and not _disabled_in_admin(name)):
                    wrong.append(f"{name} as admin: {got}")
            elif name not in ("admin:login", "admin:logout") and got != LOGIN:
                wrong.append(f"{name} as {identity}: got {got}, expected the admin login")
    assert not wrong, "\n" + "\n".join(wrong)


def _disabled_in_admin(name: str) -> bool:
    """True for admin URLs whose ModelAdmin refuses the action to everyone (or that need parameters)."""
    from django.apps import apps
    from django.contrib import admin
    from django.test import RequestFactory

    if name == "admin:autocomplete":
        return True  # needs app_label/model_name/field_name: a 403 without them
    action = name.rsplit("_", 1)[1]
    if action not in ("add", "change", "delete"):
        return False
    model = apps.get_model(*_model_of(name))
    request = RequestFactory().get("/")
    request.user = type(
        "Superuser",
        (),
        {"is_active": True, "is_staff": True, "is_superuser": True, "has_perm": lambda self, perm, obj=None: True},
    )()
    model_admin = admin.site._registry[model]
    return not getattr(model_admin, f"has_{action}_permission")(request)


def _model_of(name: str) -> tuple[str, str]:
    from django.apps import apps

    stem = name.split(":", 1)[1].rsplit("_", 1)[0]  # e.g. "matching_match"
    for model in apps.get_models():
        if f"{model._meta.app_label}_{model._meta.model_name}" == stem:
            return model._meta.app_label, model._meta.model_name
    raise LookupError(name)

"""axe-core over every page type of the employer and caseworker journeys, in Dutch and English:
no serious or critical violations (forms with errors included)."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from matching.models import CandidateResponse, MatchDecision, RebuildRun, RebuildStatus, ReviewStatus
from tests.browser.conftest import DESKTOP, PASSWORD, SERIOUS, enter_totp_code
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, place, service
from tests.workspace_helpers import candidate_with_profile, make_application, make_match, published_vacancy
from vacancies.models import VacancyStatus

pytestmark = [pytest.mark.browser]


def serious_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        {
            "page": page.url,
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [node["target"] for node in v["nodes"]][:5],
        }
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def open_as(browser, live_url, email: str | None):
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    if email:
        page.goto(live_url("accounts:login"))
        page.fill("#id_username", email)
        page.fill("#id_password", PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        assert "/accounts/login/" not in page.url
        if "/accounts/two-factor/verify/" in page.url:  # caseworkers and admins: the authenticator code
            enter_totp_code(page, email)
    return context, page


@pytest.fixture
def world(reference_data):
    employer = EmployerFactory(legal_name="Terneuzen Tanks B.V.", is_verified=True)
    boss = EmployerUserFactory(employer=employer, email="boss@tanks.example")
    invited = EmployerUserFactory(employer=employer, email="new@tanks.example")
    invited.set_unusable_password()
    invited.save()
    vacancy = published_vacancy(employer=employer, title="Onderhoudsmonteur", place=place("Terneuzen"))
    uwv = CaseworkerFactory(email="cw@uwv.example", employment_service=service("uwv"))
    shared = make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(first_name="Gedeelde"),
        score=0.9,
        review_status=ReviewStatus.APPROVED,
        reviewer=uwv,
        reviewed_at=timezone.now(),
        candidate_response=CandidateResponse.ACCEPTED,
        responded_at=timezone.now(),
    )
    MatchDecision.objects.create(match=shared, decision="approved", reviewer=uwv, reviewer_service="uwv")
    make_match(vacancy=vacancy, candidate=candidate_with_profile(first_name="Voorgestelde"), score=0.7)
    make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(first_name="Gemarkeerde"),
        score=0.6,
        review_status=ReviewStatus.APPROVED,
        is_flagged=True,
        flag_reasons=["commute_too_far"],
        reviewer=uwv,
        reviewed_at=timezone.now(),
    )
    make_match(
        vacancy=vacancy,
        candidate=candidate_with_profile(
            first_name="Vlaamse", service_code="vdab", cross_border=True, home="Zelzate", country="BE"
        ),
        score=0.65,
    )
    application = make_application(vacancy=vacancy, candidate=shared.candidate)
    unverified = EmployerFactory(is_verified=False, legal_name="Nieuwkomer B.V.")
    in_review = published_vacancy(
        employer=unverified, status=VacancyStatus.IN_REVIEW, published_at=None, title="Lasser in review"
    )
    admin = UserFactory(email="admin@nsp.example", role="admin", is_staff=True, is_superuser=True)
    RebuildRun.objects.create(status=RebuildStatus.RUNNING, chunks_total=4, chunks_done=1)
    token = default_token_generator.make_token(invited)
    uid = urlsafe_base64_encode(force_bytes(invited.pk))
    from alerts.services import candidate_search_create

    candidate_search = candidate_search_create(
        owner=uwv, name="Monteurs", query="min_eqf_level=4", frequency="weekly", language="nl"
    )
    return {
        "candidate_search": candidate_search,
        "boss": boss,
        "vacancy": vacancy,
        "match": shared,
        "application": application,
        "uwv": uwv,
        "unverified": unverified,
        "in_review": in_review,
        "admin": admin,
        "invite": (uid, token),
    }


@pytest.mark.parametrize("language", ["nl", "en"])
def test_employer_and_caseworker_pages_have_no_serious_violations(browser, live_url, world, language):
    w = world
    vacancy_pk = w["vacancy"].pk
    violations: list[dict] = []

    def check(page, name: str, **kwargs) -> None:
        page.goto(live_url(name, language, **kwargs))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == language
        violations.extend(serious_violations(page))

    def submit_first_form(page) -> None:
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_load_state("networkidle")
        assert page.locator(".error-summary").count() == 1, page.url
        violations.extend(serious_violations(page))

    # Anonymous: the registration (empty and with errors) and the invitation link.
    context, page = open_as(browser, live_url, None)
    check(page, "accounts:employer_signup")
    submit_first_form(page)
    uid, token = w["invite"]
    check(page, "accounts:employer_invitation_accept", uidb64=uid, token=token)
    check(page, "accounts:employer_invitation_accept", uidb64="x", token="y")
    context.close()

    # The employer.
    context, page = open_as(browser, live_url, w["boss"].email)
    check(page, "vacancies:employer_vacancy_list")
    check(page, "vacancies:employer_vacancy_create")
    submit_first_form(page)
    check(page, "vacancies:employer_vacancy_detail", pk=vacancy_pk)
    check(page, "vacancies:employer_vacancy_update", pk=vacancy_pk)
    check(page, "applications:employer_application_list", vacancy_pk=vacancy_pk)
    check(page, "applications:employer_application_detail", pk=w["application"].pk)
    check(page, "matching:employer_shortlist", pk=vacancy_pk)
    check(page, "accounts:employer_company")
    check(page, "accounts:employer_invite")
    submit_first_form(page)
    context.close()

    # The caseworker.
    context, page = open_as(browser, live_url, w["uwv"].email)
    check(page, "workspace:work_queue")
    check(page, "matching:shortlist", pk=vacancy_pk)
    page.locator("input[name=decision][value=rejected]").check()
    page.locator("fieldset.decision-panel button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".error-summary").count() == 1
    violations.extend(serious_violations(page))
    check(page, "matching:match_detail", pk=w["match"].pk)
    check(page, "workspace:vacancy_review", pk=w["in_review"].pk)
    submit_first_form(page)
    check(page, "workspace:employer_review", pk=w["unverified"].pk)
    check(page, "workspace:figures")
    # The candidate search of the caseworker's service and the saved candidate searches.
    check(page, "workspace:candidate_search")
    check(page, "alerts:candidate_create")
    page.fill("#id_name", "")
    submit_first_form(page)
    check(page, "alerts:candidate_list")
    check(page, "alerts:candidate_edit", pk=w["candidate_search"].pk)
    context.close()

    # The portal admin: rebuild with its progress bar.
    context, page = open_as(browser, live_url, w["admin"].email)
    check(page, "workspace:rebuild")
    context.close()

    assert violations == []

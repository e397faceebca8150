"""A contest reaches the queue and its answer the jobseeker (AI Act Art. 86), in real Chromium:

a UWV caseworker rejected Sanne's match → Sanne reads the explanation of that match and asks for
a human review → a UWV caseworker finds the request in the work queue with the logged context and
answers → the answer is mailed to Sanne (once) and shown on her pages. A VDAB caseworker does not
see the request. The public page "how matching works" and the jobseeker's pages pass axe-core.
"""

import pytest
from django.core import mail
from django.utils import timezone

from matching.models import MatchDecision, ReviewRequest, ReviewRequestStatus, ReviewStatus
from tests.browser.conftest import DESKTOP, PASSWORD, enter_totp_code, screenshot_dir
from tests.factories import CaseworkerFactory, service
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy

pytestmark = [pytest.mark.browser]

CONTEST = "I have a forklift certificate that is not in my profile."
ANSWER = "Thank you: I approved you after all, the employer will be asked."


def wait(page) -> None:
    page.wait_for_load_state("networkidle")


def log_in(page, live_url, email: str, language: str = "en") -> None:
    page.goto(live_url("accounts:login", language))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    wait(page)
    assert "/accounts/login/" not in page.url
    if "/accounts/two-factor/verify/" in page.url:  # caseworkers and admins: the authenticator code
        enter_totp_code(page, email)


def shot(page, name: str) -> None:
    page.screenshot(path=str(screenshot_dir() / f"{name}.png"), full_page=True)


def test_a_contest_reaches_the_queue_and_its_answer_the_jobseeker(
    page, browser, live_url, axe_check, screenshot, reference_data
):
    sanne = candidate_with_profile(service_code="uwv", first_name="Sanne", last_name="Kandidaat", language="en")
    uwv = CaseworkerFactory(first_name="Ria", last_name="Kok", employment_service=service("uwv"))
    vdab = CaseworkerFactory(employment_service=service("vdab"))
    vacancy = published_vacancy(title="Heftruckchauffeur Terneuzen")
    match = make_match(
        vacancy=vacancy,
        candidate=sanne,
        review_status=ReviewStatus.REJECTED,
        reason="skills",
        note="Internal: the employer wants a certificate",
        reviewer=uwv,
        reviewed_at=timezone.now(),
        rank=2,
    )
    MatchDecision.objects.create(
        match=match, decision=ReviewStatus.REJECTED, reviewer=uwv, reviewer_service="uwv", reason="skills"
    )

    # 0. The public page, without logging in.
    page.goto(live_url("matching:how_it_works", "en"))
    assert page.locator("#weights tbody tr").count() == 7
    assert axe_check() == []
    screenshot("transparency-01-how-it-works")

    # 1. The jobseeker reads why, without the caseworker's note, and contests the rejection.
    log_in(page, live_url, sanne.user.email)
    page.goto(live_url("matching:why_not", "en"))
    assert "Heftruckchauffeur Terneuzen" in page.inner_text("main")
    assert axe_check() == []
    page.locator(f"main a[href$='/matching/mine/{match.pk}/']").click()
    wait(page)
    text = page.inner_text("main")
    assert "Skills do not fit" in text
    assert "Internal" not in text
    assert axe_check() == []
    page.fill("textarea[name=text]", CONTEST)
    page.locator("form.contest-form button[type=submit]").click()
    wait(page)
    request = ReviewRequest.objects.get()
    assert (request.match_id, request.status, request.text) == (match.pk, ReviewRequestStatus.OPEN, CONTEST)
    assert request.context["rank"] == 2
    assert request.context["reviewer_service"] == "uwv"
    assert page.locator("form.contest-form").count() == 0  # one open request at a time
    assert CONTEST in page.inner_text("main")
    screenshot("transparency-02-contested")

    # 2. Another service's caseworker does not see it.
    other_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    other = other_context.new_page()
    log_in(other, live_url, vdab.email, "nl")
    other.goto(live_url("workspace:work_queue", "nl"))
    assert "Sanne" not in other.inner_text("main")
    other_context.close()

    # 3. The candidate's service finds it in the work queue, with the logged context, and answers.
    cw_context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    cw = cw_context.new_page()
    log_in(cw, live_url, uwv.email, "nl")
    cw.goto(live_url("workspace:work_queue", "nl"))
    assert "Sanne Kandidaat" in cw.inner_text("#review-requests-heading + .table-wrap")
    shot(cw, "transparency-03-work-queue")
    cw.locator(f"main a[href$='/workspace/review-requests/{request.pk}/']").click()
    wait(cw)
    text = cw.inner_text("main")
    assert CONTEST in text
    assert "80%" in text  # the score logged with the request
    cw.fill("#id_answer", ANSWER)
    cw.locator("main form button[type=submit]").click()
    wait(cw)
    request.refresh_from_db()
    assert (request.status, request.answer, request.answered_by) == (ReviewRequestStatus.ANSWERED, ANSWER, uwv)
    cw_context.close()

    # 4. The answer reaches the jobseeker: one mail, and on her pages.
    answers = [m for m in mail.outbox if m.to == [sanne.user.email] and ANSWER in m.body]
    assert len(answers) == 1
    page.goto(live_url("matching:my_match", "en", pk=match.pk))
    assert ANSWER in page.inner_text("main")
    page.goto(live_url("matching:why_not", "en"))
    assert ANSWER in page.inner_text("main")
    screenshot("transparency-04-answered")

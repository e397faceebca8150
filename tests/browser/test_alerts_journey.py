"""Job alerts end to end: a jobseeker saves a search in Chromium, an employer's matching vacancy
is published, a REAL Celery worker with embedded beat sends the alert through the mail outbox;
the jobseeker unsubscribes from the mail's link (signed out), and the next vacancy sends nothing.

The mail is captured as the outbox row the worker marked sent (its body and headers are what
went to the mail server; the worker's test settings keep the SMTP side in memory).
"""

import re

import pytest

from accounts.models import OutgoingEmail
from alerts.models import SavedSearch
from tests.factories import CandidateFactory, EmployerFactory
from tests.matching.worker_support import RedisServer, Worker, wait_for
from vacancies.services import vacancy_create, vacancy_submit

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


def publish(employer, title: str, description: str = "Ploegendienst in de Kanaalzone."):
    """An employer's vacancy, published as today (a verified employer's submit publishes it)."""
    from tests.factories import VacancyFactory

    draft = VacancyFactory.build(employer=employer)
    vacancy = vacancy_create(
        employer=employer,
        title=title,
        description=description,
        occupation=draft.occupation,
        place=draft.place,
        contract_type=draft.contract_type,
        hours_per_week=38,
    )
    return vacancy_submit(vacancy=vacancy)


def alert_mails():
    return OutgoingEmail.objects.filter(key__startswith="saved-search-alert:")


def _runs(worker: Worker) -> int:
    text = worker.log_path.read_text(errors="replace")
    return len(re.findall(r"Task alerts\.tasks\.send_alerts\[[^\]]+\] succeeded", text))


def test_a_saved_search_alerts_a_new_vacancy_once_and_unsubscribes_in_one_click(
    page, live_server, live_url, login, axe_check, screenshot, reference_data, redis_server
):
    candidate = CandidateFactory(user__email="alert@example.test", user__first_name="Noor")
    employer = EmployerFactory(is_verified=True)

    # The jobseeker searches and saves the search, to be alerted immediately.
    login("alert@example.test")
    page.goto(live_url("vacancies:list"))
    page.fill("#id_q", "lasser")
    page.locator("form.filters button[type=submit]").click()
    page.get_by_role("link", name="Deze zoekopdracht bewaren").click()
    page.fill("#id_name", "Lassen")
    page.get_by_label("Direct").check()
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="Lassen").first.is_visible()
    assert axe_check() == []
    screenshot("alerts-list")
    saved = SavedSearch.objects.get(owner=candidate.user)
    assert "q=lasser" in saved.query
    assert saved.frequency == "immediately"

    worker = Worker(redis_server.url, ALERTS_IMMEDIATE_SECONDS="1", PORTAL_BASE_URL=live_server.url).start()
    try:
        vacancy = publish(employer, "Lasser TIG")
        publish(employer, "Heftruckchauffeur")  # no match
        mail = wait_for(
            lambda: alert_mails().filter(sent_at__isnull=False).first(),
            60,
            message=f"the alert to be sent\n{worker.output()}",
        )
        assert mail.to == "alert@example.test"
        assert "Lasser TIG" in mail.body
        assert "Heftruckchauffeur" not in mail.body
        assert f"{live_server.url}/vacancies/{vacancy.pk}/" in mail.body
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = re.search(r"<(.+)>", mail.headers["List-Unsubscribe"]).group(1)
        assert link in mail.body

        # Signed out (another browser would be the same): the link from the mail, one click.
        page.context.clear_cookies()
        page.goto(link)
        page.get_by_role("button", name="Afmelden").click()
        page.wait_for_load_state("networkidle")
        assert page.get_by_text("U bent afgemeld").is_visible()
        assert axe_check() == []
        saved.refresh_from_db()
        assert saved.is_active is False

        # The next matching vacancy: beat runs the alerts twice more and sends nothing.
        runs = _runs(worker)
        publish(employer, "Lasser MIG")
        wait_for(lambda: _runs(worker) >= runs + 2, 30, message=f"two more alert runs\n{worker.output()}")
    finally:
        worker.stop()
    assert alert_mails().count() == 1

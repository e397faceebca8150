"""A caseworker's saved candidate search end to end: a UWV caseworker (password and 2FA code)
searches the candidates of UWV in Chromium and saves the search to be alerted immediately; a new
matching jobseeker registers with UWV (and one with VDAB); a REAL Celery worker with embedded
beat sends the digest through the mail outbox: one new candidate counted, nobody named, links to
the workspace; the caseworker opens the link and sees the new candidate; the next run sends
nothing more (each candidate once).

The mail is captured as the outbox row the worker marked sent (as tests/browser/test_alerts_journey.py).
"""

import re

import pytest

from accounts.models import OutgoingEmail
from alerts.models import SavedSearch, SearchKind, SentAlert
from tests.factories import CaseworkerFactory, service
from tests.matching.worker_support import RedisServer, Worker, wait_for
from tests.workspace_helpers import candidate_with_profile

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


def digests():
    return OutgoingEmail.objects.filter(key__startswith="saved-search-alert:")


def _runs(worker: Worker) -> int:
    text = worker.log_path.read_text(errors="replace")
    return len(re.findall(r"Task alerts\.tasks\.send_alerts\[[^\]]+\] succeeded", text))


def test_a_caseworker_saves_a_candidate_search_and_gets_a_digest_of_the_new_candidate_once(
    page,
    live_server,
    live_url,
    login,
    axe_check,
    reference_data,
    redis_server,
):
    caseworker = CaseworkerFactory(email="els@uwv.example", first_name="Els", employment_service=service("uwv"))
    already = candidate_with_profile(service_code="uwv", first_name="Eerdere")

    # The caseworker searches UWV's candidates (diploma level 4 or more) and saves the search.
    login("els@uwv.example")
    page.goto(live_url("workspace:candidate_search"))
    page.select_option("#id_min_eqf_level", "4")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(f"Kandidaat {already.pk}", exact=True).is_visible()
    page.get_by_role("link", name="Deze kandidaatzoekopdracht bewaren").click()
    page.fill("#id_name", "Niveau 4")
    page.get_by_label("Direct").check()
    page.locator("main form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("link", name="Niveau 4").first.is_visible()
    assert axe_check() == []
    saved = SavedSearch.objects.get(owner=caseworker)
    assert (saved.kind, saved.query, saved.frequency) == (SearchKind.CANDIDATES, "min_eqf_level=4", "immediately")

    worker = Worker(redis_server.url, ALERTS_IMMEDIATE_SECONDS="1", PORTAL_BASE_URL=live_server.url).start()
    try:
        new = candidate_with_profile(service_code="uwv", first_name="Nieuwe")
        other = candidate_with_profile(service_code="vdab", first_name="Vlaamse", home="Zelzate", country="BE")
        mail = wait_for(
            lambda: digests().filter(sent_at__isnull=False).first(),
            60,
            message=f"the digest to be sent\n{worker.output()}",
        )
        assert mail.to == "els@uwv.example"
        assert mail.subject == "1 nieuwe kandidaat voor “Niveau 4”"
        for personal in ("Nieuwe", "Vlaamse", "Eerdere", new.user.email, other.user.email):
            assert personal not in mail.body
        search_link = f"{live_server.url}/workspace/candidates/?min_eqf_level=4"
        assert search_link in mail.body
        assert mail.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        unsubscribe = re.search(r"<(.+)>", mail.headers["List-Unsubscribe"]).group(1)
        assert unsubscribe in mail.body
        assert set(SentAlert.objects.filter(saved_search=saved).values_list("candidate_id", flat=True)) == {new.pk}

        # The link from the mail: the new candidate is on the workspace page, the VDAB one is not.
        page.goto(search_link)
        assert page.get_by_text(f"Kandidaat {new.pk}", exact=True).is_visible()
        assert page.get_by_text(f"Kandidaat {other.pk}", exact=True).count() == 0

        # Beat runs twice more: nothing new, nothing sent again.
        runs = _runs(worker)
        wait_for(lambda: _runs(worker) >= runs + 2, 30, message=f"two more alert runs\n{worker.output()}")
    finally:
        worker.stop()
    assert digests().count() == 1

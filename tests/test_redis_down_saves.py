"""With Redis stopped, saving a page does not wait for Celery: the broker and the result backend
fail fast, the outbox keeps the rematch, and it is sent once Redis is back.

The saves run in a fresh portal process configured only through the environment, as in
production (tests/matching/worker_support.py), against a real Redis that the test stops.
"""

import json

import pytest

from matching.models import PendingRematch
from tests.factories import CandidateFactory, place
from tests.matching.worker_support import RedisServer, run_portal_code

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SAVES = """
import json, time
from django.test import Client
from django.urls import reverse
from candidates.models import Candidate
candidate = Candidate.objects.get(pk={candidate_id})
client = Client()
client.force_login(candidate.user)
url = reverse("candidates:step", kwargs={{"step": "commute"}})
seconds, statuses = [], []
for limit in range(40, 60):
    started = time.monotonic()
    response = client.post(url, {{"modes": ["car"], "max_commute_minutes": str(limit)}})
    seconds.append(time.monotonic() - started)
    statuses.append(response.status_code)
print(json.dumps({{"seconds": seconds, "statuses": statuses}}))
"""


def test_with_redis_stopped_html_saves_do_not_wait_for_celery(reference_data):
    candidate = CandidateFactory(home_place=place("Terneuzen", "NL"))
    server = RedisServer()
    server.start()
    try:
        server.stop()
        out = json.loads(run_portal_code(SAVES.format(candidate_id=candidate.pk), server.url).splitlines()[-1])
    finally:
        server.close()
    assert out["statuses"] == [302] * 20, out["statuses"]  # every save went through
    seconds = sorted(out["seconds"])
    p95 = seconds[18]  # the 19th of 20
    # The acceptance line of the resilience issue is the p95; without the result backend's
    # fail-fast setting the first save waited ~19 s for Celery's reconnection retries, so the
    # slowest save is checked too (with room for a busy machine, far below those 19 s).
    assert p95 < 1.0, f"p95 {p95:.2f} s over 20 saves: {seconds}"
    assert seconds[-1] < 3.0, f"slowest save {seconds[-1]:.2f} s: {seconds}"
    candidate.refresh_from_db()
    assert candidate.max_commute_minutes == 59  # the last save is stored
    assert PendingRematch.objects.filter(object_id=candidate.pk).exists()  # kept for the outbox

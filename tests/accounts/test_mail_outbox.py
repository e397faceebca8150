"""The mail outbox: notifications are recorded in the event's transaction and sent by a Celery
task after commit, retried with backoff, once per event (accounts/notifications.py)."""

import base64
import json
import logging
import secrets
import time
from datetime import timedelta

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from django.conf import settings as django_settings
from django.core import mail
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail
from accounts.notifications import email_deliver, email_record, email_sweep, notify
from matching.models import ReviewStatus
from matching.notifications import notify_match_approved
from matching.services import match_decide
from tests.factories import CaseworkerFactory, EmployerFactory, EmployerUserFactory, UserFactory, place, service
from tests.matching.worker_support import RedisServer, Worker, free_port, run_portal_code, wait_for
from tests.workspace_helpers import candidate_with_profile, make_match, published_vacancy

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


# --- a real SMTP server (aiosmtpd) ---------------------------------------------------------------


class Recorder:
    """Counts connections, keeps the messages; answers 451 to the first ``refuse_first`` RCPTs."""

    def __init__(self, refuse_first: int = 0) -> None:
        self.refuse_first = refuse_first
        self.connections = 0
        self.rcpt_calls = 0
        self.messages: list[bytes] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_calls += 1
        if self.rcpt_calls <= self.refuse_first:
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope.original_content)
        return "250 Message accepted for delivery"


class CountingSMTP(SMTP):
    def connection_made(self, transport) -> None:
        self.event_handler.connections += 1
        super().connection_made(transport)


class SMTPServer(Controller):
    def __init__(self, handler: Recorder) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=free_port())

    def factory(self) -> SMTP:
        return CountingSMTP(self.handler, **self.SMTP_kwargs)


def smtp_server(handler: Recorder):
    server = SMTPServer(handler)
    server.start()
    # Controller.start() opens one connection itself to see the server answer.
    wait_for(lambda: handler.connections >= 1, 5, message="the SMTP server's own check")
    return server


@pytest.fixture
def smtp_settings(settings):
    """Point Django's SMTP backend at a fresh aiosmtpd server; yields its recorder."""
    handler = Recorder()
    server = smtp_server(handler)
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield handler
    server.stop()


def record(key: str, to: str = "someone@example.test", **fields) -> bool:
    return email_record(
        key=key,
        to=to,
        language=fields.get("language", "nl"),
        subject=fields.get("subject", "Onderwerp"),
        body=fields.get("body", "Tekst"),
        headers={"Content-Language": fields.get("language", "nl")},
    )


# --- (1) a real worker retries a refused delivery and sends it once ------------------------------

VERIFY = """
import logging, sys
logging.getLogger("accounts.notifications").addHandler(logging.StreamHandler(sys.stdout))  # a failure, in the report
from accounts.models import Employer, User
from accounts.services import employer_verify
from accounts.models import OutgoingEmail
employer_verify(employer=Employer.objects.get(pk={employer_id}), verified_by=User.objects.get(pk={caseworker_id}))
print(list(OutgoingEmail.objects.values_list("key", "to")))
"""


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.close()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_refused_delivery_and_sends_it_exactly_once(reference_data, redis_server):
    employer = EmployerFactory(is_verified=False)
    hr = EmployerUserFactory(employer=employer, email="hr@example.test", preferred_language="fr")
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    handler = Recorder(refuse_first=1)
    server = smtp_server(handler)
    worker = Worker(
        redis_server.url,
        # The production settings: mail goes through EMAIL_URL (the test settings keep it in memory).
        DJANGO_SETTINGS_MODULE="nsp_portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="localhost",
        EMAIL_URL=f"smtp://127.0.0.1:{server.port}",
        EMAIL_RETRY_BACKOFF="1",
        EMAIL_RETRY_BACKOFF_MAX="2",
    ).start()
    try:
        # The caseworker's action, in a portal process of its own: it records, the worker sends.
        recorded = run_portal_code(
            VERIFY.format(employer_id=employer.pk, caseworker_id=caseworker.pk), redis_server.url
        )
        email = wait_for(
            lambda: OutgoingEmail.objects.filter(user=hr, sent_at__isnull=False).first(),
            60,
            message=f"the mail to be sent\n{recorded}\n{worker.output()}",
        )
        time.sleep(3)  # longer than the backoff: a second delivery would have arrived by now
    finally:
        worker.stop()
        server.stop()
    assert handler.rcpt_calls == 2  # refused once, accepted on the retry
    assert len(handler.messages) == 1
    message = handler.messages[0].decode()
    assert "To: hr@example.test" in message
    assert "Content-Language: fr" in message
    assert email.attempts == 2
    assert email.last_error == ""
    assert OutgoingEmail.objects.filter(user=hr).count() == 1


# --- (2) approving 40 matches records 40 mails and talks no SMTP in the request -----------------


def queued_deliveries(client: redis.Redis) -> dict[bytes, int]:
    """The email_deliver messages waiting on the broker's default queue: raw message -> row pk."""
    found = {}
    for raw in client.lrange("celery", 0, -1):
        message = json.loads(raw)
        if message["headers"].get("task") == "accounts.tasks.email_deliver":
            args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
            found[raw] = args[0]
    return found


@pytest.mark.django_db
def test_approving_40_matches_at_once_queues_40_mails_and_opens_no_smtp_connection(
    client, settings, smtp_settings, django_capture_on_commit_callbacks
):
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    client.force_login(caseworker)
    vacancy = published_vacancy(place=place("Terneuzen"))
    matches = [make_match(vacancy=vacancy, candidate=candidate_with_profile()) for _ in range(40)]
    from nsp_portal.celery import app

    # The broker is the test Redis, with no worker on it. Celery read its configuration from the
    # Django settings once already, so the app's own conf is what must change.
    was_eager = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    broker = redis.Redis.from_url(django_settings.REDIS_URL)
    connections_before = smtp_settings.connections
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("matching:shortlist", kwargs={"pk": vacancy.pk}),
                {"selected": [m.pk for m in matches], "decision": ReviewStatus.APPROVED},
            )
        assert response.status_code == 302
        assert smtp_settings.connections == connections_before
        rows = OutgoingEmail.objects.filter(user__in=[m.candidate.user_id for m in matches])
        assert rows.count() == 40
        assert not rows.filter(sent_at__isnull=False).exists()
        assert set(rows.values_list("attempts", flat=True)) == {0}
        # Each row's delivery waits on the broker, once.
        queued = queued_deliveries(broker)
        assert sorted(pk for pk in queued.values() if pk in set(rows.values_list("pk", flat=True))) == sorted(
            rows.values_list("pk", flat=True)
        )
    finally:
        app.conf.task_always_eager = was_eager
        for raw, pk in queued_deliveries(broker).items():
            if OutgoingEmail.objects.filter(pk=pk).exists():
                broker.lrem("celery", 0, raw)
    # The task, run here, does talk to the server: the counting above could see a connection.
    assert email_deliver(pk=rows.first().pk) is True
    assert smtp_settings.connections == connections_before + 1
    assert len(smtp_settings.messages) == 1


# --- (3) once per event, once per delivery ------------------------------------------------------


@pytest.mark.django_db
def test_the_same_key_twice_is_one_row_and_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert record("test-event:1:1") is True
        assert record("test-event:1:1", subject="Anders") is False
    assert OutgoingEmail.objects.filter(key="test-event:1:1").count() == 1
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Onderwerp"]
    email = OutgoingEmail.objects.get(key="test-event:1:1")
    assert email.sent_at is not None
    assert email.attempts == 1


@pytest.mark.django_db
def test_delivering_a_sent_row_again_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record("test-event:2:1")
    email = OutgoingEmail.objects.get(key="test-event:2:1")
    sent_at = email.sent_at
    assert email_deliver(pk=email.pk) is False  # a redelivered task
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.sent_at, email.attempts) == (sent_at, 1)


@pytest.mark.django_db(transaction=True)
def test_a_row_being_sent_by_another_task_is_skipped(reference_data):
    """Two tasks for one row (a redelivery, the sweep): the second does not wait and does not send."""
    record("test-event:3:1")  # autocommit: on_commit runs at once, eager, through locmem
    email = OutgoingEmail.objects.get(key="test-event:3:1")
    OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=None, attempts=0)
    mail.outbox.clear()
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(f"SELECT id FROM {OutgoingEmail._meta.db_table} WHERE id = %s FOR UPDATE", [email.pk])
            assert email_deliver(pk=email.pk) is False
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert mail.outbox == []
    assert email_deliver(pk=email.pk) is True
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_notification_recorded_twice_for_one_approval_is_one_mail(django_capture_on_commit_callbacks):
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    match = make_match(vacancy=published_vacancy(place=place("Terneuzen")), candidate=candidate_with_profile())
    with django_capture_on_commit_callbacks(execute=True):
        match_decide(match=match, reviewer=caseworker, decision=ReviewStatus.APPROVED)
        notify(notify_match_approved, match_id=match.pk)  # e.g. a retried job
    assert [m.to for m in mail.outbox] == [[match.candidate.user.email]]
    # A later approval (after a rejection) is a new event, told again.
    with django_capture_on_commit_callbacks(execute=True):
        match_decide(match=match, reviewer=caseworker, decision=ReviewStatus.REJECTED, reason="commute")
        match_decide(match=match, reviewer=caseworker, decision=ReviewStatus.APPROVED)
    assert len(mail.outbox) == 2
    assert OutgoingEmail.objects.filter(user=match.candidate.user).count() == 2


# --- failures never break the user's action; the sweep; the admin --------------------------------


@pytest.mark.django_db
def test_a_dead_mail_server_is_recorded_not_raised(settings, django_capture_on_commit_callbacks, caplog):
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    match = make_match(vacancy=published_vacancy(place=place("Terneuzen")), candidate=candidate_with_profile())
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        match_decide(match=match, reviewer=caseworker, decision=ReviewStatus.APPROVED)
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.APPROVED
    email = OutgoingEmail.objects.get(user=match.candidate.user)
    assert email.sent_at is None
    # Eager (tests, development), Celery raises the retry instead of running it; a worker retries.
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert "Could not enqueue outgoing email" in caplog.text


@pytest.mark.django_db
def test_a_broken_notification_leaves_the_action_standing(caplog, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        record("test-event:broken:1")
        raise RuntimeError("template error")

    caseworker = CaseworkerFactory(employment_service=service("uwv"))
    match = make_match(vacancy=published_vacancy(place=place("Terneuzen")), candidate=candidate_with_profile())
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        match_decide(match=match, reviewer=caseworker, decision=ReviewStatus.APPROVED)
        notify(broken)
    match.refresh_from_db()
    assert match.review_status == ReviewStatus.APPROVED
    assert not OutgoingEmail.objects.filter(key="test-event:broken:1").exists()  # rolled back to the savepoint
    assert OutgoingEmail.objects.filter(user=match.candidate.user, sent_at__isnull=False).count() == 1
    assert "template error" in caplog.text


@pytest.mark.django_db
def test_the_sweep_enqueues_rows_whose_task_was_lost_and_forgets_old_sent_ones(settings):
    settings.EMAIL_RETRY_BACKOFF_MAX = 600
    keys = ["lost", "fresh", "retrying", "retry-lost", "given-up", "old"]
    for key in keys:  # never enqueued: the test's transaction never commits
        record(f"test-event:{key}:1", to=f"{key}@example.test")
    now = timezone.now()
    OutgoingEmail.objects.exclude(key="test-event:fresh:1").update(created_at=now - timedelta(hours=1))
    OutgoingEmail.objects.filter(key="test-event:retrying:1").update(attempts=3, tried_at=now - timedelta(minutes=9))
    OutgoingEmail.objects.filter(key="test-event:retry-lost:1").update(attempts=3, tried_at=now - timedelta(minutes=16))
    OutgoingEmail.objects.filter(key="test-event:given-up:1").update(
        attempts=settings.EMAIL_MAX_RETRIES + 1, tried_at=now - timedelta(hours=1)
    )
    OutgoingEmail.objects.filter(key="test-event:old:1").update(
        created_at=now - timedelta(days=40), sent_at=now - timedelta(days=40), attempts=1
    )
    assert email_sweep() == 2  # eager: enqueued and sent through locmem at once
    assert sorted(m.to[0] for m in mail.outbox) == ["lost@example.test", "retry-lost@example.test"]
    sent = set(OutgoingEmail.objects.filter(sent_at__isnull=False).values_list("key", flat=True))
    assert sent == {"test-event:lost:1", "test-event:retry-lost:1"}
    # "fresh": its task may still come; "retrying": its task retries it; "given-up": for the admin.
    assert not OutgoingEmail.objects.filter(key="test-event:old:1").exists()


@pytest.mark.django_db
def test_the_admin_lists_the_outbox_read_only(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    record("test-event:admin:1", subject="Uw vacature is gepubliceerd")
    OutgoingEmail.objects.filter(key="test-event:admin:1").update(attempts=3, last_error="SMTPDataError: 451")
    html = client.get(reverse("admin:accounts_outgoingemail_changelist")).content.decode()
    for text in ("test-event:admin:1", "someone@example.test", "Uw vacature is gepubliceerd", "SMTPDataError: 451"):
        assert text in html
    assert client.get(reverse("admin:accounts_outgoingemail_add")).status_code == 403

"""Erasure leaves nothing behind: after a jobseeker deletes their account, neither a real
``pg_dump`` of the database nor the media folder holds their address, name or postcode.

Also: the login throttle's records go with the account and expire; a CV written by a request
that lost a double-submit race is deleted; the beat sweep removes files no row references.
"""

import os
import shutil
import subprocess
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import OutgoingEmail
from accounts.tasks import login_records_expire as login_records_expire_task
from applications.models import Application
from applications.services import application_create, application_set_status, media_orphans_sweep
from applications.tasks import media_orphans_sweep as media_orphans_sweep_task
from audit.models import AuditEvent
from audit.services import audit_record, audit_views
from candidates.models import CandidateLanguage, ConsentEvent, Experience
from candidates.services import candidate_set_cv, candidate_update, experience_create
from conversations.models import InterviewProposal, Message
from conversations.services import interview_pick, interview_propose, message_send
from matching.models import Match, MatchDecision, ReviewStatus
from matching.notifications import notify_match_approved
from taxonomy.models import Occupation
from tests.factories import CandidateFactory, CaseworkerFactory, EmployerUserFactory, VacancyFactory
from tests.pdf_helpers import text_pdf
from vacancies.models import VacancyStatus

PASSWORD = "correct horse battery staple"
EMAIL = "zwaantje.quirijnsdochter@example.test"
FIRST_NAME = "Zwaantje"
LAST_NAME = "Quirijnsdochter"
POSTCODE = "4536 XQ"
PHONE = "+31612345678"


def url(name: str, language: str = "en", **kwargs) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def published_vacancy():
    now = timezone.now()
    return VacancyFactory(status=VacancyStatus.PUBLISHED, published_at=now, expires_at=now + timedelta(days=30))


def cv_upload(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("cv.pdf", text_pdf(list(lines)), content_type="application/pdf")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def pg_dump_text() -> str:
    """A plain-SQL dump of the whole test database, by PostgreSQL's own client."""
    binary = shutil.which("pg_dump") or max(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), default=None)
    assert binary, "pg_dump is installed with PostgreSQL (scripts/stack.sh)"
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    result = subprocess.run(
        [str(binary), "--no-owner", "--host", db["HOST"], "--port", str(db["PORT"]), "--username", db["USER"]]
        + [db["NAME"]],
        capture_output=True,
        env=env,
        check=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8", errors="replace")


def traces_in_media(media: Path, needles: list[str]) -> list[str]:
    found = []
    for path in media.rglob("*"):
        if path.is_file():
            content = path.read_bytes().lower()
            found += [f"{path}: {n}" for n in needles if n.lower().encode() in content]
    return found


@pytest.mark.django_db(transaction=True)
def test_after_erasure_no_table_and_no_file_holds_the_persons_data(client, settings, media_root, reference_data):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True  # all three kinds of axes records
    candidate = CandidateFactory(
        user__email=EMAIL, user__first_name=FIRST_NAME, user__last_name=LAST_NAME, postcode=POSTCODE
    )
    user = candidate.user
    CandidateLanguage.objects.create(candidate=candidate, language="nl", level=3)
    ConsentEvent.objects.create(candidate=candidate, kind="matching", given=True)
    # The real profile: phone, licences, a job naming the person, a profile CV (checked by the worker).
    candidate_update(candidate=candidate, phone="06 12345678", driving_licences=["B", "CE"])
    experience_create(
        candidate=candidate,
        occupation=Occupation.objects.first(),
        employer_name=f"Transport {LAST_NAME} BV",
        country="NL",
        started_on=date(2019, 3, 1),
        description=f"Chauffeur, collega van {FIRST_NAME}.",
    )
    candidate_set_cv(candidate=candidate, cv=cv_upload(f"{FIRST_NAME} {LAST_NAME}", EMAIL, PHONE))
    candidate.refresh_from_db()
    assert candidate.cv_passed
    assert candidate.phone == PHONE
    profile_cv_path = Path(candidate.cv.path)
    vacancy = published_vacancy()
    employer_user = EmployerUserFactory(employer=vacancy.employer)
    caseworker = CaseworkerFactory()

    # Failed logins through the login page (real axes), one in capitals, then the real login.
    for typed in (EMAIL, EMAIL.upper()):
        response = client.post(url("accounts:login"), {"username": typed, "password": "wrong"})
        assert response.status_code == 200
    assert AccessAttempt.objects.filter(username__iexact=EMAIL).exists()
    assert AccessFailureLog.objects.filter(username__iexact=EMAIL).exists()
    client.post(url("accounts:login"), {"username": EMAIL, "password": PASSWORD})
    assert AccessLog.objects.filter(username=EMAIL).exists()
    # A failure after the login (the success reset the earlier ones): a lock-out count remains.
    client.post(url("accounts:login"), {"username": EMAIL.upper(), "password": "wrong"})
    assert AccessAttempt.objects.filter(username__iexact=EMAIL).exists()

    # An application with a CV that names the person; the employer is mailed "<name> applied".
    application = application_create(
        candidate=candidate,
        vacancy=vacancy,
        motivation=f"Ik ben {FIRST_NAME} {LAST_NAME} uit {POSTCODE}.",
        cv=cv_upload(f"{FIRST_NAME} {LAST_NAME}", EMAIL, POSTCODE),
    )
    cv_path = Path(application.cv.path)
    assert cv_path.exists()
    application_set_status(application=application, status="in_review", changed_by=employer_user, note=LAST_NAME)
    employer_mails = OutgoingEmail.objects.filter(user=employer_user)
    assert employer_mails.filter(body__contains=LAST_NAME).exists()

    match = Match.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        score=0.8,
        engine_version="t",
        review_status=ReviewStatus.APPROVED,
        note=f"Kent {FIRST_NAME} persoonlijk",
        explanation=[{"code": "commute", "text": f"30 min from {POSTCODE}"}],
    )
    MatchDecision.objects.create(match=match, decision=ReviewStatus.APPROVED, note=f"Gesprek met {LAST_NAME}")
    assert notify_match_approved(match_id=match.pk)
    assert OutgoingEmail.objects.filter(user=user, to=EMAIL, body__contains=FIRST_NAME).exists()
    audit_views(actor=caseworker, candidate_ids=[candidate.pk], where="workspace:candidate_detail")
    audit_record(kind="match_decision", actor=caseworker, subject=("match", match.pk), data={"decision": "approved"})
    audit_events_before = AuditEvent.objects.count()

    # Messages and an interview (conversations): both sides name the person; the .ics mails go to both.
    message_send(application=application, user=employer_user, body=f"Beste {FIRST_NAME}, wanneer kunt u?")
    message_send(application=application, user=user, body=f"Groeten, {FIRST_NAME} {LAST_NAME} ({PHONE})")
    proposal = interview_propose(
        application=application,
        user=employer_user,
        contact_person="Els de Wit",
        note=f"Vraag naar Els; zeg dat u {LAST_NAME} bent.",
        slots=[{"starts_at": timezone.now() + timedelta(days=3), "location": f"Bij {LAST_NAME} thuis, {POSTCODE}"}],
    )
    interview_pick(proposal=proposal, user=user, slot_id=proposal.slots.get().pk)
    assert OutgoingEmail.objects.filter(key__startswith=f"conversation:{application.pk}:", user=employer_user).exists()

    # Findable by employers (talent/): an invitation naming the person, accepted.
    from candidates.services import candidate_set_consent
    from talent.models import CandidateInvitation
    from talent.services import invitation_respond, invitation_send

    candidate_set_consent(candidate=candidate, kind="findable", given=True)
    invitation = invitation_send(
        user=employer_user, candidate=candidate, vacancy=vacancy, message=f"Beste {FIRST_NAME}, solliciteer!"
    )
    invitation_respond(invitation=invitation, accept=True)

    # A caseworker's saved candidate search counted the person in a digest (alerts/).
    from alerts.models import SavedSearch, SentAlert
    from alerts.services import candidate_search_create, saved_searches_send

    search = candidate_search_create(
        owner=CaseworkerFactory(employment_service=candidate.employment_service),
        name="Iedereen",
        query="",
        frequency="weekly",
        language="nl",
    )
    SavedSearch.objects.filter(pk=search.pk).update(since=timezone.now() - timedelta(hours=1))
    assert saved_searches_send(frequency="weekly")["candidates"] == 1
    assert SentAlert.objects.filter(candidate=candidate).exists()

    # The records are in the person's data export first.
    export = client.get(url("my_data_export")).json()
    assert [m["body"] for m in export["messages"]][1].startswith(f"Groeten, {FIRST_NAME}")
    assert export["interviews"][0]["slots"][0]["chosen"] is True
    exported = export["login_records"]
    assert {row["kind"] for row in exported} == {"failures_counted", "login", "failed_login"}
    assert export["profile"]["phone"] == PHONE
    assert export["profile"]["driving_licences"] == ["B", "CE"]
    assert [job["employer_name"] for job in export["profile"]["experience"]] == [f"Transport {LAST_NAME} BV"]
    assert export["profile"]["experience"][0]["from"] == "2019-03"
    assert export["profile"]["has_profile_cv"] is True
    assert export["invitations"][0]["message"] == f"Beste {FIRST_NAME}, solliciteer!"
    assert export["profile"]["consent_findable_at"] is not None

    # Erase through the portal's page (its service is nsp_portal.privacy.account_erase).
    assert client.post(url("account_delete"), {"password": PASSWORD, "confirm": "on"}).status_code == 302

    needles = [EMAIL, FIRST_NAME, LAST_NAME, POSTCODE, PHONE]
    dump = pg_dump_text().lower()
    assert "application_unique_candidate_vacancy" in dump  # the dump holds the schema and data
    assert [n for n in needles if n.lower() in dump] == []
    assert not cv_path.exists()
    assert not profile_cv_path.exists()
    assert not Experience.objects.filter(candidate=candidate).exists()
    assert not Message.objects.filter(application=application).exists()
    assert not InterviewProposal.objects.filter(application=application).exists()
    assert not CandidateInvitation.objects.filter(candidate=candidate).exists()
    assert not SentAlert.objects.filter(candidate=candidate).exists()
    candidate.refresh_from_db()
    assert candidate.consent_findable_at is None
    assert traces_in_media(media_root, needles) == []
    # What stays: the anonymous stages, the decision and the audit trail (ids only, chain intact).
    assert Application.objects.filter(pk=application.pk, candidate=candidate).exists()
    assert MatchDecision.objects.filter(match=match, decision=ReviewStatus.APPROVED).exists()
    assert AuditEvent.objects.count() >= audit_events_before
    assert not AccessAttempt.objects.exists()
    assert not AccessLog.objects.exists()
    assert not AccessFailureLog.objects.exists()


# --- the login throttle's records expire ---------------------------------------------------------------


@pytest.mark.django_db
def test_login_records_older_than_the_keep_days_expire_on_beats_schedule(client, settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    CandidateFactory(user__email="old@example.test")
    CandidateFactory(user__email="recent@example.test")
    for email in ("old@example.test", "recent@example.test"):
        client.post(url("accounts:login"), {"username": email, "password": "wrong"})
    client.post(url("accounts:login"), {"username": "old@example.test", "password": PASSWORD})
    client.logout()
    client.post(url("accounts:login"), {"username": "old@example.test", "password": "wrong"})
    long_ago = timezone.now() - timedelta(days=settings.LOGIN_RECORDS_KEEP_DAYS + 1)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert model.objects.filter(username="old@example.test").update(attempt_time=long_ago)

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == login_records_expire_task.name)
    assert entry["schedule"]
    assert login_records_expire_task.apply().get() >= 3

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert not model.objects.filter(username="old@example.test").exists()
    assert AccessAttempt.objects.filter(username="recent@example.test").exists()
    assert AccessFailureLog.objects.filter(username="recent@example.test").exists()


# --- uploads that no row references ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_cv_written_by_the_losing_double_submit_is_deleted(media_root, reference_data):
    candidate = CandidateFactory()
    vacancy = published_vacancy()
    first_inserted, release_first = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first_submit():
        try:
            with transaction.atomic():
                application_create(candidate=candidate, vacancy=vacancy, motivation="Eerste", cv=cv_upload("eerste"))
                first_inserted.set()
                release_first.wait(20)
        finally:
            connections.close_all()

    def second_submit():
        try:
            application_create(candidate=candidate, vacancy=vacancy, motivation="Tweede", cv=cv_upload("tweede"))
        except ValidationError as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=first_submit)
    first.start()
    assert first_inserted.wait(20)
    second = threading.Thread(target=second_submit)
    second.start()
    # The second insert passed the "already applied?" check (the first is not committed) and now
    # waits on the unique index for the first transaction: its file is already written.
    deadline = time.monotonic() + 20
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                break
            time.sleep(0.05)
        else:
            pytest.fail("the second submit never waited on the first")
    assert len(list(media_root.rglob("*.pdf"))) == 2
    release_first.set()
    first.join(20)
    second.join(20)

    assert outcome["error"].code == "already_applied"
    files = [str(p.relative_to(media_root)) for p in media_root.rglob("*.pdf")]
    assert files == [Application.objects.get(candidate=candidate, vacancy=vacancy).cv.name]


@pytest.mark.django_db
def test_the_sweep_deletes_old_unreferenced_uploads_only(media_root, settings):
    candidate = CandidateFactory()
    application = application_create(
        candidate=candidate, vacancy=published_vacancy(), motivation="Graag", cv=cv_upload("bewaard")
    )
    old_orphan = default_storage.save("cvs/1/old-orphan.pdf", ContentFile(b"%PDF-1.4 orphan"))
    young_orphan = default_storage.save("cvs/1/in-flight.pdf", ContentFile(b"%PDF-1.4 in flight"))
    elsewhere = default_storage.save("other/old.txt", ContentFile(b"not a swept folder"))
    two_hours_ago = time.time() - 2 * 3600
    for name in (application.cv.name, old_orphan, elsewhere):
        os.utime(media_root / name, (two_hours_ago, two_hours_ago))

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == media_orphans_sweep_task.name)
    assert entry["schedule"]
    assert media_orphans_sweep_task.apply().get() == 1

    assert not (media_root / old_orphan).exists()
    assert (media_root / young_orphan).exists()  # may still be waiting for its row to commit
    assert (media_root / application.cv.name).exists()
    assert (media_root / elsewhere).exists()
    assert media_orphans_sweep() == 0

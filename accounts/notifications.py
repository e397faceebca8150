"""Emails to users, written in the recipient's language, and the employer invitation.

Every notification of the portal goes through ``send_to_user``: it switches to the
recipient's ``preferred_language`` while the subject, the body and the links are rendered,
so a Flemish employer gets Dutch, an English-speaking jobseeker English.

No SMTP in the request. The flow (an outbox):

1. a service calls ``notify(notify_x, ...)`` inside the transaction of its event; ``send_to_user``
   renders the mail and records it as an ``OutgoingEmail`` row whose ``key`` is the event plus
   the recipient, so recording the same event twice yields one row;
2. when the transaction commits, ``accounts.tasks.email_deliver(pk)`` is enqueued (a rollback
   leaves neither row nor task);
3. the task sends the row with Django's mail API and marks it sent under a row lock, so a
   redelivered task sends nothing; SMTP and connection errors are retried with exponential
   backoff (``EMAIL_RETRY_BACKOFF``, ``EMAIL_MAX_RETRIES``);
4. the beat job ``accounts.tasks.email_sweep`` re-enqueues rows whose task was lost: never
   tried a minute after they were recorded (the broker was down at commit), or with retries
   left but silent for longer than the longest backoff; it forgets sent rows after
   ``EMAIL_OUTBOX_KEEP_DAYS``.

A failure to record or to enqueue a mail is logged, never turned into an error for the user
whose action succeeded.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import OutgoingEmail, User

logger = logging.getLogger(__name__)

# Rows not tried this long after they were recorded lost their task (the broker was down).
SWEEP_AFTER = timedelta(minutes=1)
# A retry comes at most EMAIL_RETRY_BACKOFF_MAX after the last attempt; this much later, its
# task was lost (e.g. Redis restarted without its data).
RETRY_LOST_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 500

# Apps above accounts attach files to their mails (an interview's .ics) without accounts importing
# them: each loader gets the row and returns (filename, content, mimetype) tuples, at delivery.
ATTACHMENT_LOADERS: list[Callable[[OutgoingEmail], list[tuple[str, str | bytes, str]]]] = []


def portal_url(path: str) -> str:
    """An absolute link for an email (``PORTAL_BASE_URL``, default the development server)."""
    base = getattr(settings, "PORTAL_BASE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


def reverse_in(language: str, viewname: str, **kwargs: Any) -> str:
    """An absolute URL of ``viewname`` with the language prefix of ``language``."""
    with translation.override(language):
        return portal_url(reverse(viewname, **kwargs))


def event_stamp(moment) -> str:
    """A moment as part of an event key (an event that can recur, such as a re-approval)."""
    return f"{moment.timestamp():.6f}" if moment else "-"


def send_to_user(*, user: User, template: str, event: str, context: dict[str, Any] | None = None) -> bool:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in the user's language and queue it.

    ``event`` names what happened (e.g. ``match-approved:<decision id>``); with the user it is
    the row's key. Returns False when the user has no email or is inactive, or the event was
    recorded for this user before.
    """
    if not user.email or not user.is_active:
        return False
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        ctx = {"user": user, "language": language, **(context or {})}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}_body.txt", ctx)
    return email_record(
        key=f"{event}:{user.pk}",
        user=user,
        to=user.email,
        language=language,
        subject=subject,
        body=body,
        headers={"Content-Language": language},
    )


def email_record(
    *, key: str, to: str, language: str, subject: str, body: str, headers: dict[str, str], user: User | None = None
) -> bool:
    """Record one email in the current transaction and enqueue its delivery after commit.

    Returns False when ``key`` was recorded before (the event is the same; nothing is added).
    """
    email, created = OutgoingEmail.objects.get_or_create(
        key=key[:200],
        defaults={
            "user": user,
            "to": to,
            "language": language,
            "subject": subject,
            "body": body,
            "headers": headers,
        },
    )
    if created:
        transaction.on_commit(lambda: _enqueue(email.pk))
    return created


def _enqueue(pk: int) -> None:
    from .tasks import email_deliver  # tasks import this module

    try:
        email_deliver.delay(pk)
    except Exception:  # the broker is down: the sweep enqueues it again (eager: the mail server failed)
        logger.exception("Could not enqueue outgoing email %s", pk)


def notify(func: Callable[..., Any], /, **kwargs: Any) -> Any:
    """Record the emails of ``func(**kwargs)`` now, in the caller's transaction (a savepoint).

    A failure (a template, a link) is logged and rolled back to the savepoint: the action that
    caused the mail stands. Delivery happens after the transaction commits.
    """
    try:
        with transaction.atomic():
            return func(**kwargs)
    except Exception:
        logger.exception("Notification %s failed", getattr(func, "__name__", func))
        return None


def email_deliver(*, pk: int) -> bool:
    """Send one recorded email unless it was sent already; True when it was sent now.

    The row stays locked while the mail server talks, so a second task for it (redelivered,
    or re-enqueued by the sweep) skips it instead of sending it twice. A failure is recorded
    (``attempts``, ``last_error``) and raised, for the task to retry.
    """
    error: Exception | None = None
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
        if email is None:
            return False  # sent already, being sent by another task, or forgotten
        email.attempts += 1
        email.tried_at = timezone.now()
        message = EmailMultiAlternatives(
            subject=email.subject, body=email.body, to=[email.to], headers=email.headers or None
        )
        for loader in ATTACHMENT_LOADERS:
            try:
                attachments = loader(email)
            except Exception:  # the mail still goes (its text has the details), without this file
                logger.exception("Attachment loader %s failed for outgoing email %s", loader, email.pk)
                attachments = []
            for attachment in attachments:
                message.attach(*attachment)
        try:
            message.send()
        except Exception as exc:
            error = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["attempts", "tried_at", "last_error", "sent_at"])
    if error is not None:
        raise error
    return True


def email_sweep(*, now=None) -> int:
    """Re-enqueue the unsent emails whose task was lost; forget old sent ones.

    Lost: never tried a minute after they were recorded, or retries left but no attempt for
    longer than the longest backoff. Rows within their task's retries are left alone, so the
    backoff is not undone here; rows out of retries stay for the admin to see.
    """
    now = now or timezone.now()
    OutgoingEmail.objects.filter(sent_at__lt=now - timedelta(days=settings.EMAIL_OUTBOX_KEEP_DAYS)).delete()
    retry_lost = now - timedelta(seconds=settings.EMAIL_RETRY_BACKOFF_MAX) - RETRY_LOST_AFTER
    stale = list(
        OutgoingEmail.objects.filter(sent_at__isnull=True)
        .filter(
            Q(attempts=0, created_at__lt=now - SWEEP_AFTER)
            | Q(attempts__gt=0, attempts__lte=settings.EMAIL_MAX_RETRIES, tried_at__lt=retry_lost)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in stale:
        _enqueue(pk)
    return len(stale)


# --- accounts' own notifications ------------------------------------------------------------


def invitation_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse_in(
        user.preferred_language or settings.LANGUAGE_CODE,
        "accounts:employer_invitation_accept",
        kwargs={"uidb64": uid, "token": token},
    )


def notify_employer_invitation(*, user_id: int, invited_by_id: int | None) -> bool:
    """A colleague was invited: a one-time link to set a password (Django's token generator)."""
    user = User.objects.select_related("employer").get(pk=user_id)
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    return send_to_user(
        user=user,
        template="accounts/email/employer_invitation",
        # Every invitation (and every resend) is an event of its own, with a fresh link.
        event=f"employer-invitation:{get_random_string(12)}",
        context={"employer": user.employer, "invited_by": invited_by, "link": invitation_link(user)},
    )


def notify_employer_verified(*, employer_id: int) -> int:
    """The company was verified: its vacancies are published without review from now on."""
    sent = 0
    for user in User.objects.filter(employer_id=employer_id, is_active=True).select_related("employer"):
        link = reverse_in(user.preferred_language, "vacancies:employer_vacancy_list")
        sent += send_to_user(
            user=user,
            template="accounts/email/employer_verified",
            event=f"employer-verified:{employer_id}:{event_stamp(user.employer.verified_at)}",
            context={"employer": user.employer, "link": link},
        )
    return sent

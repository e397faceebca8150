"""Emails to users, written in the recipient's language, and the employer invitation.

Every notification of the portal goes through ``send_to_user``: it switches to the
recipient's ``preferred_language`` while the subject, the body and the links are rendered,
so a Flemish employer gets Dutch, an English-speaking jobseeker English.

Notifications are sent after the transaction that caused them commits
(``transaction.on_commit``), and a failing mail server is logged, never turned into an error
page for the user whose action already succeeded.
"""

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User

logger = logging.getLogger(__name__)


def portal_url(path: str) -> str:
    """An absolute link for an email (``PORTAL_BASE_URL``, default the development server)."""
    base = getattr(settings, "PORTAL_BASE_URL", "") or "http://127.0.0.1:8000"
    return base.rstrip("/") + path


def reverse_in(language: str, viewname: str, **kwargs: Any) -> str:
    """An absolute URL of ``viewname`` with the language prefix of ``language``."""
    with translation.override(language):
        return portal_url(reverse(viewname, **kwargs))


def send_to_user(*, user: User, template: str, context: dict[str, Any] | None = None) -> bool:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in the user's language and send.

    Returns False (and logs) when the user has no email or the mail server refuses.
    """
    if not user.email or not user.is_active:
        return False
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        ctx = {"user": user, "language": language, **(context or {})}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}_body.txt", ctx)
    message = EmailMultiAlternatives(
        subject=subject, body=body, to=[user.email], headers={"Content-Language": language}
    )
    try:
        message.send()
    except Exception:  # any SMTP/network failure: the action that caused the mail stands
        logger.exception("Could not send %s to user %s", template, user.pk)
        return False
    return True


def after_commit(func: Callable[[], Any]) -> None:
    """Run ``func`` once the current transaction commits (at once outside a transaction)."""

    def run() -> None:
        try:
            func()
        except Exception:
            logger.exception("Notification failed")

    transaction.on_commit(run)


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
        context={"employer": user.employer, "invited_by": invited_by, "link": invitation_link(user)},
    )


def notify_employer_verified(*, employer_id: int) -> int:
    """The company was verified: its vacancies are published without review from now on."""
    sent = 0
    for user in User.objects.filter(employer_id=employer_id, is_active=True).select_related("employer"):
        link = reverse_in(user.preferred_language, "vacancies:employer_vacancy_list")
        sent += send_to_user(
            user=user, template="accounts/email/employer_verified", context={"employer": user.employer, "link": link}
        )
    return sent

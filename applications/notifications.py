"""Emails about applications to the jobseeker (a stage changed, a CV refused), in their language."""

from accounts.notifications import reverse_in, send_to_user

from .models import Application


def notify_application_status_changed(*, application_id: int) -> bool:
    """Tell the jobseeker their application moved to another stage."""
    application = (
        Application.objects.select_related("candidate__user", "vacancy__employer")
        .prefetch_related("history")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return False
    user = application.candidate.user
    last = list(application.history.all())[-1:] or [None]
    return send_to_user(
        user=user,
        template="applications/email/application_status_changed",
        event=f"application-status:{application.pk}:{last[0].pk if last[0] else '-'}",
        context={
            "application": application,
            "vacancy": application.vacancy,
            "change": last[0],
            "link": reverse_in(user.preferred_language, "applications:list"),
        },
    )


def notify_cv_rejected(*, application_id: int) -> bool:
    """Tell the jobseeker the worker refused their CV, why, and where to send another."""
    application = (
        Application.objects.select_related("candidate__user", "vacancy__employer").filter(pk=application_id).first()
    )
    if application is None or not application.cv_rejection_message:
        return False
    user = application.candidate.user
    return send_to_user(
        user=user,
        template="applications/email/cv_rejected",
        event=f"cv-rejected:{application.pk}:{application.cv_check_attempts}:{application.cv_check_reason}",
        context={
            "application": application,
            "vacancy": application.vacancy,
            "link": reverse_in(user.preferred_language, "applications:detail", kwargs={"pk": application.pk}),
        },
    )


def notify_application_sent(*, application_id: int) -> bool:
    """Confirm to the jobseeker that their application reached the employer (issue 11)."""
    application = (
        Application.objects.select_related("candidate__user", "vacancy__employer").filter(pk=application_id).first()
    )
    if application is None:
        return False
    user = application.candidate.user
    return send_to_user(
        user=user,
        template="applications/email/application_sent",
        event=f"application-sent:{application.pk}",
        context={
            "application": application,
            "vacancy": application.vacancy,
            "link": reverse_in(user.preferred_language, "applications:detail", kwargs={"pk": application.pk}),
        },
    )

"""What the three audiences' thread pages share: load in scope, render, download the .ics."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from applications.models import Application

from . import selectors, services
from .ics import ICS_MIMETYPE, ics_filename, interview_ics
from .models import InterviewProposal, ProposalStatus


def application_in_scope(request: HttpRequest, pk: int) -> Application:
    """Scoped first: an application the user takes no part in is a 404."""
    try:
        return selectors.application_get_for_participant(user=request.user, pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def proposal_in_scope(request: HttpRequest, pk: int, proposal_pk: int) -> InterviewProposal:
    try:
        return selectors.proposal_get_for_participant(user=request.user, application_pk=pk, pk=proposal_pk)
    except (Application.DoesNotExist, InterviewProposal.DoesNotExist) as exc:
        raise Http404 from exc


def add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def send_message(request: HttpRequest, application: Application, form) -> bool:
    """Bind and send; True when sent (the caller redirects)."""
    if not form.is_valid():
        return False
    try:
        services.message_send(application=application, user=request.user, body=form.cleaned_data["body"])
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    flash.success(request, _("Your message was sent."))
    return True


def render_thread(request: HttpRequest, application: Application, *, side: str, **context) -> HttpResponse:
    """The thread (its unread messages marked as such, then read) and the interviews."""
    thread = list(selectors.thread_messages(application=application))
    unread_ids = {m.pk for m in thread if m.read_at is None and m.sender_side != side}
    services.thread_mark_read(application=application, user=request.user)
    proposals = list(selectors.interview_proposals(application=application))
    return render(
        request,
        "conversations/thread.html",
        {
            "application": application,
            "side": side,
            "thread": thread,
            "unread_ids": unread_ids,
            "proposals": proposals,
            "open_statuses": (ProposalStatus.PROPOSED,),
            **context,
        },
    )


def ics_download(proposal: InterviewProposal, language: str) -> HttpResponse:
    if proposal.status != ProposalStatus.ACCEPTED or proposal.chosen_slot is None:
        raise Http404
    response = HttpResponse(interview_ics(proposal, language=language), content_type=f"{ICS_MIMETYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics_filename(proposal)}"'
    response["Cache-Control"] = "private, no-store"
    return response


INBOX_ROWS = 200


def render_inbox(request: HttpRequest, *, side: str, thread_url: str) -> HttpResponse:
    rows = list(selectors.inbox_for(user=request.user)[:INBOX_ROWS])
    if len(rows) < INBOX_ROWS:  # every thread is here: their sum is the nav's count
        selectors.unread_total_remember(user=request.user, count=sum(row.unread for row in rows))
    return render(request, "conversations/inbox.html", {"rows": rows, "side": side, "thread_url": thread_url})

"""The employer's side: messages, one thread, propose interview times, the .ics."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import employer_required

from . import services
from .forms import InterviewProposeForm, MessageForm
from .models import Side
from .views_shared import (
    add_errors,
    application_in_scope,
    ics_download,
    proposal_in_scope,
    render_inbox,
    render_thread,
    send_message,
)


@employer_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render_inbox(request, side=Side.EMPLOYER, thread_url="conversations:employer_thread")


@employer_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_in_scope(request, pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and send_message(request, application, form):
        return redirect("conversations:employer_thread", pk=application.pk)
    return render_thread(request, application, side=Side.EMPLOYER, form=form, can_write=True)


@employer_required
@require_http_methods(["GET", "POST"])
def interview_propose(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_in_scope(request, pk)
    initial = {"contact_person": request.user.get_full_name()}
    form = InterviewProposeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_propose(
                application=application,
                user=request.user,
                contact_person=form.cleaned_data["contact_person"],
                contact_phone=form.cleaned_data["contact_phone"],
                note=form.cleaned_data["note"],
                slots=form.slots(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            flash.success(request, _("The candidate got your proposal and chooses a time."))
            return redirect("conversations:employer_thread", pk=application.pk)
    return render(request, "conversations/interview_propose.html", {"application": application, "form": form})


@employer_required
@require_GET
def interview_ics(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    return ics_download(proposal_in_scope(request, pk, proposal_pk), get_language())

"""The candidate's side: my messages, one thread, answer an interview proposal, the .ics."""

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import jobseeker_required

from . import services
from .forms import InterviewRequestOtherForm, MessageForm
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


@jobseeker_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render_inbox(request, side=Side.CANDIDATE, thread_url="conversations:jobseeker_thread")


@jobseeker_required
@require_http_methods(["GET", "POST"])
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_in_scope(request, pk)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and send_message(request, application, form):
        return redirect("conversations:jobseeker_thread", pk=application.pk)
    return render_thread(
        request, application, side=Side.CANDIDATE, form=form, other_form=InterviewRequestOtherForm(), can_write=True
    )


@jobseeker_required
@require_POST
def interview_answer(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    """Pick a time (``slot``), or ask for another (``action=other`` with a ``note``)."""
    proposal = proposal_in_scope(request, pk, proposal_pk)
    if request.POST.get("action") == "other":
        other_form = InterviewRequestOtherForm(request.POST)
        if other_form.is_valid():
            try:
                services.interview_request_other(
                    proposal=proposal, user=request.user, note=other_form.cleaned_data["note"]
                )
            except ValidationError as exc:
                add_errors(other_form, exc)
            else:
                flash.success(request, _("We asked the employer for another time."))
                return redirect("conversations:jobseeker_thread", pk=pk)
        return render_thread(
            request,
            proposal.application,
            side=Side.CANDIDATE,
            form=MessageForm(),
            other_form=other_form,
            can_write=True,
        )
    try:
        slot_id = int(request.POST.get("slot", ""))
        services.interview_pick(proposal=proposal, user=request.user, slot_id=slot_id)
    except ValueError:
        flash.error(request, _("Choose one of the proposed times."))
    except ValidationError as exc:
        flash.error(request, " ".join(exc.messages))
    else:
        flash.success(request, _("The interview is planned. The invitation for your calendar is on its way."))
    return redirect("conversations:jobseeker_thread", pk=pk)


@jobseeker_required
@require_GET
def interview_ics(request: HttpRequest, pk: int, proposal_pk: int) -> HttpResponse:
    return ics_download(proposal_in_scope(request, pk, proposal_pk), get_language())

"""The jobseeker's invitations to apply: see them, accept or decline, and apply in one click.

Only the jobseeker's own invitations (another's is a 404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import jobseeker_required

from . import selectors, services
from .models import CandidateInvitation


def _own(request: HttpRequest, pk: int) -> CandidateInvitation:
    try:
        return selectors.invitations_of_jobseeker(user=request.user).get(pk=pk)
    except CandidateInvitation.DoesNotExist as exc:
        raise Http404 from exc


@jobseeker_required
@require_GET
def invitation_list(request: HttpRequest) -> HttpResponse:
    invitations = list(selectors.invitations_of_jobseeker(user=request.user))
    selectors.pending_invitation_count_refresh(user_id=request.user.pk)
    return render(request, "talent/invitation_list.html", {"invitations": invitations})


@jobseeker_required
@require_POST
def invitation_respond(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own(request, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.invitation_respond(invitation=invitation, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if accept:
            messages.success(request, _("You accepted. The employer now sees your profile; you can apply right away."))
        else:
            messages.success(request, _("You declined. The employer does not see your profile."))
    return redirect("talent:invitation_list")


@jobseeker_required
@require_POST
def invitation_apply(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = _own(request, pk)
    try:
        application = services.invitation_apply(invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("talent:invitation_list")
    messages.success(request, _("Your application has been sent. The employer will contact you."))
    return redirect("applications:detail", pk=application.pk)

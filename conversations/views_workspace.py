"""The caseworker's read-only view of the threads of their service's candidates."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from accounts.decorators import caseworker_required
from audit.services import audit_views

from .selectors import CASEWORKER
from .views_shared import application_in_scope, render_inbox, render_thread


@caseworker_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    return render_inbox(request, side=CASEWORKER, thread_url="conversations:workspace_thread")


@caseworker_required
@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    application = application_in_scope(request, pk)
    # A caseworker reading a candidate's messages is a view of personal data (audit log).
    audit_views(actor=request.user, candidate_ids=[application.candidate_id], where="conversations:workspace_thread")
    return render_thread(request, application, side=CASEWORKER, can_write=False)

import json
import logging

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import jobseeker_required
from accounts.roles import is_jobseeker
from candidates.selectors import candidate_completeness, candidate_for_user
from vacancies.selectors import vacancy_list_public

from . import privacy
from .forms import AccountDeleteForm

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """The front page: a search box, the newest vacancies, and for a jobseeker their profile's state."""
    context = {"latest": list(vacancy_list_public(for_rows=True)[:5])}
    if is_jobseeker(request.user):
        candidate = candidate_for_user(user=request.user)
        context.update(
            candidate=candidate,
            completeness=candidate_completeness(candidate=candidate),
            candidate_country=candidate.country if candidate else None,
        )
    return render(request, "home.html", context)


@login_required
@require_GET
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Download all my data as JSON (the GDPR's right of access and to data portability)."""
    data = privacy.personal_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="nsp-talent-portal-my-data-{stamp}.json"'
    return response


@jobseeker_required
@require_http_methods(["GET", "POST"])
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete my account: confirm with the password, then erase and log out."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.account_erase(user=request.user)
        logout(request)
        messages.success(request, _("Your account has been deleted and your personal data erased. Goodbye!"))
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page in the portal's style; falls back to plain HTML if even that fails."""
    try:
        return HttpResponseServerError(loader.render_to_string("500.html", {}, request=request))
    except Exception:  # the database or a template may be what failed: never fail twice
        logger.exception("The 500 page itself failed")
        return HttpResponseServerError(loader.render_to_string("500_plain.html"))

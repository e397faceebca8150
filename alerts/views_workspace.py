"""A caseworker's saved candidate searches: save the workspace candidate search, list, change
and delete them. Only the caseworker's own (another's is a 404); the digests are sent by the
same beat job as the job alerts (``alerts.services.candidate_search_alert_send``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import caseworker_required

from . import services
from .forms import SavedSearchCreateForm, SavedSearchEditForm
from .models import SavedSearch
from .selectors import candidate_search_get, candidate_search_path, candidate_searches_of
from .views_jobseeker import _add_errors


def _own(request: HttpRequest, pk: int) -> SavedSearch:
    try:
        return candidate_search_get(user=request.user, pk=pk)
    except SavedSearch.DoesNotExist as exc:
        raise Http404 from exc


@caseworker_required
@require_GET
def candidate_search_list(request: HttpRequest) -> HttpResponse:
    rows = [(saved, candidate_search_path(saved)) for saved in candidate_searches_of(user=request.user)]
    return render(request, "alerts/candidatesearch_list.html", {"rows": rows})


@caseworker_required
@require_http_methods(["GET", "POST"])
def candidate_search_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SavedSearchCreateForm(request.POST)
        if form.is_valid():
            try:
                services.candidate_search_create(
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    query=form.cleaned_data["query"],
                    frequency=form.cleaned_data["frequency"],
                    language=translation.get_language(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Your candidate search is saved. We will e-mail you when new candidates match it.")
                )
                return redirect("alerts:candidate_list")
    else:
        data = request.GET.copy()
        data.pop("page", None)
        form = SavedSearchCreateForm(initial={"query": data.urlencode(), "name": _("My candidate search")})
    search_link = candidate_search_path(SavedSearch(query=form["query"].value() or ""))
    return render(
        request, "alerts/candidatesearch_form.html", {"form": form, "search_link": search_link, "creating": True}
    )


@caseworker_required
@require_http_methods(["GET", "POST"])
def candidate_search_edit(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _own(request, pk)
    form = SavedSearchEditForm(request.POST if request.method == "POST" else None, instance=saved)
    if request.method == "POST" and form.is_valid():
        fresh = SavedSearch.objects.get(pk=saved.pk)  # the form changed the instance in place
        try:
            services.saved_search_update(
                saved_search=fresh,
                name=form.cleaned_data["name"],
                frequency=form.cleaned_data["frequency"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Your saved search is changed."))
            return redirect("alerts:candidate_list")
    return render(
        request,
        "alerts/candidatesearch_form.html",
        {"form": form, "saved_search": saved, "search_link": candidate_search_path(saved), "creating": False},
    )


@caseworker_required
@require_POST
def candidate_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _own(request, pk)
    services.saved_search_delete(saved_search=saved)
    messages.success(request, _("The saved search “%(name)s” is deleted.") % {"name": saved.name})
    return redirect("alerts:candidate_list")

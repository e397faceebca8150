"""The jobseeker's saved searches (job alerts), and the unsubscribe link of their mails.

Listing, saving, editing and deleting need a jobseeker's login and reach only their own
searches (another's is a 404). Unsubscribing needs no login: the signed link is the proof.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import jobseeker_required

from . import services
from .forms import SavedSearchCreateForm, SavedSearchEditForm
from .models import SavedSearch
from .selectors import feed_path, saved_search_get, saved_searches_of, search_filterset, search_path


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _own(request: HttpRequest, pk: int) -> SavedSearch:
    try:
        return saved_search_get(user=request.user, pk=pk)
    except SavedSearch.DoesNotExist as exc:
        raise Http404 from exc


@jobseeker_required
@require_GET
def saved_search_list(request: HttpRequest) -> HttpResponse:
    saved_searches = list(saved_searches_of(user=request.user))
    rows = [(saved, search_path(saved), feed_path(saved)) for saved in saved_searches]
    return render(request, "alerts/savedsearch_list.html", {"rows": rows})


def _default_name(query: str) -> str:
    filterset = search_filterset(query)
    text = filterset.data.get("q", "").strip() if filterset.data else ""
    return text[:120] or _("My search")


@jobseeker_required
@require_http_methods(["GET", "POST"])
def saved_search_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SavedSearchCreateForm(request.POST)
        if form.is_valid():
            try:
                services.saved_search_create(
                    owner=request.user,
                    name=form.cleaned_data["name"],
                    query=form.cleaned_data["query"],
                    frequency=form.cleaned_data["frequency"],
                    language=translation.get_language(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Your search is saved. We will e-mail you new vacancies."))
                return redirect("alerts:list")
    else:
        data = request.GET.copy()
        data.pop("page", None)
        query = data.urlencode()
        form = SavedSearchCreateForm(initial={"query": query, "name": _default_name(query)})
    query = form["query"].value() or ""
    return render(request, "alerts/savedsearch_create.html", {"form": form, "search_path": _search_path(query)})


def _search_path(query: str) -> str:
    return search_path(SavedSearch(query=query))


@jobseeker_required
@require_http_methods(["GET", "POST"])
def saved_search_edit(request: HttpRequest, pk: int) -> HttpResponse:
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
            return redirect("alerts:list")
    return render(request, "alerts/savedsearch_edit.html", {"form": form, "saved_search": saved})


@jobseeker_required
@require_POST
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _own(request, pk)
    services.saved_search_delete(saved_search=saved)
    messages.success(request, _("The saved search “%(name)s” is deleted.") % {"name": saved.name})
    return redirect("alerts:list")


# The signed token is the proof, not a session: mail programs POST here without a CSRF token
# (RFC 8058 one-click), and a person may open it signed out or on another device.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def saved_search_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        saved = services.saved_search_from_token(token)
    except ValidationError as exc:
        return render(request, "alerts/unsubscribe.html", {"error": exc.messages[0]}, status=400)
    done = False
    if request.method == "POST" and saved is not None:
        saved = services.saved_search_unsubscribe(token=token)
        done = True
    return render(request, "alerts/unsubscribe.html", {"saved_search": saved, "done": done, "token": token})

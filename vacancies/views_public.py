"""The public vacancy pages: search (VacancyFilter) and the vacancy page.

vacancies imports neither candidates nor applications (docs/architecture.md §1). A logged-in
jobseeker's home place, travel modes and applications are read through the user's reverse
relations (``user.candidate``), not by importing those apps.
"""

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from accounts.roles import is_jobseeker
from core.pagination import CountWithRowsPaginator
from taxonomy.models import TravelTime
from taxonomy.selectors import travel_times_from
from taxonomy.widgets import PlaceSelect

from .commute import beyond_commute_limit
from .fast_forms import FAST_WIDGETS
from .filters import VacancyFilter
from .models import Vacancy
from .selectors import vacancy_get_public, vacancy_list_public

PAGE_SIZE = 20
FRONTIER_WORK_URL = "https://www.grensinfopunt.nl/"


def _jobseeker_profile(request: HttpRequest):
    """The logged-in jobseeker's profile, if they have one (reverse relation; no import)."""
    user = request.user
    if not is_jobseeker(user):
        return None
    try:
        return user.candidate
    except Exception:  # RelatedObjectDoesNotExist: signed up, profile not started
        return None


def _search_form_tweaks(form) -> None:
    """Plain labels for the few filter widgets whose defaults read badly."""
    form.fields["stem"].label = _("STEM")
    form.fields["stem"].widget.choices = [
        ("unknown", _("All vacancies")),
        ("true", _("STEM only")),
        ("false", _("Not STEM")),
    ]
    form.fields["q"].widget.attrs.update({"placeholder": _("e.g. operator, lasser, electrician")})
    form.fields["q"].widget.input_type = "search"
    form.fields["language"].help_text = _("Only vacancies that ask no other language.")
    form.fields["from_place"].help_text = _("Your home place by default.")
    form.fields["max_eqf"].help_text = _("Hide vacancies that ask a higher level.")
    form.fields["ordering"].widget.choices = [
        ("", _("Relevance / newest")),
        ("-published", _("Newest first")),
        ("published", _("Oldest first")),
        ("title", _("Title A–Z")),
        ("-hours", _("Most hours")),
        ("hours", _("Fewest hours")),
    ]
    # The place options rendered once per process (taxonomy/widgets.py); validation keeps the filters' querysets.
    # One widget for both fields: one version check per request.
    form.fields["place"].widget = form.fields["from_place"].widget = PlaceSelect()
    # occupation and skill: autocomplete widgets (taxonomy/widgets.py) render only the chosen one.
    # The other selects and inputs written in Python, as Django's templates would (vacancies/fast_forms.py).
    form.renderer = FAST_WIDGETS


def _with_commute(queryset: QuerySet[Vacancy], origin_id, mode: str | None, modes: list[str]) -> QuerySet[Vacancy]:
    """Annotate the shortest travel time from ``origin`` by the chosen mode(s): one subquery, no extra queries."""
    times = TravelTime.objects.filter(origin_id=origin_id, destination=OuterRef("place"))
    if mode:
        times = times.filter(mode=mode)
    elif modes:
        times = times.filter(mode__in=modes)
    best = times.order_by("minutes")
    return queryset.annotate(
        commute_minutes=Subquery(best.values("minutes")[:1]),
        commute_mode=Subquery(best.values("mode")[:1]),
        commute_crossing=Subquery(best.values("westerschelde_crossing")[:1]),
    )


@require_GET
def vacancy_list(request: HttpRequest) -> HttpResponse:
    candidate = _jobseeker_profile(request)
    data = request.GET.copy()
    data.pop("page", None)
    if candidate is not None and candidate.home_place_id and "from_place" not in request.GET:
        data["from_place"] = str(candidate.home_place_id)
    filterset = VacancyFilter(data, queryset=vacancy_list_public(for_rows=True), request=request)
    _search_form_tweaks(filterset.form)
    queryset = filterset.qs if filterset.is_valid() else vacancy_list_public().none()
    origin = filterset.form.cleaned_data.get("from_place") if filterset.is_valid() else None
    mode = filterset.form.cleaned_data.get("mode") if filterset.is_valid() else None
    if origin is not None:
        queryset = _with_commute(queryset, origin.pk, mode, candidate.commute_modes if candidate else [])
    # The count comes with the page's rows; the travel times too (_with_commute): one query.
    page = CountWithRowsPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    vacancies = list(page.object_list)
    limit = candidate.max_commute_minutes if candidate else None
    for vacancy in vacancies:
        vacancy.beyond_commute_limit = beyond_commute_limit(getattr(vacancy, "commute_minutes", None), limit)
    query_string = data.urlencode()
    return render(
        request,
        "vacancies/vacancy_list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page_obj": page,
            "vacancies": vacancies,
            "query_string": query_string,
            # The vacancy page's "all vacancies" link comes back to this very search and page.
            "list_query": request.GET.urlencode(),
            "origin": origin,
            "candidate": candidate,
            "candidate_country": candidate.country if candidate else None,
        },
    )


@require_GET
def vacancy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        vacancy = vacancy_get_public(pk=pk)
    except Vacancy.DoesNotExist as exc:
        raise Http404 from exc
    candidate = _jobseeker_profile(request)
    commute, cross_border, application = [], False, None
    if candidate is not None:
        if candidate.home_place_id:
            modes = candidate.commute_modes or None
            commute = list(
                travel_times_from(origin=candidate.home_place, destination=vacancy.place, modes=modes).order_by(
                    "minutes"
                )
            )
            for trip in commute:
                trip.beyond_commute_limit = beyond_commute_limit(trip.minutes, candidate.max_commute_minutes)
        cross_border = candidate.country in ("NL", "BE") and candidate.country != vacancy.place.country
        application = vacancy.applications.filter(candidate_id=candidate.pk).first()
    return render(
        request,
        "vacancies/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "candidate": candidate,
            "commute": commute,
            "cross_border": cross_border,
            "application": application,
            "frontier_work_url": FRONTIER_WORK_URL,
            "list_query": request.GET.urlencode(),
            "has_jsonld": _jsonld_available(),
        },
    )


def _jsonld_available() -> bool:
    """The JobPosting JSON-LD tag library (built by the API work) is used once it exists."""
    from django.template import engines

    return "jobposting" in engines["django"].engine.libraries

"""Feeds of newly published vacancies for aggregators: RSS 2.0, Atom and JSON Feed 1.1.

They take the search page's filters (``?stem=true&country=BE``, see VacancyFilter); the JSON
Feed carries each vacancy's schema.org JobPosting in ``_jobposting``.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .filters import VacancyFilter
from .jobposting import vacancy_jobposting, vacancy_page_url
from .models import Vacancy
from .selectors import vacancy_list_public

FEED_SIZE = 50


def feed_vacancies(request: HttpRequest):
    """The newest published vacancies matching the request's filters (invalid filters are ignored)."""
    vacancies = vacancy_list_public().prefetch_related("essential_skills", "optional_skills", "place__postal_codes")
    filterset = VacancyFilter(request.GET, queryset=vacancies)
    if filterset.is_valid():
        vacancies = filterset.qs
    return vacancies.order_by("-published_at", "-pk")[:FEED_SIZE]


def _link(request: HttpRequest | None, vacancy: Vacancy) -> str:
    """The vacancy page (or, failing that, the API), absolute when a request is given."""
    url = vacancy_page_url(request, vacancy)
    if url is None:
        path = reverse("api:vacancy-detail", kwargs={"pk": vacancy.pk})
        url = request.build_absolute_uri(path) if request is not None else path
    return url


class LatestVacanciesFeed(Feed):
    title = _("NSP Talent Portal: new vacancies")
    description = _("Vacancies newly published by North Sea Port employers in Zeeland and East Flanders.")

    def link(self, request: HttpRequest) -> str:
        """The search page with the feed's filters (a saved search's feed leads back to its
        results); made absolute by the syndication framework."""
        query = request.GET.urlencode()
        return reverse("vacancies:list") + (f"?{query}" if query else "")

    def get_object(self, request: HttpRequest, *args, **kwargs) -> HttpRequest:
        return request  # the feed instance is shared by all requests: pass the request along, never store it

    def items(self, request: HttpRequest):
        return feed_vacancies(request)

    def item_title(self, vacancy: Vacancy) -> str:
        return f"{vacancy.title} — {vacancy.employer.legal_name}, {vacancy.place.name}"

    def item_description(self, vacancy: Vacancy) -> str:
        return vacancy.description

    def item_link(self, vacancy: Vacancy) -> str:
        return _link(None, vacancy)

    def item_guid(self, vacancy: Vacancy) -> str:
        return f"nsp-vacancy-{vacancy.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, vacancy: Vacancy):
        return vacancy.published_at

    def item_updateddate(self, vacancy: Vacancy):
        return vacancy.updated_at

    def item_author_name(self, vacancy: Vacancy) -> str:
        return vacancy.employer.legal_name

    def item_categories(self, vacancy: Vacancy) -> list[str]:
        categories = [vacancy.occupation.label, f"ISCO {vacancy.occupation.isco_group.code}", vacancy.place.name]
        if vacancy.is_stem:
            categories.append("STEM")
        return categories


class LatestVacanciesAtomFeed(LatestVacanciesFeed):
    feed_type = Atom1Feed
    subtitle = LatestVacanciesFeed.description


def latest_vacancies_json(request: HttpRequest) -> JsonResponse:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the newest vacancies."""
    items = []
    for vacancy in feed_vacancies(request):
        link = _link(request, vacancy)
        items.append(
            {
                "id": f"nsp-vacancy-{vacancy.pk}",
                "url": link,
                "title": vacancy.title,
                "content_text": vacancy.description,
                "date_published": timezone.localtime(vacancy.published_at).isoformat()
                if vacancy.published_at
                else None,
                "date_modified": timezone.localtime(vacancy.updated_at).isoformat(),
                "authors": [{"name": vacancy.employer.legal_name}],
                "tags": LatestVacanciesFeed.item_categories(None, vacancy),
                "_jobposting": vacancy_jobposting(vacancy, url=link),
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": str(LatestVacanciesFeed.title),
        "description": str(LatestVacanciesFeed.description),
        "home_page_url": request.build_absolute_uri("/"),
        "feed_url": request.build_absolute_uri(),
        "items": items,
    }
    response = JsonResponse(feed, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/feed+json; charset=utf-8"
    return response

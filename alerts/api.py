"""A jobseeker's own saved searches (job alerts) over the API: ``/api/v1/saved-searches``.

Jobseekers only, with their browser session (tokens belong to organisations, never to a
jobseeker, so a token gets a 403 as on ``/api/v1/candidates/me``). The queryset is the
caller's own searches: another's is a 404. Writes go to alerts.services, as on the pages.
"""

from django.db.models import QuerySet
from django.utils import translation
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from accounts.authentication import ScopePermission
from accounts.notifications import portal_url
from accounts.permissions import IsJobseeker

from . import services
from .models import Frequency, SavedSearch
from .selectors import feed_path, saved_searches_of, search_path

EXAMPLE = {
    "id": 3,
    "name": "Lassen bij Terneuzen",
    "query": "from_place=14&max_minutes=30&q=lasser",
    "frequency": "daily",
    "language": "nl",
    "is_active": True,
    "created_at": "2026-11-20T09:00:00+01:00",
    "last_sent_at": None,
    "search_url": "https://talent.example/vacancies/?from_place=14&max_minutes=30&q=lasser",
    "feed_url": "https://talent.example/api/v1/feeds/vacancies.rss?from_place=14&max_minutes=30&q=lasser",
}


class SavedSearchSerializer(serializers.ModelSerializer):
    query = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="The vacancy search's query string (the filters of GET /api/v1/vacancies and the search page).",
    )
    frequency = serializers.ChoiceField(choices=Frequency.choices, default=Frequency.DAILY)
    search_url = serializers.SerializerMethodField()
    feed_url = serializers.SerializerMethodField()

    class Meta:
        model = SavedSearch
        fields = [
            "id",
            "name",
            "query",
            "frequency",
            "language",
            "is_active",
            "created_at",
            "last_sent_at",
            "search_url",
            "feed_url",
        ]
        read_only_fields = ["id", "language", "created_at", "last_sent_at"]

    def get_search_url(self, saved: SavedSearch) -> str:
        with translation.override(saved.language):
            return portal_url(search_path(saved))

    def get_feed_url(self, saved: SavedSearch) -> str:
        return portal_url(feed_path(saved))


@extend_schema_view(
    list=extend_schema(
        summary="Your saved searches",
        description="Jobseekers only, with their session.",
        examples=[OpenApiExample("saved searches", value=EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One of your saved searches",
        examples=[OpenApiExample("saved search", value=EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        summary="Save a search (a job alert)",
        description="The language of the alert mails is the request's (Accept-Language).",
        examples=[
            OpenApiExample(
                "save", value={"name": "Lassen", "query": "q=lasser", "frequency": "immediately"}, request_only=True
            ),
            OpenApiExample("saved", value=EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    ),
    partial_update=extend_schema(
        summary="Change a saved search",
        description="name, query, frequency, is_active. Switched on again, it alerts only vacancies published "
        "from then on.",
        examples=[
            OpenApiExample("switch off", value={"is_active": False}, request_only=True),
            OpenApiExample("changed", value={**EXAMPLE, "is_active": False}, response_only=True),
        ],
    ),
    destroy=extend_schema(summary="Delete a saved search"),
)
class SavedSearchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SavedSearchSerializer
    permission_classes = [IsJobseeker, ScopePermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[SavedSearch]:
        return saved_searches_of(user=self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved = services.saved_search_create(
            owner=request.user,
            name=data["name"],
            query=data.get("query", ""),
            frequency=data["frequency"],
            language=translation.get_language(),
        )
        return Response(self.get_serializer(saved).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        saved = self.get_object()
        serializer = self.get_serializer(saved, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        saved = services.saved_search_update(saved_search=saved, **serializer.validated_data)
        return Response(self.get_serializer(saved).data)

    def perform_destroy(self, instance: SavedSearch) -> None:
        services.saved_search_delete(saved_search=instance)

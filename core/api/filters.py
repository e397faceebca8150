"""The ``updated_since`` filter: a sync cursor for systems that poll the API's lists.

In ``core`` because vacancies, applications and matches share it, each naming its own
timestamp field (``updated_field``); imports no project app.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

__all__ = ["UPDATED_SINCE", "UpdatedSinceFilter", "parse_timestamp"]


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 date or date-time (naive values are in the portal's time zone), or None."""
    value = value.strip().replace(" ", "+")  # a “+” of an offset often arrives decoded as a space
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                return None
            moment = timezone.datetime(day.year, day.month, day.day)
    except (ValueError, OverflowError):
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts (+18:54).
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    OpenApiParameter.QUERY,
    description="Only objects changed at or after this moment (ISO 8601), for incremental sync.",
    examples=[OpenApiExample("since", value="2026-11-01T00:00:00+01:00")],
)


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=2026-11-01T00:00:00Z`` keeps what changed since; a sync cursor for systems."""

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get("updated_since")
        if raw is None or raw == "":
            return queryset
        moment = parse_timestamp(raw)
        if moment is None:
            raise exceptions.ValidationError({"updated_since": [_("Give an ISO 8601 date or date-time.")]})
        field = getattr(view, "updated_field", "updated_at")
        return queryset.filter(**{f"{field}__gte": moment})

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "updated_since",
                "required": False,
                "in": "query",
                "description": "Only objects changed at or after this moment (ISO 8601), for incremental sync.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]

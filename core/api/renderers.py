"""The API's renderers beyond JSON (JSON-LD, CSV), and the mixin that keeps their errors JSON.

In ``core`` because the formats belong to no app (vacancies render JSON-LD and CSV, matching
and applications CSV); imports no project app.
"""

from typing import Any

from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

__all__ = ["CsvRenderer", "ErrorsAsJsonMixin", "JsonLdRenderer"]


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class CsvRenderer(BaseRenderer):
    """Passes through a body the view already wrote as CSV (``core.csv_export``)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> Any:
        return data.encode("utf-8") if isinstance(data, str) else data


class ErrorsAsJsonMixin:
    """Error bodies stay application/json even where the success is JSON-LD or CSV."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response

"""Strong ETags and ``If-None-Match`` → 304 for the API's GETs, so syncing systems save bandwidth.

In ``core`` because every app's read endpoints (and ``GET /api/v1/me``) use it; imports no
project app.
"""

import hashlib

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from rest_framework.response import Response

__all__ = ["ETagMixin"]

_ENCODER = DjangoJSONEncoder()


class ETagMixin:
    """A strong ETag on every successful GET, computed from the body; If-None-Match gives a 304."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if request.method == "GET" and response.status_code == 200 and isinstance(data, (dict, list)):
            # orjson: the tag only has to follow the content, and json.dumps encoded every list page a
            # second time in pure Python (what orjson cannot encode goes through Django's encoder).
            digest = hashlib.sha256(
                orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=_ENCODER.default)
            ).hexdigest()[:32]
            etag = f'"{digest}"'
            response["ETag"] = etag
            wanted = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",") if tag.strip()]
            if etag in wanted or f"W/{etag}" in wanted or "*" in wanted:
                not_modified = Response(status=304, headers={"ETag": etag})
                not_modified.accepted_renderer = response.accepted_renderer
                not_modified.accepted_media_type = response.accepted_media_type
                not_modified.renderer_context = response.renderer_context
                return not_modified
        return response

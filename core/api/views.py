"""The JSON 404 for unknown paths under ``/api/``.

In ``core`` with the error envelope whose shape it repeats; ``nsp_portal/api_urls.py`` routes
the API's catch-all to it.
"""

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

__all__ = ["api_not_found"]


@csrf_exempt  # a 404 for any method: no form is ever posted here
def api_not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """A JSON 404 for unknown paths under /api/ (the site's 404 page is HTML)."""
    return JsonResponse(
        {"status": 404, "code": "not_found", "detail": str(_("There is no such API endpoint."))}, status=404
    )

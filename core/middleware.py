"""Middleware that belongs to no app: the API's language, and no caching of personal data.

In ``core`` because it serves every app's API and imports no project app (settings.MIDDLEWARE
names it).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

__all__ = ["ApiErrorMiddleware", "ApiLanguageMiddleware", "PrivateResponseMiddleware"]

security_logger = logging.getLogger("django.security")


class ApiLanguageMiddleware:
    """The API speaks the language the client asks for (Accept-Language, or the language cookie).

    The site's URLs without a language prefix are Dutch (i18n_patterns with
    prefix_default_language=False), so LocaleMiddleware would answer every /api/ request in
    Dutch; this middleware, placed after it, reads the request's language for /api/ instead.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Nothing shown to a signed-in user or a token is kept by a browser or a shared cache.

    A response to a request with a session cookie of a signed-in user, or with an
    ``Authorization`` header (API tokens), is personal (profiles, matches, CSV exports, the data
    export, CVs): ``Cache-Control: private, no-store``. Every /api/ response varies on
    ``Authorization`` and ``Cookie``, so a cache never serves one client's answer to another.
    Placed outside the session, error and authentication middleware, so replaced responses (the
    API's error envelope, the busy page) keep these headers; it reads ``request.user`` on the way
    out. An anonymous request without a session cookie does not load the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, ("Authorization", "Cookie"))
        if "HTTP_AUTHORIZATION" in request.META or self._signed_in(request):
            response["Cache-Control"] = "private, no-store"
        return response

    @staticmethod
    def _signed_in(request: HttpRequest) -> bool:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def _is_json(response: HttpResponse) -> bool:
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


class ApiErrorMiddleware:
    """Every error under /api/ in the API's JSON envelope, also the ones Django answers itself.

    DRF's exception handler shapes the errors of API views; Django's own answers (the 500 page
    after an unexpected exception, the 400 for a SuspiciousOperation, a 404 or 405 from a
    non-DRF view such as the feeds) are HTML. Clients of the API parse JSON, so such a response
    is replaced by the envelope with the same status. HTML pages keep their HTML error pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_api(request) and response.status_code >= 400 and not _is_json(response):
            replacement = self._envelope(request, response.status_code)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            # Django logged the original (with its traceback); don't log the same error twice.
            replacement._has_been_logged = getattr(response, "_has_been_logged", False)
            return replacement
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Django would answer a too-large body with 400; it is a 413 (docs/api.md).
        if _is_api(request) and isinstance(exception, RequestDataTooBig):
            security_logger.warning("API request body too large: %s", exception)
            return self._envelope(request, 413)
        return None

    @staticmethod
    def _envelope(request: HttpRequest, status: int) -> JsonResponse:
        from core.api.errors import error_body  # imports DRF: not at Django's start-up

        with translation.override(translation.get_language_from_request(request, check_path=False)):
            return JsonResponse(error_body(status), status=status)

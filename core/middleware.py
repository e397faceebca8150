"""Middleware that belongs to no app: the API's language.

In ``core`` because it serves every app's API and imports no project app (settings.MIDDLEWARE
names it).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

__all__ = ["ApiLanguageMiddleware"]


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

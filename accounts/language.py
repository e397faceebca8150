"""The language a user chose sticks: stored on the user, applied after login and on every page.

``User.language`` is empty until the user picks a language with the language switcher
(``set_language`` below wraps Django's view and stores the choice; the emails follow it too,
through ``preferred_language``). After login the user lands on the page asked for in that
language (``translate_url``), and ``UserLanguageMiddleware`` sends a page opened in another
language (an old bookmark, a link without a prefix) to the same page in the chosen one.
A user who never chose keeps the language of the address, as before.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.views.i18n import set_language as django_set_language

LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


def chosen_language(user) -> str:
    """The language the user chose with the switcher, or '' (never chose, or anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    language = getattr(user, "language", "") or ""
    return language if language in LANGUAGE_CODES else ""


def user_language_remember(*, user, language: str) -> None:
    """Store the choice on the user: pages and emails follow it from now on."""
    if language not in LANGUAGE_CODES or not getattr(user, "is_authenticated", False):
        return
    if user.language != language or user.preferred_language != language:
        user.language = language
        user.preferred_language = language
        user.save(update_fields=["language", "preferred_language"])


def in_chosen_language(user, url: str) -> str:
    """``url`` (a path of this site) in the user's chosen language; unchanged if they never chose."""
    language = chosen_language(user)
    return translate_url(url, language) if language else url


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and for a logged-in user the choice stored on their account."""
    response = django_set_language(request)
    if request.method == "POST":
        user_language_remember(user=request.user, language=request.POST.get("language", ""))
    return response


class UserLanguageMiddleware:
    """A page opened in another language than the user chose: the same page in theirs (GET only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(getattr(request, "user", None))
        if (
            language
            and request.method == "GET"
            and not request.path_info.startswith(("/api/", "/i18n/", "/static/", "/media/"))
            and translation.get_language() != language
        ):
            target = translate_url(request.path, language)
            if target != request.path:
                query = request.META.get("QUERY_STRING", "")
                return HttpResponseRedirect(target + ("?" + query if query else ""))
        return self.get_response(request)

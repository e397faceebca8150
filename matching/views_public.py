"""“How matching works”: the public explanation of the matching (AI Act Art. 13, 26(11)).

No login. The factor weights come from the live weights (the ones the worker scores with), so
the page changes when a portal admin changes them.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .transparency import public_weights


@require_GET
def how_it_works(request: HttpRequest) -> HttpResponse:
    weights, version = public_weights()
    return render(
        request,
        "matching/how_it_works.html",
        {"weights": weights, "weights_version": version, "top_k": settings.MATCHING_TOP_K},
    )

"""The API's JSON parser: a body is measured (size, nesting depth) before ``json`` reads it.

In ``core`` because it is every endpoint's default (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``).
Python's ``json`` recurses per nesting level: 50,000 ``[`` raise RecursionError (a 500), so the
depth is counted first with a cheap scan of the brackets outside strings.
"""

import io
import re
from itertools import accumulate

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

__all__ = ["BodyTooDeep", "LimitedJSONParser", "json_depth", "json_too_deep", "max_json_depth"]

DEFAULT_MAX_DEPTH = 32
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# A JSON string (escapes included): brackets inside it are text, not structure.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_A_BRACKET = re.compile(rb"[^\[\]{}]+")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(raw: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (0 for a scalar)."""
    brackets = _NOT_A_BRACKET.sub(b"", _STRING.sub(b"", raw))
    if not brackets:
        return 0
    # map/accumulate/max all run in C: a few hundred ms for the largest allowed body.
    return max(accumulate(map(_STEP.__getitem__, brackets)))


def max_json_depth() -> int:
    return getattr(settings, "API_JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)


def json_too_deep(raw: bytes) -> bool:
    """The one rule for every JSON the portal reads (API bodies, import files in the API and the worker)."""
    return json_depth(raw) > max_json_depth()


class BodyTooDeep(exceptions.ParseError):
    default_detail = _("The JSON body is nested too deeply.")
    default_code = "too_deep"


class BodyTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class LimitedJSONParser(JSONParser):
    """JSONParser with a size limit (DATA_UPLOAD_MAX_MEMORY_SIZE) and a depth limit (API_JSON_MAX_DEPTH)."""

    def parse(self, stream, media_type=None, parser_context=None):
        max_bytes = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or DEFAULT_MAX_BYTES
        raw = stream.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise BodyTooLarge()
        if json_too_deep(raw):
            raise BodyTooDeep()
        return super().parse(io.BytesIO(raw), media_type, parser_context)

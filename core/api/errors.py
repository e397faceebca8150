"""The API's error envelope: every error as ``{"status", "code", "detail", "errors"?}``.

In ``core`` because every app's API raises errors and none of them owns the envelope; it is
named in settings (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) and imports no project app.
"""

import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.db_busy import busy_api_error, is_database_busy

__all__ = ["CONFLICT_CODES", "ErrorSerializer", "PayloadTooLarge", "error_body", "exception_handler"]

# Rules about the object's current state, not about the request's fields: answered 409 Conflict
# (docs/api.md lists them). The code stays the same as the service's.
CONFLICT_CODES = frozenset(
    {
        "invalid_transition",  # vacancies, applications: this status cannot follow the current one
        "not_in_review",  # vacancies: only a vacancy in review can be moderated
        "vacancy_closed",  # a closed or filled vacancy: no edits, no applications
        "already_applied",  # applications: one application per vacancy and jobseeker
        "final_status",  # applications: a hired/rejected/withdrawn one can no longer be withdrawn
        "already_running",  # matching: a full rebuild is running already
        "not_approved",  # matching: only an approved match can be accepted or declined
    }
)

# The code and message of an error response that carries no detail of its own (a status only).
STATUS_CODES = {
    400: ("bad_request", _("The request could not be read.")),
    403: ("permission_denied", _("You do not have permission to do this.")),
    404: ("not_found", _("Not found.")),
    405: ("method_not_allowed", _("This method is not allowed here.")),
    413: ("too_large", _("The request body is too large.")),
    500: ("server_error", _("Something went wrong on our side. Please try again later.")),
    503: ("unavailable", _("The service is unavailable; try again later.")),
}

security_logger = logging.getLogger("django.security")


def error_body(status: int) -> dict[str, Any]:
    """The envelope for a bare status (Django's own 400/404/413/500 under /api/), in the active language."""
    code, detail = STATUS_CODES.get(status, ("error", _("The request failed.")))
    return {"status": status, "code": code, "detail": str(detail)}


def _flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {"field.sub.0.name": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for sub, messages in _flatten(value, name).items():
                flat.setdefault(sub, []).extend(messages)
    elif isinstance(errors, list):
        if all(not isinstance(item, (dict, list)) for item in errors):
            if errors:
                flat[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(item) for item in errors]
        else:
            for index, item in enumerate(errors):
                if item:
                    for sub, messages in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                        flat.setdefault(sub, []).extend(messages)
    else:
        flat[prefix or api_settings.NON_FIELD_ERRORS_KEY] = [str(errors)]
    return flat


def _first_code(detail: Any) -> str | None:
    if isinstance(detail, dict):
        for value in detail.values():
            code = _first_code(value)
            if code:
                return code
    elif isinstance(detail, list):
        for value in detail:
            code = _first_code(value)
            if code:
                return code
    else:
        return getattr(detail, "code", None)
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error as {"status", "code", "detail", "errors"?}; field errors on 400."""
    if isinstance(exc, DjangoValidationError):
        # The services raise Django's ValidationError; the API shows it like a serializer's.
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    elif is_database_busy(exc):
        # A lock or statement timeout (core/db_busy.py): 503 "busy" with Retry-After.
        exc = busy_api_error(exc)
    elif isinstance(exc, Http404):
        # get_object_or_404's message names the model in English: say only "Not found." (translated).
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        security_logger.warning("API request body too large: %s", exc)
        exc = PayloadTooLarge(_("The request body is too large."))
    elif isinstance(exc, SuspiciousOperation):
        # Django answers these 400 (a malformed multipart, too many fields); say so in the envelope.
        security_logger.warning("Suspicious API request: %s", exc)
        exc = exceptions.ParseError(error_body(400)["detail"], code="bad_request")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body: dict[str, Any] = {"status": response.status_code}
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        only_general = set(errors) == {api_settings.NON_FIELD_ERRORS_KEY}
        # A rule of a service names itself (invalid_transition, already_applied, …); field errors are "invalid".
        code = _first_code(exc.detail) if only_general and len(errors[api_settings.NON_FIELD_ERRORS_KEY]) == 1 else None
        body["code"] = code if code and code not in ("invalid", "required", "null", "blank") else "invalid"
        body["detail"] = (
            errors[api_settings.NON_FIELD_ERRORS_KEY][0]
            if only_general
            else str(_("The request has errors; see “errors” per field."))
        )
        body["errors"] = errors
        if body["code"] in CONFLICT_CODES:
            response.status_code = body["status"] = 409
    else:
        detail = getattr(exc, "detail", None)
        body["code"] = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body["detail"] = str(detail if detail is not None else exc)
    response.data = body
    return response


class ErrorSerializer(serializers.Serializer):
    """The body of every error response."""

    status = serializers.IntegerField(help_text="The HTTP status, repeated.")
    code = serializers.CharField(
        help_text="A stable machine-readable code, e.g. invalid, not_found, permission_denied."
    )
    detail = serializers.CharField(help_text="A human-readable message in the request's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On 400: messages per field; nested fields are dotted (languages.0.level).",
    )


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The upload is too large.")
    default_code = "too_large"

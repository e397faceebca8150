"""The API's error envelope: every error as ``{"status", "code", "detail", "errors"?}``.

In ``core`` because every app's API raises errors and none of them owns the envelope; it is
named in settings (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``) and imports no project app.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["ErrorSerializer", "PayloadTooLarge", "exception_handler"]


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

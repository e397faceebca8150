"""What every endpoint of the REST API shares: error bodies, permissions, scopes, throttling,
pagination, ETags and the ``updated_since`` sync filter; plus ``GET /api/v1/me``.

Lives in ``accounts`` because every app may import accounts (DESIGN.md §2) and because
authentication and roles belong here. Views elsewhere stay thin and call the services.
"""

import hashlib
import json
from datetime import UTC

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.filters import BaseFilterBackend
from rest_framework.permissions import BasePermission
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from .authentication import (  # noqa: F401 (re-exported for the apps' api.py)
    AnonThrottle,
    ImportThrottle,
    PortalPagination,
    ScopePermission,
    UserThrottle,
    token_of,
)
from .roles import is_caseworker as is_caseworker_or_admin
from .roles import is_employer as is_employer_user
from .roles import is_jobseeker, is_portal_admin

# --- the token in the OpenAPI schema -----------------------------------------------------------


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token nsp_…` — a token issued to an employer or an employment service (docs/api.md).",
        }


# --- error bodies -----------------------------------------------------------------------------


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
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


def _first_code(detail) -> str | None:
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


def exception_handler(exc, context):
    """Every error as {"status", "code", "detail", "errors"?}; field errors on 400."""
    if isinstance(exc, DjangoValidationError):
        # The services raise Django's ValidationError; the API shows it like a serializer's.
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    body: dict = {"status": response.status_code}
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


ERROR_EXAMPLES = {
    "400": {
        "status": 400,
        "code": "invalid",
        "detail": "The request has errors; see “errors” per field.",
        "errors": {"hours_per_week": ["Ensure this value is less than or equal to 60."]},
    },
    "401": {"status": 401, "code": "authentication_failed", "detail": "Invalid, expired or revoked token."},
    "403": {"status": 403, "code": "permission_denied", "detail": "You do not have permission to perform this action."},
    "404": {"status": 404, "code": "not_found", "detail": "No Vacancy matches the given query."},
    "429": {"status": 429, "code": "throttled", "detail": "Request was throttled. Expected available in 12 seconds."},
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: field errors in `errors`.",
    "401": "No valid credentials: the token is unknown, expired or revoked.",
    "403": "Authenticated, but the role or the token's scopes do not allow this.",
    "404": "Not found, or not yours (another's object is never revealed).",
    "405": "Method not allowed.",
    "406": "Not acceptable.",
    "413": "The upload is too large.",
    "415": "Unsupported media type.",
    "429": "Too many requests: see Retry-After.",
}


def postprocess_error_responses(result, generator, request, public):
    """drf-spectacular hook: document the error body on every operation (schema-conformant errors)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "description": "The body of every error response.",
        "properties": {
            "status": {"type": "integer"},
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
        "required": ["status", "code", "detail"],
    }
    for _path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "405", "406", "429"]
            if method in ("post", "put", "patch"):
                codes.append("415")
            if method == "get" and "304" not in responses:
                responses["304"] = {"description": "Not modified: the If-None-Match header matched the ETag."}
            for code in codes:
                if code in responses:
                    continue
                content = {"schema": {"$ref": "#/components/schemas/Error"}}
                if code in ERROR_EXAMPLES:
                    content["examples"] = {"error": {"value": ERROR_EXAMPLES[code]}}
                responses[code] = {"description": ERROR_DESCRIPTIONS[code], "content": {"application/json": content}}
    return result


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The upload is too large.")
    default_code = "too_large"


class JsonLdRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


class CsvRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode("utf-8") if isinstance(data, str) else data


class ErrorsAsJsonMixin:
    """Error bodies stay application/json even where the success is JSON-LD or CSV."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
        return response


# --- permissions and scopes ---------------------------------------------------------------------


class RolePermission(BasePermission):
    """The role check that comes on top of the scoped queryset (403 for the wrong role)."""

    message = _("Your role may not do this.")

    def test(self, user) -> bool:
        raise NotImplementedError

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and self.test(user))


class IsJobseeker(RolePermission):
    message = _("Only a jobseeker may do this.")

    def test(self, user) -> bool:
        return is_jobseeker(user)


class IsEmployer(RolePermission):
    message = _("Only an employer may do this.")

    def test(self, user) -> bool:
        return is_employer_user(user)


class IsCaseworker(RolePermission):
    """A caseworker of an employment service, or a portal administrator (as on the pages)."""

    message = _("Only a caseworker may do this.")

    def test(self, user) -> bool:
        return is_caseworker_or_admin(user)


class IsPortalAdmin(RolePermission):
    message = _("Only a portal administrator may do this.")

    def test(self, user) -> bool:
        return is_portal_admin(user)


class IsJobseekerOrEmployer(RolePermission):
    message = _("Only the jobseeker or the employer may do this.")

    def test(self, user) -> bool:
        return IsJobseeker().test(user) or is_employer_user(user)


class IsEmployerOrCaseworker(RolePermission):
    message = _("Only an employer or a caseworker may do this.")

    def test(self, user) -> bool:
        return is_employer_user(user) or is_caseworker_or_admin(user)


class IsParticipant(RolePermission):
    """Jobseekers, employers and caseworkers each see their own part (e.g. of the matches)."""

    def test(self, user) -> bool:
        return IsJobseeker().test(user) or is_employer_user(user) or is_caseworker_or_admin(user)


# --- pagination, ETags, sync --------------------------------------------------------------------


class ETagMixin:
    """A strong ETag on every successful GET, computed from the body; If-None-Match gives a 304."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        data = getattr(response, "data", None)
        if request.method == "GET" and response.status_code == 200 and isinstance(data, (dict, list)):
            digest = hashlib.sha256(
                json.dumps(response.data, sort_keys=True, cls=DjangoJSONEncoder).encode()
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


def parse_timestamp(value: str):
    """An ISO 8601 date or date-time (naive values are in the portal's time zone), or None."""
    value = value.strip().replace(" ", "+")  # a “+” of an offset often arrives decoded as a space
    try:
        moment = parse_datetime(value)
        if moment is None:
            day = parse_date(value)
            if day is None:
                return None
            moment = timezone.datetime(day.year, day.month, day.day)
    except (ValueError, OverflowError):
        return None
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts (+18:54).
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    OpenApiParameter.QUERY,
    description="Only objects changed at or after this moment (ISO 8601), for incremental sync.",
    examples=[OpenApiExample("since", value="2026-11-01T00:00:00+01:00")],
)


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=2026-11-01T00:00:00Z`` keeps what changed since; a sync cursor for systems."""

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get("updated_since")
        if raw is None or raw == "":
            return queryset
        moment = parse_timestamp(raw)
        if moment is None:
            raise exceptions.ValidationError({"updated_since": [_("Give an ISO 8601 date or date-time.")]})
        field = getattr(view, "updated_field", "updated_at")
        return queryset.filter(**{f"{field}__gte": moment})

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "updated_since",
                "required": False,
                "in": "query",
                "description": "Only objects changed at or after this moment (ISO 8601), for incremental sync.",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


# --- who am I -------------------------------------------------------------------------------------


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.CharField()
    employer = serializers.IntegerField(allow_null=True, source="employer_id")
    employment_service = serializers.CharField(allow_null=True, help_text="Code of the caseworker's service.")
    token_scopes = serializers.ListField(child=serializers.CharField(), allow_null=True)


class MeView(ETagMixin, APIView):
    """Who the request acts as: the user, their role and organisation, and a token's scopes."""

    @extend_schema(
        operation_id="me",
        tags=["account"],
        responses=MeSerializer,
        examples=[
            OpenApiExample(
                "employer token",
                value={
                    "id": 12,
                    "email": "employer-3@api.nsp-talent.invalid",
                    "role": "employer",
                    "employer": 3,
                    "employment_service": None,
                    "token_scopes": ["vacancies:read", "vacancies:write"],
                },
            )
        ],
    )
    def get(self, request):
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        user = request.user
        token = token_of(request)
        data = {
            "id": user.pk,
            "email": user.email,
            "role": user.role,
            "employer_id": user.employer_id,
            "employment_service": user.employment_service.code if user.employment_service_id else None,
            "token_scopes": token.scopes if token else None,
        }
        return Response(MeSerializer(data).data)


@csrf_exempt  # a 404 for any method: no form is ever posted here
def api_not_found(request, *args, **kwargs):
    """A JSON 404 for unknown paths under /api/ (the site's 404 page is HTML)."""
    from django.http import JsonResponse

    return JsonResponse(
        {"status": 404, "code": "not_found", "detail": str(_("There is no such API endpoint."))}, status=404
    )


class ApiLanguageMiddleware:
    """The API speaks the language the client asks for (Accept-Language, or the language cookie).

    The site's URLs without a language prefix are Dutch (i18n_patterns with
    prefix_default_language=False), so LocaleMiddleware would answer every /api/ request in
    Dutch; this middleware, placed after it, reads the request's language for /api/ instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            from django.utils import translation

            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)

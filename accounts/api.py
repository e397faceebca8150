"""The accounts part of the REST API: ``GET /api/v1/me`` and the token scheme in the schema.

The kit every endpoint shares (error bodies, renderers, ETags, the ``updated_since`` filter,
pagination, throttles) is in ``core.api``; tokens and their scopes are in
``accounts.authentication``, the role permissions in ``accounts.permissions``.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.etags import ETagMixin

from .authentication import token_of

# --- the token in the OpenAPI schema -----------------------------------------------------------


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token nsp_…` — a token issued to an employer or an employment service (docs/api.md).",
        }


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
    def get(self, request: Request) -> Response:
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

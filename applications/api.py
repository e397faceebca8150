"""Applications over the API: a jobseeker applies and withdraws; the employer reads the
applications to its vacancies and moves them through the stages. Scoped first (another's
application is a 404), roles and scopes on top; writes call applications.services."""

import django_filters
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from accounts.access_alerts import counts_personal_data_access
from accounts.authentication import ScopePermission
from accounts.models import ApiScope
from accounts.permissions import IsEmployer, IsJobseeker, IsJobseekerOrEmployer
from accounts.roles import is_employer
from audit.api import AccessLogMixin
from candidates.models import CandidateDiploma
from candidates.selectors import candidate_of
from core.api.etags import ETagMixin
from core.api.filters import UpdatedSinceFilter
from core.api.parsers import LimitedJSONParser
from core.api.renderers import CsvRenderer, ErrorsAsJsonMixin
from core.csv_export import csv_response

from . import selectors, services
from .exports import application_csv_header, application_csv_rows
from .models import Application, ApplicationStatus
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    ApplicationStageSerializer,
    ApplicationWithdrawSerializer,
)

APPLICATION_EXAMPLE = {
    "id": 17,
    "vacancy": {
        "id": 42,
        "reference": "TNZ-2026-014",
        "title": "Procesoperator ploegendienst",
        "employer": "Kanaalzone Chemie B.V.",
        "place": "Sluiskil",
        "status": "published",
    },
    "candidate": {"id": 5, "name": "An Peeters", "email": "an@example.be", "place": "Zelzate", "country": "BE"},
    "status": "interview",
    "motivation": "Ik werk al vijf jaar in ploegen.",
    "has_cv": True,
    "cv_check": "passed",
    "cv_check_reason": "",
    "cv_check_message": "",
    "history": [
        {"from_status": "", "to_status": "received", "note": "", "at": "2026-11-03T10:00:00+01:00"},
        {
            "from_status": "received",
            "to_status": "interview",
            "note": "Gesprek op 10/11",
            "at": "2026-11-05T14:00:00+01:00",
        },
    ],
    "created_at": "2026-11-03T10:00:00+01:00",
    "updated_at": "2026-11-05T14:00:00+01:00",
}


class ApplicationFilter(django_filters.FilterSet):
    vacancy = django_filters.NumberFilter(field_name="vacancy_id")
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)

    class Meta:
        model = Application
        fields = ["vacancy", "status"]


@extend_schema_view(
    list=extend_schema(
        summary="Applications",
        description="A jobseeker's own applications, or an employer's applications to its vacancies "
        "(applications:read). Filter by vacancy and status; `updated_since` for sync.",
        examples=[OpenApiExample("application", value=APPLICATION_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="An application",
        examples=[OpenApiExample("application", value=APPLICATION_EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        summary="Apply to a vacancy",
        description="Jobseekers (browser session). JSON, or multipart with a PDF `cv` of at most 5 MB. "
        "The request checks only the size, the `%PDF-` header and the content type; a worker then checks the "
        "PDF (scripts, actions, attachments, appended data, pages, decompressed size): `cv_check` is "
        "`checking` until it is `passed` or `rejected` (the file deleted, `cv_check_reason` says why).",
        request={"application/json": ApplicationCreateSerializer, "multipart/form-data": ApplicationCreateSerializer},
        responses={201: ApplicationSerializer},
        examples=[
            OpenApiExample(
                "apply", value={"vacancy": 42, "motivation": "Ik werk al vijf jaar in ploegen."}, request_only=True
            ),
            OpenApiExample(
                "applied",
                value={**APPLICATION_EXAMPLE, "status": "received", "cv_check": "checking"},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    ),
)
class ApplicationViewSet(
    AccessLogMixin,
    ETagMixin,
    ErrorsAsJsonMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    audit_operation = "api:applications"
    parser_classes = [LimitedJSONParser, MultiPartParser]  # JSON measured before parsing (core/api/parsers.py)
    required_scopes = {
        "list": ApiScope.APPLICATIONS_READ,
        "retrieve": ApiScope.APPLICATIONS_READ,
        "stage": ApiScope.APPLICATIONS_WRITE,
        "export": ApiScope.EXPORTS_READ,
    }

    @property
    def filter_backends(self):
        from django_filters.rest_framework import DjangoFilterBackend

        return [DjangoFilterBackend, UpdatedSinceFilter] if self.action in ("list", "export") else []

    def get_permissions(self):
        role = {"create": IsJobseeker, "withdraw": IsJobseeker, "stage": IsEmployer, "export": IsEmployer}.get(
            self.action, IsJobseekerOrEmployer
        )
        return [role(), ScopePermission()]

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.applications_visible_to(user=self.request.user)

    def audit_logs_access(self) -> bool:
        return is_employer(self.request.user)  # a jobseeker sees their own applications

    def create(self, request, *args, **kwargs):
        serializer = ApplicationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = candidate_of(request.user)
        if candidate is None:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"vacancy": ["Fill in your profile first (PATCH /api/v1/candidates/me)."]})
        application = services.application_create(
            candidate=candidate,
            vacancy=serializer.validated_data["vacancy"],
            motivation=serializer.validated_data["motivation"],
            cv=serializer.validated_data.get("cv"),
        )
        data = ApplicationSerializer(
            self.get_queryset().get(pk=application.pk), context=self.get_serializer_context()
        ).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw your application",
        request=ApplicationWithdrawSerializer,
        responses={200: ApplicationSerializer},
        examples=[
            OpenApiExample("withdraw", value={"note": "Ik heb een andere baan."}, request_only=True),
            OpenApiExample("withdrawn", value={**APPLICATION_EXAMPLE, "status": "withdrawn"}, response_only=True),
        ],
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self.get_object()
        serializer = ApplicationWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_withdraw(
            application=application, user=request.user, note=serializer.validated_data["note"]
        )
        return Response(
            ApplicationSerializer(
                self.get_queryset().get(pk=application.pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(
        summary="Move an application to another stage",
        description="Employers (applications:write): received → in_review → interview → offer → hired, or "
        "rejected. The jobseeker gets an email.",
        request=ApplicationStageSerializer,
        responses={200: ApplicationSerializer},
        examples=[
            OpenApiExample("interview", value={"status": "interview", "note": "Gesprek op 10/11"}, request_only=True),
            OpenApiExample("moved", value=APPLICATION_EXAMPLE, response_only=True),
        ],
    )
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        application = self.get_object()
        serializer = ApplicationStageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_move_stage(
            application=application,
            to_status=serializer.validated_data["status"],
            user=request.user,
            note=serializer.validated_data["note"],
        )
        return Response(
            ApplicationSerializer(
                self.get_queryset().get(pk=application.pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(
        summary="Applications as CSV",
        description="Employers (exports:read): the applications to your vacancies (filter by vacancy, status).",
        responses={(200, "text/csv"): OpenApiTypes.STR},
        examples=[
            OpenApiExample("csv", value="Vacancy;Reference;Name;Email;...", response_only=True, media_type="text/csv")
        ],
    )
    @action(detail=False, methods=["get"], renderer_classes=[CsvRenderer], pagination_class=None)
    @counts_personal_data_access("api:applications.export")
    def export(self, request):
        applications = self.filter_queryset(self.get_queryset()).prefetch_related(
            Prefetch("candidate__diplomas", queryset=CandidateDiploma.objects.select_related("diploma")),
            "candidate__skills",
            "candidate__languages",
        )
        stamp = timezone.localdate().isoformat()
        self.audit_export(applications)
        return csv_response(
            filename=f"applications-{stamp}.csv",
            header=application_csv_header(),
            rows=application_csv_rows(applications),
        )

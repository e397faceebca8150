"""Vacancies over the API: public search (the search page's VacancyFilter), employers' own
vacancies (create, change, submit, close, import), moderation by caseworkers, and the
schema.org JobPosting of a vacancy. Thin: every write is a call to ``vacancies.services``."""

import django_filters
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.authentication import ScopePermission, token_of
from accounts.models import ApiScope
from accounts.permissions import IsCaseworker, IsEmployer, MayModerateVacancy
from accounts.roles import is_caseworker, is_employer
from core.api.errors import ErrorSerializer, PayloadTooLarge
from core.api.etags import ETagMixin
from core.api.filters import UpdatedSinceFilter
from core.api.parsers import BodyTooDeep
from core.api.renderers import CsvRenderer, ErrorsAsJsonMixin, JsonLdRenderer
from core.api.throttles import AnonThrottle, ImportThrottle, UserThrottle

from . import selectors, services
from .filters import VacancyFilter
from .imports import ImportTooDeep, ImportTooLarge, csv_template, detect_format, import_job_submit, refuse_too_deep
from .jobposting import vacancy_jobposting, vacancy_page_url
from .models import Vacancy, VacancyLanguage, VacancyStatus
from .serializers import (
    PREFETCHED_LISTS,
    ImportJobSerializer,
    VacancyModerationSerializer,
    VacancySerializer,
    VacancyStatusSerializer,
    VacancyWriteSerializer,
)


def _limit_message() -> str:
    return _("The file is larger than %(mb).0f MB.") % {"mb": settings.VACANCY_IMPORT_MAX_BYTES / 1024 / 1024}


class _RawBodyParser(BaseParser):
    """The body as bytes (parsed later by the importer), never more than the import limit."""

    def parse(self, stream, media_type=None, parser_context=None) -> bytes:
        if stream is None:
            return b""
        limit = settings.VACANCY_IMPORT_MAX_BYTES
        content = stream.read(limit + 1)
        if len(content) > limit:
            raise PayloadTooLarge(_limit_message())
        return content


class JsonBodyParser(_RawBodyParser):
    media_type = "application/json"


class JsonLdBodyParser(_RawBodyParser):
    media_type = "application/ld+json"


class CsvBodyParser(_RawBodyParser):
    media_type = "text/csv"


def may(request, scope: str) -> bool:
    """A session may do all its role allows; a token only what its scopes allow."""
    token = token_of(request)
    return token is None or token.has_scope(scope)


class EmployerVacancyFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VacancyStatus.choices)
    reference = django_filters.CharFilter(field_name="reference", help_text="Your own reference, exactly.")

    class Meta:
        model = Vacancy
        fields = ["status", "reference"]


def _with_lists(queryset: QuerySet, *, languages: bool = True) -> QuerySet:
    lookups: list = ["essential_skills", "optional_skills"]
    if languages:
        lookups.append(Prefetch("languages", queryset=VacancyLanguage.objects.order_by("language")))
    return queryset.prefetch_related(*lookups)


VACANCY_EXAMPLE = {
    "id": 42,
    "reference": "TNZ-2026-014",
    "title": "Procesoperator ploegendienst",
    "description": "Je bewaakt het productieproces in de fabriek in Sluiskil.",
    "status": "published",
    "employer": {
        "id": 3,
        "legal_name": "Kanaalzone Chemie B.V.",
        "country": "NL",
        "website": "https://example.nl",
        "is_verified": True,
    },
    "occupation": {
        "id": 7,
        "uri": "http://data.europa.eu/esco/occupation/1f6b0d4b-6c5a-4bd6-86f5-29b7d1ae6b0f",
        "isco_code": "8131",
        "label": "procesoperator chemie",
    },
    "is_stem": True,
    "min_eqf_level": 4,
    "requires_min_secondary": True,
    "place": {"id": 12, "name": "Sluiskil", "municipality": "Terneuzen", "country": "NL"},
    "contract_type": "permanent",
    "hours_per_week": 38,
    "shift_work": True,
    "shift_start_times": ["06:00", "14:00", "22:00"],
    "salary_min": "3200.00",
    "salary_max": "4100.00",
    "salary_period": "month",
    "openings": 2,
    "start_date": None,
    "published_at": "2026-11-02T09:00:00+01:00",
    "expires_at": "2027-01-01T09:00:00+01:00",
    "essential_skills": [
        {
            "id": 31,
            "uri": "http://data.europa.eu/esco/skill/0e1f5a3c-8b0e-4a4f-9b6e-0c9d1f3c1a77",
            "label": "procesinstallaties bewaken",
        }
    ],
    "optional_skills": [],
    "languages": [{"language": "nl", "min_level": 4}],
    "moderation_note": "",
    "created_at": "2026-11-01T15:00:00+01:00",
    "updated_at": "2026-11-02T09:00:00+01:00",
}
VACANCY_WRITE_EXAMPLE = {
    "reference": "TNZ-2026-014",
    "title": "Procesoperator ploegendienst",
    "description": "Je bewaakt het productieproces in de fabriek in Sluiskil.",
    "occupation": 7,
    "place": 12,
    "contract_type": "permanent",
    "hours_per_week": 38,
    "shift_work": True,
    "shift_start_times": ["06:00", "14:00", "22:00"],
    "salary_min": "3200.00",
    "salary_max": "4100.00",
    "salary_period": "month",
    "openings": 2,
    "min_eqf_level": 4,
    "requires_min_secondary": True,
    "essential_skills": [31],
    "languages": [{"language": "nl", "min_level": 4}],
}
JOBPOSTING_EXAMPLE = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "identifier": {"@type": "PropertyValue", "name": "Kanaalzone Chemie B.V.", "value": "TNZ-2026-014"},
    "title": "Procesoperator ploegendienst",
    "description": "<p>Je bewaakt het productieproces in de fabriek in Sluiskil.</p>",
    "datePosted": "2026-11-02",
    "validThrough": "2027-01-01T09:00:00+01:00",
    "employmentType": ["FULL_TIME"],
    "workHours": "38 hours per week, shift work",
    "hiringOrganization": {"@type": "Organization", "name": "Kanaalzone Chemie B.V.", "sameAs": "https://example.nl"},
    "jobLocation": {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Sluiskil",
            "addressRegion": "Zeeland",
            "addressCountry": "NL",
        },
    },
    "occupationalCategory": {
        "@type": "CategoryCode",
        "codeValue": "8131",
        "inCodeSet": {"@type": "CategoryCodeSet", "name": "ISCO-08"},
    },
    "educationRequirements": {"@type": "EducationalOccupationalCredential", "credentialCategory": "high school"},
    "skills": [
        {
            "@type": "DefinedTerm",
            "name": "procesinstallaties bewaken",
            "url": "http://data.europa.eu/esco/skill/0e1f5a3c-8b0e-4a4f-9b6e-0c9d1f3c1a77",
        }
    ],
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {"@type": "QuantitativeValue", "minValue": 3200, "maxValue": 4100, "unitText": "MONTH"},
    },
    "directApply": True,
}
JOBPOSTING_BODY = {
    "description": 'One schema.org JobPosting, a list of them, or {"@graph": [...]}.',
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    ],
}
REPORT_EXAMPLE = {
    "committed": True,
    "dry_run": False,
    "partial": False,
    "format": "jobposting",
    "summary": {"total": 2, "created": 1, "updated": 0, "unchanged": 1, "refused": 0, "skipped": 0},
    "errors": [],
    "records": [
        {
            "index": 1,
            "reference": "TNZ-2026-014",
            "title": "Procesoperator ploegendienst",
            "outcome": "created",
            "vacancy": 42,
            "errors": {},
            "warnings": [],
        },
        {
            "index": 2,
            "reference": "TNZ-2026-015",
            "title": "Onderhoudstechnicus",
            "outcome": "unchanged",
            "vacancy": 43,
            "errors": {},
            "warnings": [],
        },
    ],
}
REFUSED_EXAMPLE = {
    "committed": False,
    "dry_run": False,
    "partial": False,
    "format": "jobposting",
    "summary": {"total": 2, "created": 0, "updated": 0, "unchanged": 0, "refused": 1, "skipped": 1},
    "errors": [],
    "records": [
        {
            "index": 1,
            "reference": "TNZ-2026-014",
            "title": "Procesoperator ploegendienst",
            "outcome": "skipped",
            "vacancy": None,
            "errors": {},
            "warnings": ["Not imported because other records were refused."],
        },
        {
            "index": 2,
            "reference": "TNZ-2026-016",
            "title": "Lasser",
            "outcome": "refused",
            "vacancy": None,
            "errors": {"place": ["Unknown place: Lyon."]},
            "warnings": [],
        },
    ],
}

JOB_QUEUED_EXAMPLE = {
    "job": {
        "id": 17,
        "status": "queued",
        "filename": "feed.json",
        "size": 5_012_345,
        "partial": False,
        "dry_run": False,
        "draft": False,
        "total": 0,
        "checked": 0,
        "processed": 0,
        "percent": 0,
        "error": "",
        "created_at": "2026-11-27T10:00:00+01:00",
        "started_at": None,
        "finished_at": None,
        "report": None,
    },
    "status_url": "https://nsp.example/api/v1/vacancies/import/jobs/17",
}
JOB_RUNNING_EXAMPLE = {
    **JOB_QUEUED_EXAMPLE,
    "job": {
        **JOB_QUEUED_EXAMPLE["job"],
        "status": "running",
        "total": 3200,
        "checked": 3200,
        "processed": 800,
        "percent": 62,
        "started_at": "2026-11-27T10:00:01+01:00",
    },
}
JOB_DONE_EXAMPLE = {
    **JOB_QUEUED_EXAMPLE,
    "job": {
        **JOB_RUNNING_EXAMPLE["job"],
        "status": "done",
        "total": 2,
        "checked": 2,
        "processed": 2,
        "percent": 100,
        "finished_at": "2026-11-27T10:00:09+01:00",
        "report": REPORT_EXAMPLE,
    },
}


class ImportJobAcceptedSerializer(serializers.Serializer):
    job = ImportJobSerializer()
    status_url = serializers.URLField(help_text="GET it for the progress and the report.")


def _job_data(request, job) -> dict:
    url = request.build_absolute_uri(reverse("api:vacancy-import-job", kwargs={"job_id": job.pk}))
    return {"job": ImportJobSerializer(job).data, "status_url": url}


_PUBLIC = [AllowAny]
_EMPLOYER = [IsEmployer]
_CASEWORKER = [IsCaseworker]
_IMPORT_FLAGS = [
    OpenApiParameter("partial", OpenApiTypes.BOOL, description="Import the good records even if others are refused."),
    OpenApiParameter("dry_run", OpenApiTypes.BOOL, description="Report what would happen; write nothing."),
    OpenApiParameter("draft", OpenApiTypes.BOOL, description="Keep new vacancies as drafts instead of publishing."),
]


def _flag(request, name: str) -> bool:
    return str(request.query_params.get(name, "")).lower() in ("1", "true", "yes", "on")


@extend_schema_view(
    list=extend_schema(
        summary="Search published vacancies",
        description="The public search of the vacancy page (same filters). Anyone, no scope needed.",
        parameters=[OpenApiParameter("from_place", OpenApiTypes.INT, description="Home place id, for max_minutes.")],
        examples=[OpenApiExample("vacancy", value=VACANCY_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="A vacancy",
        description="Published vacancies for everyone; your own in any status (employer, vacancies:read); "
        "vacancies in review for caseworkers (vacancies:read).",
        examples=[OpenApiExample("vacancy", value=VACANCY_EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        summary="Post a vacancy (a draft)",
        description="Employers only (vacancies:write). Submit it afterwards to publish it.",
        request=VacancyWriteSerializer,
        responses={201: VacancySerializer},
        examples=[
            OpenApiExample("new vacancy", value=VACANCY_WRITE_EXAMPLE, request_only=True),
            OpenApiExample(
                "created",
                value={**VACANCY_EXAMPLE, "status": "draft", "published_at": None},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    ),
    partial_update=extend_schema(
        summary="Change your vacancy",
        description="Employers, their own vacancies only (vacancies:write); any subset of the fields. "
        "A closed or filled vacancy cannot be changed.",
        request=VacancyWriteSerializer,
        responses={200: VacancySerializer},
        examples=[
            OpenApiExample("more hours", value={"hours_per_week": 40}, request_only=True),
            OpenApiExample("changed", value={**VACANCY_EXAMPLE, "hours_per_week": 40}, response_only=True),
        ],
    ),
)
class VacancyViewSet(
    ETagMixin,
    ErrorsAsJsonMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = VacancySerializer
    throttle_scope = "import"  # used only by the import action's ImportThrottle
    required_scopes = {
        "mine": ApiScope.VACANCIES_READ,
        "moderation": ApiScope.VACANCIES_READ,
        "create": ApiScope.VACANCIES_WRITE,
        "partial_update": ApiScope.VACANCIES_WRITE,
        "submit": ApiScope.VACANCIES_WRITE,
        "set_status": ApiScope.VACANCIES_WRITE,
        "moderate": ApiScope.VACANCIES_WRITE,
        "import_vacancies": ApiScope.VACANCIES_WRITE,
        "import_job": ApiScope.VACANCIES_WRITE,
    }

    @property
    def filter_backends(self):
        from django_filters.rest_framework import DjangoFilterBackend

        if self.action in ("list", "mine", "moderation"):
            return [DjangoFilterBackend, UpdatedSinceFilter]
        return []

    @property
    def filterset_class(self):
        return {"list": VacancyFilter, "mine": EmployerVacancyFilter}.get(self.action)

    def get_permissions(self):
        if self.action in ("list", "retrieve", "jobposting", "import_template"):
            classes = _PUBLIC
        elif self.action == "moderate":
            classes = [IsCaseworker, MayModerateVacancy]
        elif self.action == "moderation":
            classes = _CASEWORKER
        else:
            classes = _EMPLOYER
        return [cls() for cls in [*classes, ScopePermission]]

    def get_queryset(self) -> QuerySet[Vacancy]:
        user = self.request.user
        action = self.action
        if action == "list":
            return _with_lists(selectors.vacancy_list_public(), languages=False)  # it prefetches them
        if action in ("moderate", "moderation"):
            return _with_lists(selectors.vacancy_list_in_review())
        if action in ("retrieve", "jobposting"):
            now = timezone.now()
            visible = Q(status=VacancyStatus.PUBLISHED) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            if user.is_authenticated and may(self.request, ApiScope.VACANCIES_READ):
                if is_employer(user):
                    visible |= Q(employer_id=user.employer_id)
                if is_caseworker(user):
                    visible |= Q(status=VacancyStatus.IN_REVIEW)
            queryset = Vacancy.objects.filter(visible).with_details()
            if action == "jobposting":
                return queryset.prefetch_related("essential_skills", "optional_skills", "place__postal_codes")
            return _with_lists(queryset)
        # The employer's own vacancies: anybody else's is a 404.
        return _with_lists(selectors.vacancy_list_for_employer(user=user)).order_by("-created_at", "-pk")

    def paginate_queryset(self, queryset):
        """The public list's page in two steps: the page's ids from the vacancy table alone, then
        those rows with their joins. One query sorted every open vacancy with its employer, place
        and occupation to keep 20 (issue 15, docs/performance.md); the rows and their order are
        the same."""
        if self.action != "list" or self.paginator is None:
            return super().paginate_queryset(queryset)
        ids = super().paginate_queryset(queryset.prefetch_related(None).values_list("pk", flat=True))
        if ids is None:
            return None
        ids = list(ids)
        # The lists as plain lists (to_attr): no queryset per vacancy and list (serializers.PREFETCHED_LISTS).
        lists = [
            Prefetch("essential_skills", to_attr=PREFETCHED_LISTS["essential_skills"]),
            Prefetch("optional_skills", to_attr=PREFETCHED_LISTS["optional_skills"]),
            Prefetch(
                "languages",
                queryset=VacancyLanguage.objects.order_by("language"),
                to_attr=PREFETCHED_LISTS["languages"],
            ),
        ]
        rows = queryset.prefetch_related(None).prefetch_related(*lists).order_by().in_bulk(ids)
        self.prefetched_lists = True
        return [rows[pk] for pk in ids if pk in rows]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "prefetched_lists": getattr(self, "prefetched_lists", False)}

    def _fresh(self, vacancy: Vacancy) -> dict:
        vacancy = _with_lists(Vacancy.objects.with_details()).get(pk=vacancy.pk)
        return VacancySerializer(vacancy, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        serializer = VacancyWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        vacancy = services.vacancy_create(employer=request.user.employer, **serializer.service_kwargs())
        data = self._fresh(vacancy)
        location = request.build_absolute_uri(reverse("api:vacancy-detail", kwargs={"pk": vacancy.pk}))
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def update(self, request, *args, **kwargs):
        vacancy = self.get_object()
        serializer = VacancyWriteSerializer(
            vacancy, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.vacancy_update(vacancy=vacancy, **serializer.service_kwargs())
        return Response(self._fresh(vacancy))

    @extend_schema(
        summary="Your vacancies, in every status",
        description="Employers (vacancies:read). Filter by status or your own reference; `updated_since` for sync.",
        responses=VacancySerializer(many=True),
        examples=[OpenApiExample("vacancy", value=VACANCY_EXAMPLE, response_only=True)],
    )
    @action(detail=False, methods=["get"])
    def mine(self, request):
        return self.list(request)

    @extend_schema(
        summary="Vacancies waiting for moderation",
        description="Caseworkers (vacancies:read): vacancies of employers not verified yet, oldest first, of "
        "both countries; only those of your service's country can be moderated (POST …/moderate).",
        responses=VacancySerializer(many=True),
        examples=[OpenApiExample("in review", value={**VACANCY_EXAMPLE, "status": "in_review"}, response_only=True)],
    )
    @action(detail=False, methods=["get"])
    def moderation(self, request):
        return self.list(request)

    @extend_schema(
        summary="Publish your draft",
        description="Employers (vacancies:write). A verified employer's vacancy is published at once; otherwise "
        "it goes to review by a caseworker first — as the page's Publish button.",
        request=None,
        responses={200: VacancySerializer},
        examples=[OpenApiExample("published", value=VACANCY_EXAMPLE, response_only=True)],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        vacancy = services.vacancy_submit(vacancy=self.get_object())
        return Response(self._fresh(vacancy))

    @extend_schema(
        summary="Close, mark filled, or publish again",
        description="Employers (vacancies:write): closed, filled, or published (only to renew an expired vacancy).",
        request=VacancyStatusSerializer,
        responses={200: VacancySerializer},
        examples=[
            OpenApiExample("close", value={"status": "closed"}, request_only=True),
            OpenApiExample("closed", value={**VACANCY_EXAMPLE, "status": "closed"}, response_only=True),
        ],
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        vacancy = self.get_object()
        serializer = VacancyStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The page's rule (vacancies.services): only an expired vacancy is published again.
        vacancy = services.vacancy_set_status(vacancy=vacancy, status=serializer.validated_data["status"])
        return Response(self._fresh(vacancy))

    @extend_schema(
        summary="Approve or send back a vacancy in review",
        description="Caseworkers (vacancies:write) of a service of the employer's country (VDAB: Belgian "
        "companies; UWV, WSP Zeeuws-Vlaanderen: Dutch ones), or a portal admin; any other caseworker gets a 403 "
        "(`permission_denied`), a vacancy not in review is a 404. Sending back needs a note for the employer.",
        request=VacancyModerationSerializer,
        responses={200: VacancySerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        examples=[
            OpenApiExample("approve", value={"approve": True, "note": ""}, request_only=True),
            OpenApiExample("send back", value={"approve": False, "note": "Geef het salaris."}, request_only=True),
            OpenApiExample("approved", value=VACANCY_EXAMPLE, response_only=True),
        ],
    )
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        vacancy = self.get_object()
        serializer = VacancyModerationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vacancy = services.vacancy_moderate(
            vacancy=vacancy,
            approve=serializer.validated_data["approve"],
            moderator=request.user,
            note=serializer.validated_data.get("note", "").strip(),
        )
        return Response(self._fresh(vacancy))

    @extend_schema(
        summary="The vacancy as schema.org JobPosting (JSON-LD)",
        description="The same document the vacancy page embeds; importable with POST /api/v1/vacancies/import.",
        responses={(200, "application/ld+json"): OpenApiTypes.OBJECT, (200, "application/json"): OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "JobPosting", value=JOBPOSTING_EXAMPLE, response_only=True, media_type="application/ld+json"
            ),
            OpenApiExample("JobPosting as JSON", value=JOBPOSTING_EXAMPLE, response_only=True),
        ],
    )
    @action(detail=True, methods=["get"], renderer_classes=[JsonLdRenderer, JSONRenderer])
    def jobposting(self, request, pk=None):
        vacancy = self.get_object()
        return Response(vacancy_jobposting(vacancy, url=vacancy_page_url(request, vacancy)))

    @extend_schema(
        summary="Import vacancies (JobPosting JSON or CSV)",
        description=(
            "Employers (vacancies:write). The body is schema.org JobPosting JSON (one document, a list, or an "
            "@graph; application/ld+json or application/json), the CSV template (text/csv, see "
            "GET /api/v1/vacancies/import/template), or either as a multipart upload in `file`. "
            "Records are found again by `identifier` (your reference), so importing the same file twice changes "
            "nothing. All or nothing unless `partial=true`. The import runs in the background: the answer is "
            "202 at once with the job and its `status_url` (also in `Location`); GET it for the progress and, "
            "when `status` is `done`, the report per record (`failed`: nothing was written, see `error`). "
            "Records without an occupation code or skills get them suggested from their text when the portal "
            "is confident, and say so in their report (`suggested`). "
            "Files above the size limit are refused (413) before they are parsed, JSON nested deeper than "
            "`API_JSON_MAX_DEPTH` levels (400 `too_deep`) too."
        ),
        parameters=_IMPORT_FLAGS,
        request={
            "application/ld+json": JOBPOSTING_BODY,
            "application/json": JOBPOSTING_BODY,
            "text/csv": OpenApiTypes.STR,
            "multipart/form-data": inline_serializer("ImportUpload", fields={"file": serializers.FileField()}),
        },
        responses={
            202: ImportJobAcceptedSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="`too_deep`: JSON nested too deeply; refused before parsing."
            ),
            413: OpenApiResponse(ErrorSerializer, description="The file is too large; refused before parsing."),
        },
        examples=[
            OpenApiExample(
                "one JobPosting", value=JOBPOSTING_EXAMPLE, request_only=True, media_type="application/ld+json"
            ),
            OpenApiExample(
                "a list of JobPostings", value=[JOBPOSTING_EXAMPLE], request_only=True, media_type="application/json"
            ),
            OpenApiExample("accepted", value=JOB_QUEUED_EXAMPLE, response_only=True, status_codes=["202"]),
        ],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[JsonLdBodyParser, JsonBodyParser, CsvBodyParser, MultiPartParser],
        throttle_classes=[AnonThrottle, UserThrottle, ImportThrottle],
    )
    def import_vacancies(self, request):
        limit = settings.VACANCY_IMPORT_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # Refused by its declared size, before a byte is parsed (multipart adds a little framing).
        if length > limit + 64 * 1024:
            raise PayloadTooLarge(_limit_message())
        filename = ""
        content_type = request.content_type or ""
        if content_type.startswith("multipart/"):
            upload = request.FILES.get("file")
            if upload is None:
                raise exceptions.ValidationError({"file": [_("Upload the file in the field “file”.")]})
            if upload.size > limit:
                raise PayloadTooLarge(_limit_message())
            content, filename, content_type = upload.read(), upload.name or "", upload.content_type or ""
        else:
            content = request.data if isinstance(request.data, bytes) else b""
        try:
            # The worker checks it again (a job from the page); refusing here spares the queue.
            if detect_format(content, filename=filename, content_type=content_type) == "jobposting":
                refuse_too_deep(content)
            job = import_job_submit(
                employer=request.user.employer,
                user=request.user,
                content=content,
                filename=filename,
                content_type=content_type,
                partial=_flag(request, "partial"),
                dry_run=_flag(request, "dry_run"),
                submit=not _flag(request, "draft"),
            )
        except ImportTooLarge as exc:
            raise PayloadTooLarge(str(exc)) from exc
        except ImportTooDeep as exc:
            raise BodyTooDeep(str(exc)) from exc
        data = _job_data(request, job)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["status_url"]})

    @extend_schema(
        summary="An import job: its progress and, when done, its report",
        description="Employers (vacancies:write), the jobs of their own company only (others' are 404). Poll it "
        "every few seconds until `job.status` is `done` (the report per record in `job.report`, the shape "
        "the import answered before it ran in the background) or `failed` (nothing was written; `job.error`).",
        parameters=[OpenApiParameter("job_id", OpenApiTypes.INT, OpenApiParameter.PATH)],
        responses={200: ImportJobAcceptedSerializer, 404: ErrorSerializer},
        examples=[
            OpenApiExample("running", value=JOB_RUNNING_EXAMPLE, response_only=True),
            OpenApiExample("done", value=JOB_DONE_EXAMPLE, response_only=True),
            OpenApiExample(
                "done, nothing written (a record refused)",
                value={**JOB_DONE_EXAMPLE, "job": {**JOB_DONE_EXAMPLE["job"], "report": REFUSED_EXAMPLE}},
                response_only=True,
            ),
        ],
    )
    @action(detail=False, methods=["get"], url_path=r"import/jobs/(?P<job_id>[0-9]{1,18})")
    def import_job(self, request, job_id=None):
        job = selectors.import_jobs_for_employer(user=request.user).filter(pk=int(job_id)).first()
        if job is None:
            raise exceptions.NotFound()
        return Response(_job_data(request, job))

    @extend_schema(
        summary="The CSV import template",
        description="The header and one example row; docs/api.md explains each column.",
        responses={(200, "text/csv"): OpenApiTypes.STR},
        examples=[
            OpenApiExample(
                "template", value="reference,title,description,...", response_only=True, media_type="text/csv"
            )
        ],
    )
    @action(detail=False, methods=["get"], url_path="import/template", renderer_classes=[CsvRenderer])
    def import_template(self, request):
        response = Response(csv_template(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="vacancy-import-template.csv"'
        return response

"""Matches over the API: caseworkers list shortlists and decide (the pages' rules and audit
trail, via matching.services.match_decide); employers read the accepted matches of their own
vacancies; jobseekers accept or decline. Plus rematch/rebuild with a task id and its
progress, and CSV exports of shortlists (the figures' CSV is in workspace/api.py). Scoped
first, roles and scopes on top."""

import logging
import re

import django_filters
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access_alerts import counts_personal_data_access
from accounts.authentication import ScopePermission
from accounts.models import ApiScope
from accounts.permissions import (
    IsCaseworker,
    IsEmployerOrCaseworker,
    IsJobseeker,
    IsParticipant,
    IsPortalAdmin,
    RolePermission,
)
from accounts.roles import is_caseworker, is_employer, is_jobseeker
from audit.api import AccessLogMixin
from candidates.selectors import candidate_id_of
from core.api.errors import ErrorSerializer
from core.api.etags import ETagMixin
from core.api.filters import UpdatedSinceFilter
from core.api.pagination import EstimatedCountPagination
from core.api.renderers import CsvRenderer, ErrorsAsJsonMixin
from core.csv_export import csv_response
from vacancies.models import Vacancy

from .exports import (
    caseworker_shortlist_header,
    caseworker_shortlist_rows,
    employer_shortlist_header,
    employer_shortlist_rows,
)
from .models import CandidateResponse, GapKind, Match, NearMiss, NearMissSkill, PendingRematch, RebuildRun, ReviewStatus
from .selectors import SHORTLIST_VACANCY_STATUSES, matches_visible_to
from .serializers import (
    MatchBulkDecisionSerializer,
    MatchDecisionInputSerializer,
    MatchResponseSerializer,
    MatchSerializer,
    NearMissSerializer,
    RematchSerializer,
    TaskSerializer,
    TaskStatusSerializer,
)
from .services import (
    match_decide,
    match_decide_many,
    match_respond,
    shortlists_rebuild_request,
    vacancy_rematch_request,
)

MATCH_EXAMPLE = {
    "id": 901,
    "vacancy": {
        "id": 42,
        "reference": "TNZ-2026-014",
        "title": "Procesoperator ploegendienst",
        "employer": "Kanaalzone Chemie B.V.",
        "place": "Sluiskil",
        "country": "NL",
        "status": "published",
    },
    "candidate": {
        "id": 5,
        "name": "An Peeters",
        "email": "an@example.be",
        "place": "Zelzate",
        "country": "BE",
        "employment_service": "vdab",
        "diplomas": ["Diploma secundair onderwijs TSO (EQF 4)"],
        "skills": ["procesinstallaties bewaken"],
        "languages": ["Dutch C2"],
    },
    "score": 0.82,
    "rank": 1,
    "factors": {"occupation": 1.0, "skills": 0.7, "commute": 0.8},
    "explanation": [
        {
            "code": "commute",
            "minutes": 25,
            "mode": "car",
            "crossing": "border",
            "text": "25 minutes by car across the Dutch–Belgian border",
        }
    ],
    "is_flagged": False,
    "flag_reasons": [],
    "review_status": "approved",
    "reason": "",
    "note": "",
    "reviewed_at": "2026-11-04T11:00:00+01:00",
    "candidate_response": "accepted",
    "responded_at": "2026-11-04T18:00:00+01:00",
    "decidable": True,
    "decisions": [
        {
            "decision": "approved",
            "reviewer": "consulent@vdab.example",
            "reviewer_service": "vdab",
            "reason": "",
            "note": "",
            "at": "2026-11-04T11:00:00+01:00",
        }
    ],
    "created_at": "2026-11-03T02:30:00+01:00",
    "updated_at": "2026-11-04T18:00:00+01:00",
}
logger = logging.getLogger(__name__)
TASK_ID = re.compile(r"^[0-9a-fA-F-]{36}$")


class MatchFilter(django_filters.FilterSet):
    vacancy = django_filters.NumberFilter(field_name="vacancy_id", help_text="The shortlist of this vacancy.")
    review_status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)
    candidate_response = django_filters.ChoiceFilter(choices=CandidateResponse.choices)
    is_flagged = django_filters.BooleanFilter()

    class Meta:
        model = Match
        fields = ["vacancy", "review_status", "candidate_response", "is_flagged"]


@extend_schema_view(
    list=extend_schema(
        summary="Matches and shortlists",
        description="Caseworkers: the shortlists they may see (own service, or cross-border consent), filter by "
        "vacancy and review_status. Employers: approved matches their candidates accepted, of their "
        "own vacancies. Jobseekers: their approved matches. Scope matches:read for tokens.",
        examples=[OpenApiExample("match", value=MATCH_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="A match", examples=[OpenApiExample("match", value=MATCH_EXAMPLE, response_only=True)]
    ),
)
class MatchViewSet(
    AccessLogMixin,
    ETagMixin,
    ErrorsAsJsonMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MatchSerializer
    pagination_class = EstimatedCountPagination  # a count of every visible match followed the table's size
    audit_operation = "api:matches"
    filterset_class = MatchFilter
    required_scopes = {
        "list": ApiScope.MATCHES_READ,
        "retrieve": ApiScope.MATCHES_READ,
        "decision": ApiScope.MATCHES_WRITE,
        "decisions": ApiScope.MATCHES_WRITE,
        "export": ApiScope.EXPORTS_READ,
    }

    @property
    def filter_backends(self):
        from django_filters.rest_framework import DjangoFilterBackend

        return [DjangoFilterBackend, UpdatedSinceFilter] if self.action in ("list", "export") else []

    def get_permissions(self):
        role = {
            "decision": IsCaseworker,
            "decisions": IsCaseworker,
            "response": IsJobseeker,
            "export": IsEmployerOrCaseworker,
        }.get(self.action, IsParticipant)
        return [role(), ScopePermission()]

    def get_queryset(self) -> QuerySet[Match]:
        return matches_visible_to(user=self.request.user)

    def audit_logs_access(self) -> bool:
        # Employers and caseworkers see other people's data; a jobseeker sees their own.
        return not is_jobseeker(self.request.user)

    def _fresh(self, pk: int) -> dict:
        return MatchSerializer(self.get_queryset().get(pk=pk), context=self.get_serializer_context()).data

    @extend_schema(
        summary="Approve or reject a match",
        description="Caseworkers (matches:write), on the candidates they may decide on — the pages' rule "
        "(matching/permissions.py) and audit trail. Rejecting needs a reason; “other” needs a note.",
        request=MatchDecisionInputSerializer,
        responses={200: MatchSerializer},
        examples=[
            OpenApiExample("approve", value={"decision": "approved"}, request_only=True),
            OpenApiExample(
                "reject", value={"decision": "rejected", "reason": "commute", "note": ""}, request_only=True
            ),
            OpenApiExample("decided", value=MATCH_EXAMPLE, response_only=True),
        ],
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        match = self.get_object()
        serializer = MatchDecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        match_decide(match=match, reviewer=request.user, **serializer.validated_data)
        return Response(self._fresh(match.pk))

    @extend_schema(
        summary="Decide on several matches at once",
        description="Caseworkers (matches:write). All or nothing: one match you may not decide on and none is "
        "decided. A match you cannot see is a 404.",
        request=MatchBulkDecisionSerializer,
        responses={200: MatchSerializer(many=True)},
        examples=[
            OpenApiExample(
                "approve three", value={"matches": [901, 902, 905], "decision": "approved"}, request_only=True
            ),
            OpenApiExample("decided", value=[MATCH_EXAMPLE], response_only=True),
        ],
    )
    @action(detail=False, methods=["post"], pagination_class=None)
    def decisions(self, request):
        serializer = MatchBulkDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = list(dict.fromkeys(data["matches"]))
        visible = set(self.get_queryset().filter(pk__in=ids).values_list("pk", flat=True))
        if len(visible) != len(ids):
            raise exceptions.NotFound(_("Some of these matches do not exist or are not yours to see."))
        match_decide_many(
            match_ids=ids, reviewer=request.user, decision=data["decision"], reason=data["reason"], note=data["note"]
        )
        matches = self.get_queryset().filter(pk__in=ids)
        return Response(MatchSerializer(matches, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Accept or decline your match",
        description="Jobseekers (browser session): accepting shares your profile with this employer.",
        request=MatchResponseSerializer,
        responses={200: MatchSerializer},
        examples=[
            OpenApiExample("accept", value={"accept": True}, request_only=True),
            OpenApiExample(
                "accepted",
                value={**MATCH_EXAMPLE, "candidate": None, "decisions": [], "decidable": None},
                response_only=True,
            ),
        ],
    )
    @action(detail=True, methods=["post"])
    def response(self, request, pk=None):
        match = self.get_object()
        serializer = MatchResponseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        match_respond(match=match, user=request.user, accept=serializer.validated_data["accept"])
        return Response(self._fresh(match.pk))

    @extend_schema(
        summary="Shortlists as CSV",
        description="Caseworkers: the approved matches they may see (or another review_status); employers: the "
        "shared shortlists of their vacancies. Filter by vacancy. Scope exports:read for tokens.",
        responses={(200, "text/csv"): OpenApiTypes.STR},
        examples=[
            OpenApiExample(
                "csv", value="Vacancy;Reference;Employer;Name;...", response_only=True, media_type="text/csv"
            )
        ],
    )
    @action(detail=False, methods=["get"], renderer_classes=[CsvRenderer], pagination_class=None)
    @counts_personal_data_access("api:matches.export")
    def export(self, request):
        matches = self.filter_queryset(self.get_queryset())
        stamp = timezone.localdate().isoformat()
        if is_employer(request.user):
            self.audit_export(matches)
            return csv_response(
                filename=f"shortlist-{stamp}.csv",
                header=employer_shortlist_header(),
                rows=employer_shortlist_rows(matches),
            )
        if "review_status" not in request.query_params:
            matches = matches.filter(review_status=ReviewStatus.APPROVED)
        self.audit_export(matches)
        return csv_response(
            filename=f"approved-matches-{stamp}.csv",
            header=caseworker_shortlist_header(),
            rows=caseworker_shortlist_rows(matches),
        )


class Unavailable(exceptions.APIException):
    status_code = 503
    default_detail = _("The matching worker cannot be reached right now; try again in a minute.")
    default_code = "unavailable"


def _status_url(request, task_id: str) -> str:
    return request.build_absolute_uri(reverse("api:matching-task", kwargs={"task_id": task_id}))


def _accepted(request, pending: PendingRematch) -> Response:
    """202 with the outbox request's task id; ``queued`` is False while it waits for the broker."""
    waiting = PendingRematch.objects.filter(pk=pending.pk, enqueued_at__isnull=True).exists()
    return Response(
        {"task_id": pending.task_id, "status_url": _status_url(request, pending.task_id), "queued": not waiting},
        status=status.HTTP_202_ACCEPTED,
    )


TASK_EXAMPLE = {
    "task_id": "3f1c6a5e-3d0b-4a59-9a7e-0c7f2b1d9e44",
    "status_url": "https://talent.example/api/v1/matching/tasks/3f1c6a5e-3d0b-4a59-9a7e-0c7f2b1d9e44",
    "queued": True,
}


class RematchView(ErrorsAsJsonMixin, APIView):
    permission_classes = [IsCaseworker, ScopePermission]
    required_scopes = {"POST": ApiScope.MATCHES_WRITE}

    @extend_schema(
        operation_id="matching_rematch",
        tags=["matching"],
        summary="Rematch a vacancy now",
        description="Caseworkers (matches:write): the worker scores every candidate against this published "
        "vacancy again; decisions already taken stay. Returns the task id; follow it at status_url. The "
        "request goes through the pages' outbox: with the broker down it waits (queued false) and is sent later.",
        request=RematchSerializer,
        responses={202: TaskSerializer},
        examples=[
            OpenApiExample("rematch", value={"vacancy": 42}, request_only=True),
            OpenApiExample("queued", value=TASK_EXAMPLE, response_only=True, status_codes=["202"]),
        ],
    )
    def post(self, request):
        serializer = RematchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        vacancy = Vacancy.objects.filter(
            pk=serializer.validated_data["vacancy"], status__in=SHORTLIST_VACANCY_STATUSES
        ).first()
        if vacancy is None:
            raise exceptions.NotFound(_("No such vacancy with a shortlist."))
        return _accepted(request, vacancy_rematch_request(vacancy=vacancy))


class RebuildView(ErrorsAsJsonMixin, APIView):
    permission_classes = [IsPortalAdmin, ScopePermission]
    required_scopes = {"POST": ApiScope.MATCHES_WRITE}

    @extend_schema(
        operation_id="matching_rebuild",
        tags=["matching"],
        summary="Rebuild every shortlist",
        description="Portal administrators: score everything again, in chunks shared by the workers. "
        "The task's status shows the rebuild's progress (chunks done / total).",
        request=None,
        responses={202: TaskSerializer},
        examples=[OpenApiExample("queued", value=TASK_EXAMPLE, response_only=True, status_codes=["202"])],
    )
    def post(self, request):
        return _accepted(request, shortlists_rebuild_request())


def _run_payload(run: RebuildRun | None) -> dict | None:
    if run is None:
        return None
    return {
        "id": run.pk,
        "status": run.status,
        "chunks_done": run.chunks_done,
        "chunks_total": run.chunks_total,
        "progress": round(run.progress, 4),
        "vacancies_total": run.vacancies_total,
        "candidates_total": run.candidates_total,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


class TaskStatusView(ErrorsAsJsonMixin, APIView):
    permission_classes = [IsCaseworker, ScopePermission]

    @extend_schema(
        operation_id="matching_task_status",
        tags=["matching"],
        summary="Progress of a rematch or rebuild",
        description="Caseworkers. `progress` goes from 0 to 1; for a rebuild it is chunks done / chunks total "
        "and `rebuild` has the details. An unknown id stays PENDING.",
        parameters=[OpenApiParameter("task_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses={200: TaskStatusSerializer, 503: ErrorSerializer},
        examples=[
            OpenApiExample(
                "rebuilding",
                response_only=True,
                value={
                    "task_id": TASK_EXAMPLE["task_id"],
                    "state": "SUCCESS",
                    "ready": True,
                    "progress": 0.4,
                    "result": 17,
                    "rebuild": {
                        "id": 17,
                        "status": "running",
                        "chunks_done": 2,
                        "chunks_total": 5,
                        "progress": 0.4,
                        "vacancies_total": 2400,
                        "candidates_total": 9000,
                        "started_at": "2026-11-22T02:30:00+01:00",
                        "finished_at": None,
                    },
                },
            )
        ],
    )
    def get(self, request, task_id: str):
        from . import tasks

        if not TASK_ID.match(task_id):
            raise exceptions.NotFound(_("No such task."))
        result = tasks.rematch_vacancy.AsyncResult(task_id)
        try:
            state, ready = result.state, result.ready()
            value = result.result if ready and result.successful() else None
        except Exception as exc:  # the result backend (Redis) is unreachable
            logger.warning("Task status of %s unavailable: %s", task_id, exc)
            raise Unavailable() from exc
        if not isinstance(value, (dict, list, int, float, str, type(None))):
            value = str(value)
        run = None
        progress = 1.0 if ready else 0.0
        if isinstance(value, int) and not isinstance(value, bool):  # rebuild_all returns the run's id
            run = RebuildRun.objects.filter(pk=value).first()
            if run is not None:
                progress = 1.0 if run.status != "running" else run.progress
        return Response(
            {
                "task_id": task_id,
                "state": state,
                "ready": ready,
                "progress": round(progress, 4),
                "result": value,
                "rebuild": _run_payload(run),
            }
        )


# --- near misses: read-only, never for employers (personal data without a decision) -------------

NEAR_MISS_EXAMPLE = {
    "id": 77,
    "vacancy": MATCH_EXAMPLE["vacancy"],
    "candidate": {"id": 5, "name": "An Peeters", "place": "Zelzate", "country": "BE", "employment_service": "vdab"},
    "score": 0.74,
    "rank": 1,
    "kind": "skills",
    "gap": {
        "kind": "skills",
        "skills": [{"id": 311, "label": "procesinstallaties bewaken"}],
        "language": None,
        "education": None,
    },
    "explanation": [
        {"code": "skills_met", "met": 1, "required": 2, "missing": [311], "text": "1 of 2 essential skills"},
        *MATCH_EXAMPLE["explanation"],
    ],
    "computed_at": "2026-11-03T02:30:00+01:00",
}


class IsJobseekerOrCaseworker(RolePermission):
    predicates = (is_jobseeker, is_caseworker)


class NearMissFilter(django_filters.FilterSet):
    vacancy = django_filters.NumberFilter(field_name="vacancy_id", help_text="The near misses of this vacancy.")
    kind = django_filters.ChoiceFilter(choices=GapKind.choices)

    class Meta:
        model = NearMiss
        fields = ["vacancy", "kind"]


def _near_misses_visible_to(user) -> QuerySet[NearMiss]:
    """Caseworkers: the candidates Match.objects.for_caseworker lets them see, on vacancies with a
    shortlist; a jobseeker: their own on open vacancies. Employers never (refused by the permission)."""
    if is_caseworker(user):
        near_misses = NearMiss.objects.for_caseworker(user).filter(vacancy__status__in=SHORTLIST_VACANCY_STATUSES)
    elif is_jobseeker(user):
        candidate_id = candidate_id_of(user)
        if candidate_id is None:
            return NearMiss.objects.none()
        # Only vacancies a jobseeker can open: a draft or closed one is not theirs to see.
        near_misses = NearMiss.objects.for_candidate(candidate_id).filter(
            vacancy__in=Vacancy.objects.open_for_matching().values("pk")
        )
    else:
        return NearMiss.objects.none()
    return (
        near_misses.select_related(
            "vacancy__employer",
            "vacancy__place",
            "candidate__user",
            "candidate__home_place",
            "candidate__employment_service",
        )
        .prefetch_related(Prefetch("skill_rows", queryset=NearMissSkill.objects.select_related("skill")))
        .order_by("vacancy_id", "rank", "pk")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Near misses",
        description="Candidates who pass every hard filter of a vacancy but one, by a closable gap (one or two "
        "essential skills, one language level, one education level). Caseworkers: the candidates they may "
        "see (as for matches), filter by vacancy and kind. Jobseekers: their own. Not for employers. "
        "Scope matches:read for tokens.",
        examples=[OpenApiExample("near miss", value=NEAR_MISS_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="A near miss", examples=[OpenApiExample("near miss", value=NEAR_MISS_EXAMPLE, response_only=True)]
    ),
)
class NearMissViewSet(
    AccessLogMixin, ErrorsAsJsonMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = NearMissSerializer
    pagination_class = EstimatedCountPagination
    audit_operation = "api:near-misses"
    filterset_class = NearMissFilter
    required_scopes = {"list": ApiScope.MATCHES_READ, "retrieve": ApiScope.MATCHES_READ}

    @property
    def filter_backends(self):
        from django_filters.rest_framework import DjangoFilterBackend

        return [DjangoFilterBackend] if self.action == "list" else []

    def get_permissions(self):
        return [IsJobseekerOrCaseworker(), ScopePermission()]

    def get_queryset(self) -> QuerySet[NearMiss]:
        return _near_misses_visible_to(self.request.user)

    def audit_logs_access(self) -> bool:
        return not is_jobseeker(self.request.user)

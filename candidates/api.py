"""A jobseeker's own profile and consents over the API (session only: tokens are for systems).

There is no list and no id in the URL: ``/api/v1/candidates/me`` is always the caller's own
profile, so nobody can reach another's. Writes go to candidates.services.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ScopePermission
from accounts.permissions import IsJobseeker
from core.api.etags import ETagMixin
from taxonomy.selectors import place_for_be_postcode

from . import services
from .models import Candidate, ConsentKind, Experience
from .selectors import candidate_for_user, experiences_of_user
from .serializers import CandidateSerializer, ConsentSerializer, ExperienceSerializer

PROFILE_EXAMPLE = {
    "id": 5,
    "country": "BE",
    "postcode": "9060",
    "home_place": 14,
    "employment_service": "vdab",
    "commute_by_car": True,
    "commute_by_bike": False,
    "commute_by_public_transport": False,
    "max_commute_minutes": 45,
    "available_from": None,
    "hours_wanted": 38,
    "accepts_shift_work": True,
    "skills": [31, 33],
    "desired_occupations": [7],
    "languages": [{"language": "nl", "level": 6}],
    "diplomas": [{"diploma": 12, "field": 7, "year": 2015, "eqf_level": 4}],
    "phone": "+32470123456",
    "driving_licences": ["B", "C", "CE"],
    "experience": [],
    "cv_check": "passed",
    "consent_matching_at": "2026-11-01T10:00:00+01:00",
    "consent_cross_border_at": None,
    "created_at": "2026-11-01T09:58:00+01:00",
    "updated_at": "2026-11-01T10:00:00+01:00",
}
EXPERIENCE_EXAMPLE = {
    "id": 4,
    "occupation": 1021,
    "occupation_label": "lasser",
    "employer_name": "Damen Shipyards Vlissingen",
    "country": "NL",
    "started_on": "2019-03",
    "ended_on": None,
    "description": "TIG- en MIG-lassen van scheepsrompsecties.",
}
PROFILE_EXAMPLE["experience"] = [EXPERIENCE_EXAMPLE]
CONSENT_EXAMPLE = {
    "matching": True,
    "cross_border": False,
    "matching_at": "2026-11-01T10:00:00+01:00",
    "cross_border_at": None,
    "findable": False,
    "findable_at": None,
    "history": [{"kind": "matching", "given": True, "at": "2026-11-01T10:00:00+01:00"}],
}


def _own_profile(request) -> Candidate:
    candidate = candidate_for_user(user=request.user)
    if candidate is None:
        raise exceptions.NotFound(_("You have no profile yet: PATCH it to create it."))
    return candidate


class CandidateMeView(ETagMixin, APIView):
    permission_classes = [IsJobseeker, ScopePermission]
    serializer_class = CandidateSerializer

    @extend_schema(
        operation_id="candidate_me_retrieve",
        tags=["candidates"],
        summary="Your profile",
        description="Jobseekers only, with their browser session. 404 before the profile exists.",
        responses=CandidateSerializer,
        examples=[OpenApiExample("profile", value=PROFILE_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        return Response(CandidateSerializer(_own_profile(request)).data)

    @extend_schema(
        operation_id="candidate_me_update",
        tags=["candidates"],
        summary="Change (or create) your profile",
        description="Any subset of the fields; skills, desired_occupations, languages and diplomas replace the "
        "current lists. A Belgian postcode finds the place; a Dutch resident chooses home_place.",
        request=CandidateSerializer,
        responses=CandidateSerializer,
        examples=[
            OpenApiExample("commute", value={"commute_by_car": True, "max_commute_minutes": 45}, request_only=True),
            OpenApiExample("profile", value=PROFILE_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request):
        candidate = candidate_for_user(user=request.user)
        serializer = CandidateSerializer(candidate, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        fields = serializer.profile_fields()
        country = fields.get("country", candidate.country if candidate else None)
        if (
            country == "BE"
            and fields.get("postcode")
            and fields.get("home_place") is None
            and ("home_place" in fields or candidate is None or candidate.home_place_id is None)
        ):
            # As the profile page: a Belgian postcode is enough to find the place.
            place = place_for_be_postcode(postcode=str(fields["postcode"]).strip())
            if place is not None:
                fields["home_place"] = place
        fields = services.home_fields_complete(candidate=candidate, fields=fields)
        # A diploma from either country (or elsewhere) is accepted whatever the country of residence.
        diplomas = data.get("diplomas")
        with transaction.atomic():
            if candidate is None:
                if "country" not in fields:
                    raise exceptions.ValidationError({"country": [_("Choose the country where you live.")]})
                candidate = services.candidate_create(user=request.user, **fields)
            elif fields:
                candidate = services.candidate_update(candidate=candidate, **fields)
            if "skills" in data or "desired_occupations" in data:
                services.candidate_set_skills(
                    candidate=candidate,
                    skills=data.get("skills", candidate.skills.all()),
                    desired_occupations=data.get("desired_occupations"),
                )
            if "languages" in data:
                services.candidate_set_languages(
                    candidate=candidate, languages=[(row["language"], int(row["level"])) for row in data["languages"]]
                )
            if diplomas is not None:
                services.candidate_set_diplomas(
                    candidate=candidate,
                    diplomas=[(row["diploma"], row.get("field"), row.get("year")) for row in diplomas],
                )
        return Response(CandidateSerializer(_own_profile(request)).data)


def _consent_data(candidate: Candidate) -> dict:
    return {
        "matching": candidate.has_matching_consent,
        "cross_border": candidate.has_cross_border_consent,
        "matching_at": candidate.consent_matching_at,
        "cross_border_at": candidate.consent_cross_border_at,
        "findable": candidate.has_findable_consent,
        "findable_at": candidate.consent_findable_at,
        "history": [{"kind": e.kind, "given": e.given, "at": e.at} for e in candidate.consent_events.all()[:50]],
    }


class CandidateConsentView(ETagMixin, APIView):
    permission_classes = [IsJobseeker, ScopePermission]
    serializer_class = ConsentSerializer

    @extend_schema(
        operation_id="candidate_consents_retrieve",
        tags=["candidates"],
        summary="Your consents",
        responses=ConsentSerializer,
        examples=[OpenApiExample("consents", value=CONSENT_EXAMPLE, response_only=True)],
    )
    def get(self, request):
        return Response(ConsentSerializer(_consent_data(_own_profile(request))).data)

    @extend_schema(
        operation_id="candidate_consents_update",
        tags=["candidates"],
        summary="Give or withdraw consent",
        description="Every change is recorded with its time (the GDPR's proof).",
        request=ConsentSerializer,
        responses=ConsentSerializer,
        examples=[
            OpenApiExample("agree", value={"matching": True, "cross_border": True}, request_only=True),
            OpenApiExample("consents", value=CONSENT_EXAMPLE, response_only=True),
        ],
    )
    def patch(self, request):
        candidate = _own_profile(request)
        serializer = ConsentSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            for name, kind in (
                ("matching", ConsentKind.MATCHING),
                ("cross_border", ConsentKind.CROSS_BORDER),
                ("findable", ConsentKind.FINDABLE),
            ):
                if name in serializer.validated_data:
                    services.candidate_set_consent(
                        candidate=candidate, kind=kind, given=serializer.validated_data[name]
                    )
        candidate.refresh_from_db()
        return Response(ConsentSerializer(_consent_data(candidate)).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="candidate_experience_list",
        tags=["candidates"],
        summary="Your work experience",
        description="Jobseekers only, with their session; current jobs first. 404 before the profile exists.",
        examples=[OpenApiExample("experience", value=[EXPERIENCE_EXAMPLE], response_only=True)],
    ),
    retrieve=extend_schema(
        operation_id="candidate_experience_retrieve",
        tags=["candidates"],
        summary="One job of your work experience",
        examples=[OpenApiExample("job", value=EXPERIENCE_EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        operation_id="candidate_experience_create",
        tags=["candidates"],
        summary="Add a job to your work experience",
        description="Months as YYYY-MM; ended_on null (or left out) while the job goes on.",
        examples=[
            OpenApiExample(
                "add",
                value={"occupation": 1021, "employer_name": "Damen Shipyards Vlissingen", "started_on": "2019-03"},
                request_only=True,
            ),
            OpenApiExample("added", value=EXPERIENCE_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    ),
    partial_update=extend_schema(
        operation_id="candidate_experience_update",
        tags=["candidates"],
        summary="Change a job of your work experience",
        examples=[
            OpenApiExample("ended", value={"ended_on": "2025-06"}, request_only=True),
            OpenApiExample("changed", value={**EXPERIENCE_EXAMPLE, "ended_on": "2025-06"}, response_only=True),
        ],
    ),
    destroy=extend_schema(
        operation_id="candidate_experience_delete", tags=["candidates"], summary="Delete a job of your work experience"
    ),
)
class ExperienceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """``/api/v1/candidates/me/experience``: the caller's own jobs only (another's is a 404);
    writes through the same services as the profile page."""

    serializer_class = ExperienceSerializer
    permission_classes = [IsJobseeker, ScopePermission]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    pagination_class = None  # a handful of jobs per profile

    def get_queryset(self) -> QuerySet[Experience]:
        return experiences_of_user(user=self.request.user)

    def list(self, request, *args, **kwargs):
        _own_profile(request)
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        candidate = _own_profile(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        experience = services.experience_create(candidate=candidate, **serializer.validated_data)
        return Response(self.get_serializer(experience).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        experience = self.get_object()
        serializer = self.get_serializer(experience, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        experience = services.experience_update(experience=experience, user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(experience).data)

    def perform_destroy(self, instance: Experience) -> None:
        services.experience_delete(experience=instance, user=self.request.user)

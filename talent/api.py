"""The candidate search and the invitations to apply over the API (session only, as the pages).

``/api/v1/talent/candidates``: a verified employer's search over findable candidates
(anonymised cards; an unverified employer gets a 403 saying why), counted per user and hour
and logged as on the pages. ``/api/v1/talent/invitations``: an employer's sent invitations
(create one) or a jobseeker's received ones (accept, decline). Tokens belong to systems, not
to the people who search or answer: they get a 403. Another's invitation is a 404.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from accounts.access_alerts import counts_personal_data_access
from accounts.authentication import ScopePermission, token_of
from accounts.permissions import IsEmployer, IsJobseeker, IsJobseekerOrEmployer
from accounts.roles import is_employer
from applications.serializers import ApplicantSerializer
from audit.services import audit_views
from candidates.models import Candidate
from candidates.serializers import CandidateLanguageSerializer, ExperienceSerializer

from . import selectors, services
from .forms import CandidateSearchForm
from .models import CandidateInvitation, InvitationStatus

CARD_EXAMPLE = {
    "id": 51,
    "home_town": "Terneuzen",
    "diploma_level": 4,
    "desired_occupations": ["lasser"],
    "skills": ["lassen", "TIG-lassen"],
    "languages": [{"language": "nl", "level": "C2"}, {"language": "en", "level": "B1"}],
    "experience": [],
}
INVITATION_EXAMPLE = {
    "id": 7,
    "vacancy": 42,
    "vacancy_title": "Lasser",
    "employer": "Zeeland Refinery",
    "candidate": 51,
    "message": "Wij zoeken een lasser in Vlissingen.",
    "status": "pending",
    "created_at": "2026-11-27T10:00:00+01:00",
    "responded_at": None,
    "candidate_contact": None,
    "candidate_card": CARD_EXAMPLE,
    "candidate_profile": None,
}
PROFILE_EXAMPLE = {
    "id": 51,
    "name": "Anna Verbeke",
    "email": "anna.verbeke@example.org",
    "place": "Terneuzen",
    "country": "NL",
    "phone": "+31612345678",
    "driving_licences": ["B"],
    "diplomas": [{"diploma": "mbo 4", "country": "NL", "field": None, "eqf_level": 4}],
    "skills": ["lassen", "TIG-lassen"],
    "languages": [{"language": "nl", "level": 6}],
    "experience": [
        {
            "id": 3,
            "occupation": 1201,
            "occupation_label": "lasser",
            "employer_name": "Damen Shipyards",
            "country": "NL",
            "started_on": "2019-03",
            "ended_on": None,
            "description": "",
        }
    ],
}
ACCEPTED_EXAMPLE = {
    **INVITATION_EXAMPLE,
    "status": "accepted",
    "responded_at": "2026-11-27T12:00:00+01:00",
    "candidate_contact": {"name": "Anna Verbeke", "email": "anna.verbeke@example.org"},
    "candidate_card": None,
    "candidate_profile": PROFILE_EXAMPLE,
}


class SessionOnly(BasePermission):
    message = _("A token cannot do this: sign in as a person.")

    def has_permission(self, request, view) -> bool:
        return token_of(request) is None


class VerifiedEmployer(BasePermission):
    message = _("Only verified employers can search candidates.")

    def has_permission(self, request, view) -> bool:
        return selectors.may_search_candidates(request.user)


class LanguageLevelSerializer(serializers.Serializer):
    language = serializers.CharField()
    level = serializers.CharField()


class CandidateCardSerializer(serializers.Serializer):
    """An anonymised card: no name, no contact, the home town at most."""

    id = serializers.IntegerField()
    home_town = serializers.SerializerMethodField()
    diploma_level = serializers.IntegerField(source="top_eqf_level", allow_null=True, help_text="Highest EQF level.")
    desired_occupations = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    experience = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_home_town(self, candidate: Candidate) -> str | None:
        return candidate.home_place.name if candidate.home_place_id else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_desired_occupations(self, candidate: Candidate) -> list[str]:
        return [o.label for o in candidate.desired_occupations.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills(self, candidate: Candidate) -> list[str]:
        return [s.label for s in candidate.skills.all()]

    @extend_schema_field(LanguageLevelSerializer(many=True))
    def get_languages(self, candidate: Candidate) -> list[dict]:
        return [{"language": row.language, "level": row.get_level_display()} for row in candidate.languages.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_experience(self, candidate: Candidate) -> list[str]:
        return selectors.experience_summary(candidate) if self.context.get("with_experience") else []


class ProfileDiplomaSerializer(serializers.Serializer):
    diploma = serializers.CharField(source="diploma.label")
    country = serializers.CharField(source="diploma.country")
    field = serializers.CharField(source="field.label", default=None, allow_null=True)
    eqf_level = serializers.IntegerField(source="diploma.eqf_level", allow_null=True)


class CandidateProfileSerializer(ApplicantSerializer):
    """The full profile an employer sees once the candidate accepted its invitation: the
    applicant's contact (as on an application) and what the page's profile shows."""

    phone = serializers.CharField()
    driving_licences = serializers.ListField(child=serializers.CharField())
    diplomas = ProfileDiplomaSerializer(many=True)
    skills = serializers.SerializerMethodField()
    languages = CandidateLanguageSerializer(many=True)
    experience = ExperienceSerializer(many=True, source="experiences")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_skills(self, candidate: Candidate) -> list[str]:
        return [s.label for s in candidate.skills.all()]


class InvitationSerializer(serializers.ModelSerializer):
    vacancy_title = serializers.CharField(source="vacancy.title", read_only=True)
    employer = serializers.CharField(source="vacancy.employer.legal_name", read_only=True)
    candidate_contact = serializers.SerializerMethodField(
        help_text="The candidate's name and e-mail: for the employer, once the candidate accepted."
    )
    candidate_card = serializers.SerializerMethodField(
        help_text="For the employer while the invitation is pending or declined: the anonymised card "
        "(null once the candidate is no longer findable)."
    )
    candidate_profile = serializers.SerializerMethodField(
        help_text="For the employer once the candidate accepted: the full profile, as on the page."
    )

    class Meta:
        model = CandidateInvitation
        fields = [
            "id",
            "vacancy",
            "vacancy_title",
            "employer",
            "candidate",
            "message",
            "status",
            "created_at",
            "responded_at",
            "candidate_contact",
            "candidate_card",
            "candidate_profile",
        ]
        read_only_fields = fields

    # The view loads the cards and profiles of a page at once (InvitationViewSet.get_serializer).
    @extend_schema_field(CandidateCardSerializer(allow_null=True))
    def get_candidate_card(self, invitation: CandidateInvitation) -> dict | None:
        card = self.context.get("cards", {}).get(invitation.candidate_id)
        if card is None or invitation.status == InvitationStatus.ACCEPTED:
            return None
        return CandidateCardSerializer(card, context={"with_experience": True}).data

    @extend_schema_field(CandidateProfileSerializer(allow_null=True))
    def get_candidate_profile(self, invitation: CandidateInvitation) -> dict | None:
        profile = self.context.get("profiles", {}).get(invitation.candidate_id)
        if profile is None or invitation.status != InvitationStatus.ACCEPTED:
            return None
        return CandidateProfileSerializer(profile).data

    @extend_schema_field(serializers.DictField(child=serializers.CharField(), allow_null=True))
    def get_candidate_contact(self, invitation: CandidateInvitation) -> dict | None:
        request = self.context.get("request")
        if invitation.status != InvitationStatus.ACCEPTED or request is None or not is_employer(request.user):
            return None
        user = invitation.candidate.user
        return {"name": user.get_full_name(), "email": user.email}


class InvitationCreateSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(help_text="A card's id from GET /api/v1/talent/candidates.")
    vacancy = serializers.IntegerField(help_text="One of your open vacancies.")
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)


SEARCH_PARAMETERS = [
    OpenApiParameter("occupation", int, description="An occupation id the candidate looks for."),
    OpenApiParameter("skill", int, description="A skill id the candidate has."),
    OpenApiParameter("min_eqf_level", int, description="The candidate's highest diploma at least this EQF level."),
    OpenApiParameter("language", str, description="A language the candidate speaks (ISO 639-1: nl, fr, en, de)."),
    OpenApiParameter("vacancy", int, description="One of your open vacancies: travel time is measured to its place."),
    OpenApiParameter("max_minutes", int, description="Maximum one-way travel time (5–180), with vacancy."),
]


@extend_schema_view(
    list=extend_schema(
        summary="Search findable candidates",
        description="Verified employers only, with their session. Only candidates who consented to be findable; "
        "anonymised cards. Counted per user and hour (429 past the limit) and logged.",
        parameters=SEARCH_PARAMETERS,
        examples=[OpenApiExample("cards", value=CARD_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One candidate's anonymised card",
        examples=[OpenApiExample("card", value=CARD_EXAMPLE, response_only=True)],
    ),
)
class CandidateSearchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CandidateCardSerializer
    permission_classes = [SessionOnly, IsEmployer, VerifiedEmployer, ScopePermission]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Candidate]:
        if self.action == "retrieve":
            return selectors.card_queryset(selectors.findable_candidates(user=self.request.user))
        form = CandidateSearchForm(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        return selectors.candidate_search(user=self.request.user, criteria=form.criteria())

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "with_experience": self.action == "retrieve"}

    @counts_personal_data_access("api:talent.candidates")
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit_views(
            actor=request.user,
            candidate_ids=[c.pk for c in page],
            where="api:talent.candidates",
            kind="talent_card_view",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @counts_personal_data_access("api:talent.candidate")
    def retrieve(self, request, *args, **kwargs):
        candidate = self.get_object()
        audit_views(
            actor=request.user, candidate_ids=[candidate.pk], where="api:talent.candidate", kind="talent_card_view"
        )
        return Response(self.get_serializer(candidate).data)


@extend_schema_view(
    list=extend_schema(
        summary="Invitations to apply",
        description="An employer: the invitations its company sent. A jobseeker: the invitations received.",
        examples=[OpenApiExample("invitations", value=INVITATION_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One invitation",
        examples=[
            OpenApiExample("invitation", value=INVITATION_EXAMPLE, response_only=True),
            OpenApiExample("accepted", value=ACCEPTED_EXAMPLE, response_only=True),
        ],
    ),
    create=extend_schema(
        summary="Invite a findable candidate to apply",
        description="Verified employers only; the candidate gets an e-mail.",
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer},
        examples=[
            OpenApiExample(
                "invite", value={"candidate": 51, "vacancy": 42, "message": "Interesse?"}, request_only=True
            ),
            OpenApiExample("invited", value=INVITATION_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    ),
    accept=extend_schema(
        summary="Accept an invitation (the employer then sees your profile)",
        request=None,
        examples=[OpenApiExample("accepted", value=ACCEPTED_EXAMPLE, response_only=True)],
    ),
    decline=extend_schema(
        summary="Decline an invitation",
        request=None,
        examples=[
            OpenApiExample(
                "declined",
                value={**INVITATION_EXAMPLE, "status": "declined", "responded_at": "2026-11-27T12:00:00+01:00"},
                response_only=True,
            )
        ],
    ),
)
class InvitationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = InvitationSerializer
    filter_backends: list = []

    def get_permissions(self):
        role = {"create": IsEmployer, "accept": IsJobseeker, "decline": IsJobseeker}.get(
            self.action, IsJobseekerOrEmployer
        )
        return [SessionOnly(), role(), ScopePermission()]

    def get_queryset(self) -> QuerySet[CandidateInvitation]:
        user = self.request.user
        if is_employer(user):
            return selectors.invitations_of_employer(user=user).select_related("candidate__user", "vacancy__employer")
        return selectors.invitations_of_jobseeker(user=user)

    def get_serializer(self, *args, **kwargs):
        """For an employer, the anonymised cards (pending, declined) and full profiles (accepted)
        of the invitations shown, loaded in a fixed number of queries; the profiles seen are logged."""
        user = self.request.user
        if args and is_employer(user):
            shown = args[0] if kwargs.get("many") else [args[0]]
            accepted = {i.candidate_id for i in shown if i.status == InvitationStatus.ACCEPTED}
            others = {i.candidate_id for i in shown if i.status != InvitationStatus.ACCEPTED}
            profiles = (
                {c.pk: c for c in selectors.invited_candidates(user=user).filter(pk__in=accepted)} if accepted else {}
            )
            cards = (
                {
                    c.pk: c
                    for c in selectors.card_queryset(selectors.findable_candidates(user=user))
                    .prefetch_related("experiences__occupation")
                    .filter(pk__in=others)
                }
                if others
                else {}
            )
            if profiles:
                audit_views(actor=user, candidate_ids=list(profiles), where="api:talent.invitations")
            kwargs["context"] = {**self.get_serializer_context(), "profiles": profiles, "cards": cards}
        return super().get_serializer(*args, **kwargs)

    def create(self, request, *args, **kwargs):
        if not selectors.may_search_candidates(request.user):
            raise exceptions.PermissionDenied(VerifiedEmployer.message)
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        candidate = selectors.findable_candidates(user=request.user).filter(pk=data["candidate"]).first()
        if candidate is None:
            raise exceptions.NotFound(_("No findable candidate with this id."))
        vacancy = selectors.invitable_vacancies(user=request.user).filter(pk=data["vacancy"]).first()
        if vacancy is None:
            raise exceptions.ValidationError({"vacancy": [_("Choose one of your open vacancies.")]})
        try:
            invitation = services.invitation_send(
                user=request.user, candidate=candidate, vacancy=vacancy, message=data.get("message", "")
            )
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(VerifiedEmployer.message) from exc
        invitation = self.get_queryset().get(pk=invitation.pk)
        return Response(self.get_serializer(invitation).data, status=status.HTTP_201_CREATED)

    def _respond(self, accept: bool) -> Response:
        invitation = services.invitation_respond(invitation=self.get_object(), accept=accept)
        return Response(self.get_serializer(self.get_queryset().get(pk=invitation.pk)).data)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._respond(True)

    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._respond(False)

"""Messages and interviews over the API, under ``/api/v1/applications/{id}/``.

The same scope as the pages (``selectors.application_get_for_participant``): the candidate, the
employer's users and, read-only, the caseworkers of the candidate's service; anyone else gets a
404. Tokens need ``applications:read`` to read and ``applications:write`` to write. Writes call
conversations.services, as the pages do.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import ScopePermission
from accounts.models import ApiScope
from accounts.permissions import IsEmployer, IsJobseeker, IsJobseekerOrEmployer, IsParticipant
from applications.models import Application
from audit.services import audit_views
from core.api.parsers import LimitedJSONParser

from . import selectors, services
from .ics import ICS_MIMETYPE, ics_filename, interview_ics
from .models import InterviewProposal, ProposalStatus
from .serializers import (
    InterviewPickSerializer,
    InterviewProposalSerializer,
    InterviewProposeSerializer,
    InterviewRequestOtherSerializer,
    MessageCreateSerializer,
    MessageSerializer,
)

MESSAGE_EXAMPLE = {
    "id": 31,
    "sender_side": "employer",
    "body": "Dank voor uw sollicitatie. Kunt u volgende week langskomen?",
    "created_at": "2026-11-05T14:00:00+01:00",
    "read_at": None,
    "unread": True,
}
SLOT_EXAMPLE = {
    "id": 8,
    "starts_at": "2026-11-12T10:00:00+01:00",
    "duration_minutes": 45,
    "location": "Kanaalweg 3, Sluiskil",
    "video_url": "",
}
PROPOSAL_EXAMPLE = {
    "id": 4,
    "uid": "6f1c8a52-3b7e-4d1a-9a55-0c2f7e9b1d20",
    "status": "proposed",
    "contact_person": "Els de Wit",
    "contact_phone": "+31 115 123 456",
    "note": "Meld u bij de receptie.",
    "response_note": "",
    "slots": [SLOT_EXAMPLE, {**SLOT_EXAMPLE, "id": 9, "starts_at": "2026-11-13T14:30:00+01:00"}],
    "chosen_slot": None,
    "ics_url": None,
    "created_at": "2026-11-05T14:00:00+01:00",
    "updated_at": "2026-11-05T14:00:00+01:00",
}
ACCEPTED_EXAMPLE = {
    **PROPOSAL_EXAMPLE,
    "status": "accepted",
    "chosen_slot": 8,
    "ics_url": "/api/v1/applications/17/interviews/4/invitation.ics",
}


class _ConversationView(APIView):
    parser_classes = [LimitedJSONParser]
    read_scope = ApiScope.APPLICATIONS_READ
    write_scope = ApiScope.APPLICATIONS_WRITE

    @property
    def required_scopes(self) -> dict[str, str]:
        return {"GET": self.read_scope, "HEAD": self.read_scope, "POST": self.write_scope}

    def get_permissions(self):
        role = IsParticipant if self.request.method in ("GET", "HEAD", "OPTIONS") else IsJobseekerOrEmployer
        return [role(), ScopePermission()]

    def application(self, pk: int) -> Application:
        try:
            return selectors.application_get_for_participant(user=self.request.user, pk=pk)
        except Application.DoesNotExist as exc:
            raise Http404 from exc

    def proposal(self, pk: int, proposal_pk: int) -> InterviewProposal:
        try:
            return selectors.proposal_get_for_participant(user=self.request.user, application_pk=pk, pk=proposal_pk)
        except (Application.DoesNotExist, InterviewProposal.DoesNotExist) as exc:
            raise Http404 from exc

    def side(self) -> str | None:
        return selectors.participant_side(self.request.user)


class MessageListView(_ConversationView):
    @extend_schema(
        summary="The application's messages",
        description="The thread between the candidate and the employer, oldest first. The candidate, the "
        "employer's users and (read-only) the caseworkers of the candidate's service (applications:read). "
        "Reading here marks nothing read: POST …/messages/read does.",
        responses={200: MessageSerializer(many=True)},
        examples=[OpenApiExample("thread", value=[MESSAGE_EXAMPLE], response_only=True)],
    )
    def get(self, request, pk: int):
        application = self.application(pk)
        if self.side() == selectors.CASEWORKER:  # reading a candidate's messages: a view of personal data
            audit_views(actor=request.user, candidate_ids=[application.candidate_id], where="api:application-messages")
        messages = selectors.thread_messages(application=application)
        return Response(MessageSerializer(messages, many=True, context={"side": self.side()}).data)

    @extend_schema(
        summary="Write a message",
        description="The candidate or the employer (applications:write); the other side gets an e-mail.",
        request=MessageCreateSerializer,
        responses={201: MessageSerializer},
        examples=[
            OpenApiExample("write", value={"body": "Ik kom graag langs."}, request_only=True),
            OpenApiExample(
                "written",
                value={**MESSAGE_EXAMPLE, "sender_side": "candidate", "unread": False},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    )
    def post(self, request, pk: int):
        application = self.application(pk)
        serializer = MessageCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = services.message_send(
            application=application, user=request.user, body=serializer.validated_data["body"]
        )
        return Response(MessageSerializer(message, context={"side": self.side()}).data, status=status.HTTP_201_CREATED)


class MessageReadView(_ConversationView):
    @extend_schema(
        summary="Mark the thread read",
        description="The other side's messages are read by yours; returns how many were unread.",
        request=None,
        responses={200: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("marked", value={"marked": 2, "unread": 0}, response_only=True)],
    )
    def post(self, request, pk: int):
        application = self.application(pk)
        marked = services.thread_mark_read(application=application, user=request.user)
        return Response({"marked": marked, "unread": selectors.unread_count(application=application, side=self.side())})


class InterviewListView(_ConversationView):
    def get_permissions(self):
        if self.request.method == "POST":
            return [IsEmployer(), ScopePermission()]
        return [IsParticipant(), ScopePermission()]

    @extend_schema(
        summary="The application's interview proposals",
        description="Newest first, with their slots (times in ISO 8601 with offset) and the chosen one.",
        responses={200: InterviewProposalSerializer(many=True)},
        examples=[OpenApiExample("interviews", value=[PROPOSAL_EXAMPLE], response_only=True)],
    )
    def get(self, request, pk: int):
        application = self.application(pk)
        proposals = selectors.interview_proposals(application=application)
        return Response(InterviewProposalSerializer(proposals, many=True).data)

    @extend_schema(
        summary="Propose interview times",
        description="Employers (applications:write): one to five future slots, each with a place or a video "
        "link; a contact person. The application moves to `interview` if it may; the candidate gets an e-mail.",
        request=InterviewProposeSerializer,
        responses={201: InterviewProposalSerializer},
        examples=[
            OpenApiExample(
                "propose",
                value={
                    "contact_person": "Els de Wit",
                    "contact_phone": "+31 115 123 456",
                    "slots": [
                        {"starts_at": "2026-11-12T10:00:00+01:00", "location": "Kanaalweg 3, Sluiskil"},
                        {"starts_at": "2026-11-13T14:30:00+01:00", "video_url": "https://meet.example/abc"},
                    ],
                },
                request_only=True,
            ),
            OpenApiExample("proposed", value=PROPOSAL_EXAMPLE, response_only=True, status_codes=["201"]),
        ],
    )
    def post(self, request, pk: int):
        application = self.application(pk)
        serializer = InterviewProposeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = services.interview_propose(
            application=application,
            user=request.user,
            contact_person=data["contact_person"],
            contact_phone=data["contact_phone"],
            note=data["note"],
            slots=[dict(slot) for slot in data["slots"]],
        )
        proposal = selectors.interview_proposals(application=application).get(pk=proposal.pk)
        return Response(InterviewProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class InterviewPickView(_ConversationView):
    def get_permissions(self):
        return [IsJobseeker(), ScopePermission()]

    @extend_schema(
        summary="Choose an interview time",
        description="The candidate picks one slot; both sides get the .ics invitation by e-mail.",
        request=InterviewPickSerializer,
        responses={200: InterviewProposalSerializer},
        examples=[
            OpenApiExample("pick", value={"slot": 8}, request_only=True),
            OpenApiExample("planned", value=ACCEPTED_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request, pk: int, proposal_pk: int):
        proposal = self.proposal(pk, proposal_pk)
        serializer = InterviewPickSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.interview_pick(proposal=proposal, user=request.user, slot_id=serializer.validated_data["slot"])
        fresh = selectors.interview_proposals(application=proposal.application).get(pk=proposal.pk)
        return Response(InterviewProposalSerializer(fresh).data)


class InterviewRequestOtherView(_ConversationView):
    def get_permissions(self):
        return [IsJobseeker(), ScopePermission()]

    @extend_schema(
        summary="Ask for another interview time",
        description="The candidate says which times suit them better; the note also goes into the thread.",
        request=InterviewRequestOtherSerializer,
        responses={200: InterviewProposalSerializer},
        examples=[
            OpenApiExample("ask", value={"note": "Liever in de middag."}, request_only=True),
            OpenApiExample(
                "asked",
                value={**PROPOSAL_EXAMPLE, "status": "other_requested", "response_note": "Liever in de middag."},
                response_only=True,
            ),
        ],
    )
    def post(self, request, pk: int, proposal_pk: int):
        proposal = self.proposal(pk, proposal_pk)
        serializer = InterviewRequestOtherSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.interview_request_other(proposal=proposal, user=request.user, note=serializer.validated_data["note"])
        fresh = selectors.interview_proposals(application=proposal.application).get(pk=proposal.pk)
        return Response(InterviewProposalSerializer(fresh).data)


class InterviewIcsView(_ConversationView):
    def get_permissions(self):
        return [IsJobseekerOrEmployer(), ScopePermission()]

    @extend_schema(
        summary="The interview's calendar invitation (.ics)",
        description="Once a time is chosen: an iCalendar event (UID stable per interview, times in "
        "Europe/Brussels with TZID).",
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.STR)},
        examples=[
            OpenApiExample(
                "ics",
                value="BEGIN:VCALENDAR\r\n...\r\nEND:VCALENDAR\r\n",
                response_only=True,
                media_type="text/calendar",
            )
        ],
    )
    def get(self, request, pk: int, proposal_pk: int):
        proposal = self.proposal(pk, proposal_pk)
        if proposal.status != ProposalStatus.ACCEPTED:
            raise Http404
        response = HttpResponse(interview_ics(proposal, language=get_language()), content_type=ICS_MIMETYPE)
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(proposal)}"'
        return response

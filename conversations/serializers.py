"""The API's shapes of messages and interviews (shape only; rules in services.py)."""

from rest_framework import serializers

from .models import InterviewProposal, InterviewSlot, Message


class MessageSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField(help_text="Written by the other side and not yet read by yours.")

    class Meta:
        model = Message
        fields = ["id", "sender_side", "body", "created_at", "read_at", "unread"]
        read_only_fields = fields

    def get_unread(self, message: Message) -> bool:
        side = self.context.get("side")
        return message.read_at is None and message.sender_side != side and side in ("candidate", "employer")


class MessageCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=5000)


class InterviewSlotSerializer(serializers.ModelSerializer):
    class Meta:
        model = InterviewSlot
        fields = ["id", "starts_at", "duration_minutes", "location", "video_url"]
        read_only_fields = ["id"]
        extra_kwargs = {"duration_minutes": {"required": False, "min_value": 5, "max_value": 480}}


class InterviewProposalSerializer(serializers.ModelSerializer):
    slots = InterviewSlotSerializer(many=True, read_only=True)
    chosen_slot = serializers.PrimaryKeyRelatedField(read_only=True)
    ics_url = serializers.SerializerMethodField()

    class Meta:
        model = InterviewProposal
        fields = [
            "id",
            "uid",
            "status",
            "contact_person",
            "contact_phone",
            "note",
            "response_note",
            "slots",
            "chosen_slot",
            "ics_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_ics_url(self, proposal: InterviewProposal) -> str | None:
        if proposal.status != "accepted":
            return None
        return f"/api/v1/applications/{proposal.application_id}/interviews/{proposal.pk}/invitation.ics"


class InterviewProposeSerializer(serializers.Serializer):
    contact_person = serializers.CharField(max_length=200)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    slots = InterviewSlotSerializer(many=True, allow_empty=False)


class InterviewPickSerializer(serializers.Serializer):
    slot = serializers.IntegerField(help_text="The id of one of the proposal's slots.")


class InterviewRequestOtherSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="Which times suit the candidate better.")

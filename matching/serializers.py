"""API representations of matches. What each role sees follows the pages: a caseworker the
candidate's profile, the decision and its audit trail; an employer (approved and accepted
matches only) the candidate's shared profile; a jobseeker the vacancy and the reasons."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.roles import is_caseworker, is_jobseeker
from candidates.models import Candidate
from vacancies.models import Vacancy

from .models import Match, MatchDecision, NearMiss, RejectionReason, ReviewStatus


class MatchVacancySerializer(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.legal_name", read_only=True)
    place = serializers.CharField(source="place.name", read_only=True)
    country = serializers.CharField(source="place.country", read_only=True)

    class Meta:
        model = Vacancy
        fields = ["id", "reference", "title", "employer", "place", "country", "status"]


class MatchCandidateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    place = serializers.CharField(source="home_place.name", read_only=True, default="")
    employment_service = serializers.CharField(source="employment_service.code", read_only=True, default="")
    diplomas = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = ["id", "name", "email", "place", "country", "employment_service", "diplomas", "skills", "languages"]

    def get_diplomas(self, candidate: Candidate) -> list[str]:
        return [f"{row.diploma} (EQF {row.diploma.eqf_level})" for row in candidate.diplomas.all()]

    def get_skills(self, candidate: Candidate) -> list[str]:
        return [skill.label for skill in candidate.skills.all()]

    def get_languages(self, candidate: Candidate) -> list[str]:
        return [str(language) for language in candidate.languages.all()]


class MatchDecisionSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.email", read_only=True, default="")

    class Meta:
        model = MatchDecision
        fields = ["decision", "reviewer", "reviewer_service", "reason", "note", "at"]


class ExplanationItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    text = serializers.CharField(required=False, help_text="The reason in English; the params say it exactly.")


class MatchSerializer(serializers.ModelSerializer):
    vacancy = MatchVacancySerializer(read_only=True)
    candidate = serializers.SerializerMethodField(help_text="The candidate; null for the jobseeker themselves.")
    explanation = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="Structured reasons: {code, text, …params}.",
    )
    factors = serializers.DictField(
        child=serializers.FloatField(), read_only=True, help_text="Score per factor in [0, 1]."
    )
    decidable = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Caseworkers: whether you may decide on this match."
    )
    decisions = serializers.SerializerMethodField(help_text="Caseworkers: the audit trail; empty for others.")
    reason = serializers.ChoiceField(
        choices=RejectionReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Why a caseworker rejected it; blank otherwise.",
    )

    class Meta:
        model = Match
        fields = [
            "id",
            "vacancy",
            "candidate",
            "score",
            "rank",
            "factors",
            "explanation",
            "is_flagged",
            "flag_reasons",
            "review_status",
            "reason",
            "note",
            "reviewed_at",
            "candidate_response",
            "responded_at",
            "decidable",
            "decisions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _user(self):
        return getattr(self.context.get("request"), "user", None)

    @extend_schema_field(MatchCandidateSerializer(allow_null=True))
    def get_candidate(self, match: Match) -> dict | None:
        if is_jobseeker(self._user()):
            return None  # it is the jobseeker themselves
        return MatchCandidateSerializer(match.candidate).data

    @extend_schema_field(MatchDecisionSerializer(many=True))
    def get_decisions(self, match: Match) -> list:
        if not is_caseworker(self._user()):
            return []  # not even read: only the caseworkers' queryset prefetches them
        return MatchDecisionSerializer(match.decisions.all(), many=True).data

    def to_representation(self, match: Match) -> dict:
        data = super().to_representation(match)
        if not is_caseworker(self._user()):
            # The caseworker's note, flags and audit trail are for caseworkers.
            data.update(note="", decidable=None, flag_reasons=[], is_flagged=False)
        return data


DECISION_CHOICES = [
    (ReviewStatus.APPROVED, ReviewStatus.APPROVED.label),
    (ReviewStatus.REJECTED, ReviewStatus.REJECTED.label),
]


class MatchDecisionInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DECISION_CHOICES)
    reason = serializers.ChoiceField(
        choices=RejectionReason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when rejecting.",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, help_text="Required when the reason is “other”."
    )


class MatchBulkDecisionSerializer(MatchDecisionInputSerializer):
    matches = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=200)


class MatchResponseSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text="true: share my profile with this employer; false: decline.")


class RematchSerializer(serializers.Serializer):
    vacancy = serializers.IntegerField(min_value=1, help_text="Id of a published vacancy.")


class TaskSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    status_url = serializers.CharField()
    queued = serializers.BooleanField(
        help_text="False while the request waits in the outbox for the broker; it is sent once the broker is back."
    )


class RebuildRunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    chunks_done = serializers.IntegerField()
    chunks_total = serializers.IntegerField()
    progress = serializers.FloatField()
    vacancies_total = serializers.IntegerField()
    candidates_total = serializers.IntegerField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)


class TaskStatusSerializer(serializers.Serializer):
    task_id = serializers.CharField()
    state = serializers.CharField(help_text="PENDING (or unknown), STARTED, RETRY, SUCCESS or FAILURE.")
    ready = serializers.BooleanField()
    progress = serializers.FloatField(help_text="0 to 1.")
    result = serializers.JSONField(allow_null=True)
    rebuild = RebuildRunSerializer(allow_null=True)


# --- near misses (read-only; caseworkers within their scope, a jobseeker their own) ---------------


class NearMissCandidateSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name", read_only=True)
    place = serializers.CharField(source="home_place.name", read_only=True, default="")
    employment_service = serializers.CharField(source="employment_service.code", read_only=True, default="")

    class Meta:
        model = Candidate
        fields = ["id", "name", "place", "country", "employment_service"]


class GapSkillSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField(help_text="In the language of the request.")


class GapLanguageSerializer(serializers.Serializer):
    code = serializers.CharField()
    required = serializers.IntegerField(help_text="CEFR level 1 (A1) to 6 (C2).")
    has = serializers.IntegerField()


class GapEducationSerializer(serializers.Serializer):
    required = serializers.IntegerField(help_text="EQF level.")
    has = serializers.IntegerField()


class GapSerializer(serializers.Serializer):
    kind = serializers.CharField()
    skills = GapSkillSerializer(many=True, help_text="The missing essential skills (kind skills: 1 or 2).")
    language = GapLanguageSerializer(allow_null=True)
    education = GapEducationSerializer(allow_null=True)


class NearMissSerializer(serializers.ModelSerializer):
    vacancy = MatchVacancySerializer(read_only=True)
    candidate = serializers.SerializerMethodField(help_text="The candidate; null for the jobseeker themselves.")
    gap = serializers.SerializerMethodField()
    explanation = serializers.ListField(
        child=serializers.DictField(), read_only=True, help_text="Structured reasons: {code, text, …params}."
    )

    class Meta:
        model = NearMiss
        fields = ["id", "vacancy", "candidate", "score", "rank", "kind", "gap", "explanation", "computed_at"]
        read_only_fields = fields

    @extend_schema_field(NearMissCandidateSerializer(allow_null=True))
    def get_candidate(self, near_miss: NearMiss) -> dict | None:
        if is_jobseeker(getattr(self.context.get("request"), "user", None)):
            return None  # it is the jobseeker themselves
        return NearMissCandidateSerializer(near_miss.candidate).data

    @extend_schema_field(GapSerializer)
    def get_gap(self, near_miss: NearMiss) -> dict:
        gap = near_miss.gap or {}
        # Labels from the prefetched skill rows (the gap's ids in its own order).
        labels = {row.skill_id: row.skill.label for row in near_miss.skill_rows.all()}
        return {
            "kind": gap.get("kind", near_miss.kind),
            "skills": [{"id": pk, "label": labels.get(pk, "")} for pk in gap.get("skills") or []],
            "language": gap.get("language"),
            "education": gap.get("education"),
        }

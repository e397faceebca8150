"""API representations of a jobseeker's own profile and consents; writes go to candidates.services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import EmploymentService
from taxonomy.models import CefrLevel, Diploma, Language, Occupation, Place, Skill, StudyField

from .models import Candidate, CandidateDiploma, CandidateLanguage, ResidenceCountry
from .services import PROFILE_FIELDS


class CandidateDiplomaSerializer(serializers.ModelSerializer):
    diploma = serializers.PrimaryKeyRelatedField(queryset=Diploma.objects.all(), help_text="Id (GET /api/v1/diplomas).")
    field = serializers.PrimaryKeyRelatedField(
        queryset=StudyField.objects.all(), allow_null=True, required=False, help_text="Id (GET /api/v1/study-fields)."
    )
    year = serializers.IntegerField(min_value=1950, max_value=2100, allow_null=True, required=False)
    eqf_level = serializers.IntegerField(read_only=True, source="diploma.eqf_level")

    class Meta:
        model = CandidateDiploma
        fields = ["diploma", "field", "year", "eqf_level"]


class CandidateLanguageSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=Language.choices)
    level = serializers.ChoiceField(choices=CefrLevel.choices, help_text="CEFR level: 1=A1 … 6=C2.")

    class Meta:
        model = CandidateLanguage
        fields = ["language", "level"]


class CandidateSerializer(serializers.ModelSerializer):
    """The jobseeker's own profile; lists are replaced as a whole when given."""

    country = serializers.ChoiceField(choices=ResidenceCountry.choices, required=False)
    home_place = serializers.PrimaryKeyRelatedField(queryset=Place.objects.all(), allow_null=True, required=False)
    employment_service = serializers.SlugRelatedField(
        slug_field="code",
        queryset=EmploymentService.objects.all(),
        allow_null=True,
        required=False,
        help_text="vdab, uwv or wsp-zvl; left out: VDAB in Flanders, UWV in the Netherlands.",
    )
    skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True, required=False)
    desired_occupations = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(), many=True, required=False
    )
    languages = CandidateLanguageSerializer(many=True, required=False)
    diplomas = CandidateDiplomaSerializer(many=True, required=False)
    max_commute_minutes = serializers.IntegerField(min_value=5, max_value=180, allow_null=True, required=False)
    hours_wanted = serializers.IntegerField(min_value=1, max_value=60, allow_null=True, required=False)

    class Meta:
        model = Candidate
        fields = [
            "id",
            "country",
            "postcode",
            "home_place",
            "employment_service",
            "commute_by_car",
            "commute_by_bike",
            "commute_by_public_transport",
            "max_commute_minutes",
            "available_from",
            "hours_wanted",
            "accepts_shift_work",
            "skills",
            "desired_occupations",
            "languages",
            "diplomas",
            "consent_matching_at",
            "consent_cross_border_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "consent_matching_at", "consent_cross_border_at", "created_at", "updated_at"]

    def validate_languages(self, value: list[dict]) -> list[dict]:
        # A PATCH is partial, and DRF makes the nested fields optional too: a row needs both.
        for item in value:
            if "language" not in item or "level" not in item:
                raise serializers.ValidationError(_("Give each language with its level."), code="incomplete")
        codes = [item["language"] for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Give each language once."), code="duplicate_language")
        return value

    def validate_diplomas(self, value: list[dict]) -> list[dict]:
        if any("diploma" not in row for row in value):
            raise serializers.ValidationError(_("Give the diploma of each row."), code="incomplete")
        if len(value) > 6:
            raise serializers.ValidationError(_("Give at most 6 diplomas."), code="too_many")
        return value

    def profile_fields(self) -> dict:
        return {name: self.validated_data[name] for name in PROFILE_FIELDS if name in self.validated_data}


class ConsentEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    given = serializers.BooleanField()
    at = serializers.DateTimeField()


class ConsentSerializer(serializers.Serializer):
    matching = serializers.BooleanField(required=False, help_text="Match me to vacancies.")
    cross_border = serializers.BooleanField(
        required=False, help_text="Share my profile with employment services and employers across the border."
    )
    matching_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cross_border_at = serializers.DateTimeField(read_only=True, allow_null=True)
    history = ConsentEventSerializer(
        many=True, read_only=True, help_text="Every consent given or withdrawn, newest first."
    )

"""API representations of a jobseeker's own profile and consents; writes go to candidates.services."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import EmploymentService
from taxonomy.models import CefrLevel, Diploma, Language, Occupation, Place, Skill, StudyField

from .models import (
    Candidate,
    CandidateDiploma,
    CandidateLanguage,
    DrivingLicence,
    Experience,
    ResidenceCountry,
    WorkCountry,
)
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


class ExperienceSerializer(serializers.ModelSerializer):
    """A job on the jobseeker's own profile; months as "YYYY-MM" (the day is dropped)."""

    occupation = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(), help_text="ESCO occupation id (GET /api/v1/occupations/autocomplete)."
    )
    occupation_label = serializers.CharField(source="occupation.label", read_only=True)
    country = serializers.ChoiceField(choices=WorkCountry.choices, required=False)
    started_on = serializers.DateField(
        format="%Y-%m", input_formats=["%Y-%m", "%Y-%m-%d"], help_text="The month the job started, e.g. 2019-03."
    )
    ended_on = serializers.DateField(
        format="%Y-%m",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        allow_null=True,
        required=False,
        help_text="The last month; null while the job goes on.",
    )
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False)

    class Meta:
        model = Experience
        fields = [
            "id",
            "occupation",
            "occupation_label",
            "employer_name",
            "country",
            "started_on",
            "ended_on",
            "description",
        ]
        read_only_fields = ["id"]


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
    phone = serializers.CharField(
        max_length=30,
        allow_blank=True,
        required=False,
        help_text="A Dutch or Belgian number in any usual format; stored and returned as E.164 (+31612345678).",
    )
    driving_licences = serializers.ListField(
        child=serializers.ChoiceField(choices=DrivingLicence.choices),
        required=False,
        max_length=len(DrivingLicence.choices),
        help_text="EU categories (Directive 2006/126/EC): AM, A1, A2, A, B, BE, C1, C1E, C, CE, D1, D1E, D, DE.",
    )
    experience = ExperienceSerializer(
        many=True, read_only=True, source="experiences", help_text="Change it at /api/v1/candidates/me/experience."
    )
    cv_check = serializers.SerializerMethodField(
        help_text="The profile's CV: null (none), checking, passed or rejected. Upload it on the profile page."
    )

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
            "phone",
            "driving_licences",
            "experience",
            "cv_check",
            "consent_matching_at",
            "consent_cross_border_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "consent_matching_at", "consent_cross_border_at", "created_at", "updated_at"]

    def get_cv_check(self, candidate: Candidate) -> str | None:
        return candidate.cv_check if candidate.cv else None

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
    findable = serializers.BooleanField(
        required=False, help_text="Let verified employers find my anonymised profile and invite me to apply."
    )
    matching_at = serializers.DateTimeField(read_only=True, allow_null=True)
    cross_border_at = serializers.DateTimeField(read_only=True, allow_null=True)
    findable_at = serializers.DateTimeField(read_only=True, allow_null=True)
    history = ConsentEventSerializer(
        many=True, read_only=True, help_text="Every consent given or withdrawn, newest first."
    )

"""Read-only representations of the reference data for the API (labels in nl/en/fr)."""

from rest_framework import serializers

from .models import Diploma, IscoGroup, Occupation, OccupationSkill, Place, Skill, StudyField


class LabelledSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="The label in the request's language (Accept-Language).")


class IscoGroupSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = IscoGroup
        fields = ["id", "code", "level", "label", "label_en", "label_nl", "parent"]


class SkillSerializer(LabelledSerializer):
    class Meta:
        model = Skill
        fields = ["id", "uri", "skill_type", "label", "label_nl", "label_en", "label_fr", "is_port_relevant"]


class OccupationSerializer(LabelledSerializer):
    isco_code = serializers.CharField(source="isco_group.code", read_only=True, help_text="ISCO-08 unit group.")

    class Meta:
        model = Occupation
        fields = [
            "id",
            "uri",
            "isco_code",
            "label",
            "label_nl",
            "label_en",
            "label_fr",
            "sector",
            "is_stem",
            "is_port_relevant",
        ]


class OccupationSkillSerializer(serializers.ModelSerializer):
    skill = SkillSerializer(read_only=True)

    class Meta:
        model = OccupationSkill
        fields = ["relation", "skill"]


class OccupationDetailSerializer(OccupationSerializer):
    skills = OccupationSkillSerializer(source="skill_links", many=True, read_only=True)

    class Meta(OccupationSerializer.Meta):
        fields = [*OccupationSerializer.Meta.fields, "skills"]


class PlaceSerializer(serializers.ModelSerializer):
    postcodes = serializers.SerializerMethodField(help_text="Belgian postcodes of this place (none for Dutch places).")

    class Meta:
        model = Place
        fields = [
            "id",
            "geonames_id",
            "name",
            "country",
            "municipality",
            "province",
            "region",
            "bank",
            "latitude",
            "longitude",
            "postcodes",
        ]

    def get_postcodes(self, place: Place) -> list[str]:
        return sorted({postal.code for postal in place.postal_codes.all()})


class DiplomaSerializer(LabelledSerializer):
    class Meta:
        model = Diploma
        fields = [
            "id",
            "code",
            "country",
            "label",
            "label_nl",
            "label_en",
            "label_fr",
            "framework",
            "framework_level",
            "eqf_level",
            "is_minimum_secondary",
        ]


class StudyFieldSerializer(LabelledSerializer):
    class Meta:
        model = StudyField
        fields = ["id", "code", "label", "label_nl", "label_en", "label_fr", "is_stem"]


class AutocompleteHitSerializer(serializers.Serializer):
    """One answer of an autocomplete (taxonomy.selectors.AutocompleteHit)."""

    id = serializers.IntegerField()
    label = serializers.CharField(help_text="The label in the requested language.")
    matched = serializers.CharField(help_text="The label that matched what was typed, in its own language.")
    matched_language = serializers.CharField()
    is_port_relevant = serializers.BooleanField()
    uri = serializers.CharField(help_text="The ESCO URI.")

"""Training offers over the API (read-only)."""

from rest_framework import serializers

from taxonomy.serializers import SkillSerializer

from .models import TrainingOffer, TrainingOfferLanguage, TrainingProvider


class TrainingProviderSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingProvider
        fields = ["id", "name", "country", "website", "is_demo", "source"]


class TrainingPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    municipality = serializers.CharField()
    country = serializers.CharField()


class TrainingOfferLanguageSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingOfferLanguage
        fields = ["language", "level"]


class TrainingOfferSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True, help_text="The title in the request's language (Accept-Language).")
    provider = TrainingProviderSerializer(read_only=True)
    place = TrainingPlaceSerializer(read_only=True)
    skills = SkillSerializer(many=True, read_only=True)
    language_levels = TrainingOfferLanguageSerializer(
        many=True, read_only=True, help_text="Language levels reached (CEFR 1..6 = A1..C2)."
    )
    starts = serializers.SlugRelatedField(many=True, read_only=True, slug_field="starts_on")

    class Meta:
        model = TrainingOffer
        fields = [
            "id",
            "reference",
            "title",
            "title_nl",
            "title_fr",
            "title_en",
            "description",
            "provider",
            "skills",
            "language_levels",
            "starts",
            "duration_weeks",
            "hours_total",
            "place",
            "instruction_language",
            "cost_eur",
            "funding",
            "url",
            "updated_at",
        ]

"""Training offers over the API: ``GET /api/v1/training-offers`` (active offers, filtered like the
caseworkers' list) and one offer. Public data, like the vacancy search: anyone may read, no scope
needed; no write endpoints (offers are kept on the caseworkers' pages and by the CSV import)."""

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from taxonomy.models import Country, Language

from . import selectors
from .models import Funding, TrainingOffer
from .serializers import TrainingOfferSerializer


class TrainingOfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(help_text="Part of a title (nl, fr or en), the provider's name, or the reference.")
    skill = django_filters.NumberFilter(help_text="An ESCO skill (id) the training teaches.")
    place = django_filters.NumberFilter(help_text="The place (id) where it is given.")
    country = django_filters.ChoiceFilter(choices=Country.choices)
    language = django_filters.ChoiceFilter(
        choices=Language.choices, help_text="Language of instruction or a language the training teaches."
    )
    starts_after = django_filters.DateFilter(help_text="Only offers with a start on or after this day (YYYY-MM-DD).")
    funding = django_filters.ChoiceFilter(choices=Funding.choices)

    class Meta:
        model = TrainingOffer
        fields = ["q", "skill", "place", "country", "language", "starts_after", "funding"]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """All filters at once through the selector the caseworkers' list uses (one home per rule)."""
        data = self.form.cleaned_data
        return selectors.training_offer_list(
            q=data.get("q") or "",
            skill=data.get("skill"),
            place=data.get("place"),
            country=data.get("country") or "",
            language=data.get("language") or "",
            starts_after=data.get("starts_after"),
            funding=data.get("funding") or "",
        )


TRAINING_OFFER_EXAMPLE = {
    "id": 5,
    "reference": "SVT-HEF",
    "title": "Heftruckchauffeur met certificaat",
    "title_nl": "Heftruckchauffeur met certificaat",
    "title_fr": "Cariste avec certificat",
    "title_en": "Forklift driver with certificate",
    "description": "Theorie en praktijk op de heftruck, afgesloten met een examen.",
    "provider": {
        "id": 2,
        "name": "Scheldeveiligheid Trainingen (demo)",
        "country": "NL",
        "website": "https://example.nl/scheldeveiligheid",
        "is_demo": True,
        "source": "assumption: demo data (fictional provider and offer)",
    },
    "skills": [
        {
            "id": 31,
            "uri": "http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da",
            "skill_type": "skill",
            "label": "heftruck besturen",
            "label_nl": "heftruck besturen",
            "label_en": "operate forklift",
            "label_fr": "conduire un chariot élévateur",
            "is_port_relevant": True,
        }
    ],
    "language_levels": [],
    "starts": ["2027-01-12", "2027-02-09"],
    "duration_weeks": 1,
    "hours_total": 16,
    "place": {"id": 9, "name": "Vlissingen", "municipality": "Vlissingen", "country": "NL"},
    "instruction_language": "nl",
    "cost_eur": "450.00",
    "funding": "uwv_budget",
    "url": "",
    "updated_at": "2026-11-20T10:00:00+01:00",
}


@extend_schema_view(
    list=extend_schema(
        tags=["training"],
        summary="Search active training offers",
        description="Public data: anyone, no scope needed. Filters as the caseworkers' training list.",
        examples=[OpenApiExample("training offer", value=TRAINING_OFFER_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        tags=["training"],
        summary="An active training offer",
        examples=[OpenApiExample("training offer", value=TRAINING_OFFER_EXAMPLE, response_only=True)],
    ),
)
class TrainingOfferViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = TrainingOfferSerializer
    filterset_class = TrainingOfferFilter

    def get_queryset(self) -> QuerySet[TrainingOffer]:
        return selectors.training_offer_list()

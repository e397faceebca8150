"""Reference data over the API: read-only, public, searchable (labels in nl/en/fr, ESCO URI, ISCO code).

Imports no other app (docs/architecture.md §1): authentication, throttling, pagination and error bodies
come from the REST_FRAMEWORK settings.
"""

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import get_language
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from .models import (
    Country,
    Diploma,
    DiplomaCountry,
    IscoGroup,
    Occupation,
    OccupationSkill,
    Place,
    PostalCode,
    Skill,
    SkillType,
    StudyField,
)
from .selectors import occupation_autocomplete, skill_autocomplete
from .serializers import (
    AutocompleteHitSerializer,
    DiplomaSerializer,
    IscoGroupSerializer,
    OccupationDetailSerializer,
    OccupationSerializer,
    PlaceSerializer,
    SkillSerializer,
    StudyFieldSerializer,
)


def _label_query(value: str) -> Q:
    return Q(label_nl__icontains=value) | Q(label_en__icontains=value) | Q(label_fr__icontains=value)


class OccupationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", help_text="Part of the label (nl, en or fr) or an ISCO code prefix."
    )
    isco = django_filters.CharFilter(
        field_name="isco_group__code", lookup_expr="startswith", help_text="ISCO-08 code or prefix, e.g. 8131 or 31."
    )
    uri = django_filters.CharFilter(field_name="uri", help_text="The ESCO URI.")
    stem = django_filters.BooleanFilter(field_name="is_stem")

    class Meta:
        model = Occupation
        fields = ["q", "isco", "uri", "stem"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(_label_query(value) | Q(isco_group__code__startswith=value)) if value else queryset


class SkillFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the label (nl, en or fr).")
    uri = django_filters.CharFilter(field_name="uri", help_text="The ESCO URI.")
    skill_type = django_filters.ChoiceFilter(choices=SkillType.choices)
    occupation = django_filters.NumberFilter(
        field_name="occupation_links__occupation", distinct=True, help_text="Skills of this occupation (id)."
    )

    class Meta:
        model = Skill
        fields = ["q", "uri", "skill_type", "occupation"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(_label_query(value)) if value else queryset


class PlaceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the name or municipality.")
    country = django_filters.ChoiceFilter(choices=Country.choices)
    postcode = django_filters.CharFilter(method="filter_postcode", help_text="A Belgian postcode, e.g. 9060.")

    class Meta:
        model = Place
        fields = ["q", "country", "postcode", "bank"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(municipality__icontains=value)) if value else queryset

    def filter_postcode(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(pk__in=PostalCode.objects.filter(code=value).values("place_id"))


class DiplomaFilter(django_filters.FilterSet):
    country = django_filters.ChoiceFilter(choices=DiplomaCountry.choices)
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the label (nl, en or fr).")

    class Meta:
        model = Diploma
        fields = ["country", "eqf_level", "is_minimum_secondary", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(_label_query(value)) if value else queryset


class IscoGroupFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", lookup_expr="startswith", help_text="Code or prefix.")
    q = django_filters.CharFilter(method="filter_q", help_text="Part of the label (en or nl).")

    class Meta:
        model = IscoGroup
        fields = ["code", "level", "q"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(label_en__icontains=value) | Q(label_nl__icontains=value)) if value else queryset


class ReferenceViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]


class AutocompleteQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="What the user typed; any of nl, fr, en."
    )
    lang = serializers.ChoiceField(
        choices=["nl", "fr", "en"], required=False, help_text="Language of the labels shown (default: Accept-Language)."
    )


AUTOCOMPLETE_PARAMETERS = [
    OpenApiParameter("q", str, description="What the user typed (2 letters or more); matched in nl, fr and en."),
    OpenApiParameter("lang", str, enum=["nl", "fr", "en"], description="Language of the labels shown."),
]


AUTOCOMPLETE_RESPONSE = inline_serializer("AutocompleteResults", {"results": AutocompleteHitSerializer(many=True)})


def _autocomplete_response(request: Request, search) -> Response:
    params = AutocompleteQuerySerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    language = params.validated_data.get("lang") or (get_language() or "nl")[:2]
    if language not in ("nl", "fr", "en"):
        language = "en"
    hits = search(query=params.validated_data.get("q", ""), language=language)
    return Response({"results": AutocompleteHitSerializer(hits, many=True).data})


OCCUPATION_EXAMPLE = {
    "id": 7,
    "uri": "http://data.europa.eu/esco/occupation/1f6b0d4b-6c5a-4bd6-86f5-29b7d1ae6b0f",
    "isco_code": "8131",
    "label": "procesoperator chemie",
    "label_nl": "procesoperator chemie",
    "label_en": "chemical process operator",
    "label_fr": "opérateur de procédés chimiques",
    "sector": "chemistry",
    "is_stem": True,
}
SKILL_EXAMPLE = {
    "id": 31,
    "uri": "http://data.europa.eu/esco/skill/0e1f5a3c-8b0e-4a4f-9b6e-0c9d1f3c1a77",
    "skill_type": "skill",
    "label": "lassen",
    "label_nl": "lassen",
    "label_en": "welding",
    "label_fr": "soudage",
}


@extend_schema_view(
    list=extend_schema(
        tags=["reference data"],
        summary="Search ESCO occupations",
        examples=[OpenApiExample("occupation", value=OCCUPATION_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        tags=["reference data"],
        summary="An occupation with its ESCO skills",
        examples=[
            OpenApiExample(
                "occupation",
                response_only=True,
                value={**OCCUPATION_EXAMPLE, "skills": [{"relation": "essential", "skill": SKILL_EXAMPLE}]},
            )
        ],
    ),
)
class OccupationViewSet(ReferenceViewSet):
    filterset_class = OccupationFilter

    def get_queryset(self) -> QuerySet[Occupation]:
        qs = Occupation.objects.select_related("isco_group")
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "skill_links",
                    queryset=OccupationSkill.objects.select_related("skill").order_by("relation", "skill__label_en"),
                )
            )
        return qs

    def get_serializer_class(self):
        return OccupationDetailSerializer if self.action == "retrieve" else OccupationSerializer

    @extend_schema(
        tags=["reference data"],
        summary="Occupations for an autocomplete",
        description="Up to 10 occupations any label of which (nl, fr, en; preferred or alternative) "
        "contains every word typed; port-relevant ones first.",
        parameters=AUTOCOMPLETE_PARAMETERS,
        responses=AUTOCOMPLETE_RESPONSE,
        examples=[
            OpenApiExample(
                "soudeur, shown in Dutch",
                response_only=True,
                value={
                    "results": [
                        {
                            "id": 12,
                            "label": "lasser",
                            "matched": "soudeur",
                            "matched_language": "fr",
                            "is_port_relevant": True,
                            "uri": "http://data.europa.eu/esco/occupation/7aedaa07-3884-4c5b-88f9-80997b2aa54b",
                        }
                    ]
                },
            )
        ],
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def autocomplete(self, request: Request) -> Response:
        return _autocomplete_response(request, occupation_autocomplete)


@extend_schema_view(
    list=extend_schema(
        tags=["reference data"],
        summary="Search ESCO skills",
        examples=[OpenApiExample("skill", value=SKILL_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        tags=["reference data"],
        summary="A skill",
        examples=[OpenApiExample("skill", value=SKILL_EXAMPLE, response_only=True)],
    ),
)
class SkillViewSet(ReferenceViewSet):
    serializer_class = SkillSerializer
    filterset_class = SkillFilter
    queryset = Skill.objects.all()

    @extend_schema(
        tags=["reference data"],
        summary="Skills for an autocomplete",
        description="Up to 10 skills any label of which (nl, fr, en; preferred or alternative) "
        "contains every word typed; port-relevant ones first.",
        parameters=AUTOCOMPLETE_PARAMETERS,
        responses=AUTOCOMPLETE_RESPONSE,
        examples=[
            OpenApiExample(
                "lassen, shown in French",
                response_only=True,
                value={
                    "results": [
                        {
                            "id": 31,
                            "label": "souder en TIG",
                            "matched": "TIG-lassen",
                            "matched_language": "nl",
                            "is_port_relevant": True,
                            "uri": "http://data.europa.eu/esco/skill/a51adea8-bf02-488a-a0d8-b0961caca5b0",
                        }
                    ]
                },
            )
        ],
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def autocomplete(self, request: Request) -> Response:
        return _autocomplete_response(request, skill_autocomplete)


PLACE_EXAMPLE = {
    "id": 3,
    "geonames_id": 2746331,
    "name": "Terneuzen",
    "country": "NL",
    "municipality": "Terneuzen",
    "province": "Zeeland",
    "region": "Zeeuws-Vlaanderen",
    "bank": "south",
    "latitude": 51.3358,
    "longitude": 3.8278,
    "postcodes": [],
}


@extend_schema_view(
    list=extend_schema(
        tags=["reference data"],
        summary="Places of the port region",
        examples=[OpenApiExample("place", value=PLACE_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        tags=["reference data"],
        summary="A place",
        examples=[OpenApiExample("place", value=PLACE_EXAMPLE, response_only=True)],
    ),
)
class PlaceViewSet(ReferenceViewSet):
    serializer_class = PlaceSerializer
    filterset_class = PlaceFilter
    queryset = Place.objects.prefetch_related("postal_codes")


DIPLOMA_EXAMPLE = {
    "id": 4,
    "code": "nl-mbo-2",
    "country": "NL",
    "label": "MBO-2",
    "label_nl": "MBO-2",
    "label_en": "MBO level 2",
    "label_fr": "MBO niveau 2",
    "framework": "NLQF",
    "framework_level": "2",
    "eqf_level": 2,
    "is_minimum_secondary": True,
}


@extend_schema_view(
    list=extend_schema(
        tags=["reference data"],
        summary="Diploma types and their EQF levels",
        examples=[OpenApiExample("diploma", value=DIPLOMA_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        tags=["reference data"],
        summary="A diploma type",
        examples=[OpenApiExample("diploma", value=DIPLOMA_EXAMPLE, response_only=True)],
    ),
)
class DiplomaViewSet(ReferenceViewSet):
    serializer_class = DiplomaSerializer
    filterset_class = DiplomaFilter
    queryset = Diploma.objects.all()


ISCO_EXAMPLE = {
    "id": 40,
    "code": "8131",
    "level": 4,
    "label": "Chemical products plant and machine operators",
    "label_en": "Chemical products plant and machine operators",
    "label_nl": "",
    "parent": "813",
}


@extend_schema_view(
    list=extend_schema(
        tags=["reference data"],
        summary="ISCO-08 groups",
        examples=[OpenApiExample("ISCO group", value=ISCO_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        tags=["reference data"],
        summary="An ISCO-08 group",
        examples=[OpenApiExample("ISCO group", value=ISCO_EXAMPLE, response_only=True)],
    ),
)
class IscoGroupViewSet(ReferenceViewSet):
    serializer_class = IscoGroupSerializer
    filterset_class = IscoGroupFilter
    queryset = IscoGroup.objects.select_related("parent")


STUDY_FIELD_EXAMPLE = {
    "id": 6,
    "code": "07",
    "label": "Techniek, industrie en bouw",
    "label_nl": "Techniek, industrie en bouw",
    "label_en": "Engineering, manufacturing and construction",
    "label_fr": "Ingénierie, industries de transformation et construction",
    "is_stem": True,
}


@extend_schema_view(
    list=extend_schema(
        tags=["reference data"],
        summary="ISCED-F fields of study",
        examples=[OpenApiExample("field", value=STUDY_FIELD_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        tags=["reference data"],
        summary="A field of study",
        examples=[OpenApiExample("field", value=STUDY_FIELD_EXAMPLE, response_only=True)],
    ),
)
class StudyFieldViewSet(ReferenceViewSet):
    serializer_class = StudyFieldSerializer
    queryset = StudyField.objects.all()
    filterset_fields = ["is_stem"]

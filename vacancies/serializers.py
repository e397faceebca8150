"""API representations of vacancies. Reading shows the vacancy; writing only checks the input's
shape (as the vacancy form does) and hands it to ``vacancies.services``, which hold the rules."""

import functools

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import Employer
from accounts.roles import is_caseworker
from taxonomy.models import CefrLevel, EqfLevel, Language, Occupation, Place, Skill

from .models import ContractType, SalaryPeriod, Vacancy, VacancyLanguage, VacancyStatus
from .selectors import LANGUAGES_LIST
from .services import EDITABLE_FIELDS
from .shifts import shift_start_times_clean


class EmployerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        fields = ["id", "legal_name", "country", "website", "is_verified"]


class OccupationSummarySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)
    isco_code = serializers.CharField(source="isco_group.code", read_only=True)

    class Meta:
        model = Occupation
        fields = ["id", "uri", "isco_code", "label"]


class PlaceSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["id", "name", "municipality", "country"]


class SkillSummarySerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Skill
        fields = ["id", "uri", "label"]


class VacancyLanguageSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=Language.choices)
    min_level = serializers.ChoiceField(choices=CefrLevel.choices, help_text="CEFR level: 1=A1 … 6=C2.")

    class Meta:
        model = VacancyLanguage
        fields = ["language", "min_level"]


# The API list's page prefetches the vacancies' lists with ``Prefetch(..., to_attr=...)``: one
# plain list per vacancy. Django's own prefetch builds and filters a queryset per vacancy and
# relation, half of that page's time (issue 15, docs/performance.md).
PREFETCHED_LISTS = {name: f"{name}_prefetched" for name in ("essential_skills", "optional_skills")}
PREFETCHED_LISTS["languages"] = LANGUAGES_LIST


def _representer(serializer: serializers.BaseSerializer, lists: dict[str, str] | None = None):
    """A function turning one instance into ``serializer``'s output, planned once from its fields.

    DRF's own loop (``get_attribute`` per field, a nested serializer per relation) took most of
    the API list's time (issue 15, docs/performance.md); this walks the same fields with the same
    ``to_representation`` of each leaf field, so the values are formatted exactly as DRF does.
    Only read-only plain fields, nested serializers and ``many=True`` nested lists are planned;
    ``tests/vacancies/test_serializers.py`` checks the output equals the serializer's.
    ``lists``: a list field read from another attribute of the instance (``PREFETCHED_LISTS``).
    """
    steps = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            source_attrs = [lists[name]] if lists and name in lists else field.source_attrs
            steps.append((name, source_attrs, True, _representer(field.child)))
        elif isinstance(field, serializers.BaseSerializer) and _plain(field):
            steps.append((name, field.source_attrs, False, _representer(field)))
        else:
            steps.append((name, field.source_attrs, False, field.to_representation))

    def represent(instance) -> dict:
        data = {}
        for name, source_attrs, many, to_representation in steps:
            value = instance
            for attr in source_attrs:
                value = getattr(value, attr)
                if value is None:
                    break
            if value is None:
                data[name] = None
            elif many:
                items = value.all() if isinstance(value, models.manager.BaseManager) else value
                data[name] = [to_representation(item) for item in items]
            else:
                data[name] = to_representation(value)
        return data

    return represent


@functools.cache
def _representer_of(serializer_class: type[serializers.BaseSerializer], prefetched_lists: bool = False):
    """Planned once per process: building a ModelSerializer's fields costs more than 20 rows.
    The leaf fields read no context (the request's rule is applied by the caller)."""
    return _representer(serializer_class(), PREFETCHED_LISTS if prefetched_lists else None)


def _plain(serializer: serializers.BaseSerializer) -> bool:
    """A nested serializer without its own ``to_representation`` (else it is called as it is)."""
    return type(serializer).to_representation is serializers.Serializer.to_representation


def _note_shown(request, vacancy: Vacancy) -> bool:
    """The moderation note is for the vacancy's employer and the caseworkers."""
    user = getattr(request, "user", None)
    own = user is not None and user.is_authenticated and user.employer_id == vacancy.employer_id
    return own or is_caseworker(user)


class VacancyListSerializer(serializers.ListSerializer):
    """Many vacancies (the API lists): one plain dict per row from a plan made once per list."""

    def to_representation(self, data) -> list[dict]:
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        context = self.child.context
        represent = _representer_of(type(self.child), bool(context.get("prefetched_lists")))
        # _note_shown's rule, with the user's role read once per list rather than per row.
        user = getattr(context.get("request"), "user", None)
        caseworker = is_caseworker(user)
        own_employer_id = user.employer_id if user is not None and user.is_authenticated else None
        result = []
        for vacancy in rows:
            item = represent(vacancy)
            if not (caseworker or (own_employer_id is not None and own_employer_id == vacancy.employer_id)):
                item["moderation_note"] = ""
            result.append(item)
        return result


class VacancySerializer(serializers.ModelSerializer):
    """A vacancy as the API shows it; the moderation note only to its employer and caseworkers."""

    employer = EmployerSummarySerializer(read_only=True)
    occupation = OccupationSummarySerializer(read_only=True)
    place = PlaceSummarySerializer(read_only=True)
    essential_skills = SkillSummarySerializer(many=True, read_only=True)
    optional_skills = SkillSummarySerializer(many=True, read_only=True)
    languages = VacancyLanguageSerializer(many=True, read_only=True)

    class Meta:
        model = Vacancy
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "status",
            "employer",
            "occupation",
            "is_stem",
            "min_eqf_level",
            "requires_min_secondary",
            "place",
            "contract_type",
            "hours_per_week",
            "shift_work",
            "shift_start_times",
            "salary_min",
            "salary_max",
            "salary_period",
            "openings",
            "start_date",
            "published_at",
            "expires_at",
            "essential_skills",
            "optional_skills",
            "languages",
            "moderation_note",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
        list_serializer_class = VacancyListSerializer

    def to_representation(self, instance: Vacancy) -> dict:
        data = super().to_representation(instance)
        if not _note_shown(self.context.get("request"), instance):
            data["moderation_note"] = ""
        return data


class VacancyWriteSerializer(serializers.ModelSerializer):
    """Create (POST, all required fields) or change (PATCH, any subset) an employer's own vacancy."""

    occupation = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(), help_text="Id of an occupation (GET /api/v1/occupations)."
    )
    place = serializers.PrimaryKeyRelatedField(
        queryset=Place.objects.all(), help_text="Id of the place of work (GET /api/v1/places)."
    )
    essential_skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True, required=False)
    optional_skills = serializers.PrimaryKeyRelatedField(queryset=Skill.objects.all(), many=True, required=False)
    languages = VacancyLanguageSerializer(many=True, required=False)
    is_stem = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Leave out (or null) to take it from the occupation.",
    )
    min_eqf_level = serializers.ChoiceField(choices=EqfLevel.choices, required=False, allow_null=True)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    salary_period = serializers.ChoiceField(choices=SalaryPeriod.choices, required=False)
    salary_min = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True)
    salary_max = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0, required=False, allow_null=True)
    shift_start_times = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Shift start times "HH:MM" (00:00-23:59), at most four, e.g. ["06:00", "14:00", "22:00"]; '
        "stored sorted. [] = none given.",
    )

    class Meta:
        model = Vacancy
        fields = [
            "reference",
            "title",
            "description",
            "occupation",
            "is_stem",
            "min_eqf_level",
            "requires_min_secondary",
            "place",
            "contract_type",
            "hours_per_week",
            "shift_work",
            "shift_start_times",
            "salary_min",
            "salary_max",
            "salary_period",
            "openings",
            "start_date",
            "expires_at",
            "essential_skills",
            "optional_skills",
            "languages",
        ]
        # Uniqueness (reference per employer) is the database's and the service's to check.
        validators: list = []

    def validate_expires_at(self, value):
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError(_("Choose a date in the future."), code="expires_in_past")
        return value

    def validate_shift_start_times(self, value) -> list[str]:
        try:
            return shift_start_times_clean(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from exc

    def validate_languages(self, value: list[dict]) -> list[dict]:
        # A PATCH is partial, and DRF makes the nested fields optional too: a row needs both.
        for item in value:
            if "language" not in item or "min_level" not in item:
                raise serializers.ValidationError(_("Give each language with its level."), code="incomplete")
        codes = [item["language"] for item in value]
        if len(codes) != len(set(codes)):
            raise serializers.ValidationError(_("Give each language once."), code="duplicate_language")
        return value

    def validate(self, attrs: dict) -> dict:
        instance = self.instance
        low = attrs.get("salary_min", getattr(instance, "salary_min", None))
        high = attrs.get("salary_max", getattr(instance, "salary_max", None))
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"salary_max": [_("The maximum salary must not be lower than the minimum.")]}
            )
        if (
            "essential_skills" in attrs
            and "optional_skills" in attrs
            and set(attrs["essential_skills"]) & set(attrs["optional_skills"])
        ):
            raise serializers.ValidationError(
                {"optional_skills": [_("A skill cannot be both essential and nice-to-have.")]}
            )
        return attrs

    def service_kwargs(self) -> dict:
        """The keyword arguments of vacancy_create / vacancy_update for the fields given."""
        data = dict(self.validated_data)
        kwargs = {name: data[name] for name in EDITABLE_FIELDS if name in data}
        if "is_stem" in kwargs and kwargs["is_stem"] is None:
            if self.instance is not None:
                occupation = kwargs.get("occupation") or self.instance.occupation
                kwargs["is_stem"] = occupation.is_stem
            else:
                kwargs.pop("is_stem")
        for name in ("essential_skills", "optional_skills"):
            if name in data:
                kwargs[name] = list(data[name])
        if "languages" in data:
            kwargs["languages"] = [(item["language"], int(item["min_level"])) for item in data["languages"]]
        return kwargs


class VacancySubmitResultSerializer(VacancySerializer):
    pass


class VacancyStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (VacancyStatus.CLOSED, VacancyStatus.CLOSED.label),
            (VacancyStatus.FILLED, VacancyStatus.FILLED.label),
            (VacancyStatus.PUBLISHED, VacancyStatus.PUBLISHED.label),
        ],
        help_text="closed or filled; published renews an expired vacancy (a draft is published with submit).",
    )


class VacancyModerationSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true publishes the vacancy; false sends it back to draft.")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when sending back: what the employer should change.",
    )


class ImportRecordSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="1-based position in the file (CSV: the data row).")
    reference = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    outcome = serializers.ChoiceField(choices=["created", "updated", "unchanged", "refused", "skipped"])
    vacancy = serializers.IntegerField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    warnings = serializers.ListField(child=serializers.CharField())
    suggested = serializers.DictField(
        required=False,
        help_text="The occupation and/or skills the portal suggested from the text of a record without codes "
        "(each with its confidence 0..1 and the words that triggered it); the vacancy is marked for a check.",
    )


class ImportReportSerializer(serializers.Serializer):
    committed = serializers.BooleanField(help_text="Whether anything was written.")
    dry_run = serializers.BooleanField()
    partial = serializers.BooleanField()
    format = serializers.CharField(allow_blank=True)
    summary = serializers.DictField(child=serializers.IntegerField())
    errors = serializers.ListField(child=serializers.CharField(), help_text="Problems with the file as a whole.")
    records = ImportRecordSerializer(many=True)


class ImportJobSerializer(serializers.Serializer):
    """An import job: its progress, and once done the report (ImportReportSerializer)."""

    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    filename = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(help_text="Bytes.")
    partial = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    draft = serializers.BooleanField(source="is_draft")
    total = serializers.IntegerField(help_text="Records in the file (known once the worker has read it).")
    checked = serializers.IntegerField(help_text="Records read and checked against the reference data.")
    processed = serializers.IntegerField(help_text="Records written (or skipped, refused).")
    percent = serializers.IntegerField()
    error = serializers.CharField(allow_blank=True, help_text="Why a failed job failed; nothing was written.")
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    report = ImportReportSerializer(allow_null=True, help_text="When done: what became of each record.")

"""API representations of applications; writes go to applications.services."""

from rest_framework import serializers

from accounts.roles import is_jobseeker
from vacancies.models import Vacancy

from .models import Application, ApplicationStatus, ApplicationStatusChange, CvCheck
from .services import EMPLOYER_STAGES


class ApplicationVacancySerializer(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.legal_name", read_only=True)
    place = serializers.CharField(source="place.name", read_only=True)

    class Meta:
        model = Vacancy
        fields = ["id", "reference", "title", "employer", "place", "status"]


class ApplicantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")
    place = serializers.CharField(source="home_place.name", default="", allow_blank=True)
    country = serializers.CharField()


class StatusChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationStatusChange
        fields = ["from_status", "to_status", "note", "at"]


class ApplicationSerializer(serializers.ModelSerializer):
    vacancy = ApplicationVacancySerializer(read_only=True)
    candidate = ApplicantSerializer(read_only=True)
    has_cv = serializers.SerializerMethodField()
    cv_check = serializers.ChoiceField(
        choices=CvCheck.choices,
        read_only=True,
        help_text="The worker's check of the uploaded CV: `checking` (the employer cannot download it yet), "
        "`passed` (also when there is no CV) or `rejected` (the file was deleted; see `cv_check_reason`).",
    )
    cv_check_reason = serializers.CharField(
        read_only=True,
        help_text="Why the CV was refused: cv_javascript, cv_actions, cv_embedded_files, cv_appended_data, "
        "cv_too_many_pages, cv_too_big_inside, cv_too_slow, cv_damaged, cv_encrypted, cv_not_pdf; empty otherwise.",
    )
    cv_check_message = serializers.SerializerMethodField(
        help_text="The refusal explained in the request's language; empty unless rejected."
    )
    history = StatusChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "vacancy",
            "candidate",
            "status",
            "motivation",
            "has_cv",
            "cv_check",
            "cv_check_reason",
            "cv_check_message",
            "history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_has_cv(self, application: Application) -> bool:
        return bool(application.cv)

    def get_cv_check_message(self, application: Application) -> str:
        return application.cv_rejection_message

    def to_representation(self, application: Application) -> dict:
        data = super().to_representation(application)
        user = getattr(self.context.get("request"), "user", None)
        if is_jobseeker(user):
            # The employer's notes on a stage are the employer's; the jobseeker sees the stages.
            own = {change.pk for change in application.history.all() if change.changed_by_id == user.pk}
            for item, change in zip(data["history"], application.history.all()):
                if change.pk not in own:
                    item["note"] = ""
        return data


class ApplicationCreateSerializer(serializers.Serializer):
    vacancy = serializers.PrimaryKeyRelatedField(
        queryset=Vacancy.objects.open_for_matching(), help_text="Id of a published vacancy."
    )
    motivation = serializers.CharField(max_length=10_000, help_text="A few words on why you apply.")
    cv = serializers.FileField(
        required=False,
        help_text="A PDF of at most 5 MB (multipart uploads only). Checked by a worker after the answer: "
        "the application starts with `cv_check` = `checking`.",
    )


class ApplicationWithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ApplicationStageSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s, ApplicationStatus(s).label) for s in EMPLOYER_STAGES])
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

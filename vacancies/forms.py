"""Forms of the employer's vacancy pages and the caseworker's moderation.

Validation that belongs to the vacancy lives in the model and ``vacancies.services``; these
forms add what only a form can say clearly (the salary range, a duplicate reference) so that
bad input comes back as a field error in the user's language, never as an error page.
"""

import datetime as dt

from django import forms
from django.db.models.functions import Lower
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Employer
from taxonomy.models import CefrLevel, Language, Occupation, Place, Skill
from taxonomy.suggestion_rows import SuggestionRow, suggestion_rows, ticked_row
from taxonomy.widgets import OccupationAutocomplete, PlaceSelect, SkillMultipleAutocomplete

from .models import Vacancy, VacancyStatus
from .shifts import shift_start_times_from_text

STEM_AUTO, STEM_YES, STEM_NO = "auto", "yes", "no"
LANGUAGE_FIELDS = {code: f"language_{code}" for code in Language.values}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _label_order() -> str:
    language = (get_language() or "nl")[:2]
    return f"label_{language}" if language in ("nl", "en", "fr") else "label_en"


class OccupationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Occupation) -> str:
        label = f"{obj.label} (ISCO {obj.isco_group.code})" if obj.isco_group_id else obj.label
        return f"{label} · STEM" if obj.is_stem else label


class SkillChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.label


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return str(obj)


class ShiftStartTimesField(forms.CharField):
    """Shift start times typed as "06:00, 14:00, 22:00"; checked by vacancies/shifts.py."""

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def clean(self, value) -> list[str]:
        return shift_start_times_from_text(super().clean(value))


class VacancyForm(forms.ModelForm):
    """Every field of a vacancy; the languages are one CEFR choice per language."""

    occupation = OccupationChoiceField(
        queryset=Occupation.objects.none(), label=_("Occupation (ESCO)"), widget=OccupationAutocomplete
    )
    stem = forms.ChoiceField(
        label=_("STEM vacancy"),
        choices=[(STEM_AUTO, _("As the occupation says")), (STEM_YES, _("Yes")), (STEM_NO, _("No"))],
        initial=STEM_AUTO,
        help_text=_("STEM: science, technology, engineering and mathematics. By default the occupation decides."),
    )
    essential_skills = SkillChoiceField(
        queryset=Skill.objects.none(),
        required=False,
        label=_("Essential skills"),
        help_text=_("Skills a candidate must have. Type a few letters in any language and pick from the list."),
        widget=SkillMultipleAutocomplete,
    )
    optional_skills = SkillChoiceField(
        queryset=Skill.objects.none(),
        required=False,
        label=_("Nice-to-have skills"),
        help_text=_("Skills that count in a candidate's favour."),
        widget=SkillMultipleAutocomplete,
    )
    place = PlaceChoiceField(
        queryset=Place.objects.order_by("name", "country"), label=_("Place of work"), widget=PlaceSelect
    )
    shift_start_times = ShiftStartTimesField(
        label=_("Shift start times"),
        required=False,
        help_text=_(
            "For shift work: when the shifts start, e.g. 06:00, 14:00, 22:00 (at most four). Public transport "
            "then counts for a jobseeker only if it arrives before every start."
        ),
        widget=forms.TextInput(attrs={"placeholder": "06:00, 14:00, 22:00", "inputmode": "numeric"}),
    )
    # The suggestion panel (rendered by hand in vacancies/partials/vacancy_suggestions.html): only
    # what the employer ticks is applied when the vacancy is saved. Any occupation or skill is
    # valid here, so a tick survives an edit of the text that changes the suggestions.
    suggested_occupation = forms.ModelChoiceField(
        queryset=Occupation.objects.all(), required=False, widget=forms.RadioSelect, label=_("Suggested occupation")
    )
    suggested_skills = forms.ModelMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Suggested skills"),
    )
    expires_on = forms.DateField(
        label=_("Publish until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for 60 days after publication. You get an email a week before it expires."),
    )

    class Meta:
        model = Vacancy
        fields = [
            "title",
            "reference",
            "description",
            "occupation",
            "place",
            "contract_type",
            "hours_per_week",
            "shift_work",
            "shift_start_times",
            "min_eqf_level",
            "requires_min_secondary",
            "salary_min",
            "salary_max",
            "salary_period",
            "openings",
            "start_date",
        ]
        widgets = {
            "start_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "min_eqf_level": _(
                "The European Qualifications Framework puts Dutch and Flemish diplomas on one scale: "
                "MBO-4, HAVO and the Flemish secondary diploma are EQF 4, a bachelor EQF 6."
            ),
            "requires_min_secondary": _(
                "The Dutch startkwalificatie (MBO-2, HAVO, VWO) or the Flemish diploma secundair onderwijs."
            ),
            "hours_per_week": _("Between 1 and 60."),
        }

    def __init__(self, *args, employer: Employer, **kwargs):
        super().__init__(*args, **kwargs)
        self.employer = employer
        order = Lower(_label_order())
        self.fields["occupation"].queryset = Occupation.objects.select_related("isco_group").order_by(order, "label_en")
        skills = Skill.objects.order_by(order, "label_en")
        self.fields["essential_skills"].queryset = skills
        self.fields["optional_skills"].queryset = skills
        if self.is_bound and self.data.get(self.add_prefix("suggested_occupation")):
            # The ticked suggestion becomes the occupation (clean()), so the list may stay empty.
            self.fields["occupation"].required = False
        level_choices = [("", _("Not required"))] + [(str(value), label) for value, label in CefrLevel.choices]
        for code, label in Language.choices:
            self.fields[LANGUAGE_FIELDS[code]] = forms.TypedChoiceField(
                label=label,
                choices=level_choices,
                coerce=int,
                empty_value=None,
                required=False,
            )
        if self.instance.pk:
            self.initial.setdefault("stem", STEM_YES if self.instance.is_stem else STEM_NO)
            self.initial.setdefault("essential_skills", list(self.instance.essential_skills.all()))
            self.initial.setdefault("optional_skills", list(self.instance.optional_skills.all()))
            for row in self.instance.languages.all():
                self.initial.setdefault(LANGUAGE_FIELDS[row.language], str(row.min_level))
            if self.instance.expires_at:
                self.initial.setdefault("expires_on", timezone.localtime(self.instance.expires_at).date())

    @property
    def language_fields(self) -> list:
        return [self[name] for name in LANGUAGE_FIELDS.values()]

    @property
    def main_fields(self) -> list:
        return [self[name] for name in ("title", "reference", "description", "occupation", "stem")]

    @property
    def skill_fields(self) -> list:
        return [self["essential_skills"], self["optional_skills"]]

    @property
    def requirement_fields(self) -> list:
        return [self["min_eqf_level"], self["requires_min_secondary"]]

    @property
    def job_fields(self) -> list:
        names = (
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
            "expires_on",
        )
        return [self[name] for name in names]

    def clean_reference(self) -> str:
        reference = (self.cleaned_data.get("reference") or "").strip()
        if reference:
            others = Vacancy.objects.filter(employer=self.employer, reference=reference)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise forms.ValidationError(
                    _("Another of your vacancies already has this reference."), code="duplicate_reference"
                )
        return reference

    def clean_expires_on(self) -> dt.date | None:
        value = self.cleaned_data.get("expires_on")
        if value and value <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date in the future."), code="expires_in_past")
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and low > high:
            self.add_error("salary_max", _("The maximum salary must not be lower than the minimum."))
        for name in ("salary_min", "salary_max"):
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, _("A salary cannot be negative."))
        essential = set(cleaned.get("essential_skills") or [])
        optional = set(cleaned.get("optional_skills") or [])
        if essential & optional:
            self.add_error("optional_skills", _("A skill cannot be both essential and nice-to-have."))
        self._apply_accepted_suggestions(cleaned)
        return cleaned

    def _apply_accepted_suggestions(self, cleaned: dict) -> None:
        """Ticked suggestions only: the occupation ticked replaces the list's, ticked skills become essential."""
        if cleaned.get("suggested_occupation") is not None:
            cleaned["occupation"] = cleaned["suggested_occupation"]
        accepted = list(cleaned.get("suggested_skills") or [])
        if accepted:
            essential = list(cleaned.get("essential_skills") or [])
            # A skill the employer already listed as nice-to-have stays there: their choice.
            skip = set(essential) | set(cleaned.get("optional_skills") or [])
            cleaned["essential_skills"] = essential + [skill for skill in accepted if skill not in skip]

    def hold_errors(self) -> None:
        """Show the bound form as typed without validating it (the "suggest" button is not a save)."""
        self._errors = ErrorDict()

    def _ids(self, name: str) -> list[int]:
        key = self.add_prefix(name)
        values = self.data.getlist(key) if hasattr(self.data, "getlist") else self.data.get(key) or []
        values = values if isinstance(values, list | tuple) else [values]
        return [int(value) for value in values if str(value).isdigit()]

    def suggestion_panel(self) -> dict | None:
        """The suggestions shown under the text, after the "suggest" button and on every re-render after it.

        Computed from the title and description as typed; what the employer ticked stays ticked
        (and shown) even if the text no longer suggests it. None when the panel is not asked for.
        """
        if not self.is_bound or not (self.data.get("action") == "suggest" or self.data.get("suggestions_shown")):
            return None
        chosen_skills = set(self._ids("essential_skills")) | set(self._ids("optional_skills"))
        title = str(self.data.get(self.add_prefix("title")) or "")
        description = str(self.data.get(self.add_prefix("description")) or "")
        rows = suggestion_rows(
            title=title,
            text=description,
            known_occupations=self._ids("occupation"),
            known_skills=chosen_skills,
        )
        ticked_occupation = next(iter(self._ids("suggested_occupation")), None)
        ticked_skills = set(self._ids("suggested_skills"))
        occupations = _with_ticked(rows["occupations"], Occupation, {ticked_occupation} - {None})
        skills = _with_ticked(rows["skills"], Skill, ticked_skills - chosen_skills)
        return {
            "occupations": occupations,
            "skills": skills,
            "ticked_occupation": ticked_occupation,
            "ticked_skills": ticked_skills,
            "has_text": bool(title.strip() or description.strip()),
        }

    def service_kwargs(self) -> dict:
        """The keyword arguments of vacancy_create / vacancy_update."""
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.Meta.fields}
        fields["reference"] = data.get("reference") or ""
        fields["description"] = data.get("description") or ""
        stem = data.get("stem")
        fields["is_stem"] = None if stem == STEM_AUTO else stem == STEM_YES
        if fields["is_stem"] is None and self.instance.pk and data.get("occupation") is not None:
            fields["is_stem"] = data["occupation"].is_stem
        expires_on = data.get("expires_on")
        fields["expires_at"] = (
            timezone.make_aware(dt.datetime.combine(expires_on, dt.time(23, 59))) if expires_on else None
        )
        if expires_on is None and self.instance.pk:
            fields["expires_at"] = self.instance.expires_at if self.instance.status != VacancyStatus.DRAFT else None
        languages = [(code, data[name]) for code, name in LANGUAGE_FIELDS.items() if data.get(name)]
        return {
            **fields,
            "essential_skills": list(data.get("essential_skills") or []),
            "optional_skills": list(data.get("optional_skills") or []),
            "languages": languages,
        }


def _with_ticked(rows: list[SuggestionRow], model, ticked: set[int]) -> list[SuggestionRow]:
    missing = ticked - {row.pk for row in rows}
    return rows + [ticked_row(concept) for concept in model.objects.filter(pk__in=missing)]


class VacancyModerationForm(forms.Form):
    APPROVE, SEND_BACK = "approve", "send_back"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve and publish")), (SEND_BACK, _("Send back to the employer"))],
    )
    note = forms.CharField(
        label=_("Note to the employer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you send the vacancy back: say what the employer should change."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("decision") == self.SEND_BACK and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Please say why the vacancy is sent back."))
        return cleaned


class VacancyImportForm(forms.Form):
    """The employer's import page: a JobPosting JSON or CSV file, run by the worker."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("schema.org JobPosting JSON (.json) or the CSV template (.csv), at most 5 MB."),
    )
    partial = forms.BooleanField(
        label=_("Import the good records even if others are refused"),
        required=False,
    )
    draft = forms.BooleanField(label=_("Keep new vacancies as drafts"), required=False)
    dry_run = forms.BooleanField(label=_("Only check the file; write nothing"), required=False)

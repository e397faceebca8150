"""Forms of the caseworkers' training pages: the filters of the list, an offer, the CSV upload."""

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.models import CefrLevel, Country, Language, Place, Skill
from taxonomy.widgets import PlaceSelect, SkillAutocomplete, SkillMultipleAutocomplete

from .imports import MAX_BYTES
from .models import Funding, TrainingOffer, TrainingProvider

LANGUAGE_FIELDS = {code: f"level_{code}" for code in Language.values}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SkillChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.label


class SkillMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Skill) -> str:
        return obj.label


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Place) -> str:
        return str(obj)


class TrainingOfferFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Title, reference or provider."))
    skill = SkillChoiceField(
        queryset=Skill.objects.all(), label=_("Skill taught"), required=False, widget=SkillAutocomplete
    )
    place = PlaceChoiceField(
        queryset=Place.objects.all(), label=_("Place"), required=False, widget=PlaceSelect(empty_label=_("Any place"))
    )
    country = forms.ChoiceField(label=_("Country"), required=False, choices=[("", _("Both"))] + Country.choices)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=[("", _("Any"))] + Language.choices)
    starts_after = forms.DateField(label=_("Starts on or after"), required=False, widget=DateInput())
    funding = forms.ChoiceField(label=_("Who pays"), required=False, choices=[("", _("Any"))] + Funding.choices)
    inactive = forms.BooleanField(label=_("Show offers no longer active too"), required=False)

    def selector_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "skill": data["skill"].pk if data.get("skill") else None,
            "place": data["place"].pk if data.get("place") else None,
            "country": data.get("country") or "",
            "language": data.get("language") or "",
            "starts_after": data.get("starts_after"),
            "funding": data.get("funding") or "",
            "active": None if data.get("inactive") else True,
        }


class StartsField(forms.CharField):
    """Start dates typed as ISO dates (2027-03-01), separated by commas, spaces or new lines."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(day.isoformat() for day in value)
        return value

    def clean(self, value) -> list[dt.date]:
        text = super().clean(value) or ""
        days = []
        for item in re.split(r"[\s,;|]+", text.strip()):
            if not item:
                continue
            try:
                days.append(dt.date.fromisoformat(item))
            except ValueError as error:
                raise forms.ValidationError(
                    _("%(item)s is no date such as 2027-03-01."), params={"item": item}, code="invalid"
                ) from error
        return sorted(set(days))


class TrainingOfferForm(forms.ModelForm):
    skills = SkillMultipleChoiceField(
        queryset=Skill.objects.all(),
        required=False,
        label=_("Skills taught (ESCO)"),
        help_text=_("Type a few letters in any language and pick from the list."),
        widget=SkillMultipleAutocomplete,
    )
    place = PlaceChoiceField(queryset=Place.objects.order_by("name", "country"), label=_("Place"), widget=PlaceSelect)
    starts = StartsField(
        label=_("Start dates"),
        required=False,
        help_text=_("One date per line, as 2027-03-01."),
    )

    class Meta:
        model = TrainingOffer
        fields = [
            "provider",
            "reference",
            "title_nl",
            "title_fr",
            "title_en",
            "description",
            "skills",
            "duration_weeks",
            "hours_total",
            "place",
            "instruction_language",
            "cost_eur",
            "funding",
            "url",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = TrainingProvider.objects.order_by("name")
        level_choices = [("", _("None"))] + [(str(value), label) for value, label in CefrLevel.choices]
        for code, label in Language.choices:
            self.fields[LANGUAGE_FIELDS[code]] = forms.TypedChoiceField(
                label=label, choices=level_choices, coerce=int, empty_value=None, required=False
            )
        if self.instance.pk:
            self.initial.setdefault("skills", list(self.instance.skills.all()))
            self.initial.setdefault("starts", [start.starts_on for start in self.instance.starts.all()])
            for row in self.instance.language_levels.all():
                self.initial.setdefault(LANGUAGE_FIELDS[row.language], str(row.level))

    @property
    def main_fields(self) -> list:
        names = ["provider", "reference", "title_nl", "title_fr", "title_en", "description", "skills"]
        return [self[name] for name in names]

    @property
    def language_fields(self) -> list:
        return [self[name] for name in LANGUAGE_FIELDS.values()]

    @property
    def practical_fields(self) -> list:
        names = [
            "place",
            "instruction_language",
            "starts",
            "duration_weeks",
            "hours_total",
            "cost_eur",
            "funding",
            "url",
        ]
        return [self[name] for name in names]

    def offer_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name != "skills"}

    def language_levels(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[name]
            for code, name in LANGUAGE_FIELDS.items()
            if self.cleaned_data.get(name) is not None
        }


class TrainingImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, comma or semicolon separated, at most 2 MB."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB."), params={"mb": MAX_BYTES // (1024 * 1024)}
            )
        return upload

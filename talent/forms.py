"""The employer's candidate search and invitation forms (one form for the page and the API)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.models import EqfLevel, Language, Occupation, Skill
from taxonomy.widgets import OccupationAutocomplete, SkillAutocomplete

from .selectors import SearchCriteria, invitable_vacancies


class CandidateSearchForm(forms.Form):
    occupation = forms.ModelChoiceField(
        queryset=Occupation.objects.all(), required=False, label=_("Occupation"), widget=OccupationAutocomplete
    )
    skill = forms.ModelChoiceField(
        queryset=Skill.objects.all(), required=False, label=_("Skill"), widget=SkillAutocomplete
    )
    min_eqf_level = forms.TypedChoiceField(
        choices=[("", _("Any level"))] + list(EqfLevel.choices),
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Diploma level at least"),
    )
    language = forms.ChoiceField(
        choices=[("", _("Any language"))] + list(Language.choices), required=False, label=_("Speaks")
    )
    vacancy = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Travel to the vacancy"), empty_label=_("Any place")
    )
    max_minutes = forms.IntegerField(
        min_value=5, max_value=180, required=False, label=_("Maximum travel time (minutes)")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = invitable_vacancies(user=user)

    def clean(self):
        data = super().clean()
        if data.get("max_minutes") and not data.get("vacancy"):
            self.add_error("vacancy", _("Choose the vacancy the travel time is measured to."))
        return data

    def criteria(self) -> SearchCriteria:
        data = self.cleaned_data
        return SearchCriteria(
            occupation=data.get("occupation"),
            skills=[data["skill"]] if data.get("skill") else [],
            min_eqf_level=data.get("min_eqf_level"),
            languages=[data["language"]] if data.get("language") else [],
            vacancy=data.get("vacancy"),
            max_minutes=data.get("max_minutes"),
        )


class InvitationForm(forms.Form):
    vacancy = forms.ModelChoiceField(
        queryset=None,
        label=_("Vacancy"),
        error_messages={"required": _("Choose the vacancy you invite this candidate to.")},
    )
    message = forms.CharField(
        label=_("Message (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = invitable_vacancies(user=user)

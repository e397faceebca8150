"""The forms of the job alert pages: shape only; the rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from candidates.selectors import CaseworkerSearchCriteria
from taxonomy.models import EqfLevel, Language, Occupation, Place, Skill
from taxonomy.widgets import OccupationAutocomplete, SkillAutocomplete

from .models import Frequency, SavedSearch


class SavedSearchCreateForm(forms.ModelForm):
    # The search page's query string, carried from the results page.
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=2000)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.DAILY, widget=forms.RadioSelect
    )

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency"]
        help_texts = {"name": _("So you recognise the alert, e.g. “Welding jobs near Terneuzen”.")}


class SavedSearchEditForm(forms.ModelForm):
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect)

    class Meta:
        model = SavedSearch
        fields = ["name", "frequency", "is_active"]
        labels = {"is_active": _("Send me alerts for this search")}


class CandidateSearchForm(forms.Form):
    """The caseworker's candidate search (the workspace page, and a saved candidate search's
    query string): the talent search's filters, without travel time, plus home place and
    "registered since". No name or e-mail: a caseworker finds people by what fits a job."""

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
    place = forms.ModelChoiceField(
        queryset=Place.objects.order_by("name"), required=False, label=_("Lives in"), empty_label=_("Any place")
    )
    registered_since = forms.DateField(
        required=False, label=_("Registered since"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def criteria(self) -> CaseworkerSearchCriteria:
        data = self.cleaned_data
        return CaseworkerSearchCriteria(
            occupation=data.get("occupation"),
            skill=data.get("skill"),
            min_eqf_level=data.get("min_eqf_level"),
            language=data.get("language") or "",
            place=data.get("place"),
            registered_since=data.get("registered_since"),
        )

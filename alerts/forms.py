"""The forms of the job alert pages: shape only; the rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

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

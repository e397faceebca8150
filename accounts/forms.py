"""Forms for accounts and organisations; validation lives in the model and the validators."""
from django import forms
from django.utils.translation import gettext_lazy as _

from taxonomy.models import Place

from .models import Employer


class EmployerForm(forms.ModelForm):
    """Register a company: KvK (NL) or KBO/BCE (BE) number, validated with python-stdnum."""

    place = forms.ModelChoiceField(queryset=Place.objects.order_by("name"), label=_("Place"))

    class Meta:
        model = Employer
        fields = ["legal_name", "country", "kvk_number", "enterprise_number", "place", "website"]
        help_texts = {
            "kvk_number": _("Dutch companies: the 8-digit number of the Kamer van Koophandel."),
            "enterprise_number": _("Belgian companies: the 10-digit KBO/BCE number, e.g. 0403.170.701."),
        }

"""Forms of the workspace: the work-queue filters and the figures' period and service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import EmploymentService
from taxonomy.models import Country, Place


class WorkQueueFilterForm(forms.Form):
    """Filters of the work queue; every field is optional, bad values are ignored with a message."""

    service = forms.ModelChoiceField(
        queryset=EmploymentService.objects.order_by("name"),
        required=False,
        to_field_name="code",
        label=_("Employment service"),
        empty_label=_("All services"),
        help_text=_(
            "Shortlists: candidates registered with this service. Vacancies and companies: "
            "those in the service's country."
        ),
    )
    country = forms.ChoiceField(
        label=_("Country"), required=False, choices=[("", _("Both countries"))] + list(Country.choices)
    )
    stem = forms.ChoiceField(
        label=_("STEM"),
        required=False,
        choices=[("", _("All vacancies")), ("yes", _("STEM only")), ("no", _("Not STEM"))],
    )
    place = forms.ModelChoiceField(
        queryset=Place.objects.order_by("name", "country"),
        required=False,
        label=_("Place of work"),
        empty_label=_("All places"),
    )

    def filters(self) -> dict:
        """The valid filters as a plain dict (empty when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        stem = {"yes": True, "no": False}.get(data.get("stem") or "")
        return {
            key: value
            for key, value in {
                "service": data.get("service"),
                "country": data.get("country") or None,
                "stem": stem,
                "place": data.get("place"),
            }.items()
            if value is not None
        }


class FiguresForm(forms.Form):
    service = forms.ModelChoiceField(
        queryset=EmploymentService.objects.order_by("name"),
        required=False,
        to_field_name="code",
        label=_("Decisions of"),
        empty_label=_("All services"),
    )
    months = forms.TypedChoiceField(
        label=_("Period"),
        coerce=int,
        required=False,
        empty_value=12,
        initial=12,
        choices=[(6, _("Last 6 months")), (12, _("Last 12 months")), (24, _("Last 24 months"))],
    )

"""Forms of the workspace: the work-queue filters and the figures' period and service."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import EmploymentService
from taxonomy.models import Country, Place
from taxonomy.widgets import PlaceSelect

from .bias import DIMENSION_LABELS, DIMENSIONS


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
        widget=PlaceSelect(empty_label=_("All places")),  # options rendered once per process
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


class SelectionRatesForm(forms.Form):
    """The bias report's scope: one service or all, a start day, the months and the monthly view's groups."""

    service = forms.ModelChoiceField(
        queryset=EmploymentService.objects.order_by("name"),
        required=False,
        to_field_name="code",
        label=_("Candidates of"),
        empty_label=_("All services"),
    )
    since = forms.DateField(
        label=_("Stages reached since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: all time. “Scored” and “eligible” are always today's state."),
    )
    months = forms.TypedChoiceField(
        label=_("Monthly view"),
        coerce=int,
        required=False,
        empty_value=6,
        initial=6,
        choices=[(6, _("Last 6 months")), (12, _("Last 12 months"))],
    )
    dimension = forms.ChoiceField(label=_("Monthly view by"), required=False, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [(d, DIMENSION_LABELS[d]) for d in DIMENSIONS]

    def params(self) -> dict:
        """The valid choices with their defaults (bad values fall back to the defaults)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "service": data.get("service"),
            "since": data.get("since"),
            "months": data.get("months") or 6,
            "dimension": data.get("dimension") or "urbanity",
        }


class MatchingPauseForm(forms.Form):
    """The stop button: what to pause (the portal, or one service) and why."""

    PORTAL = "portal"

    scope = forms.ChoiceField(label=_("Pause matching for"), choices=())
    reason = forms.CharField(
        label=_("Why?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you pause the matching.")},
    )

    def __init__(self, *args, scopes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes

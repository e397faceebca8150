"""Forms of the caseworker's pages: the work-queue filters, decisions on matches, figures."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import EmploymentService
from taxonomy.models import Country, Place

from .models import RejectionReason, ReviewStatus


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


class MatchDecisionForm(forms.Form):
    """Approve or reject one or several matches; a rejection needs a reason from the list."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(ReviewStatus.APPROVED, _("Approve")), (ReviewStatus.REJECTED, _("Reject"))],
    )
    reason = forms.ChoiceField(
        label=_("Reason for a rejection"),
        required=False,
        choices=[("", _("Choose a reason"))] + list(RejectionReason.choices),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For your colleagues; required with the reason “Other”."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        decision, reason = cleaned.get("decision"), cleaned.get("reason")
        if decision == ReviewStatus.REJECTED:
            if not reason:
                self.add_error("reason", _("Choose a reason for the rejection."))
            elif reason == RejectionReason.OTHER and not (cleaned.get("note") or "").strip():
                self.add_error("note", _("Please explain the rejection in a note."))
        elif decision == ReviewStatus.APPROVED:
            cleaned["reason"] = ""
        return cleaned


class BulkDecisionForm(MatchDecisionForm):
    """The same decision for every ticked row of a shortlist."""

    selected = forms.TypedMultipleChoiceField(label=_("Candidates"), coerce=int, choices=())

    field_order = ["selected", "decision", "reason", "note"]

    def __init__(self, *args, decidable_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selected"].choices = [(pk, str(pk)) for pk in decidable_ids]
        self.fields["selected"].error_messages.update(
            {
                "required": _("Tick at least one candidate."),
                "invalid_choice": _("You may not decide on one of the ticked candidates."),
            }
        )


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

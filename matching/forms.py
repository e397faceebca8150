"""Forms of the caseworker's match pages: decisions on one match or on several at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RejectionReason, ReviewStatus


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


class AddByHandForm(forms.Form):
    """A caseworker puts a candidate on the shortlist by hand; the reason is audited."""

    candidate = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Why do you add this candidate?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why you add this candidate.")},
    )


class ReviewAnswerForm(forms.Form):
    """A caseworker's answer to a jobseeker's request for human review (mailed to them)."""

    answer = forms.CharField(
        label=_("Your answer to the jobseeker"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write the answer the jobseeker will receive.")},
    )

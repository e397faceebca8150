"""The application form: a motivation and an optional CV, checked by its content."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .services import CV_MAX_BYTES, cv_validate


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you apply?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("A few sentences are enough: what attracts you, and what you bring."),
        error_messages={"required": _("Please write a few words about why you apply.")},
    )
    cv = forms.FileField(
        label=_("CV (optional)"),
        required=False,
        help_text=_("A PDF file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf", "data-max-bytes": CV_MAX_BYTES}),
    )

    def clean_motivation(self) -> str:
        motivation = self.cleaned_data["motivation"].strip()
        if not motivation:
            raise ValidationError(_("Please write a few words about why you apply."), code="required")
        return motivation

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv:
            cv_validate(cv)
        return cv


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

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

    # Only when the profile has a CV the worker passed: send it, or upload another (views_jobseeker.apply).
    cv_source = forms.ChoiceField(
        label=_("Your CV"),
        required=False,
        choices=[("profile", _("Send the CV on my profile")), ("upload", _("Upload another CV (or none)"))],
        initial="profile",
        widget=forms.RadioSelect,
        help_text=_("If you choose a file below, that file is sent instead of the CV on your profile."),
    )

    field_order = ["motivation", "cv_source", "cv"]

    def __init__(self, *args, profile_cv: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not profile_cv:
            del self.fields["cv_source"]

    @property
    def use_profile_cv(self) -> bool:
        """Send the profile's CV: offered, chosen, and no other file given."""
        data = self.cleaned_data
        return "cv_source" in self.fields and data.get("cv_source", "profile") != "upload" and not data.get("cv")

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


class CvReplaceForm(forms.Form):
    """Another CV for an application whose CV was refused (or that had none)."""

    cv = forms.FileField(
        label=_("CV"),
        help_text=_("A PDF file of at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf", "data-max-bytes": CV_MAX_BYTES}),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

"""The caseworker's route proposal: one of the ranked trainings, a start date, a note."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import RouteStage
from .services import NOTE_MAX


class RouteProposeForm(forms.Form):
    offer = forms.TypedChoiceField(label=_("Training"), coerce=int, choices=(), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note for the jobseeker (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, offer_ids: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].choices = [(pk, str(pk)) for pk in offer_ids]


class RouteAdvanceForm(forms.Form):
    stage = forms.ChoiceField(
        choices=[(s, s.label) for s in (RouteStage.STARTED, RouteStage.COMPLETED, RouteStage.DROPPED)]
    )

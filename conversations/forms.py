"""The thread's and the interview's forms (shape only; the rules are in services.py)."""

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .ics import ICS_TIMEZONE
from .services import MESSAGE_MAX_CHARS

SLOT_ROWS = 3


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MESSAGE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )


class InterviewRequestOtherForm(forms.Form):
    note = forms.CharField(
        label=_("Which times suit you better?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InterviewProposeForm(forms.Form):
    """Up to three times, each with a date, an hour, a place or a video link (Belgian/Dutch time)."""

    contact_person = forms.CharField(label=_("Contact person"), max_length=200)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=5, max_value=480, initial=45)
    note = forms.CharField(
        label=_("Note to the candidate"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, SLOT_ROWS + 1):
            required = i == 1
            self.fields[f"slot{i}_date"] = forms.DateField(
                label=_("Time %(n)d: date") % {"n": i},
                required=required,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields[f"slot{i}_time"] = forms.TimeField(
                label=_("Time %(n)d: hour") % {"n": i},
                required=required,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )
            self.fields[f"slot{i}_location"] = forms.CharField(
                label=_("Time %(n)d: place (address)") % {"n": i}, max_length=300, required=False
            )
            self.fields[f"slot{i}_video_url"] = forms.URLField(
                label=_("Time %(n)d: or video link") % {"n": i}, required=False, assume_scheme="https"
            )

    def slot_rows(self) -> list[list]:
        """The bound fields per row, for the template's fieldsets."""
        return [
            [self[f"slot{i}_{name}"] for name in ("date", "time", "location", "video_url")]
            for i in range(1, SLOT_ROWS + 1)
        ]

    def slots(self) -> list[dict]:
        """The filled rows as the service's slot dicts (a row without date or hour is left out)."""
        rows = []
        for i in range(1, SLOT_ROWS + 1):
            day, hour = self.cleaned_data.get(f"slot{i}_date"), self.cleaned_data.get(f"slot{i}_time")
            if day is None or hour is None:
                continue
            rows.append(
                {
                    "starts_at": datetime.combine(day, hour, tzinfo=ICS_TIMEZONE),
                    "duration_minutes": self.cleaned_data["duration_minutes"],
                    "location": self.cleaned_data.get(f"slot{i}_location", ""),
                    "video_url": self.cleaned_data.get(f"slot{i}_video_url", ""),
                }
            )
        return rows

"""Shift start times of a vacancy: the one rule for reading and checking them.

A shift vacancy may say when its shifts start ("06:00, 14:00, 22:00"). Matching uses them to
count public transport only when a journey arrives before every start (matching/profiles.py).
The employer form (text), the API (a list of strings) and the model field all go through
``shift_start_times_clean``, so the three roads accept exactly the same values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_SHIFT_STARTS = 4
_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")


def shift_start_times_from_text(text: str) -> list[str]:
    """The comma-, semicolon- or space-separated times of a form field, cleaned."""
    parts = [part for part in re.split(r"[,;\s]+", text or "") if part]
    return shift_start_times_clean(parts)


def shift_start_times_clean(values: Iterable) -> list[str]:
    """Valid "HH:MM" times (00:00–23:59), at most four, each once; returned sorted as "HH:MM".

    Raises ValidationError (code ``invalid_shift_start``, ``too_many_shift_starts`` or
    ``duplicate_shift_start``) with a message in the active language.
    """
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise ValidationError(
            _("Give the shift start times as a list of times such as 06:00."), code="invalid_shift_start"
        )
    times = []
    for value in values:
        match = _TIME.match(str(value).strip()) if isinstance(value, str) else None
        if match is None:
            raise ValidationError(
                _("“%(value)s” is not a time between 00:00 and 23:59 (write e.g. 06:00)."),
                code="invalid_shift_start",
                params={"value": value},
            )
        times.append(f"{int(match.group(1)):02d}:{match.group(2)}")
    if len(times) > MAX_SHIFT_STARTS:
        raise ValidationError(
            _("Give at most %(max)s shift start times."), code="too_many_shift_starts", params={"max": MAX_SHIFT_STARTS}
        )
    if len(set(times)) != len(times):
        raise ValidationError(_("Give each shift start time once."), code="duplicate_shift_start")
    return sorted(times)


def validate_shift_start_times(value) -> None:
    """Model-field validator: the stored list must already be in its clean form."""
    if shift_start_times_clean(value) != list(value):
        raise ValidationError(_("Give the shift start times in order, from the earliest."), code="invalid_shift_start")

"""Formatting in the user's locale: money and durations."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(value, decimals: int = 0) -> str:
    """An amount in euros as the locale writes it: € 3.200 (nl), €3,200 (en), 3 200 € (fr)."""
    if value in (None, ""):
        return ""
    amount = Decimal(value)
    places = int(decimals) if amount == amount.to_integral_value() else 2
    formatted = number_format(amount, places, use_l10n=True, force_grouping=True)
    language = (get_language() or "nl")[:2]
    if language == "fr":
        return f"{formatted}\u00a0€"
    if language == "en":
        return f"€{formatted}"
    return f"€\u00a0{formatted}"


@register.filter
def minutes(value) -> str:
    """A travel time: 45 min, 1 h 20 min (in the active language)."""
    if value in (None, ""):
        return ""
    value = int(value)
    hours, rest = divmod(value, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": value}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}

"""Template tags of the matching pages: explanations in the reader's language, factor bars.

{% load match_tags %}
{% explain match vacancy as reasons %}
{% for reason in reasons %}<li class="reason reason--{{ reason.tone }}">{{ reason.text }}</li>{% endfor %}
{% for code, label, percent in match.factors|factor_rows %}...{% endfor %}
"""

from django import template

from ..explanations import Lookup, render_explanation
from ..explanations import factor_rows as _factor_rows

register = template.Library()


@register.simple_tag
def explain(match, vacancy=None):
    """The match's reasons, rendered in the active language (RenderedReason objects)."""
    lookup = Lookup.for_match(match)
    if vacancy is not None:
        lookup.with_vacancy(vacancy)
    return render_explanation(match.explanation, lookup)


@register.filter
def factor_rows(factors):
    return _factor_rows(factors)


@register.filter
def percent(value) -> str:
    try:
        return f"{round(float(value) * 100)}"
    except (TypeError, ValueError):
        return ""


@register.filter
def flag_reason(code) -> str:
    from ..explanations import filter_reason_label

    return filter_reason_label(code)

"""The requirement panel on a vacancy's page (employer and caseworker pages alike).

{% load requirement_tags %}{% requirement_panel vacancy %}

Rendered through a tag so that the vacancies app's employer page can show it without importing
matching (tests/test_layering.py). Only the vacancy's own employer and caseworkers see it; the
edit links are the employer's (their changes are moderated as usual).
"""

from django import template

from accounts import roles

from ..requirements import NOT_READ
from ..requirements import requirement_panel as _requirement_panel

register = template.Library()

CLOSED_STATUSES = {"closed", "filled"}  # no longer edited (vacancies.views_employer)


@register.inclusion_tag("matching/requirement_panel.html", takes_context=True)
def requirement_panel(context, vacancy, summary=NOT_READ):
    """``summary``: the vacancy's ShortlistSummary (or None) when the page has read it."""
    user = context["request"].user
    is_owner = roles.is_employer(user) and user.employer_id == vacancy.employer_id
    if not (is_owner or roles.is_caseworker(user)):
        return {"shown": False}
    panel = _requirement_panel(vacancy=vacancy, summary=summary)
    may_refresh = vacancy.status == "published"  # only published vacancies are matched
    return {
        "shown": bool(panel["panel"]) or may_refresh,  # a draft never matched: nothing to say yet
        "vacancy": vacancy,
        "is_owner": is_owner,
        "may_edit": is_owner and vacancy.status not in CLOSED_STATUSES,
        "may_refresh": may_refresh,
        "csrf_token": context.get("csrf_token"),
        **panel,
    }

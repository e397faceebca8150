"""The near-miss section of the caseworker's shortlist page (matching's template loads it: the
shortlist view stays in matching, which may not import routes)."""

from django import template

from ..selectors import near_misses_for_shortlist

register = template.Library()


@register.inclusion_tag("routes/partials/near_misses.html")
def near_miss_section(user, vacancy) -> dict:
    """A fixed number of queries, whatever the number of near misses."""
    return {"near_misses": near_misses_for_shortlist(user=user, vacancy=vacancy)}

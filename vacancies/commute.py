"""The one rule for "this vacancy is further than you wish to travel": the search results and the vacancy page."""


def beyond_commute_limit(minutes: int | None, limit: int | None) -> bool:
    """True when a known travel time is longer than the jobseeker's maximum (no maximum: never)."""
    return bool(limit) and minutes is not None and minutes > limit

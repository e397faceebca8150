"""Links to many objects of one kind on a page, without a ``reverse`` per row.

In ``core`` because the rows written in Python (shortlist, work queue, vacancy lists) all use it;
imports no project app.
"""

from collections.abc import Callable

from django.urls import reverse

__all__ = ["url_of_pk"]

_SENTINEL = 987654321


def url_of_pk(name: str) -> Callable[[int], str]:
    """``reverse(name, kwargs={"pk": pk})`` as a prefix and suffix around the id: one reverse per
    page (in the current language and script prefix), not per row."""
    prefix, _found, suffix = reverse(name, kwargs={"pk": _SENTINEL}).rpartition(str(_SENTINEL))
    return lambda pk: f"{prefix}{pk}{suffix}"

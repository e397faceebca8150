"""Pagination of the server-rendered lists."""

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window

TOTAL = "paginator_total"  # the annotation that carries the count with each row


class CountWithRowsPaginator(Paginator):
    """A ``Paginator`` whose ``get_page`` reads the total with the page's rows
    (``COUNT(*) OVER ()``): one pass over the filtered rows instead of a ``COUNT`` and then the
    page (issue 15: the jobseeker's search read every vacancy matching a common word twice).

    A page past the end has no row to carry the total: then, and for lists that are not
    querysets, it is Django's ``get_page`` (a count, then the last page).
    """

    def get_page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1
        if wanted >= 1 and not self.orphans and isinstance(self.object_list, QuerySet):
            bottom = (wanted - 1) * self.per_page
            rows = list(self.object_list.annotate(**{TOTAL: Window(Count("*"))})[bottom : bottom + self.per_page])
            if rows:
                self.__dict__["count"] = getattr(rows[0], TOTAL)  # Paginator.count is a cached_property
                return self._get_page(rows, wanted, self)
        return super().get_page(number)

"""The API's page-number pagination, ``?page=`` and ``?page_size=`` up to 100.

In ``core`` because it is the default for every app's lists (``REST_FRAMEWORK
["DEFAULT_PAGINATION_CLASS"]``). DRF imports it while ``rest_framework.views`` is still
loading, so this module must not import that (nor ``core.api.errors``).
"""

import json

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connections
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

__all__ = ["EstimatedCountPagination", "EstimatedCountPaginator", "PortalPagination"]


class PortalPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def planner_row_estimate(queryset) -> int:
    """PostgreSQL's estimate of the query's rows (EXPLAIN, no execution); other databases count."""
    if connections[queryset.db].vendor != "postgresql":
        return queryset.count()
    plan = queryset.explain(format="json")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class _PageWithLookahead(Page):
    def __init__(self, object_list, number, paginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more


class EstimatedCountPaginator(DjangoPaginator):
    """Counts at most ``exact_up_to + 1`` rows; beyond that ``count`` is the planner's estimate.

    A count of every visible row cost as much as the list itself grew (issue 15). Up to
    ``exact_up_to`` rows nothing changes. Beyond it, the page is read with one row of lookahead,
    so ``next`` is exact whatever the estimate says, and any page number is accepted (past the end:
    404, as before).
    """

    exact_up_to = 10_000

    @cached_property
    def bounded_count(self) -> int:
        return self.object_list[: self.exact_up_to + 1].count()

    @property
    def estimated(self) -> bool:
        return self.bounded_count > self.exact_up_to

    @cached_property
    def count(self) -> int:
        if not self.estimated:
            return self.bounded_count
        return max(self.bounded_count, planner_row_estimate(self.object_list))

    def validate_number(self, number):
        if not self.estimated:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if not self.estimated:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage(self.error_messages["no_results"])
        return _PageWithLookahead(rows[: self.per_page], number, self, more=len(rows) > self.per_page)


class EstimatedCountPagination(PortalPagination):
    """For lists that can hold hundreds of thousands of rows (matches): see EstimatedCountPaginator."""

    django_paginator_class = EstimatedCountPaginator

"""The API's page-number pagination, ``?page=`` and ``?page_size=`` up to 100.

In ``core`` because it is the default for every app's lists (``REST_FRAMEWORK
["DEFAULT_PAGINATION_CLASS"]``). DRF imports it while ``rest_framework.views`` is still
loading, so this module must not import that (nor ``core.api.errors``).
"""

from rest_framework.pagination import PageNumberPagination

__all__ = ["PortalPagination"]


class PortalPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100

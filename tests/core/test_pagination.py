"""core.pagination: the count that comes with the page's rows."""

import pytest
from django.core.paginator import Paginator

from core.pagination import CountWithRowsPaginator
from tests.workspace_helpers import published_vacancy
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancies():
    return [published_vacancy(title=f"Operator {n}") for n in range(7)]


@pytest.mark.parametrize("number", [1, 2, 3, "2", None, "x", 99, 0, -1])
def test_every_page_is_the_one_djangos_paginator_gives(vacancies, number):
    queryset = Vacancy.objects.order_by("pk")
    ours = CountWithRowsPaginator(queryset, 3).get_page(number)
    django = Paginator(queryset, 3).get_page(number)
    assert [v.pk for v in ours.object_list] == [v.pk for v in django.object_list]
    assert ours.number == django.number
    assert ours.paginator.count == 7
    assert ours.paginator.num_pages == 3
    assert (ours.has_next(), ours.has_previous()) == (django.has_next(), django.has_previous())


def test_a_page_with_rows_costs_one_query(vacancies, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountWithRowsPaginator(Vacancy.objects.order_by("pk"), 3).get_page(2)
        assert page.paginator.count == 7
        assert len(page.object_list) == 3


def test_past_the_end_it_counts_and_shows_the_last_page(vacancies, django_assert_num_queries):
    with django_assert_num_queries(3):  # the empty page, the count, the last page
        page = CountWithRowsPaginator(Vacancy.objects.order_by("pk"), 3).get_page(5)
        assert len(page.object_list) == 1
    assert page.number == 3


def test_an_empty_list_has_one_empty_page():
    page = CountWithRowsPaginator(Vacancy.objects.all(), 3).get_page(1)
    assert page.paginator.count == 0
    assert list(page.object_list) == []

from django.core import paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from rest_framework import pagination


class CountedRows:
    """Rows to paginate (e.g. a values() queryset with joined columns) whose total
    is counted on a leaner queryset: the page needs the joins, the count does not."""

    def __init__(self, rows, *, count_from):
        self.rows, self.count_from = rows, count_from
        self.ordered = getattr(rows, "ordered", True)

    def count(self) -> int:
        return self.count_from.count()

    def __getitem__(self, index):
        return self.rows[index]

    def __len__(self) -> int:
        return self.count()


class Paginator(paginator.Paginator):
    """Django's paginator, with a queryset's (or CountedRows') count() called at once,
    one COUNT, rather than after inspecting its signature on every request, and a
    page's rows read once into a list (issue 16)."""

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, (QuerySet, CountedRows)):
            return self.object_list.count()
        return super().count

    def page(self, number):
        page = super().page(number)
        page.object_list = list(page.object_list)
        return page


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200), as API.md promises; the response
    is DRF's `count/next/previous/results`."""

    django_paginator_class = Paginator
    page_size_query_param = "page_size"
    max_page_size = 200

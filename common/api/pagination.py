from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=` (at most 200), as API.md promises."""

    page_size_query_param = "page_size"
    max_page_size = 200


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

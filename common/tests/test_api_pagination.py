"""The API's pagination (issue 16: one COUNT, a page read once) answers exactly as
DRF's stock PageNumberPagination with the same settings: the same body
`count/next/previous/results`, the same links and the same 404 messages (the order
list's test is in inventory/tests/test_order_rows.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import pagination

from accounts.tests.factories import AdminFactory
from dealers.api.views.dealers import DealerViewSet
from dealers.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db


class StockPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


QUERIES = ["", "page=2", "page=3&page_size=2", "page=last&page_size=2", "page_size=0", "page_size=500",
           "page_size=abc", "page=0", "page=abc", "page=99", "page=1.0", "page=%EF%BC%92", "page=2&page_size=2&ordering=-code",
           "page_size=1&search=Dealer"]


@pytest.fixture
def dealers():
    return [DealerFactory(name=f"Dealer {index:02d}") for index in range(7)]


@pytest.mark.parametrize("query", QUERIES)
def test_dealer_list_pages_as_drf_stock_pagination_does(api_as, dealers, monkeypatch, query):
    client = api_as(AdminFactory())
    ours = client.get(f"/api/v1/dealers/?{query}")
    monkeypatch.setattr(DealerViewSet, "pagination_class", StockPagination)
    stock = client.get(f"/api/v1/dealers/?{query}")
    assert (ours.status_code, ours.json()) == (stock.status_code, stock.json())
    if ours.status_code == 200:
        assert list(ours.json()) == ["count", "next", "previous", "results"]


def test_dealer_list_page_counts_once(api_as, dealers):
    client = api_as(AdminFactory())
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/dealers/?page_size=2&page=2").json()
    assert body["count"] == 7 and len(body["results"]) == 2
    assert sum("COUNT(" in query["sql"].upper() for query in queries.captured_queries) == 1

"""The order list reads values (inventory.order_rows) for speed (issue 16); each row
must be exactly what OrderSerializer gives for the order, every field, for every
role's scope, with filters and ordering."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.tests.factories import AdminFactory
from inventory.api.serializers import OrderSerializer
from inventory.models import Order
from inventory.selectors import order_list
from inventory.tests.factories import OrderFactory, order_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(world):
    """Orders of both dealers in several states: dates, payments, reasons, notes, a
    line from a suggested order, a partial payment and nulls where a step is missing."""
    admin = AdminFactory()
    made = [
        OrderFactory(dealer=world.dealer, lines=[(world.cola, 3), (world.chips, 7)], note="Before the holiday 春节"),
        OrderFactory(dealer=world.other, lines=[(world.chips, 1)]),
        order_in_state("paid", dealer=world.dealer, lines=[(world.cola, 2)], by=admin,
                       payments=[Decimal("1.00"), Decimal("2.50")],
                       at=timezone.now() - datetime.timedelta(days=40)),
        order_in_state("received", dealer=world.dealer, lines=[(world.chips, 4), (world.cola, 1)], by=admin),
        order_in_state("cancelled", dealer=world.other, lines=[(world.cola, 5)], by=admin, reason="Duplicate"),
        order_in_state("confirmed", dealer=world.dealer, lines=[(world.cola, 9)], by=admin),
    ]
    line = made[0].lines.order_by("id").first()
    line.suggested_quantity, line.change_reason = 5, "Shelf space"
    line.save(update_fields=["suggested_quantity", "change_reason"])
    return made


def expected_rows(user, order_by, **filters):
    orders = order_list(user=user).filter(**filters).order_by(*order_by)
    return [dict(OrderSerializer(order).data) for order in orders]


def as_plain(rows):
    return [{**row, "lines": [dict(line) for line in row["lines"]]} for row in rows]


@pytest.mark.parametrize("who", ["admin", "manager", "rep", "dealer_user", "other_dealer_user", "finance"])
def test_order_list_rows_equal_what_the_order_serializer_gives(world, orders, api_as, who):
    user = getattr(world, who)
    rows = api_as(user).get("/api/v1/orders/").json()["results"]
    expected = expected_rows(user, ["-submitted_at", "-id"])
    assert rows == as_plain(expected)
    assert rows, "the scope holds orders"


@pytest.mark.parametrize("who", ["admin", "rep", "dealer_user"])
@pytest.mark.parametrize(("query", "order_by", "filters"), [
    ("ordering=total", ["total", "-submitted_at", "-id"], {}),
    ("ordering=-amount_paid,id", ["-amount_paid", "id"], {}),
    ("status=paid&status=received", ["-submitted_at", "-id"], {"status__in": ["paid", "received"]}),
    ("open=true&ordering=id", ["id"], {"status__in": ["submitted", "confirmed", "paid", "picked", "shipped"]}),
    ("search=Baishun&ordering=-id", ["-id"], {"dealer__name__icontains": "Baishun"}),
    ("page_size=2&page=2", ["-submitted_at", "-id"], {}),
])
def test_order_list_rows_equal_the_serializer_with_filters_and_ordering(world, orders, api_as, who, query, order_by, filters):
    user = getattr(world, who)
    body = api_as(user).get(f"/api/v1/orders/?{query}").json()
    expected = expected_rows(user, order_by, **filters)
    if "page_size=2" in query:
        expected = expected[2:4]
    assert body["results"] == as_plain(expected)


def test_order_list_rows_in_another_time_zone_and_language(world, orders, api_as, settings):
    """Times follow the current time zone (resolved once per request), as DRF's do."""
    settings.TIME_ZONE = "America/New_York"
    rows = api_as(world.admin).get("/api/v1/orders/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"]
    assert rows == as_plain(expected_rows(world.admin, ["-submitted_at", "-id"]))
    assert rows[0]["submitted_at"].endswith(("-05:00", "-04:00"))


def test_order_list_rows_cover_every_field_of_the_serializer(world, orders, api_as):
    row = api_as(world.admin).get("/api/v1/orders/").json()["results"][0]
    assert list(row) == list(OrderSerializer().fields)
    assert list(row["lines"][0]) == list(OrderSerializer().fields["lines"].child.fields)
    assert Order.objects.count() == len(orders)


@pytest.mark.parametrize("query", ["", "page=2&page_size=1", "page=last&page_size=4", "page=9", "page=abc"])
def test_order_list_pages_as_drf_stock_pagination_does(world, orders, api_as, monkeypatch, query):
    from common.tests.test_api_pagination import StockPagination
    from inventory.api.views import OrderViewSet

    client = api_as(world.admin)
    ours = client.get(f"/api/v1/orders/?{query}")
    monkeypatch.setattr(OrderViewSet, "pagination_class", StockPagination)
    stock = client.get(f"/api/v1/orders/?{query}")
    assert (ours.status_code, ours.json()) == (stock.status_code, stock.json())


@pytest.mark.parametrize("page_size", [5, 200])
@pytest.mark.parametrize("who", ["admin", "rep", "dealer_user"])
def test_order_list_with_a_token_makes_at_most_four_queries(world, api_client, django_assert_max_num_queries,
                                                            settings, page_size, who):
    """The token, the COUNT, the page of orders, their lines: whatever the page size."""
    from accounts.tokens import api_token_issue

    settings.API_TOKEN_CACHE_SECONDS = 0
    for index in range(12):
        OrderFactory(dealer=world.dealer, lines=[(world.cola, index + 1), (world.chips, 2)])
    key, _token = api_token_issue(user=getattr(world, who))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with django_assert_max_num_queries(4):
        body = api_client.get(f"/api/v1/orders/?page_size={page_size}").json()
    assert body["count"] == 12 and len(body["results"]) == min(12, page_size)

"""The order list read as values (issue 16): the API's busiest order endpoint reads
its page of orders and their lines as dicts, not as Order and OrderLine instances
(≈ 650 per page of 50), in a fixed number of queries whatever the page size; the
rows are represented by inventory.api.serializers.order_rows_data exactly as
OrderSerializer represents the instances."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from inventory.models import Order, OrderLine

ORDER_COLUMNS = (
    "id", "dealer", "placed_by", "source", "status", "submitted_at", "total", "amount_paid", "confirmed_at",
    "payment_due_date", "paid_at", "shipped_at", "received_at", "reason", "note", "dealer__name",
)
ORDER_LINE_COLUMNS = (
    "order_id", "id", "product", "quantity", "unit_price", "line_total", "suggested_quantity", "change_reason",
    "product__sku", "product__name",
)


def order_list_values(orders: QuerySet[Order]) -> QuerySet:
    """`orders` (already scoped, filtered and ordered) as rows with the dealer's name
    (joined columns under their lookups: they build faster than F() aliases)."""
    return orders.values(*ORDER_COLUMNS)


def order_rows_with_lines(rows: Sequence[dict]) -> list[dict]:
    """The order rows, each with `lines`: its lines as rows (by id, as the order page
    lists them) with the product's SKU and name; one query for every order."""
    rows = [dict(row, lines=[]) for row in rows]
    by_order = {row["id"]: row["lines"] for row in rows}
    if by_order:
        lines = (
            OrderLine.objects.filter(order_id__in=list(by_order)).order_by("id")
            .values(*ORDER_LINE_COLUMNS)
        )
        for line in lines:
            by_order[line["order_id"]].append(line)
    return rows

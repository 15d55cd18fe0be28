"""Sections the inventory app adds to other apps' pages (common/sections.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.sections import Section
from inventory.permissions import can_place_orders
from inventory.selectors import order_queryset_for

RECENT_ORDERS = 5


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: its latest orders and what it owes (3 queries), and its stock
    at the last count with warnings (2 queries)."""
    return [*_orders_dealer_detail(request=request, dealer=dealer), *stock_dealer_detail(request=request, dealer=dealer)]


def _orders_dealer_detail(*, request, dealer) -> list[Section]:
    orders = order_queryset_for(request.user).filter(dealer=dealer)
    return [Section(
        title=_("Recent orders"),
        template="inventory/sections/dealer_orders.html",
        context={
            "dealer": dealer,
            "orders": list(orders.select_related("placed_by").order_by("-submitted_at", "-id")[:RECENT_ORDERS]),
            "open_receivables": orders.open_receivables(),
            "overdue_count": orders.overdue().count(),
            "can_place": can_place_orders(request.user),
        },
        order=300,
        anchor="orders",
    )]


def portal_home(*, request, dealer) -> list[Section]:
    """The dealer portal: my latest orders, with placing a new one a tap away (2 queries),
    and my latest suggested order with its working, read only (2 queries)."""
    return [*_orders_portal_home(request=request, dealer=dealer), *stock_portal_home(request=request, dealer=dealer)]


def _orders_portal_home(*, request, dealer) -> list[Section]:
    orders = order_queryset_for(request.user).filter(dealer=dealer)
    return [Section(
        title=_("My orders"),
        template="inventory/sections/portal_orders.html",
        context={
            "dealer": dealer,
            "orders": list(orders.order_by("-submitted_at", "-id")[:RECENT_ORDERS]),
            "open_receivables": orders.open_receivables(),
        },
        order=100,
        anchor="orders",
    )]


# --- The stock count and the suggested order (SPEC §3; data kept by the visits app) -----------
STOCK_WARNING_FLAGS = ("out_of_stock", "low_cover", "near_expiry")


def _latest_suggestion(counts):
    """(the latest count of `counts`, its suggestion lines with products): two queries."""
    from visits.models import SuggestedOrderLine

    count = counts.order_by("-counted_at", "-id").first()
    if count is None:
        return None, []
    lines = list(
        SuggestedOrderLine.objects.filter(stock_count=count).select_related("product").order_by("product__sku", "pk")
    )
    return count, lines


def _rows(lines):
    from inventory.selectors import flag_texts

    return [{"line": line, "flags": flag_texts(line.flags),
             "warnings": flag_texts([flag for flag in line.flags if flag in STOCK_WARNING_FLAGS])} for line in lines]


def stock_dealer_detail(*, request, dealer) -> list[Section]:
    from visits.selectors import stock_count_queryset_for

    count, lines = _latest_suggestion(stock_count_queryset_for(request.user).filter(dealer=dealer))
    rows = _rows(lines)
    return [Section(
        title=_("Stock at the last count"),
        template="inventory/sections/dealer_stock.html",
        context={"dealer": dealer, "count": count, "rows": rows,
                 "warning_rows": [row for row in rows if row["warnings"]]},
        order=290,
        anchor="stock",
    )]


def stock_portal_home(*, request, dealer) -> list[Section]:
    from visits.selectors import stock_count_queryset_for

    count, lines = _latest_suggestion(stock_count_queryset_for(request.user).filter(dealer=dealer))
    return [Section(
        title=_("Your latest suggested order"),
        template="inventory/sections/portal_suggestion.html",
        context={"dealer": dealer, "count": count, "rows": _rows(lines)},
        order=110,
        anchor="suggested-order",
    )]

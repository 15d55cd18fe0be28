"""Sections the inventory app adds to other apps' pages (common/sections.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.sections import Section
from inventory.permissions import can_place_orders
from inventory.selectors import order_queryset_for

RECENT_ORDERS = 5


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: its latest orders and what it owes (3 queries)."""
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
    """The dealer portal: my latest orders, with placing a new one a tap away (2 queries)."""
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

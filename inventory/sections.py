"""Sections the inventory app adds to other apps' pages (common/sections.py)."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.formatting import format_date, format_money
from common.navigation import menu_counts
from common.sections import Section
from common.worklists import ROWS_PER_ITEM, WorkItem, WorkRow, worklist_section
from inventory.models import Product
from inventory.permissions import can_change_carried_products, can_place_orders
from inventory.selectors import (
    carried_product_list,
    carried_products,
    flag_texts,
    latest_suggestion,
    order_queryset_for,
    orders_waiting_for,
    stock_count_queryset_for,
)

RECENT_ORDERS = 5


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: its latest orders and what it owes (3 queries), its stock at
    the last count with warnings and the products it carries (4 queries)."""
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


# --- Stock at the dealer (SPEC §3): products carried, the last count, the suggested order ------------
STOCK_WARNING_FLAGS = ("out_of_stock", "low_cover", "near_expiry")


def _rows(lines):
    return [{"line": line, "flags": flag_texts(line.flags),
             "warnings": flag_texts([flag for flag in line.flags if flag in STOCK_WARNING_FLAGS])} for line in lines]


def stock_dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: its stock at the last count with warnings (2 queries), and the
    products it carries, which a manager or HQ admin may add to or stop (2 queries)."""
    count, lines = latest_suggestion(counts=stock_count_queryset_for(request.user).filter(dealer=dealer))
    rows = _rows(lines)
    can_change = can_change_carried_products(request.user)
    carried_now = carried_products(dealer_ids=[dealer.pk])[dealer.pk]
    if can_change:  # the products carried and those that may be added, in one query
        products = list(
            Product.objects.filter(Q(pk__in=list(carried_now)) | Q(is_active=True)).select_related("category")
            .order_by("sku", "pk")
        )
        carried = [(product, carried_now[product.pk]) for product in products if product.pk in carried_now]
        choices = sorted(((product.pk, product.name, product.sku) for product in products
                          if product.pk not in carried_now), key=lambda choice: (choice[1], choice[2]))
    else:
        carried, choices = carried_product_list(dealer=dealer, carried=carried_now), []
    return [
        Section(
            title=_("Stock at the last count"),
            template="inventory/sections/dealer_stock.html",
            context={"dealer": dealer, "count": count, "rows": rows,
                     "warning_rows": [row for row in rows if row["warnings"]]},
            order=290,
            anchor="stock",
        ),
        Section(
            title=_("Products carried"),
            template="inventory/sections/dealer_carried.html",
            context={"dealer": dealer, "carried": carried, "can_change": can_change, "choices": choices},
            order=292,
            anchor="carried",
        ),
    ]


def stock_portal_home(*, request, dealer) -> list[Section]:
    """The portal: the dealer's latest suggested order with its working in full, read only (2 queries)."""
    count, lines = latest_suggestion(counts=stock_count_queryset_for(request.user).filter(dealer=dealer))
    return [Section(
        title=_("Your latest suggested order"),
        template="inventory/sections/portal_suggestion.html",
        context={"dealer": dealer, "count": count, "rows": _rows(lines)},
        order=110,
        anchor="suggested-order",
    )]


# --- The home page's worklist (common.worklists) ------------------------------------------------
# (label, figure key, list filter, icon, tone, order of the rows listed, testing key) per role.
_ORDER_ITEMS = {
    Role.FINANCE: [
        (_("Orders awaiting payment"), "orders.awaiting_payment", "status=confirmed", "cash-coin", "primary",
         ("payment_due_date", "id"), "orders-awaiting-payment"),
        (_("Overdue receivables"), "orders.overdue", "overdue=true", "exclamation-triangle", "danger",
         ("payment_due_date", "id"), "overdue-receivables"),
    ],
    Role.WAREHOUSE: [
        (_("Paid orders to pick"), "orders.to_pick", "status=paid", "box-seam", "primary", ("paid_at", "id"),
         "orders-to-pick"),
        (_("Picked orders to ship"), "orders.to_ship", "status=picked", "truck", "primary", ("updated_at", "id"),
         "orders-to-ship"),
    ],
    Role.REP: [(_("Orders to confirm"), "orders.to_confirm", "status=submitted", "check2-square", "primary",
                ("submitted_at", "id"), "orders-to-confirm")],
    Role.MANAGER: [(_("Orders to confirm"), "orders.to_confirm", "status=submitted", "check2-square", "primary",
                    ("submitted_at", "id"), "orders-to-confirm")],
    Role.ADMIN: [(_("Orders to confirm"), "orders.to_confirm", "status=submitted", "check2-square", "primary",
                  ("submitted_at", "id"), "orders-to-confirm")],
    Role.DEALER: [(_("My open orders"), "orders.open", "open=true", "receipt", "primary", ("-submitted_at", "-id"),
                   "open-orders")],
}


def _order_row(order, key: str) -> WorkRow:
    url = reverse("inventory:order_detail", args=[order.pk])
    if key in ("orders.awaiting_payment", "orders.overdue"):
        meta = _("%(due)s due by %(date)s") % {"due": format_money(order.amount_due), "date": format_date(order.payment_due_date)}
    elif key == "orders.open":
        meta = f"{order.get_status_display()} · {format_money(order.total)}"
    else:
        meta = f"{format_date(order.submitted_at)} · {format_money(order.total)}"
    text = order.number if key == "orders.open" else f"{order.number} · {order.dealer.name}"
    return WorkRow(text, url, meta)


def role_home(*, request) -> list[Section]:
    """The orders waiting for this role (finance: to be paid and overdue; the warehouse:
    to pick and to ship; reps and managers: to confirm; a dealer: its open orders),
    one query per item listed; for a dealer also its latest suggested order."""
    user = request.user
    role = user.effective_role
    specs = _ORDER_ITEMS.get(role)
    if not specs:
        return []
    counts = menu_counts(request)
    waiting = orders_waiting_for(user=user)
    items = []
    for label, key, query, icon, tone, ordering, testing_key in specs:
        orders = waiting[key].select_related("dealer").order_by(*ordering)[:ROWS_PER_ITEM]
        items.append(WorkItem(label, f"{reverse('inventory:order_list')}?{query}", count=counts.get(key, 0), icon=icon,
                              tone=tone, key=testing_key, rows=[_order_row(order, key) for order in orders]))
    sections = [worklist_section(_("Orders"), items, order=40 if role != Role.DEALER else 10, anchor="orders")]
    if role == Role.DEALER:
        # The suggestion's working is a wide table: the full width of the page.
        sections += [replace(section, wide=True) for section in stock_portal_home(request=request, dealer=user.dealer)]
    return sections

"""Reads of orders and prices: the order list and detail, receivables, the products a tier may order, and the worklists."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery

from dealers.models import Dealer
from inventory.models import (
    CLOSED_STATUSES,
    Order,
    OrderLine,
    OrderQuerySet,
    OrderStatus,
    Payment,
    Product,
    ProductQuerySet,
    Shipment,
    TierPrice,
)
from inventory.selectors.scope import order_queryset_for


# --- Orders ----------------------------------------------------------------------------
def order_list(*, user) -> OrderQuerySet:
    """The user's orders with what a list row shows, in a fixed number of queries
    whatever the page size (dealer, placer and lines with products prefetched)."""
    lines = OrderLine.objects.select_related("product").order_by("id")
    return (
        order_queryset_for(user)
        .select_related("dealer", "placed_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


def order_detail(*, user, pk: int) -> Order:
    """One order in the user's scope with its lines, payments, shipments and history (Order.DoesNotExist outside)."""
    return (
        order_queryset_for(user)
        .select_related("dealer", "dealer__region", "dealer__rep", "placed_by")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("product", "product__category").order_by("id")),
            Prefetch("payments", queryset=Payment.objects.select_related("recorded_by").order_by("at", "id")),
            Prefetch(
                "shipments",
                queryset=Shipment.objects.select_related("shipped_by").prefetch_related("lines__product").order_by("shipped_at"),
            ),
            "transitions__by",
        )
        .get(pk=pk)
    )


def dealer_open_receivables(*, dealer: Dealer, exclude_order: Order | None = None) -> Decimal:
    """What `dealer` still owes on confirmed-or-later orders (one aggregate)."""
    orders = Order.objects.filter(dealer=dealer)
    if exclude_order is not None:
        orders = orders.exclude(pk=exclude_order.pk)
    return orders.open_receivables()


# --- Prices ----------------------------------------------------------------------------
def orderable_products(*, tier: str) -> ProductQuerySet:
    """Active products that have a price for `tier`, annotated with `tier_price` (one query)."""
    price = TierPrice.objects.filter(product=OuterRef("pk"), tier=tier).values("price")[:1]
    return (
        Product.objects.active()
        .select_related("category")
        .annotate(tier_price=Subquery(price))
        .filter(tier_price__isnull=False)
        .order_by("category__sort_order", "category__name", "sku")
    )


def tier_prices_for(*, tier: str, product_ids: Iterable[int]) -> dict[int, Decimal]:
    """{product_id: price} of `tier` for these products (one query)."""
    return dict(TierPrice.objects.filter(tier=tier, product_id__in=list(product_ids)).values_list("product_id", "price"))


# --- Worklists (the home page and the menu's figures) ---------------------------------------
def orders_waiting_for(*, user) -> dict[str, OrderQuerySet]:
    """The orders in `user`'s scope waiting for the next step, by what comes next:
    to confirm (rep, manager), awaiting payment and overdue (finance), to pick and
    to ship (warehouse), still open (a dealer)."""
    orders = order_queryset_for(user)
    return {
        "orders.to_confirm": orders.filter(status=OrderStatus.SUBMITTED),
        "orders.awaiting_payment": orders.filter(status=OrderStatus.CONFIRMED),
        "orders.overdue": orders.overdue(),
        "orders.to_pick": orders.filter(status=OrderStatus.PAID),
        "orders.to_ship": orders.filter(status=OrderStatus.PICKED),
        "orders.to_dispatch": orders.filter(status__in=[OrderStatus.PAID, OrderStatus.PICKED]),
        "orders.open": orders.exclude(status__in=CLOSED_STATUSES),
    }

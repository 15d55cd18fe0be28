"""Reads of products, prices, orders and shipments, always scoped to the user,
and the set-based deliveries selector the suggested order relies on."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from accounts.models import Role
from dealers.models import Dealer, DealerTier
from dealers.selectors import dealer_queryset_for
from inventory.models import (
    Order,
    OrderLine,
    OrderQuerySet,
    Payment,
    Product,
    ProductQuerySet,
    Shipment,
    ShipmentLine,
    TierPrice,
)


# --- Scope ---------------------------------------------------------------------------
def order_queryset_for(user) -> OrderQuerySet:
    """The orders `user` may see: those of the dealers in their scope
    (dealers.selectors.dealer_queryset_for). Every order page, endpoint, export
    and slip starts here; anything else answers 404."""
    if not user.is_authenticated:
        return Order.objects.none()
    if user.effective_role in (Role.ADMIN, Role.FINANCE, Role.WAREHOUSE):
        return Order.objects.all()
    if user.effective_role == Role.DEALER:
        return Order.objects.filter(dealer_id=user.dealer_id)
    return Order.objects.filter(dealer__in=dealer_queryset_for(user))


def payment_queryset_for(user) -> QuerySet[Payment]:
    return Payment.objects.filter(order__in=order_queryset_for(user))


def shipment_queryset_for(user) -> QuerySet[Shipment]:
    if not user.is_authenticated:
        return Shipment.objects.none()
    if user.effective_role in (Role.ADMIN, Role.FINANCE, Role.WAREHOUSE):
        return Shipment.objects.all()
    return Shipment.objects.filter(dealer__in=dealer_queryset_for(user))


def product_queryset_for(user) -> ProductQuerySet:
    """Every product for staff; only products on sale for a dealer user."""
    products = Product.objects.select_related("category")
    if user.is_authenticated and user.effective_role == Role.DEALER:
        return products.active()
    return products if user.is_authenticated else products.none()


def tier_price_queryset_for(user) -> QuerySet[TierPrice]:
    """All tier prices for staff; a dealer user sees only its own tier's prices of products on sale (SPEC §3)."""
    prices = TierPrice.objects.select_related("product", "product__category")
    if not user.is_authenticated:
        return prices.none()
    if user.effective_role == Role.DEALER:
        return prices.filter(tier=user.dealer.tier, product__is_active=True)
    return prices


def tiers_visible_to(user) -> list[str]:
    """The price tiers `user` may look at: its dealer's own, or all for staff."""
    if user.effective_role == Role.DEALER:
        return [user.dealer.tier]
    return list(DealerTier.values)


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


# --- Deliveries (the suggested order's input) -------------------------------------------
@dataclass(frozen=True)
class DeliveryWindow:
    """Deliveries to `dealer_id` shipped in (start, end]: after `start` (exclusive;
    None = from the beginning) up to and including `end`."""

    dealer_id: int
    start: datetime.datetime | None
    end: datetime.datetime


# SQLite can bind 32,766 parameters; each window takes two. PostgreSQL takes any
# number, so it answers in one query however many windows there are.
_SQLITE_WINDOWS_PER_QUERY = 10_000


def deliveries_by_window(*, windows: Sequence[DeliveryWindow]) -> dict[tuple[int, int], int]:
    """Cases shipped per window and product: {(window index, product_id): quantity}.

    One query for all windows (a VALUES list joined to the shipments on the
    (dealer, shipped_at) index), on PostgreSQL and SQLite alike. A dealer may
    appear in several windows (e.g. its last three count periods). Products not
    delivered in a window are absent (read a missing key as 0).
    """
    if not windows:
        return {}
    result: dict[tuple[int, int], int] = {}
    chunk = len(windows) if connection.vendor != "sqlite" else _SQLITE_WINDOWS_PER_QUERY
    for offset in range(0, len(windows), chunk):
        part = windows[offset:offset + chunk]
        result.update(_deliveries_query(part, offset))
    return result


def deliveries_between(*, windows: Iterable[tuple[int, datetime.datetime | None, datetime.datetime]]) -> dict[tuple[int, int], int]:
    """What was delivered to each dealer of each product in its window:
    {(dealer_id, product_id): cases} for windows (dealer_id, start, end],
    start exclusive (None: since the beginning), end inclusive.

    One window per dealer (ValueError otherwise: use deliveries_by_window for
    several periods of one dealer). One query for any number of dealers.
    """
    windows = [DeliveryWindow(int(dealer_id), start, end) for dealer_id, start, end in windows]
    dealer_ids = [window.dealer_id for window in windows]
    if len(set(dealer_ids)) != len(dealer_ids):
        raise ValueError("deliveries_between takes one window per dealer; use deliveries_by_window for several.")
    by_window = deliveries_by_window(windows=windows)
    return {(windows[index].dealer_id, product_id): quantity for (index, product_id), quantity in by_window.items()}


def _deliveries_query(windows: Sequence[DeliveryWindow], offset: int) -> dict[tuple[int, int], int]:
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    timestamp = "CAST(%s AS timestamp with time zone)" if postgres else "%s"
    rows_sql, params = [], []
    for index, window in enumerate(windows, start=offset):
        # Integers are formatted in (int() makes that safe); only times are parameters.
        rows_sql.append(f"({int(index)}, {int(window.dealer_id)}, {timestamp}, {timestamp})")
        params += [
            ops.adapt_datetimefield_value(window.start) if window.start is not None else None,
            ops.adapt_datetimefield_value(window.end),
        ]
    shipment, line = Shipment._meta.db_table, ShipmentLine._meta.db_table
    sql = f"""
        WITH w (idx, dealer_id, start_at, end_at) AS (VALUES {", ".join(rows_sql)})
        SELECT w.idx, l.product_id, SUM(l.quantity)
        FROM w
        JOIN {shipment} s ON s.dealer_id = w.dealer_id
            AND (w.start_at IS NULL OR s.shipped_at > w.start_at)
            AND s.shipped_at <= w.end_at
        JOIN {line} l ON l.shipment_id = s.id
        GROUP BY w.idx, l.product_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(int(index), int(product_id)): int(quantity) for index, product_id, quantity in cursor.fetchall()}

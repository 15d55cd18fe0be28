"""Reads of products, prices, orders and shipments, always scoped to the user,
and the set-based deliveries selector the suggested order relies on."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from dealers.models import Dealer, DealerTier
from dealers.selectors import dealer_queryset_for
from inventory import calculations
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


# --- The suggested order (SPEC §3) ---------------------------------------------------------
@dataclass(slots=True)
class SuggestedLine:
    """One product of one stock count with the working of its suggestion.

    previous_stock / deliveries / current_stock are those of the latest period
    (previous count → this count); period_sales is the normal sales of one cycle
    that the rule used (scaled, median of the recent normal periods); None with
    the flag that says why (no previous count, negative sales)."""

    stock_count_id: int
    product_id: int
    previous_stock: int | None
    deliveries: int
    current_stock: int
    period_sales: Decimal | None
    coefficient: Decimal
    safety_stock: Decimal | None
    suggested_quantity: int | None
    flags: tuple[str, ...]
    production_date: datetime.date | None = None


def suggestion_settings() -> tuple[Decimal, int, Fraction]:
    """(default coefficient, look-back periods, near-expiry threshold) from the settings."""
    default = Decimal(str(getattr(settings, "SUGGESTED_ORDER_DEFAULT_COEFFICIENT", calculations.DEFAULT_COEFFICIENT)))
    lookback = int(getattr(settings, "SUGGESTED_ORDER_LOOKBACK_PERIODS", calculations.DEFAULT_LOOKBACK_PERIODS))
    threshold = Fraction(str(getattr(settings, "SUGGESTED_ORDER_NEAR_EXPIRY_THRESHOLD",
                                     calculations.DEFAULT_NEAR_EXPIRY_THRESHOLD)))
    return default, max(1, lookback), threshold


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _ids_sql(ids: Iterable[int]) -> str:
    return ", ".join(str(int(value)) for value in ids)


def latest_stock_count_ids(*, dealer_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{dealer_id: id of its latest stock count} (one query; dealers never counted are absent)."""
    from visits.models import StockCount

    where = ""
    if dealer_ids is not None:
        dealer_ids = sorted({int(dealer_id) for dealer_id in dealer_ids})
        if not dealer_ids:
            return {}
        where = f"WHERE dealer_id IN ({_ids_sql(dealer_ids)})"
    sql = f"""
        SELECT dealer_id, id FROM (
            SELECT dealer_id, id,
                   ROW_NUMBER() OVER (PARTITION BY dealer_id ORDER BY counted_at DESC, id DESC) AS rn
            FROM {StockCount._meta.db_table} {where}
        ) ranked WHERE rn = 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {int(dealer_id): int(count_id) for dealer_id, count_id in cursor.fetchall()}


def suggested_orders(*, stock_count_ids: Iterable[int]) -> dict[int, list[SuggestedLine]]:
    """The suggested order of each stock count, {stock_count_id: [SuggestedLine, ...]}
    (lines in no particular order), by the rule in inventory.calculations.

    Five queries for any number of counts: (1) each count and the earlier counts
    of its dealer up to the look-back (ROW_NUMBER over the dealer's counts);
    (2) one row per (count, product): the current line joined to the same
    product's line in each earlier count and to the deliveries (our shipments,
    (start, end]) of each period; (3) the promotion windows; (4) the dealers'
    coefficients and visit cycles; (5) the products' coefficients and shelf lives.
    """
    target_ids = sorted({int(count_id) for count_id in stock_count_ids})
    if not target_ids:
        return {}
    default, lookback, threshold = suggestion_settings()
    history, dealer_of = _count_history(target_ids, lookback)
    if not history:
        return {}
    rows = _suggestion_rows(history, dealer_of, lookback, threshold)

    local_days = {
        target_id: [timezone.localtime(at).date() for _id, at in counts] for target_id, counts in history.items()
    }
    all_days = [day for days in local_days.values() for day in days]
    from promotions.selectors import campaign_windows_for_dealers

    dealer_ids = set(dealer_of.values())
    windows = campaign_windows_for_dealers(dealer_ids=dealer_ids, start=min(all_days), end=max(all_days))
    dealers = {
        dealer_id: (coefficient, cycle if active else None)
        for dealer_id, coefficient, cycle, active in Dealer.objects.filter(pk__in=dealer_ids)
        .values_list("pk", "safety_coefficient", "visit_plan__cycle_days", "visit_plan__is_active")
    }
    products = dict(Product.objects.filter(pk__in={row[1] for row in rows}).values_list("pk", "safety_coefficient"))

    # Per count: each period's length in days and whether it overlapped a promotion
    # (index 0 = previous count → this count), its dealer's cycle and coefficient.
    shape, tables = {}, {}
    for target_id, days in local_days.items():
        promos = windows.get(dealer_of[target_id], ())
        lengths, promotional = [], []
        for k in range(1, len(days)):
            start, end = days[k], days[k - 1]
            lengths.append((end - start).days)
            promotional.append(any(first <= end and last > start for first, last in promos))
        dealer_coefficient, cycle = dealers.get(dealer_of[target_id], (None, None))
        table = tables.get(dealer_coefficient)
        if table is None:
            table = tables[dealer_coefficient] = {
                product_id: calculations.coefficient_for(default=default, product=coefficient, dealer=dealer_coefficient)
                for product_id, coefficient in products.items()
            }
        shape[target_id] = (lengths, promotional, cycle, table)

    rule = calculations.suggest_from_sales
    result: dict[int, list[SuggestedLine]] = {target_id: [] for target_id in history}
    for row in rows:
        target_id = row[0]
        lengths, promotional, cycle, coefficients = shape[target_id]
        sales = row[6:]
        if None in sales:
            sales = sales[:sales.index(None)]
        period, safety, suggested, flags = rule(
            row[2], sales, lengths, promotional, coefficients[row[1]], cycle, lookback, row[3]
        )
        result[target_id].append(SuggestedLine(
            target_id, row[1], row[4], row[5] if sales else 0, row[2], period, coefficients[row[1]], safety,
            suggested, flags,
        ))
    return result


def _count_history(target_ids: list[int], lookback: int):
    """Each target count and up to `lookback` earlier counts of its dealer, newest first:
    ({target_id: [(count_id, counted_at), ...]}, {target_id: dealer_id}). One query."""
    from visits.models import StockCount

    counts_table = StockCount._meta.db_table
    sql = f"""
        WITH t AS (SELECT id, dealer_id, counted_at FROM {counts_table} WHERE id IN ({_ids_sql(target_ids)})),
        h AS (
            SELECT t.id AS target_id, t.dealer_id AS dealer_id, c.id AS count_id, c.counted_at AS counted_at,
                   ROW_NUMBER() OVER (PARTITION BY t.id ORDER BY c.counted_at DESC, c.id DESC) AS k
            FROM t JOIN {counts_table} c ON c.dealer_id = t.dealer_id
                AND (c.counted_at < t.counted_at OR (c.counted_at = t.counted_at AND c.id <= t.id))
        )
        SELECT target_id, dealer_id, count_id, counted_at FROM h WHERE k <= %s ORDER BY target_id, k
    """
    history: dict[int, list[tuple[int, datetime.datetime]]] = {}
    dealer_of: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [lookback + 1])
        for target_id, dealer_id, count_id, counted_at in cursor.fetchall():
            dealer_of[target_id] = dealer_id
            history.setdefault(target_id, []).append((int(count_id), _as_datetime(counted_at)))
    return history, dealer_of


def _suggestion_rows(history, dealer_of, lookback: int, threshold: Fraction) -> list[tuple]:
    """One row per (target count, product counted): target_id, product_id, current
    quantity, 1 if near expiry (production date + shelf life − count date below
    `threshold` × shelf life) else 0, the previous count's quantity (None if it
    lacks the product) and the deliveries since, then the raw sales (previous +
    deliveries − current) of each earlier period k = 1…lookback, None from the
    first period whose starting count lacks the product.

    One scan of the lines of every count involved, pivoted by GROUP BY with
    MAX(CASE …) per period; the deliveries of each period are aggregated from the
    shipments on the (dealer, shipped_at) index and pivoted in the same pass."""
    from visits.models import StockCount, StockCountLine

    postgres = connection.vendor == "postgresql"
    counts_table, lines_table = StockCount._meta.db_table, StockCountLine._meta.db_table
    members, periods = [], []
    for target_id, counts in history.items():
        counted_on = timezone.localtime(counts[0][1]).date().isoformat()  # isoformat: safe to inline
        for k, (count_id, _at) in enumerate(counts):
            members.append(f"({target_id}, {k}, {count_id}, '{counted_on}')")
            if k:
                periods.append(f"({target_id}, {k}, {dealer_of[target_id]}, {count_id}, {counts[k - 1][0]})")
    if postgres:
        expiry = "l.production_date - CAST(m.counted_on AS date)"
    else:
        expiry = "CAST(julianday(l.production_date) - julianday(m.counted_on) AS integer)"
    deliveries, period_values = "", ""
    if periods:
        period_values = f"pw (target_id, k, dealer_id, start_id, end_id) AS (VALUES {', '.join(periods)}),"
        deliveries = f"""
            UNION ALL
            SELECT pw.target_id, pw.k, sl.product_id, NULL, NULL, sl.quantity
            FROM pw
            JOIN {counts_table} a ON a.id = pw.start_id
            JOIN {counts_table} b ON b.id = pw.end_id
            JOIN {Shipment._meta.db_table} s ON s.dealer_id = pw.dealer_id
                AND s.shipped_at > a.counted_at AND s.shipped_at <= b.counted_at
            JOIN {ShipmentLine._meta.db_table} sl ON sl.shipment_id = s.id
        """
    pivot, sales = [], []
    for k in range(1, lookback + 1):
        pivot += [f"MAX(CASE WHEN k = {k} THEN qty END) AS q{k}", f"SUM(CASE WHEN k = {k} THEN dl END) AS d{k}"]
        sales.append(f"g.q{k} + COALESCE(g.d{k}, 0) - g.q{k - 1}")
    numerator, denominator = int(threshold.numerator), int(threshold.denominator)
    sql = f"""
        WITH m (target_id, k, count_id, counted_on) AS (VALUES {", ".join(members)}),
        {period_values}
        r (target_id, k, product_id, qty, expiry, dl) AS (
            SELECT m.target_id, m.k, l.product_id, l.quantity,
                   CASE WHEN m.k = 0 AND l.production_date IS NOT NULL THEN {expiry} END, CAST(NULL AS integer)
            FROM m JOIN {lines_table} l ON l.stock_count_id = m.count_id
            {deliveries}
        ),
        g AS (
            SELECT target_id, product_id, MAX(CASE WHEN k = 0 THEN qty END) AS q0, MAX(expiry) AS expiry,
                   {", ".join(pivot)}
            FROM r GROUP BY target_id, product_id
            HAVING MAX(CASE WHEN k = 0 THEN qty END) IS NOT NULL
        )
        SELECT g.target_id, g.product_id, g.q0,
               CASE WHEN g.expiry IS NOT NULL
                    AND (g.expiry + p.shelf_life_days) * {denominator} < {numerator} * p.shelf_life_days
                    THEN 1 ELSE 0 END,
               g.q1, COALESCE(g.d1, 0), {", ".join(sales)}
        FROM g JOIN {Product._meta.db_table} p ON p.id = g.product_id
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(sql)
        return cursor.fetchall()


def suggested_orders_for_latest_counts(*, dealer_ids: Iterable[int] | None = None) -> dict[int, list[SuggestedLine]]:
    """The suggested order of every dealer's latest stock count (or only of `dealer_ids`),
    {dealer_id: [SuggestedLine, ...]}; each line carries its stock_count_id. Six queries."""
    latest = latest_stock_count_ids(dealer_ids=dealer_ids)
    by_count = suggested_orders(stock_count_ids=latest.values())
    return {dealer_id: by_count.get(count_id, []) for dealer_id, count_id in latest.items()}


# What each flag means, for the rep and the dealer (pages, portal, API).
SUGGESTION_FLAG_TEXT = {
    calculations.Flag.NO_PREVIOUS_COUNT: _("No previous count: no suggestion yet."),
    calculations.Flag.NEGATIVE_SALES: _(
        "Negative sales (more stock than before plus deliveries): check the count or unrecorded returns; no suggestion."
    ),
    calculations.Flag.OUT_OF_STOCK: _("Out of stock."),
    calculations.Flag.NEAR_EXPIRY: _("Near expiry: less than a third of the shelf life left — sell first (FIFO)."),
    calculations.Flag.LOW_COVER: _("Low cover: less stock than one visit cycle's sales."),
    calculations.Flag.SCALED_TO_CYCLE: _("Sales scaled to the visit cycle."),
    calculations.Flag.PROMOTION_EXCLUDED: _("Periods during a promotion left out."),
    calculations.Flag.MEDIAN_OF_PERIODS: _("Median of the recent normal periods."),
}
WARNING_FLAGS = calculations.Flag.WARNINGS
PROBLEM_FLAGS = (calculations.Flag.NO_PREVIOUS_COUNT, calculations.Flag.NEGATIVE_SALES, *WARNING_FLAGS)


def flag_texts(flags) -> list[tuple[str, str]]:
    """[(flag, explanation), ...] for display."""
    return [(flag, SUGGESTION_FLAG_TEXT.get(flag, flag)) for flag in flags]


@dataclass(frozen=True)
class StockWarning:
    """Out of stock, low cover or near expiry of one product at a dealer's latest count."""

    dealer_id: int
    stock_count_id: int
    counted_at: datetime.datetime
    product_id: int
    product_name: str
    kind: str
    current_stock: int
    period_sales: Decimal | None

    @property
    def text(self) -> str:
        return SUGGESTION_FLAG_TEXT[self.kind]


def stock_warnings(*, dealer_ids: Iterable[int]) -> dict[int, list[StockWarning]]:
    """{dealer_id: [StockWarning, ...]} from each dealer's latest stock count (its
    stored suggestion's flags). Two queries for any number of dealers; dealers
    without a count or without warnings are absent."""
    from visits.models import SuggestedOrderLine

    latest = latest_stock_count_ids(dealer_ids=dealer_ids)
    if not latest:
        return {}
    rows = (
        SuggestedOrderLine.objects.filter(stock_count_id__in=list(latest.values()))
        .order_by("stock_count__dealer_id", "product__name", "product_id")
        .values_list("stock_count__dealer_id", "stock_count_id", "stock_count__counted_at", "product_id",
                     "product__name", "flags", "current_stock", "period_sales")
    )
    result: dict[int, list[StockWarning]] = {}
    for dealer_id, count_id, counted_at, product_id, name, flags, current, sales in rows:
        for kind in WARNING_FLAGS:
            if kind in (flags or ()):
                result.setdefault(dealer_id, []).append(
                    StockWarning(dealer_id, count_id, counted_at, product_id, name, kind, current, sales)
                )
    return result

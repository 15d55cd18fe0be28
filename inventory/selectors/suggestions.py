"""The suggested order (SPEC §3) of any number of stock counts: the rule's inputs gathered in a fixed number of queries."""

from __future__ import annotations

import contextlib
import datetime
import gc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import lazy

from dealers.models import Dealer
from inventory import calculations
from inventory.cycles import cycle_days_for
from inventory.models import (
    LATEST_COUNT_FIRST_SQL,
    Product,
    Shipment,
    ShipmentLine,
    StockCount,
    StockCountLine,
)
from inventory.promotion_windows import promotion_windows_for
from inventory.selectors.shared import _as_date, _as_datetime, _ids_sql


# --- The suggested order (SPEC §3) ---------------------------------------------------------
@dataclass(slots=True)
class SuggestedLine:
    """One product of one stock count with the working of its suggestion.

    previous_stock / deliveries / current_stock are those of the latest period
    (previous count → this count); period_sales is the normal sales of one cycle
    that the rule used (scaled, median of the recent normal periods); None with
    the flag that says why (no previous count, negative sales). `periods` are the
    periods the rule read (calculations.Period tuples, newest first), `suggestion`
    the rule's answer (`working`: what it did with each period), `period_dates`
    their first and last days."""

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
    coefficient_source: str = "default"
    cycle_days: int | None = None
    periods: Sequence = ()
    suggestion: calculations.Suggestion | None = None
    period_dates: Sequence = ()

    @property
    def working(self) -> tuple[calculations.PeriodWorking, ...]:
        return self.suggestion.periods if self.suggestion else ()

    @property
    def median_of(self) -> int:
        return self.suggestion.median_of if self.suggestion else 0

    def periods_json(self) -> list[list]:
        """The periods as stored on SuggestedOrderLine.periods: the rule's inputs."""
        return [list(period) for period in self.periods]

    def period_dates_json(self) -> list[list[str]]:
        """The first and last day of each period, as stored on StockCount.period_dates."""
        return [[start.isoformat(), end.isoformat()] for start, end in self.period_dates]


def default_coefficient() -> Decimal:
    """The safety coefficient of products and dealers without one: the setting, else the rule's default."""
    return Decimal(str(getattr(settings, "SUGGESTED_ORDER_DEFAULT_COEFFICIENT", "") or calculations.DEFAULT_COEFFICIENT))


# The default coefficient as a page shows it (rendered when shown: the setting may change).
default_coefficient_text = lazy(lambda: f"{default_coefficient().normalize():f}", str)()


def suggestion_settings() -> tuple[Decimal, int, Fraction]:
    """(default coefficient, look-back periods, near-expiry threshold) from the settings."""
    default = default_coefficient()
    lookback = int(getattr(settings, "SUGGESTED_ORDER_LOOKBACK_PERIODS", calculations.DEFAULT_LOOKBACK_PERIODS))
    threshold = Fraction(str(getattr(settings, "SUGGESTED_ORDER_NEAR_EXPIRY_THRESHOLD",
                                     calculations.DEFAULT_NEAR_EXPIRY_THRESHOLD)))
    return default, max(1, lookback), threshold


def latest_stock_count_ids(*, dealer_ids: Iterable[int] | None = None) -> dict[int, int]:
    """{dealer_id: id of its latest current stock count} (one query; dealers never counted are absent)."""
    where = "WHERE replaced_at IS NULL"
    if dealer_ids is not None:
        dealer_ids = sorted({int(dealer_id) for dealer_id in dealer_ids})
        if not dealer_ids:
            return {}
        where += f" AND dealer_id IN ({_ids_sql(dealer_ids)})"
    sql = f"""
        SELECT dealer_id, id FROM (
            SELECT dealer_id, id,
                   ROW_NUMBER() OVER (PARTITION BY dealer_id ORDER BY {LATEST_COUNT_FIRST_SQL}) AS rn
            FROM {StockCount._meta.db_table} {where}
        ) ranked WHERE rn = 1
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {int(dealer_id): int(count_id) for dealer_id, count_id in cursor.fetchall()}


def suggested_orders(*, stock_count_ids: Iterable[int], working: bool = False) -> dict[int, list[SuggestedLine]]:
    """The suggested order of each stock count, {stock_count_id: [SuggestedLine, ...]}
    (lines in no particular order), by the rule in inventory.calculations.suggest;
    with `working`, each line keeps the periods and what the rule did with them
    (what is stored with a count; a batch of thousands of counts does without).

    The database only gathers the rule's raw inputs; the arithmetic is Python's,
    in one place. A fixed number of queries for any number of counts: (1) each
    count and the earlier current counts of its dealer up to the look-back
    (ROW_NUMBER over the dealer's counts; replaced counts never count as
    "previous"); (2) one row per (count, product): its quantity and production
    date, the same product's quantity at each earlier count and the deliveries
    (our shipments, (start, end]) of each period; (3) the promotion windows;
    (4) the dealers' coefficients; (5) their visit cycles (inventory.cycles);
    (6) the products' coefficients and shelf lives.
    """
    target_ids = sorted({int(count_id) for count_id in stock_count_ids})
    if not target_ids:
        return {}
    default, lookback, threshold = suggestion_settings()
    history, dealer_of = _count_history(target_ids, lookback)
    if not history:
        return {}
    rows = _suggestion_rows(history, dealer_of, lookback)

    local_days = {
        target_id: [timezone.localdate(at) for _id, at in counts] for target_id, counts in history.items()
    }
    all_days = [day for days in local_days.values() for day in days]
    dealer_ids = set(dealer_of.values())
    windows = promotion_windows_for(dealer_ids=dealer_ids, start=min(all_days), end=max(all_days))
    dealer_coefficients = dict(Dealer.objects.filter(pk__in=dealer_ids).values_list("pk", "safety_coefficient"))
    cycles = cycle_days_for(dealer_ids)
    products = {
        pk: (coefficient, shelf_life)
        for pk, coefficient, shelf_life in Product.objects.filter(pk__in={row[1] for row in rows})
        .values_list("pk", "safety_coefficient", "shelf_life_days")
    }

    result: dict[int, list[SuggestedLine]] = {target_id: [] for target_id in history}
    # Per count: each period's length in days, whether it overlapped a promotion and
    # its first and last days (index 0 = previous count → this count); the count's
    # day; its dealer's cycle and coefficients.
    shape, tables = {}, {}
    for target_id, days in local_days.items():
        dealer_id = dealer_of[target_id]
        promos = windows.get(dealer_id, ())
        lengths, promotional, bounds = [], [], []
        for k in range(1, len(days)):
            start, end = days[k], days[k - 1]
            lengths.append((end - start).days)
            promotional.append(any(first <= end and last > start for first, last in promos))
            bounds.append((start, end))
        dealer_coefficient = dealer_coefficients.get(dealer_id)
        table = tables.get(dealer_coefficient)
        if table is None:
            table = tables[dealer_coefficient] = {
                product_id: calculations.coefficient_for(default=default, product=coefficient, dealer=dealer_coefficient)
                for product_id, (coefficient, _shelf_life) in products.items()
            }
        shape[target_id] = (list(zip(range(len(lengths)), lengths, promotional, strict=True)), tuple(bounds),
                            cycles.get(dealer_id), table, days[0], result[target_id])

    with _cycle_collector_paused():
        _apply_rule(rows, shape, products, lookback, threshold, working, result)
    return result


@contextlib.contextmanager
def _cycle_collector_paused():
    """Pause Python's cycle collector for a loop that makes only acyclic objects
    (reference counting frees them): otherwise it re-scans every line already kept
    again and again, which doubled the time of the all-dealers batch."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _apply_rule(rows, shape, products, lookback: int, threshold: Fraction, working: bool,
                result: dict[int, list[SuggestedLine]]) -> None:
    """calculations.suggest on each row of _suggestion_rows, into `result`."""
    rule, near_expiry = calculations.suggest, calculations.is_near_expiry
    delivered_at = 4 + lookback  # row: target, product, quantity, produced, q1…q_lookback, d1…d_lookback
    for row in rows:
        target_id, product_id, current, production_date = row[0], row[1], row[2], row[3]
        spans, bounds, cycle, coefficients, counted_on, lines = shape[target_id]
        # The periods newest first, up to the first earlier count that lacks the product:
        # (stock at the earlier count, delivered in between, stock at the later, days, promotion).
        periods, later = [], current
        for k, days, promotion in spans:
            earlier = row[4 + k]
            if earlier is None:
                break
            periods.append((earlier, row[delivered_at + k] or 0, later, days, promotion))
            later = earlier
        if production_date is not None and production_date.__class__ is not datetime.date:
            production_date = _as_date(production_date)  # SQLite: text
        coefficient = coefficients[product_id]
        suggestion = rule(
            current_stock=current, periods=periods, coefficient=coefficient.value, cycle_days=cycle,
            lookback=lookback,
            near_expiry=production_date is not None and near_expiry(
                production_date=production_date, shelf_life_days=products[product_id][1], counted_on=counted_on,
                threshold=threshold),
        )
        line = SuggestedLine(
            target_id, product_id, row[4], periods[0][1] if periods else 0, current, suggestion.period_sales,
            coefficient.value, suggestion.safety_stock, suggestion.suggested_quantity, suggestion.flags,
            production_date, coefficient.source, cycle,
        )
        if working:
            line.periods, line.suggestion, line.period_dates = periods, suggestion, bounds
        lines.append(line)


def _count_history(target_ids: list[int], lookback: int):
    """Each target count and up to `lookback` earlier current counts of its dealer,
    newest first: ({target_id: [(count_id, counted_at), ...]}, {target_id: dealer_id}).
    One query."""
    counts_table = StockCount._meta.db_table
    sql = f"""
        WITH t AS (SELECT id, dealer_id, counted_at FROM {counts_table} WHERE id IN ({_ids_sql(target_ids)})),
        h AS (
            SELECT t.id AS target_id, t.dealer_id AS dealer_id, c.id AS count_id, c.counted_at AS counted_at,
                   ROW_NUMBER() OVER (PARTITION BY t.id ORDER BY c.counted_at DESC, c.id DESC) AS k
            FROM t JOIN {counts_table} c ON c.dealer_id = t.dealer_id
                AND (c.id = t.id OR (c.replaced_at IS NULL
                     AND (c.counted_at < t.counted_at OR (c.counted_at = t.counted_at AND c.id < t.id))))
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


# Above this many counts the pivot gets more working memory on PostgreSQL (the all-dealers batch).
_LARGE_BATCH = 50


def _suggestion_rows(history, dealer_of, lookback: int) -> list[tuple]:
    """The rule's raw inputs, one row per (target count, product counted): target_id,
    product_id, current quantity, production date, then the product's quantity at
    each earlier count k = 1…lookback (None where that count lacks it), then the
    cases delivered in each period k (count k → count k − 1; None where nothing).

    One scan of the lines of every count involved, pivoted by GROUP BY with
    MAX(CASE …) per period; the deliveries of each period are summed from the
    shipments on the (dealer, shipped_at) index and pivoted in the same pass. No
    arithmetic of the rule here (calculations.suggest does it)."""
    postgres = connection.vendor == "postgresql"
    counts_table, lines_table = StockCount._meta.db_table, StockCountLine._meta.db_table
    members, periods = [], []
    for target_id, counts in history.items():
        for k, (count_id, _at) in enumerate(counts):
            members.append(f"({target_id}, {k}, {count_id})")
            if k:
                periods.append(f"({target_id}, {k}, {dealer_of[target_id]}, {count_id}, {counts[k - 1][0]})")
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
    quantities = [f"MAX(CASE WHEN k = {k} THEN qty END) AS q{k}" for k in range(1, lookback + 1)]
    delivered = [f"SUM(CASE WHEN k = {k} THEN dl END) AS d{k}" for k in range(1, lookback + 1)]
    sql = f"""
        WITH m (target_id, k, count_id) AS (VALUES {", ".join(members)}),
        {period_values}
        r (target_id, k, product_id, qty, produced, dl) AS (
            SELECT m.target_id, m.k, l.product_id, l.quantity,
                   CASE WHEN m.k = 0 THEN l.production_date END, CAST(NULL AS integer)
            FROM m JOIN {lines_table} l ON l.stock_count_id = m.count_id
            {deliveries}
        )
        SELECT target_id, product_id, MAX(CASE WHEN k = 0 THEN qty END), MAX(produced),
               {", ".join(quantities)}, {", ".join(delivered)}
        FROM r GROUP BY target_id, product_id
        HAVING MAX(CASE WHEN k = 0 THEN qty END) IS NOT NULL
    """
    if postgres and len(history) > _LARGE_BATCH:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute(sql)
            return cursor.fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def suggested_orders_for_latest_counts(*, dealer_ids: Iterable[int] | None = None) -> dict[int, list[SuggestedLine]]:
    """The suggested order of every dealer's latest current stock count (or only of
    `dealer_ids`), {dealer_id: [SuggestedLine, ...]}; each line carries its
    stock_count_id. Seven queries."""
    latest = latest_stock_count_ids(dealer_ids=dealer_ids)
    by_count = suggested_orders(stock_count_ids=latest.values())
    return {dealer_id: by_count.get(count_id, []) for dealer_id, count_id in latest.items()}

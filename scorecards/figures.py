"""The set-based reads behind every scorecard: the figures of many dealers over many
time windows (period_figures, one query), their pro-rated targets, their regions'
market sizes, overdue payments, previous evaluations and open requests — each one
query whatever the number of dealers. How each figure is counted: scorecards.selectors."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce

from common.dates import local_day_start
from common.sql import subquery_sql
from dealers.models import Contract, Dealer, Evaluation, Violation
from inventory.models import Order, Product, Shipment, StockCount, StockCountLine, SuggestedOrderLine
from scorecards import calculations
from scorecards.calculations import Period
from scorecards.models import MarketSize
from visits.models import DealerRequest, Visit, VisitStatus

ZERO = Decimal("0.00")


# --- Figures of many dealers over many windows, in one query -----------------------------------
@dataclass
class Figures:
    """The period figures of one dealer, as counted in SQL."""

    sales: Decimal = ZERO
    visits_planned: int = 0
    visits_completed: int = 0
    stockouts: int = 0
    near_expiry: int = 0
    suggested_quantity: int = 0
    ordered_quantity: int = 0
    violations: int = 0


def _window_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    return local_day_start(period.start), local_day_start(period.end)


# The figures read from stock counts and their suggested orders: the costliest part of
# period_figures (every line of every count in the period), left out when not shown.
STOCK_FIELDS = frozenset({"stockouts", "near_expiry", "suggested_quantity", "ordered_quantity", "suggestions_followed"})


def period_figures(
    *, dealers: QuerySet[Dealer], periods: Sequence[Period], detailed: int | None = None, with_stock: bool = True,
    per_dealer: bool = True,
) -> dict[tuple[int, int], Figures]:
    """{(dealer_id, index of the period): Figures} for every dealer of `dealers` (a
    queryset, used as a subquery) and every period. One query: each figure is one
    grouped scan over its table's (dealer, time) index joined to a VALUES list of
    the windows, and the results come back as one UNION ALL.

    Only the first `detailed` periods (default all) get every figure; the others
    (the previous periods and last year's, read for growth) only their sales.
    `with_stock=False` leaves out the stock-count figures (STOCK_FIELDS stay 0).
    `per_dealer=False` adds the dealers up instead: {(0, index of the period): Figures},
    the totals of a scorecard, without a row per dealer to send and sum."""
    if not periods:
        return {}
    detailed = len(periods) if detailed is None else int(detailed)
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    timestamp = "CAST(%s AS timestamp with time zone)" if postgres else "%s"
    windows_sql, params = [], []
    for index, period in enumerate(periods):
        start, end = _window_bounds(period)
        windows_sql.append(f"({int(index)}, {timestamp}, {timestamp})")
        params += [ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)]
    dealer_sql, dealer_params = subquery_sql(dealers.order_by().values("pk"))
    if postgres:
        count_day = "CAST(sc.counted_at AT TIME ZONE %s AS date)"
        day_params = [settings.TIME_ZONE]
        near_expiry = "((l.production_date + p.shelf_life_days) - c.day) * 3 < p.shelf_life_days"
    else:  # SQLite keeps UTC text; the count date is the UTC date there.
        count_day = "date(sc.counted_at)"
        day_params = []
        near_expiry = "(julianday(l.production_date) + p.shelf_life_days - julianday(c.day)) * 3 < p.shelf_life_days"
    # The dealers as one array on PostgreSQL: each table is then read by one index scan
    # over its (dealer, time) index for all of them, instead of a semi-join per dealer.
    in_d = "= ANY(ARRAY(SELECT pk FROM d))" if postgres else "IN (SELECT * FROM d)"
    table = {
        model: model._meta.db_table
        for model in (Shipment, Visit, StockCount, StockCountLine, SuggestedOrderLine, Product, Violation)
    }
    cancelled, completed = VisitStatus.CANCELLED.value, VisitStatus.COMPLETED.value

    def by(alias: str, window: str = "w") -> tuple[str, str]:
        """What a part selects as its dealer and groups by: each dealer, or all as one (0)."""
        if per_dealer:
            return f"{alias}.dealer_id", f"{window}.idx, {alias}.dealer_id"
        return "0", f"{window}.idx"

    (c_dealer, c_group), (s_dealer, s_group), (v_dealer, v_group), (x_dealer, x_group) = (
        by("c", "c"), by("s"), by("v"), by("x"))
    # `c`, the counts of the detailed windows with their local day, is read twice
    # (lines, suggestions), so PostgreSQL materialises it once. A count replaced by a
    # recount in the same visit is not a finding (SPEC §3 "One count per visit").
    stock_cte = f""",
        c AS (
            SELECT w.idx AS idx, sc.id AS id, sc.dealer_id AS dealer_id, {count_day} AS day
            FROM w JOIN {table[StockCount]} sc ON sc.counted_at >= w.start_at AND sc.counted_at < w.end_at
            WHERE w.idx < {detailed} AND sc.dealer_id {in_d} AND sc.replaced_at IS NULL
        )"""
    stock_parts = f"""
        UNION ALL
        SELECT 'c', c.idx, {c_dealer},
            SUM(CASE WHEN l.quantity = 0 THEN 1 ELSE 0 END),
            SUM(CASE WHEN l.quantity > 0 AND {near_expiry} THEN 1 ELSE 0 END)
        FROM c JOIN {table[StockCountLine]} l ON l.stock_count_id = c.id
        JOIN {table[Product]} p ON p.id = l.product_id
        GROUP BY {c_group}
        UNION ALL
        SELECT 'o', c.idx, {c_dealer}, SUM(g.suggested_quantity), SUM(COALESCE(g.ordered_quantity, 0))
        FROM c JOIN {table[SuggestedOrderLine]} g ON g.stock_count_id = c.id
        WHERE g.suggested_quantity > 0
        GROUP BY {c_group}"""
    if not with_stock:
        stock_cte = stock_parts = ""
        day_params = []
    sql = f"""
        WITH w (idx, start_at, end_at) AS (VALUES {", ".join(windows_sql)}),
        d AS ({dealer_sql}){stock_cte}
        SELECT 's', w.idx, {s_dealer}, SUM(s.value), 0
        FROM w JOIN {table[Shipment]} s ON s.shipped_at >= w.start_at AND s.shipped_at < w.end_at
        WHERE s.dealer_id {in_d}
        GROUP BY {s_group}
        UNION ALL
        SELECT 'v', w.idx, {v_dealer},
            SUM(CASE WHEN v.status <> '{cancelled}' THEN 1 ELSE 0 END),
            SUM(CASE WHEN v.status = '{completed}' THEN 1 ELSE 0 END)
        FROM w JOIN {table[Visit]} v ON v.scheduled_for >= w.start_at AND v.scheduled_for < w.end_at AND w.idx < {detailed}
        WHERE v.dealer_id {in_d}
        GROUP BY {v_group}{stock_parts}
        UNION ALL
        SELECT 'x', w.idx, {x_dealer}, COUNT(*), 0
        FROM w JOIN {table[Violation]} x ON x.found_at >= w.start_at AND x.found_at < w.end_at AND w.idx < {detailed}
        WHERE x.dealer_id {in_d}
        GROUP BY {x_group}
    """
    all_params = [*params, *dealer_params, *day_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        rows = cursor.fetchall()
    result: dict[tuple[int, int], Figures] = defaultdict(Figures)
    for kind, index, dealer_id, first, second in rows:
        figures = result[(int(dealer_id), int(index))]
        if kind == "s":
            figures.sales = Decimal(first or 0).quantize(calculations.CENTS)
        elif kind == "v":
            figures.visits_planned, figures.visits_completed = int(first or 0), int(second or 0)
        elif kind == "c":
            figures.stockouts, figures.near_expiry = int(first or 0), int(second or 0)
        elif kind == "o":
            figures.suggested_quantity, figures.ordered_quantity = int(first or 0), int(second or 0)
        elif kind == "x":
            figures.violations = int(first or 0)
    return result


def targets_by_dealer(*, dealers: QuerySet[Dealer], periods: Sequence[Period]) -> dict[tuple[int, int], Decimal]:
    """{(dealer_id, period index): pro-rated target} from the signed contracts
    overlapping the periods (one query; the pro-rating is pure arithmetic)."""
    if not periods:
        return {}
    first = min(period.start for period in periods)
    last = max(period.last_day for period in periods)
    contracts = Contract.objects.signed().filter(
        dealer__in_array=dealers.order_by().values("pk"), start_date__lte=last, end_date__gte=first
    ).order_by().values_list("dealer_id", "start_date", "end_date", "annual_target_amount")
    result: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for dealer_id, start, end, annual in contracts:
        for index, period in enumerate(periods):
            amount = calculations.prorated_target(annual_target=annual, start=start, end=end, period=period)
            if amount:
                result[(dealer_id, index)] += amount
    return result


def market_sizes_by_region(*, region_ids: Iterable[int], periods: Sequence[Period]) -> dict[tuple[int, int], Decimal]:
    """{(region_id, period index): market size, all categories} (one query)."""
    months: dict[datetime.date, list[tuple[int, Decimal]]] = defaultdict(list)
    for index, period in enumerate(periods):
        for month, weight in period.month_weights():
            months[month].append((index, weight))
    if not months:
        return {}
    rows = (
        MarketSize.objects.filter(region_id__in=list(region_ids), period_start__in=list(months))
        .values("region_id", "period_start").annotate(total=Sum("amount")).order_by()
    )
    result: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        for index, weight in months[row["period_start"]]:
            # A month to date counts the same share of the month's market size (like for like).
            result[(row["region_id"], index)] += row["total"] if weight == 1 else (row["total"] * weight).quantize(
                calculations.CENTS)
    return result


def overdue_by_dealer(*, dealers: QuerySet[Dealer], on: datetime.date | None = None) -> dict[int, tuple[int, Decimal]]:
    """{dealer_id: (orders overdue, amount due)} as of `on` (one query)."""
    rows = (
        Order.objects.overdue(on).filter(dealer__in_array=dealers.order_by().values("pk"))
        .values("dealer_id").annotate(n=Count("id"), due=Coalesce(Sum(F("total") - F("amount_paid")), ZERO)).order_by()
    )
    return {row["dealer_id"]: (row["n"], row["due"]) for row in rows}


def previous_evaluations(*, dealers: QuerySet[Dealer]) -> dict[int, tuple[str, Decimal]]:
    """{dealer_id: (grade, total)} of each dealer's evaluation before the latest (newest
    first by when it was made, then by id). One query: each dealer's evaluations ranked
    by ROW_NUMBER, the second kept — written out, as the ORM's filter on a window
    function costs more to build than the query takes to run."""
    dealer_sql, params = subquery_sql(dealers.order_by().values("pk"))
    table = Evaluation._meta.db_table
    sql = (
        f"SELECT dealer_id, grade, total FROM (SELECT e.dealer_id, e.grade, e.total, ROW_NUMBER() OVER "
        f"(PARTITION BY e.dealer_id ORDER BY e.created_at DESC, e.id DESC) AS rank FROM {table} e "
        f"WHERE e.dealer_id IN ({dealer_sql})) ranked WHERE rank = 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # The weighted total has two places; SQLite gives it back as a float.
    return {dealer_id: (grade, Decimal(str(total)).quantize(calculations.CENTS)) for dealer_id, grade, total in rows}


def open_requests_by_dealer(*, dealers: QuerySet[Dealer]) -> dict[int, int]:
    rows = (
        DealerRequest.objects.unresolved().filter(dealer__in_array=dealers.order_by().values("pk"))
        .values("dealer_id").annotate(n=Count("id")).order_by()
    )
    return {row["dealer_id"]: row["n"] for row in rows}

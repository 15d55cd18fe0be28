"""The suggestion stored with a count: its lines, summary and working, the flags' texts and the stock warnings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from inventory import calculations
from inventory.models import StockCount, StockCountQuerySet, SuggestedOrderLine
from inventory.selectors.suggestions import latest_stock_count_ids


def suggestion_working(*, line: SuggestedOrderLine, period_dates: Sequence = ()) -> list[dict]:
    """The working of a stored suggestion line, period by period, newest first:
    from/to dates, previous, delivered, current, days, sales, during a promotion,
    scaled to the cycle, the sales of one cycle it gave the median, left out (and
    why) or used. The rule (calculations.suggest) is run again on the stored
    inputs — the same pure function on the same numbers gives the same working."""
    periods = [tuple(period) for period in line.periods or ()]
    if not periods:
        return []
    suggestion = calculations.suggest(
        current_stock=line.current_stock, periods=periods, coefficient=line.coefficient,
        cycle_days=line.cycle_days, lookback=len(periods),
    )
    rows = []
    for index, ((previous, delivered, current, days, promotion), working) in enumerate(
        zip(periods, suggestion.periods, strict=True)
    ):
        dates = period_dates[index] if index < len(period_dates) else (None, None)
        rows.append({
            "from": dates[0], "to": dates[1], "previous": previous, "delivered": delivered, "current": current,
            "days": days, "sales": working.sales, "promotion": bool(promotion), "scaled": working.scaled,
            "cycle_sales": None if working.cycle_sales is None else str(calculations.money(working.cycle_sales)),
            "promotion_excluded": working.excluded == calculations.Excluded.PROMOTION,
            "excluded": working.excluded, "used": working.used,
        })
    return rows


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
    """{dealer_id: [StockWarning, ...]} from each dealer's latest current stock count
    (its stored suggestion's flags). Two queries for any number of dealers; dealers
    without a count or without warnings are absent."""
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


def latest_suggestion(*, counts: StockCountQuerySet) -> tuple[StockCount | None, list[SuggestedOrderLine]]:
    """The latest current count of `counts` (already scoped) and its stored
    suggestion with products, in SKU order: two queries."""
    count = counts.current().newest()
    if count is None:
        return None, []
    return count, stored_suggestion(count=count)


def suggestion_summary(*, count: StockCount | None) -> dict:
    """{"lines", "to_order", "cases"} of the suggestion stored with `count`: products
    counted, products to order, cases in all (one query; {} without a count)."""
    if count is None:
        return {}
    return SuggestedOrderLine.objects.filter(stock_count=count).aggregate(
        lines=Count("pk"), to_order=Count("pk", filter=Q(suggested_quantity__gt=0)), cases=Sum("suggested_quantity"),
    )


def stored_suggestion(*, count: StockCount | None) -> list[SuggestedOrderLine]:
    """The suggestion stored with `count`, with its products (and the count, for the
    periods' dates), in SKU order (one query)."""
    if count is None:
        return []
    return list(
        SuggestedOrderLine.objects.filter(stock_count=count).select_related("product", "stock_count")
        .order_by("product__sku", "pk")
    )

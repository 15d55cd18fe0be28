"""Pure arithmetic of orders and of the suggested order (no ORM). Decimal throughout."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """`value` as a Decimal of whole cents (ROUND_HALF_UP, as invoices do)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(value) -> Decimal | None:
    """A payment amount from user input: a Decimal with at most two decimal places, or None if it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    try:
        cents = amount.quantize(CENT)
    except InvalidOperation:  # too many digits
        return None
    return cents if cents == amount else None


def line_total(quantity: int, unit_price: Decimal) -> Decimal:
    return money(unit_price * quantity)


def order_total(line_totals: Iterable[Decimal]) -> Decimal:
    return money(sum(line_totals, ZERO))


def amount_due(total: Decimal, amount_paid: Decimal) -> Decimal:
    return money(total - amount_paid)


def payment_outcome(*, total: Decimal, amount_paid: Decimal, amount: Decimal) -> tuple[Decimal, bool]:
    """(the new amount paid, whether the order is now paid in full) after a payment of `amount`.

    The caller has checked 0 < amount ≤ amount due.
    """
    paid = money(amount_paid + amount)
    return paid, paid >= total


def exceeds_credit_limit(*, credit_limit: Decimal, open_receivables: Decimal, order_total: Decimal) -> bool:
    """SPEC §3: confirmation is blocked when open receivables plus this order exceed the credit limit."""
    return open_receivables + order_total > credit_limit


def payment_due_date(confirmed_on: datetime.date, terms_days: int) -> datetime.date:
    """The day payment is due: `terms_days` after the day of confirmation."""
    return confirmed_on + datetime.timedelta(days=terms_days)


# --- The suggested order (SPEC §3 "The suggested order", 1.5 倍安全库存) -----------------------
#
#     period sales = previous stock + deliveries since the previous count − current stock
#     safety stock = period sales × coefficient            (coefficient default 1.5)
#     suggested    = max(0, ceil(safety stock − current stock))
#
# with the seed's refinements: the larger of the product's and the dealer's
# coefficient overrides; each period's sales scaled to the dealer's visit cycle;
# periods that overlapped a promotion left out; the median of the last three
# normal periods; negative sales flagged (never used as zero); no previous count,
# no suggestion. Inputs are plain numbers: inventory.selectors gathers them.

DEFAULT_COEFFICIENT = Decimal("1.5")
DEFAULT_LOOKBACK_PERIODS = 3
DEFAULT_NEAR_EXPIRY_THRESHOLD = Fraction(1, 3)


class Flag:
    """Flags of a suggested line. The first five are the SPEC's (warnings for the rep);
    the last three explain where the period sales came from."""

    NO_PREVIOUS_COUNT = "no_previous_count"
    NEGATIVE_SALES = "negative_sales"
    OUT_OF_STOCK = "out_of_stock"
    NEAR_EXPIRY = "near_expiry"
    LOW_COVER = "low_cover"
    SCALED_TO_CYCLE = "scaled_to_cycle"
    PROMOTION_EXCLUDED = "promotion_excluded"
    MEDIAN_OF_PERIODS = "median_of_periods"

    WARNINGS = (OUT_OF_STOCK, LOW_COVER, NEAR_EXPIRY)


@dataclass(frozen=True, slots=True)
class Period:
    """One count period of one product: stock at its start and end, what was delivered
    in between, its length in days and whether it overlapped a promotion."""

    previous_stock: int
    deliveries: int
    current_stock: int
    days: int = 0
    promotion: bool = False

    @property
    def sales(self) -> int:
        return period_sales(self.previous_stock, self.deliveries, self.current_stock)


@dataclass(frozen=True, slots=True)
class Suggestion:
    period_sales: Decimal | None
    safety_stock: Decimal | None
    suggested_quantity: int | None
    flags: tuple[str, ...]


def period_sales(previous_stock: int, deliveries: int, current_stock: int) -> int:
    """Previous stock + deliveries − current stock (negative means a count error or unrecorded returns)."""
    return previous_stock + deliveries - current_stock


def safety_stock(sales, coefficient: Decimal) -> Decimal:
    return Decimal(sales) * coefficient


def suggested_quantity(safety, current_stock: int) -> int:
    """max(0, ceil(safety stock − current stock))."""
    shortfall = Decimal(safety) - current_stock
    return max(0, math.ceil(shortfall))


def coefficient_for(*, default: Decimal = DEFAULT_COEFFICIENT, product: Decimal | None = None,
                    dealer: Decimal | None = None) -> Decimal:
    """The product's or the dealer's override, the larger where both are set; else the default."""
    overrides = [Decimal(value) for value in (product, dealer) if value is not None]
    return max(overrides) if overrides else Decimal(default)


def scale_to_cycle(sales, *, days: int, cycle_days: int | None) -> Decimal:
    """A period's sales over `days` as the sales of one visit cycle (sales × cycle / days);
    no cycle (no visit plan): the period itself, unscaled."""
    if not cycle_days or days <= 0 or days == cycle_days:
        return Decimal(sales)
    return Decimal(sales) * cycle_days / days


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def is_near_expiry(*, production_date: datetime.date | None, shelf_life_days: int | None,
                   counted_on: datetime.date, threshold: Fraction = DEFAULT_NEAR_EXPIRY_THRESHOLD) -> bool:
    """Remaining shelf life (production date + shelf life − count date) below `threshold` × shelf life."""
    if production_date is None or not shelf_life_days:
        return False
    return remaining_below(
        (production_date - counted_on).days + shelf_life_days, shelf_life_days, Fraction(threshold)
    )


def remaining_below(remaining_days: int, shelf_life_days: int, threshold: Fraction) -> bool:
    """remaining < threshold × shelf life, exactly (integers only)."""
    return remaining_days * threshold.denominator < threshold.numerator * shelf_life_days


def suggest(
    *,
    current_stock: int,
    periods: Sequence[Period],
    coefficient: Decimal,
    cycle_days: int | None = None,
    lookback: int = DEFAULT_LOOKBACK_PERIODS,
    near_expiry: bool = False,
) -> Suggestion:
    """The suggestion for one product at one count.

    `periods` newest first: periods[0] runs from the previous count to this one
    (its current_stock is `current_stock`); an empty list means no previous count.
    Of the newest `lookback` periods, those that overlapped a promotion or had
    negative sales are not "normal"; the period sales are the median of the normal
    ones, each scaled to the cycle (if all overlapped a promotion, those are used).
    """
    return Suggestion(*suggest_from_sales(
        current_stock,
        [period.sales for period in periods],
        [period.days for period in periods],
        [period.promotion for period in periods],
        coefficient, cycle_days, lookback, near_expiry,
    ))


def suggest_from_sales(
    current_stock: int,
    sales: Sequence[int],
    days: Sequence[int],
    promotions: Sequence[bool],
    coefficient: Decimal,
    cycle_days: int | None,
    lookback: int,
    near_expiry: bool,
) -> tuple[Decimal | None, Decimal | None, int | None, tuple[str, ...]]:
    """`suggest` on plain sequences, newest period first: each period's raw sales
    (previous + deliveries − current), length in days and promotion overlap. This
    is the rule itself; the batch selector calls it once per line, so it avoids
    objects and keyword arguments. Returns (period sales, safety stock, suggested
    quantity, flags)."""
    flags: list[str] = []
    if current_stock == 0:
        flags.append(Flag.OUT_OF_STOCK)
    if near_expiry:
        flags.append(Flag.NEAR_EXPIRY)
    if not sales:
        return None, None, None, (Flag.NO_PREVIOUS_COUNT, *flags)
    if sales[0] < 0:
        return None, None, None, (Flag.NEGATIVE_SALES, *flags)
    count = len(sales) if len(sales) < lookback else lookback
    # Normal periods: not negative, not during a promotion (promotional ones only if nothing else).
    used, promotional = [], []
    for index in range(count):
        if sales[index] >= 0:
            (promotional if promotions[index] else used).append(index)
    if promotional:
        if used:
            flags.append(Flag.PROMOTION_EXCLUDED)
        else:
            used = promotional
    # Each period's sales per visit cycle: sales × cycle / days (ints where no scaling is needed).
    if cycle_days:
        values: list = []
        scaled = False
        for index in used:
            length = days[index]
            if length > 0 and length != cycle_days:
                values.append(Decimal(sales[index] * cycle_days) / length)
                scaled = True
            else:
                values.append(sales[index])
        if scaled:
            flags.append(Flag.SCALED_TO_CYCLE)
    else:
        values = [sales[index] for index in used]
    if len(values) == 1:
        normal = Decimal(values[0])
    else:
        flags.append(Flag.MEDIAN_OF_PERIODS)
        values.sort()
        middle = len(values) // 2
        odd = len(values) % 2
        normal = Decimal(values[middle]) if odd else (Decimal(values[middle - 1]) + values[middle]) / 2
    safety = normal * coefficient
    if current_stock < normal:
        flags.append(Flag.LOW_COVER)
    shortfall = math.ceil(safety - current_stock)
    return (
        normal.quantize(CENT, ROUND_HALF_UP), safety.quantize(CENT, ROUND_HALF_UP),
        shortfall if shortfall > 0 else 0, tuple(flags),
    )

"""Pure arithmetic of orders and of the suggested order (no ORM). Decimal throughout."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import NamedTuple

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


def shipment_value(lines: Iterable[tuple[int, Decimal]]) -> Decimal:
    """What a shipment's goods are worth: each (quantity shipped, its order line's
    unit price) at that price. Summed by period, a dealer's sales (SPEC §4: goods
    shipped in the period at order prices), stored on the shipment when it ships."""
    return order_total(line_total(quantity, unit_price) for quantity, unit_price in lines)


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
# no suggestion. This is the only place the rule's arithmetic is written: the
# selectors (inventory.selectors) only gather its inputs, raw, from the database.

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


class Excluded:
    """Why the rule left a period out of the median."""

    NEGATIVE = "negative"
    PROMOTION = "promotion"
    OLDER = "older"  # beyond the look-back


class Period(NamedTuple):
    """One count period of one product: the stock at the earlier count
    (`previous_stock`) and at the later one (`current_stock`), the cases delivered in
    between, its length in days and whether it overlapped a promotion. A plain tuple
    of these five values in this order is a Period too."""

    previous_stock: int
    deliveries: int
    current_stock: int
    days: int = 0
    promotion: bool = False


class PeriodWorking(NamedTuple):
    """What the rule did with one period: its sales, the sales of one visit cycle
    it used (None when left out), whether they were scaled to the cycle, and why it
    was left out (an Excluded value, or None when used)."""

    sales: int
    cycle_sales: Decimal | None
    scaled: bool
    excluded: str | None

    @property
    def used(self) -> bool:
        return self.excluded is None


@dataclass(slots=True)
class Suggestion:
    """The rule's answer for one product at one count, with what it did with each
    period given (newest first): `sales` of each, and `cycle_sales`, the sales of one
    visit cycle it took the median of (None where the period was left out);
    `scaled` has bit i set when period i was scaled to the cycle. `periods` reads
    them as PeriodWorking."""

    period_sales: Decimal | None
    safety_stock: Decimal | None
    suggested_quantity: int | None
    flags: tuple[str, ...]
    sales: Sequence[int] = ()
    cycle_sales: Sequence = ()
    scaled: int = 0
    lookback: int = DEFAULT_LOOKBACK_PERIODS

    @property
    def median_of(self) -> int:
        """How many periods the period sales are the median of."""
        return sum(1 for value in self.cycle_sales if value is not None)

    @property
    def periods(self) -> tuple[PeriodWorking, ...]:
        """The working of each period: sales, the cycle sales used (or why it was left out)."""
        working = []
        for index, (sold, value) in enumerate(zip(self.sales, self.cycle_sales, strict=True)):
            if value is not None:
                working.append(PeriodWorking(sold, Decimal(value), bool(self.scaled >> index & 1), None))
            else:
                reason = (Excluded.OLDER if index >= self.lookback else Excluded.NEGATIVE if sold < 0
                          else Excluded.PROMOTION)
                working.append(PeriodWorking(sold, None, False, reason))
        return tuple(working)


class Coefficient(NamedTuple):
    value: Decimal
    source: str  # "default", "product" or "dealer" (inventory.models.CoefficientSource)


def period_sales(previous_stock: int, deliveries: int, current_stock: int) -> int:
    """Previous stock + deliveries − current stock (negative means a count error or unrecorded returns)."""
    return previous_stock + deliveries - current_stock


def median(values: Sequence) -> Decimal:
    """The median of one or more numbers (the mean of the middle two for an even count)."""
    if len(values) == 1:
        return Decimal(values[0])
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def coefficient_for(*, default: Decimal = DEFAULT_COEFFICIENT, product: Decimal | None = None,
                    dealer: Decimal | None = None) -> Coefficient:
    """The product's or the dealer's override, the larger where both are set (the
    dealer's on a tie); else the default — with where it came from."""
    if product is not None and (dealer is None or Decimal(product) > Decimal(dealer)):
        return Coefficient(Decimal(product), "product")
    if dealer is not None:
        return Coefficient(Decimal(dealer), "dealer")
    return Coefficient(Decimal(default), "default")


def is_near_expiry(*, production_date: datetime.date | None, shelf_life_days: int | None,
                   counted_on: datetime.date, threshold: Fraction = DEFAULT_NEAR_EXPIRY_THRESHOLD) -> bool:
    """Remaining shelf life (production date + shelf life − count date) below
    `threshold` × shelf life, exactly (integers only)."""
    if production_date is None or not shelf_life_days:
        return False
    remaining = (production_date - counted_on).days + shelf_life_days
    return remaining * threshold.denominator < threshold.numerator * shelf_life_days


def suggest(
    *,
    current_stock: int,
    periods: Sequence[Period | tuple],
    coefficient: Decimal,
    cycle_days: int | None = None,
    lookback: int = DEFAULT_LOOKBACK_PERIODS,
    near_expiry: bool = False,
) -> Suggestion:
    """The suggestion for one product at one count, with its working.

    `periods` newest first: periods[0] runs from the previous count to this one
    (its current stock is `current_stock`); an empty list means no previous count.
    Of the newest `lookback` periods, those that overlapped a promotion or had
    negative sales are not "normal"; the period sales are the median of the normal
    ones, each scaled to the cycle (sales × cycle / days); if all overlapped a
    promotion, those are used.
    """
    flags: list[str] = []
    if current_stock == 0:
        flags.append(Flag.OUT_OF_STOCK)
    if near_expiry:
        flags.append(Flag.NEAR_EXPIRY)
    if not periods:
        return Suggestion(None, None, None, (Flag.NO_PREVIOUS_COUNT, *flags), lookback=lookback)
    # Each period's sales, and what it gives the median: its sales per visit cycle
    # (sales × cycle / days), or None when it is not normal — beyond the look-back,
    # negative, or during a promotion (the promotional ones count only when there
    # is nothing else).
    sales, cycle_sales, promotional = [], [], []
    normal = scaled = 0
    for index, (previous, delivered, current, days, promotion) in enumerate(periods):
        sold = period_sales(previous, delivered, current)
        sales.append(sold)
        if index >= lookback or sold < 0:
            cycle_sales.append(None)
            continue
        if cycle_days and days > 0 and days != cycle_days:
            cycle_sales.append(Decimal(sold * cycle_days) / days)
            scaled |= 1 << index
        else:
            cycle_sales.append(sold)
        if promotion:
            promotional.append(index)
        else:
            normal += 1
    if normal and promotional:
        for index in promotional:
            cycle_sales[index] = None
            scaled &= ~(1 << index)
    if sales[0] < 0:  # the latest period is a count error or unrecorded returns: no suggestion
        return Suggestion(None, None, None, (Flag.NEGATIVE_SALES, *flags), sales, cycle_sales, scaled, lookback)
    used = [value for value in cycle_sales if value is not None]
    if normal and promotional:
        flags.append(Flag.PROMOTION_EXCLUDED)
    if scaled:
        flags.append(Flag.SCALED_TO_CYCLE)
    if len(used) > 1:
        flags.append(Flag.MEDIAN_OF_PERIODS)
    normal_sales = median(used)
    safety = normal_sales * coefficient
    if current_stock < normal_sales:
        flags.append(Flag.LOW_COVER)
    return Suggestion(
        normal_sales.quantize(CENT, ROUND_HALF_UP), safety.quantize(CENT, ROUND_HALF_UP),
        max(0, math.ceil(safety - current_stock)), tuple(flags), sales, cycle_sales, scaled, lookback,
    )


# --- Plausibility of a counted quantity (SPEC §3 "Implausible quantities") ----------------------
DEFAULT_PLAUSIBLE_MULTIPLE = 10
DEFAULT_PLAUSIBLE_FLOOR = 100


def plausible_limit(*, reference: int, multiple: int = DEFAULT_PLAUSIBLE_MULTIPLE,
                    floor: int = DEFAULT_PLAUSIBLE_FLOOR) -> int:
    """The most cases a count of a product may show without being questioned:
    `multiple` × the largest of its recent counts plus what was delivered since
    (`reference`), never below `multiple` × `floor` (a product with little or no
    history is not questioned over a few cases)."""
    return multiple * max(reference, floor)

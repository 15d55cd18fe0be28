"""Rebate arithmetic (SPEC §3 "Rebates"): the periods a plan runs in, the rate a
period's purchases earn, the amount, and how much more purchase reaches the
next tier. Pure functions on Decimal and dates; no ORM.

The rules, as HQ sets them and the dealer reads them:
- A rate is a percentage: Decimal("2.5") means 2.5 %.
- The basis is the period's purchases: the value, at the prices on the orders,
  of the goods shipped to the dealer in the period (campaigns: of the
  campaign's products only).
- amount = basis × rate ÷ 100, rounded once, to the cent, half up
  (0.005 → 0.01). Nothing else is rounded.
- Volume tiers: a tier applies from its threshold upwards (basis ≥ threshold).
  The highest tier reached sets the rate for the whole period's basis, not
  only for the part above the threshold (SPEC: "≥ 200,000 → 2 % of the
  quarter"). Below the lowest threshold the rate is 0.
- Periods are calendar months, quarters (Jan–Mar, Apr–Jun, ...) or years, or
  the plan's own dates (a campaign). First and last day are both inside.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)

MONTH, QUARTER, YEAR, CAMPAIGN = "month", "quarter", "year", "campaign"


# --- Money ---------------------------------------------------------------------------
def to_money(value) -> Decimal:
    """A sum of money as a Decimal with two places (half up), from a Decimal, int, str or float."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rebate_amount(basis: Decimal, rate: Decimal) -> Decimal:
    """basis × rate % rounded to the cent, half up: rebate_amount(Decimal("1234.50"), Decimal("2.5")) == Decimal("30.86")."""
    if basis < 0 or rate < 0:
        raise ValueError("A rebate's basis and rate are never negative.")
    return (basis * rate / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Tiers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tier:
    """From `threshold` of purchases in a period (inclusive), `rate` % of the whole basis."""

    threshold: Decimal
    rate: Decimal


def sorted_tiers(tiers: Iterable[Tier]) -> list[Tier]:
    return sorted(tiers, key=lambda tier: tier.threshold)


def tiers_are_consistent(tiers: Iterable[Tier]) -> bool:
    """Thresholds all different and the rate never falls as the threshold rises
    (buying more must never earn less)."""
    ordered = sorted_tiers(tiers)
    return all(
        lower.threshold < higher.threshold and lower.rate <= higher.rate
        for lower, higher in zip(ordered, ordered[1:], strict=False)
    )


def tier_reached(tiers: Iterable[Tier], basis: Decimal) -> Tier | None:
    """The highest tier whose threshold the basis reaches (basis ≥ threshold), or None."""
    reached = None
    for tier in sorted_tiers(tiers):
        if basis >= tier.threshold:
            reached = tier
    return reached


def next_tier(tiers: Iterable[Tier], basis: Decimal) -> Tier | None:
    """The lowest tier above the basis (threshold > basis), or None at the top."""
    for tier in sorted_tiers(tiers):
        if tier.threshold > basis:
            return tier
    return None


@dataclass(frozen=True)
class RebateOutcome:
    """What a period's basis earns under a plan, and why."""

    basis: Decimal
    rate: Decimal
    amount: Decimal
    tier: Tier | None = None  # the tier reached (volume tiers only)
    next_tier: Tier | None = None  # the next tier up, if any

    @property
    def amount_to_next_tier(self) -> Decimal | None:
        """How much more purchase in the period reaches the next tier (None at the top or for flat plans)."""
        if self.next_tier is None:
            return None
        return self.next_tier.threshold - self.basis


def flat_rebate(*, basis: Decimal, rate: Decimal) -> RebateOutcome:
    """A flat percentage of the period's purchases (e.g. 2.5 % a year)."""
    basis = to_money(basis)
    return RebateOutcome(basis=basis, rate=rate, amount=rebate_amount(basis, rate))


def tiered_rebate(*, basis: Decimal, tiers: Sequence[Tier]) -> RebateOutcome:
    """Volume tiers: the reached tier's rate on the whole basis; 0 below the lowest tier."""
    basis = to_money(basis)
    reached = tier_reached(tiers, basis)
    rate = reached.rate if reached else Decimal("0")
    return RebateOutcome(
        basis=basis, rate=rate, amount=rebate_amount(basis, rate), tier=reached, next_tier=next_tier(tiers, basis),
    )


# --- Periods -------------------------------------------------------------------------------
@dataclass(frozen=True, order=True)
class Period:
    """A span of whole days, both ends inside."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start}).")

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)

    def intersection(self, start: datetime.date | None, end: datetime.date | None) -> Period | None:
        """The part of this period between `start` and `end` (None: open), or None if they do not meet."""
        first = max(self.start, start) if start else self.start
        last = min(self.end, end) if end else self.end
        return Period(first, last) if first <= last else None


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def period_containing(kind: str, day: datetime.date) -> Period:
    """The calendar month, quarter or year that `day` falls in."""
    if kind == MONTH:
        return Period(day.replace(day=1), _month_end(day.year, day.month))
    if kind == QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        return Period(datetime.date(day.year, first_month, 1), _month_end(day.year, first_month + 2))
    if kind == YEAR:
        return Period(datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))
    raise ValueError(f"No calendar period of kind {kind!r}.")


def periods_overlapping(kind: str, first: datetime.date, last: datetime.date) -> list[Period]:
    """Every calendar period of `kind` that shares at least a day with [first, last], in order."""
    periods: list[Period] = []
    day = first
    while day <= last:
        period = period_containing(kind, day)
        periods.append(period)
        day = period.end + datetime.timedelta(days=1)
    return periods


def period_label(start: datetime.date, end: datetime.date) -> str:
    """How a period is named on statements: 2026-03, 2026-Q1, 2026, or its dates."""
    period = Period(start, end)
    for kind, label in (
        (MONTH, f"{start:%Y-%m}"),
        (QUARTER, f"{start.year}-Q{(start.month - 1) // 3 + 1}"),
        (YEAR, f"{start.year}"),
    ):
        if period_containing(kind, start) == period:
            return label
    return f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"


@dataclass(frozen=True)
class AccrualWindow:
    """One statement's period, and the days in it whose purchases count
    (the period cut to the plan's and the assignment's dates)."""

    period: Period
    counted: Period


def accrual_windows(
    *,
    period_kind: str,
    since: datetime.date,
    until: datetime.date,
    plan_starts: datetime.date | None = None,
    plan_ends: datetime.date | None = None,
    assigned_from: datetime.date | None = None,
    assigned_until: datetime.date | None = None,
) -> list[AccrualWindow]:
    """The statement periods of one plan for one dealer that overlap [since, until],
    each with the days that count: inside the plan's dates and the assignment's.

    A plan with period kind "campaign" has one period: its own dates (both required).
    """
    if period_kind == CAMPAIGN:
        if plan_starts is None or plan_ends is None:
            raise ValueError("A campaign period needs the plan's start and end dates.")
        candidates = [Period(plan_starts, plan_ends)]
    else:
        candidates = periods_overlapping(period_kind, since, until) if since <= until else []
    windows: list[AccrualWindow] = []
    for period in candidates:
        if period.intersection(since, until) is None:
            continue
        counted = period.intersection(plan_starts, plan_ends)
        counted = counted.intersection(assigned_from, assigned_until) if counted else None
        if counted is not None:
            windows.append(AccrualWindow(period=period, counted=counted))
    return windows

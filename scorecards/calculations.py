"""Pure arithmetic of scorecards: periods (month, quarter, year), and the KPI
figures computed from the sums the selectors read in SQL. No ORM here.

A period is written `2026-10` (a month), `2026-Q4` (a quarter) or `2026` (a year).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)
MONTHS_IN = {MONTH: 1, QUARTER: 3, YEAR: 12}
PERIOD_INVALID = _("Give a period as 2026-10 (a month), 2026-Q4 (a quarter) or 2026 (a year).")

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")

HUNDRED = Decimal("100")
ONE_PLACE = Decimal("0.1")
FOUR_PLACES = Decimal("0.0001")
CENTS = Decimal("0.01")


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after the month of `day`."""
    index = day.year * 12 + (day.month - 1) + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year: [start, end) with `end` the first day after it."""

    start: datetime.date
    kind: str = MONTH

    @property
    def end(self) -> datetime.date:
        """The first day after the period (exclusive)."""
        return _add_months(self.start, MONTHS_IN[self.kind])

    @property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def key(self) -> str:
        """The period as written in URLs and the API: 2026-10, 2026-Q4, 2026."""
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}"

    def __str__(self) -> str:
        return self.key

    def months(self) -> list[datetime.date]:
        """The first day of each month in the period."""
        return [_add_months(self.start, offset) for offset in range(MONTHS_IN[self.kind])]

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day < self.end


def period_containing(day: datetime.date, kind: str = MONTH) -> Period:
    """The month, quarter or year that `day` falls in."""
    if kind == MONTH:
        return Period(datetime.date(day.year, day.month, 1), MONTH)
    if kind == QUARTER:
        return Period(datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1), QUARTER)
    if kind == YEAR:
        return Period(datetime.date(day.year, 1, 1), YEAR)
    raise ValueError(kind)


def parse_period(text: str | None, *, today: datetime.date) -> Period:
    """The period written in `text`; empty: the current month. ValueError (with
    PERIOD_INVALID as message) for anything else."""
    text = (text or "").strip()
    if not text:
        return period_containing(today, MONTH)
    if match := _MONTH_RE.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and year >= 1900:
            return Period(datetime.date(year, month, 1), MONTH)
    elif match := _QUARTER_RE.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        if year >= 1900:
            return Period(datetime.date(year, (quarter - 1) * 3 + 1, 1), QUARTER)
    elif (match := _YEAR_RE.match(text)) and int(match.group(1)) >= 1900:
        return Period(datetime.date(int(match.group(1)), 1, 1), YEAR)
    raise ValueError(str(PERIOD_INVALID))


def previous_period(period: Period) -> Period:
    """The period of the same kind just before."""
    return Period(_add_months(period.start, -MONTHS_IN[period.kind]), period.kind)


def same_period_last_year(period: Period) -> Period:
    return Period(_add_months(period.start, -12), period.kind)


def last_periods(period: Period, count: int = 12) -> list[Period]:
    """`count` periods ending with `period`, oldest first."""
    periods = [period]
    for _step in range(count - 1):
        periods.append(previous_period(periods[-1]))
    return list(reversed(periods))


# --- Targets ----------------------------------------------------------------------------------
def overlap_days(start: datetime.date, end_inclusive: datetime.date, period: Period) -> int:
    """Days of [start, end_inclusive] that fall in `period`."""
    first = max(start, period.start)
    last = min(end_inclusive, period.last_day)
    return max((last - first).days + 1, 0)


def prorated_target(*, annual_target: Decimal, start: datetime.date, end: datetime.date, period: Period) -> Decimal:
    """A contract's annual sales target for the days of `period` it covers:
    annual × covered days ÷ 365 (a contract's end date is its last day)."""
    days = overlap_days(start, end, period)
    return (Decimal(annual_target) * days / Decimal(365)).quantize(CENTS, ROUND_HALF_UP)


# --- KPI arithmetic -----------------------------------------------------------------------------
def achievement_percent(*, sales: Decimal, target: Decimal | None) -> Decimal | None:
    """Sales as a % of target, one decimal; None without a (positive) target."""
    if not target:
        return None
    return (Decimal(sales) / Decimal(target) * HUNDRED).quantize(ONE_PLACE, ROUND_HALF_UP)


def growth_percent(*, current: Decimal, base: Decimal | None) -> Decimal | None:
    """Growth of `current` over `base` in %, one decimal; None when base is 0 (growth from nothing)."""
    if not base:
        return None
    return ((Decimal(current) - Decimal(base)) / Decimal(base) * HUNDRED).quantize(ONE_PLACE, ROUND_HALF_UP)


def penetration(*, sales: Decimal, market_size: Decimal | None) -> Decimal | None:
    """The penetration index (渗透度指标): sales ÷ market size of the dealer's region
    for the period, as a fraction with four decimals; None without a market size."""
    if not market_size:
        return None
    return (Decimal(sales) / Decimal(market_size)).quantize(FOUR_PLACES, ROUND_HALF_UP)


def rate_percent(*, part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part ÷ whole in %, one decimal (visit compliance, suggested orders followed)."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole) * HUNDRED).quantize(ONE_PLACE, ROUND_HALF_UP)


GRADE_ORDER = {"A": 4, "B": 3, "C": 2, "D": 1}


def grade_trend(*, current: str | None, previous: str | None) -> str:
    """"up", "down", "same" or "" (no earlier evaluation) comparing two grades (A best)."""
    if not current or not previous:
        return ""
    difference = GRADE_ORDER.get(current, 0) - GRADE_ORDER.get(previous, 0)
    return "up" if difference > 0 else "down" if difference < 0 else "same"


def grade_distribution(grades: list[str]) -> dict[str, int]:
    """How many of each grade A–D (and "" for not yet evaluated)."""
    distribution = {"A": 0, "B": 0, "C": 0, "D": 0, "": 0}
    for grade in grades:
        distribution[grade if grade in distribution else ""] += 1
    return distribution


def near_expiry(*, production_date: datetime.date | None, shelf_life_days: int, on: datetime.date) -> bool:
    """A counted batch is near expiry when less than a third of its shelf life is
    left on the count date (the same rule the scorecard SQL applies)."""
    if production_date is None:
        return False
    expires = production_date + datetime.timedelta(days=shelf_life_days)
    return (expires - on).days * 3 < shelf_life_days

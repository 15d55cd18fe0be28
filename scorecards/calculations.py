"""Pure arithmetic of scorecards: periods (month, quarter, year), and the KPI
figures computed from the sums the selectors read in SQL. No ORM here.

A period is written `2026-10` (a month), `2026-Q4` (a quarter) or `2026` (a year).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from accounts.names import full_name

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)
MONTHS_IN = {MONTH: 1, QUARTER: 3, YEAR: 12}
PERIOD_INVALID = _("Give a period as 2026-10 (a month), 2026-Q4 (a quarter) or 2026 (a year).")
# Years a period may lie in: the KPI arithmetic looks twelve periods back and a
# year ahead, which Python's dates (years 1–9999) must still hold.
PERIOD_YEAR_MIN, PERIOD_YEAR_MAX = 1900, 2999
PERIOD_OUT_OF_RANGE = _("Give a period between %(first)s and %(last)s.")

# [0-9], not \d: full-width digits are not a period.
_MONTH_RE = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")
_QUARTER_RE = re.compile(r"^([0-9]{4})-[Qq]([1-4])$")
_YEAR_RE = re.compile(r"^([0-9]{4})$")

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
    """A calendar month, quarter or year: [start, end) with `end` the first day after it.

    `through` cuts a period still running at a day (inclusive): "2026-10 to the
    7th" is [2026-10-01, 2026-10-08). A cut period is compared like for like: its
    previous period and last year's are cut at the same day count (previous_period).
    Its derived dates are worked out once (cached_property: a scorecard reads them per dealer).
    """

    start: datetime.date
    kind: str = MONTH
    through: datetime.date | None = None

    @cached_property
    def natural_end(self) -> datetime.date:
        """The first day after the whole calendar period."""
        return _add_months(self.start, MONTHS_IN[self.kind])

    @cached_property
    def end(self) -> datetime.date:
        """The first day after the period (exclusive), the cut day + 1 for a period to date."""
        natural = self.natural_end
        if self.through is None:
            return natural
        return min(natural, self.through + datetime.timedelta(days=1))

    @property
    def is_partial(self) -> bool:
        """True for a period cut before its calendar end (month to date)."""
        return self.end < self.natural_end

    @property
    def fraction(self) -> Decimal:
        """The share of the calendar period covered: 1 for a whole period, 7/31 for 1–7 October."""
        return Decimal((self.end - self.start).days) / Decimal((self.natural_end - self.start).days)

    @cached_property
    def last_day(self) -> datetime.date:
        return self.end - datetime.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @cached_property
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
        """The first day of each month in the period (up to its cut day for a period to date)."""
        return [month for month, _weight in self.month_weights()]

    def month_weights(self) -> list[tuple[datetime.date, Decimal]]:
        """(first day of each month in the period, the share of that month covered):
        1 for each whole month; 7/31 for a month cut at the 7th. Monthly figures
        such as market sizes are counted by these shares."""
        weights = []
        for offset in range(MONTHS_IN[self.kind]):
            month = _add_months(self.start, offset)
            month_end = _add_months(month, 1)
            covered = (min(month_end, self.end) - month).days
            if covered <= 0:
                break
            weights.append((month, Decimal(covered) / Decimal((month_end - month).days)))
        return weights

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


def last_complete_month(today: datetime.date) -> Period:
    """The month before the one `today` falls in: the default period of scorecards, so
    that a page opened on the 7th does not compare a week with a whole month."""
    return previous_period(period_containing(today, MONTH))


def to_date(period: Period, today: datetime.date) -> Period:
    """`period` cut at `today` (included) when it is still running, so it is compared
    like for like with the same days of the previous period and of last year; a
    period already over or not begun is unchanged."""
    if not (period.start <= today < period.natural_end):
        return period
    return Period(period.start, period.kind, through=today)


def parse_period(text: str | None, *, today: datetime.date) -> Period:
    """The period written in `text`; empty: the last complete month. ValueError (with
    PERIOD_INVALID or PERIOD_OUT_OF_RANGE as message) for anything else."""
    text = (text or "").strip()
    if not text:
        return last_complete_month(today)
    if match := _MONTH_RE.match(text):
        year, month, kind = int(match.group(1)), int(match.group(2)), MONTH
    elif match := _QUARTER_RE.match(text):
        year, month, kind = int(match.group(1)), (int(match.group(2)) - 1) * 3 + 1, QUARTER
    elif match := _YEAR_RE.match(text):
        year, month, kind = int(match.group(1)), 1, YEAR
    else:
        raise ValueError(str(PERIOD_INVALID))
    if not 1 <= month <= 12:
        raise ValueError(str(PERIOD_INVALID))
    if not PERIOD_YEAR_MIN <= year <= PERIOD_YEAR_MAX:
        raise ValueError(str(PERIOD_OUT_OF_RANGE % {"first": PERIOD_YEAR_MIN, "last": PERIOD_YEAR_MAX}))
    return Period(datetime.date(year, month, 1), kind)


def _shifted(period: Period, months: int) -> Period:
    """The period of the same kind `months` earlier or later; a period to date keeps
    its number of days (1–7 October → 1–7 September), within the earlier period."""
    start = _add_months(period.start, months)
    if period.through is None:
        return Period(start, period.kind)
    shifted = Period(start, period.kind)
    through = min(start + (period.through - period.start), shifted.natural_end - datetime.timedelta(days=1))
    return Period(start, period.kind, through=through)


def previous_period(period: Period) -> Period:
    """The period of the same kind just before (like for like for a period to date)."""
    return _shifted(period, -MONTHS_IN[period.kind])


def same_period_last_year(period: Period) -> Period:
    return _shifted(period, -12)


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


def rep_label(first_name: str | None, last_name: str | None, username: str | None) -> str:
    """How a scorecard names a dealer's rep: as everywhere else (accounts.models.full_name:
    "Li Wang", "张伟"), else the username — what str(user) gives, from plain values."""
    return full_name(first_name, last_name) or (username or "")

"""Pure arithmetic of visits (no ORM): plan occurrences, the visit cycle, the
distance between the start location and the dealer, the discipline targets."""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Iterable, Iterator
from decimal import Decimal

MONTHLY_DAYS = "monthly_days"
WEEKLY = "weekly"
EVERY_N_DAYS = "every_n_days"

# Rep discipline targets (SPEC §2, seed 002), in one place.
TARGET_CONTACTS_PER_WORKING_DAY = Decimal("3")
TARGET_SHARE_CONTACTED = Decimal("0.5")
TARGET_VISITS_COMPLETED = 10

EARTH_RADIUS_M = 6_371_000


def _month_day(year: int, month: int, day: int) -> datetime.date:
    """Day `day` of a month; a day past the month's end (31 in April) is its last day."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day, last))


def _months(start: datetime.date, end: datetime.date) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        month += 1
        if month == 13:
            year, month = year + 1, 1


def plan_occurrences(
    *, rule: str, start: datetime.date, end: datetime.date, starts_on: datetime.date,
    month_days: Iterable[int] = (), weekdays: Iterable[int] = (), interval_days: int | None = None,
) -> list[datetime.date]:
    """The dates of a plan between `start` and `end` (both inclusive), never before
    `starts_on`, sorted and without duplicates.

    - monthly_days: the given days of each month (31 → the month's last day);
    - weekly: the given weekdays (0 = Monday … 6 = Sunday);
    - every_n_days: starts_on, starts_on + N, starts_on + 2N, ...
    """
    start = max(start, starts_on)
    if end < start:
        return []
    dates: set[datetime.date] = set()
    if rule == MONTHLY_DAYS:
        days = {int(day) for day in month_days if 1 <= int(day) <= 31}
        for year, month in _months(start, end):
            for day in days:
                date = _month_day(year, month, day)
                if start <= date <= end:
                    dates.add(date)
    elif rule == WEEKLY:
        wanted = {int(day) for day in weekdays if 0 <= int(day) <= 6}
        if wanted:
            date = start
            while date <= end:
                if date.weekday() in wanted:
                    dates.add(date)
                date += datetime.timedelta(days=1)
    elif rule == EVERY_N_DAYS:
        if interval_days and interval_days > 0:
            offset = (start - starts_on).days
            steps = -(-offset // interval_days)  # ceil
            date = starts_on + datetime.timedelta(days=steps * interval_days)
            while date <= end:
                dates.add(date)
                date += datetime.timedelta(days=interval_days)
    else:
        raise ValueError(f"unknown rule {rule!r}")
    return sorted(dates)


def cycle_days_for(
    rule: str, *, month_days: Iterable[int] = (), weekdays: Iterable[int] = (), interval_days: int | None = None
) -> int:
    """The visit cycle in days: monthly with k days → round(30 / k); weekly with
    k weekdays → round(7 / k), at least 1; every N days → N."""
    if rule == MONTHLY_DAYS:
        count = len({int(day) for day in month_days})
        return max(1, round(30 / count)) if count else 30
    if rule == WEEKLY:
        count = len({int(day) for day in weekdays})
        return max(1, round(7 / count)) if count else 7
    if rule == EVERY_N_DAYS:
        return max(1, int(interval_days or 1))
    raise ValueError(f"unknown rule {rule!r}")


def haversine_m(lat1, lon1, lat2, lon2) -> int:
    """The great-circle distance in whole metres between two points given in degrees."""
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi = phi2 - phi1
    dlambda = math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a))))


def working_days(first: datetime.date, last: datetime.date) -> int:
    """Monday–Friday days from `first` to `last`, both inclusive (0 if last < first)."""
    if last < first:
        return 0
    total = (last - first).days + 1
    weeks, rest = divmod(total, 7)
    count = weeks * 5
    for offset in range(rest):
        if (first + datetime.timedelta(days=weeks * 7 + offset)).weekday() < 5:
            count += 1
    return count


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    return first, _month_day(first.year, first.month, 31)


# Where a rep stands against a target. A month still running is never "missed":
# a monthly target is judged pro rata (on track / behind so far) until the month is over.
MET, ON_TRACK, BEHIND, MISSED = "met", "on_track", "behind", "missed"


def target_status(*, met: bool, on_track: bool, month_complete: bool) -> str:
    """met; else, in a month still running, on track or behind so far; else missed."""
    if met:
        return MET
    if not month_complete:
        return ON_TRACK if on_track else BEHIND
    return MISSED


def discipline_row(
    *, contact_days: int, working_days_count: int, dealers_contacted: int, dealers_assigned: int,
    visits_completed: int, visits_planned: int, market_checks_before: int, visits_started: int,
    working_days_in_month: int | None = None,
) -> dict:
    """A rep's month against the targets. `contact_days` is the sum over working
    days of distinct dealers contacted that day; `working_days_count` the working
    days gone so far, `working_days_in_month` all of the month's (default: the
    same, a complete month). In a month still running the share of dealers
    contacted and the visits completed are compared with the target pro-rated to
    the working days gone (on track / behind), never "missed"."""
    total = working_days_count if working_days_in_month is None else working_days_in_month
    month_complete = working_days_count >= total
    elapsed_share = Decimal(working_days_count) / Decimal(total) if total else Decimal(1)
    per_day = (
        (Decimal(contact_days) / working_days_count).quantize(Decimal("0.1")) if working_days_count else None
    )
    share = (Decimal(dealers_contacted) / dealers_assigned) if dealers_assigned else None
    visits_to_date = (TARGET_VISITS_COMPLETED * elapsed_share).quantize(Decimal("0.1"))
    contacts_met = per_day is not None and per_day >= TARGET_CONTACTS_PER_WORKING_DAY
    share_met = share is not None and share >= TARGET_SHARE_CONTACTED
    visits_met = visits_completed >= TARGET_VISITS_COMPLETED
    checks_met = visits_started == 0 or market_checks_before >= visits_started
    return {
        "contacts_per_day": per_day,
        "contacts_per_day_met": contacts_met,
        "contacts_per_day_status": target_status(met=contacts_met, on_track=False, month_complete=month_complete),
        "dealers_contacted": dealers_contacted,
        "dealers_assigned": dealers_assigned,
        "share_contacted": share,
        "share_contacted_percent": round(share * 100) if share is not None else None,
        "share_met": share_met,
        "share_status": target_status(
            met=share_met, month_complete=month_complete,
            on_track=share is not None and share >= TARGET_SHARE_CONTACTED * elapsed_share,
        ),
        "visits_completed": visits_completed,
        "visits_met": visits_met,
        "visits_status": target_status(met=visits_met, on_track=visits_completed >= visits_to_date,
                                       month_complete=month_complete),
        "visits_target_to_date": visits_to_date,
        "visits_planned": visits_planned,
        "market_checks_before": market_checks_before,
        "visits_started": visits_started,
        "market_checks_met": checks_met,
        "market_checks_status": target_status(met=checks_met, on_track=False, month_complete=month_complete),
        "month_complete": month_complete,
    }

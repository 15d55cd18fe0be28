"""The region scorecard's table as it shows: each row of the page with its figures
formatted once, in Python, for the template to print.

A filter, a `{% url %}` or a `{% translate %}` in every cell of 50 rows cost the
page more than its SQL (issue 16); the template now prints ready strings and the
column labels it translates once. The strings are those the filters gave: money
as `common.formatting.format_money`, a per cent figure as the `pct` filter, the
penetration index as the `percent:1` filter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from common.formatting import format_money
from scorecards.selectors import ScorecardRow

EMPTY = "—"
TREND_ARROWS = {"up": "↑", "down": "↓", "same": "→", "": ""}


def percent_figure(value) -> str:
    """A figure already in per cent (Decimal, one place): "21.3 %"; "—" for None."""
    return EMPTY if value is None else f"{value} %"


def fraction_percent(value, digits: int = 1) -> str:
    """A fraction as per cent: 0.1234 → "12.3 %"; "—" for None."""
    return EMPTY if value is None or value == "" else f"{float(value) * 100:.{int(digits)}f} %"


@dataclass(frozen=True, slots=True)
class TableRow:
    """One dealer's row of the scorecard table, every figure a display string (or a count)."""

    dealer_id: int
    url: str  # the dealer's KPI page for the same period
    name: str
    code: str
    code_region_rep: str  # "B000001 · North · Li Wang", under the name where region and rep have no column
    region_name: str
    rep_name: str
    grade: str
    trend: str
    arrow: str
    previous_grade: str
    sales: str
    target: str
    achievement: str
    growth_previous: str
    growth_last_year: str
    penetration: str
    visits_completed: int
    visits_planned: int
    stockouts: int
    near_expiry: int
    suggestions_followed: str
    overdue_orders: int
    overdue_amount: str
    violations: int
    open_requests: int


def table_rows(rows: Iterable[ScorecardRow], *, period_key: str) -> list[TableRow]:
    """The rows of one page of the table, ready to print."""
    shown = []
    # One reverse() for the page, not one per row: the dealer's id goes where the marker is.
    marker = "987654321"
    url = f"{reverse('scorecards:dealer', args=[marker])}?period={period_key}"
    for row in rows:
        rep_name = row.rep_name or EMPTY
        shown.append(TableRow(
            dealer_id=row.dealer_id, url=url.replace(marker, str(int(row.dealer_id)), 1),
            name=row.name, code=row.code, code_region_rep=f"{row.code} · {row.region_name} · {rep_name}",
            region_name=row.region_name, rep_name=rep_name,
            grade=row.grade, trend=row.trend, arrow=TREND_ARROWS.get(row.trend, ""), previous_grade=row.previous_grade,
            sales=format_money(row.sales), target=format_money(row.target), achievement=percent_figure(row.achievement),
            growth_previous=percent_figure(row.growth_previous), growth_last_year=percent_figure(row.growth_last_year),
            penetration=fraction_percent(row.penetration, 1),
            visits_completed=row.visits_completed, visits_planned=row.visits_planned, stockouts=row.stockouts,
            near_expiry=row.near_expiry, suggestions_followed=percent_figure(row.suggestions_followed),
            overdue_orders=row.overdue_orders, overdue_amount=format_money(row.overdue_amount),
            violations=row.violations, open_requests=row.open_requests,
        ))
    return shown

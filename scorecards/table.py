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

from django.conf import settings
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

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


# The labels every cell carries (beside the figure on a phone), as the table's headers say them.
LABELS = {
    "region": gettext_noop("Region"),
    "rep": gettext_noop("Rep"),
    "grade": gettext_noop("Grade"),
    "previous_grade": gettext_noop("Previous grade"),
    "sales": gettext_noop("Sales"),
    "target": gettext_noop("Target"),
    "achieved": gettext_noop("Achieved"),
    "vs_previous": gettext_noop("vs previous"),
    "vs_last_year": gettext_noop("vs last year"),
    "penetration": gettext_noop("Penetration"),
    "visits": gettext_noop("Visits"),
    "stockouts": gettext_noop("Stock-outs"),
    "near_expiry": gettext_noop("Near expiry"),
    "suggestions_followed": gettext_noop("Suggestions followed"),
    "overdue": gettext_noop("Overdue"),
    "violations": gettext_noop("Violations"),
    "open_requests": gettext_noop("Open requests"),
}
CELL = '\n      <td class="{css}" data-label="{label}">{value}</td>'


def rows_html(rows: Iterable[TableRow], *, view: str) -> SafeString:
    """The table's rows as HTML, for the columns of `view` ("sales", "field" or "all").

    Written in Python: the template's loop printed some 1,500 variables for a page of 50
    rows, about a third of the page's time. scorecards/table_rows.html is the template it
    stands for; scorecards/tests/test_table_html.py holds the two equal, byte for byte."""
    label = {key: conditional_escape(gettext(text)) for key, text in LABELS.items()}
    number = localize if settings.USE_THOUSAND_SEPARATOR else str

    def cell(css: str, key: str, value) -> str:
        return CELL.format(css=css, label=label[key], value=value)

    html = []
    for row in rows:
        name = conditional_escape(row.code if view == "all" else row.code_region_rep)
        parts = [f'\n    <tr data-dealer="{number(row.dealer_id)}">\n      <td class="scorecard-dealer"><span>'
                 f'<a class="fw-semibold" href="{conditional_escape(row.url)}">{conditional_escape(row.name)}</a><br>'
                 f'<small class="text-muted">{name}</small></span></td>\n      ']
        if view == "all":
            parts += [cell("text-nowrap", "region", conditional_escape(row.region_name)),
                      cell("text-nowrap", "rep", conditional_escape(row.rep_name)), "\n      "]
        if row.grade:
            grade = f'<span class="badge text-bg-secondary">{conditional_escape(row.grade)}</span>'
            if row.trend:
                grade += (f' <span title="{label["previous_grade"]}: {conditional_escape(row.previous_grade)}">'
                          f"{conditional_escape(row.arrow)}</span>")
        else:
            grade = EMPTY
        parts += [cell("text-nowrap", "grade", f"<span>{grade}</span>"), "\n      "]
        if view != "field":
            parts += [cell("text-end text-nowrap", key, conditional_escape(value)) for key, value in (
                ("sales", row.sales), ("target", row.target), ("achieved", row.achievement),
                ("vs_previous", row.growth_previous), ("vs_last_year", row.growth_last_year),
                ("penetration", row.penetration))]
            parts.append("\n      ")
        parts.append("\n      ")
        if view != "sales":
            overdue = (f'<span class="text-danger">{conditional_escape(row.overdue_amount)}</span> ({number(row.overdue_orders)})'
                       if row.overdue_orders else EMPTY)
            parts += [
                cell("text-end text-nowrap", "visits", f"{number(row.visits_completed)}/{number(row.visits_planned)}"),
                cell("text-end", "stockouts", number(row.stockouts)),
                cell("text-end", "near_expiry", number(row.near_expiry)),
                cell("text-end text-nowrap", "suggestions_followed", conditional_escape(row.suggestions_followed)),
                cell("text-end text-nowrap", "overdue", overdue),
                cell("text-end", "violations", number(row.violations)),
                cell("text-end", "open_requests", number(row.open_requests)),
                "\n      ",
            ]
        parts.append("\n    </tr>\n  ")
        html.append("".join(parts))
    return mark_safe("".join(html))  # every value above is escaped

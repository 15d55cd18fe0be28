"""The region scorecard as its page shows it: one page of rows, how many dealers
there are, their grades and the totals of the period.

Sorted by what the dealer record holds (name — the default —, code, region, rep,
grade, score), the page's dealers are known before any figure is read: only
their rows are built in full (three periods, every figure), and the other
dealers give just the totals (the period's sales, visits and targets). Sorted by
a figure, every dealer's row is needed to sort, and the whole scorecard is built
(selectors.region_scorecard). Either way the page shows the same rows and
totals (scorecards/tests/test_region_page.py holds the two ways equal).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.paginator import Page, Paginator

from scorecards import calculations
from scorecards.calculations import Period
from scorecards.figures import Figures, period_figures, targets_by_dealer
from scorecards.selectors import (
    BASE_FIELDS,
    DEFAULT_ORDERING,
    ScorecardFilters,
    build_rows,
    region_scorecard,
    scorecard_dealers,
    sort_rows,
)

# Orderings by what the dealer record holds: no figure is needed to sort by them.
RECORD_ORDERINGS = frozenset({"code", "name", "region_name", "rep_name", "grade", "score"})


class DealerRecord(NamedTuple):
    """What a dealer record holds of a scorecard row: enough to sort by RECORD_ORDERINGS
    and count the grades (sort_rows reads these attributes as it does a ScorecardRow's).
    A few hundred of them per page, so a tuple, not a 40-field ScorecardRow each."""

    dealer_id: int
    code: str
    name: str
    region_name: str
    rep_name: str
    grade: str
    score: Decimal | None


@dataclass
class RegionPage:
    page: Page  # its object_list: the page's ScorecardRows, every figure read
    count: int
    distribution: dict[str, int]
    totals: dict
    reps: list[tuple[int, str]]  # (id, name) of the reps of every dealer on the scorecard, as rep_label names them


def _totals(*, sales: Decimal, target: Decimal, visits_planned: int, visits_completed: int) -> dict:
    return {"sales": sales, "target": target, "visits_planned": visits_planned, "visits_completed": visits_completed,
            "achievement": calculations.achievement_percent(sales=sales, target=target)}


def region_page(
    *, user, period: Period, filters: ScorecardFilters, today: datetime.date, with_stock: bool, number, per_page: int,
) -> RegionPage:
    """Page `number` (as given, Paginator.get_page's leniency) of the user's region scorecard."""
    if (filters.ordering or DEFAULT_ORDERING).lstrip("-") not in RECORD_ORDERINGS:
        rows = region_scorecard(user=user, period=period, filters=filters, today=today, with_stock=with_stock)
        return RegionPage(
            page=Paginator(rows, per_page).get_page(number), count=len(rows),
            distribution=calculations.grade_distribution([row.grade for row in rows]),
            totals=_totals(sales=sum((row.sales for row in rows), Decimal("0")),
                           target=sum((row.target for row in rows), Decimal("0")),
                           visits_planned=sum(row.visits_planned for row in rows),
                           visits_completed=sum(row.visits_completed for row in rows)),
            reps=[(row.rep_id, row.rep_name) for row in rows if row.rep_id is not None],
        )
    period = calculations.to_date(period, today)
    dealers = scorecard_dealers(user=user, filters=filters)
    base = list(dealers.order_by().values_list(*BASE_FIELDS))
    records, names = [], {}  # a few dozen reps for hundreds of dealers: each named once
    for pk, code, name, _status, _region_id, region_name, rep_id, first, last, username, grade, score in base:
        rep_name = names.get(rep_id)
        if rep_name is None:
            rep_name = names[rep_id] = calculations.rep_label(first, last, username)
        records.append(DealerRecord(pk, code, name, region_name or "", rep_name, grade or "", score))
    reps = [(rep_id, rep_name) for rep_id, rep_name in names.items() if rep_id is not None]
    page = Paginator(sort_rows(records, filters.ordering), per_page).get_page(number)
    shown = {row.dealer_id for row in page.object_list}
    targets = targets_by_dealer(dealers=dealers, periods=[period])
    built = build_rows(dealers=dealers.filter(pk__in=shown), periods=[period], with_stock=with_stock,
                       base=[row for row in base if row[0] in shown],
                       targets={key: amount for key, amount in targets.items() if key[0] in shown})
    page.object_list = [built[row.dealer_id][0] for row in page.object_list if row.dealer_id in built]
    # The totals: every dealer's figures added up in SQL, one row per figure.
    total = period_figures(dealers=dealers, periods=[period], with_stock=False, per_dealer=False).get((0, 0), Figures())
    return RegionPage(
        page=page, count=len(records), distribution=calculations.grade_distribution([row.grade for row in records]),
        totals=_totals(sales=total.sales, target=sum(targets.values(), Decimal("0")),
                       visits_planned=total.visits_planned, visits_completed=total.visits_completed),
        reps=reps,
    )

"""Reads of scorecards, always scoped to the user, computed set-based in SQL.

`region_scorecard(user=, period=, filters=)` is the one selector behind the
region scorecard page, its API and its export: a fixed number of queries
(eight, nine with the sub-region filter, the user's regions included) whatever
the number of dealers. `dealer_kpis(user=, dealer=, period=)` gives the same
figures for one dealer over the last 12 periods (the same SQL with 12
time windows).

How the figures are counted (SPEC §5):
- sales: value of goods shipped in the period (shipment lines × the unit price
  kept on the order line, by `Shipment.shipped_at`) — the same basis as rebates
  (rebates.selectors.rebate_bases); each shipment's value is stored when it ships
  (`Shipment.value`, inventory.calculations.shipment_value), so one period's sales
  is a sum over the period's shipments, not a join of every line to its order line;
- target: the annual sales target of the dealer's signed contracts pro-rated to
  the days of the period they cover (calculations.prorated_target);
- growth: against the previous period and the same period last year;
- penetration: sales ÷ the market size of the dealer's region for the period
  (scorecards.models.MarketSize, all categories; see its docstring);
- grade: the dealer's latest evaluation (`Dealer.current_grade`) and the one
  before it (trend);
- visits: planned = scheduled in the period and not cancelled, done = completed;
- stock-outs / near-expiry: lines of the stock counts made in the period with
  quantity 0 / with less than a third of the shelf life left on the count date;
- suggested orders followed: quantities ordered ÷ quantities suggested on the
  suggestion lines of the period's counts (lines that suggested something);
- overdue payments: orders overdue today (`Order.objects.overdue()`), count and amount due;
- violations: found in the period; open requests: unresolved today.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from accounts.policy import VISIBILITY, Area, Visibility, sees
from common.dates import local_day_start
from common.scoping import register_scope
from dealers.models import Dealer, DealerStatus, Evaluation
from dealers.scope import scoped, territory_q
from regions.models import Region
from scorecards import calculations
from scorecards.calculations import Period
from scorecards.figures import (
    ZERO,
    Figures,
    market_sizes_by_region,
    open_requests_by_dealer,
    overdue_by_dealer,
    period_figures,
    previous_evaluations,
    targets_by_dealer,
)
from scorecards.models import MarketSize

# Who may see scorecards (accounts.policy, Area.SCORECARDS): HQ admin (all dealers),
# managers (their regions), reps (their dealers).
SCORECARD_ROLES = tuple(role for role, seen in VISIBILITY[Area.SCORECARDS].items() if seen != Visibility.NONE)
PIPELINE = (DealerStatus.PROSPECT, DealerStatus.NEGOTIATING)


def can_view_scorecards(user) -> bool:
    return sees(user, Area.SCORECARDS)


def scorecard_dealer_queryset_for(user) -> QuerySet[Dealer]:
    """The dealers on the user's scorecards: the user's dealer scope without the
    onboarding pipeline (prospects, negotiations); none for other roles."""
    return scoped(user, Area.SCORECARDS, Dealer.objects.all(), dealer="").exclude(status__in=PIPELINE)


def market_size_queryset_for(user) -> QuerySet[MarketSize]:
    """Market sizes: HQ admin all; managers and reps those of their territory's
    regions (a manager's regions, the regions of the dealers given to a rep)."""
    return scoped(user, Area.MARKET_SIZES, MarketSize.objects.all(), in_scope=lambda user: territory_q(user, "region"))


# --- The region scorecard ----------------------------------------------------------------------
@dataclass(frozen=True)
class ScorecardFilters:
    grade: str = ""  # A–D, or "-" for not yet evaluated
    region_id: int | None = None  # a sub-region: its dealers and those below it
    rep_id: int | None = None
    ordering: str = ""  # a ScorecardRow field, "-" first for descending


@dataclass
class ScorecardRow:
    dealer_id: int
    code: str
    name: str
    status: str
    region_id: int | None
    region_name: str
    rep_id: int | None
    rep_name: str
    grade: str
    score: Decimal | None
    previous_grade: str = ""
    previous_score: Decimal | None = None
    trend: str = ""
    sales: Decimal = ZERO
    target: Decimal = ZERO
    achievement: Decimal | None = None
    sales_previous: Decimal = ZERO
    growth_previous: Decimal | None = None
    sales_last_year: Decimal = ZERO
    growth_last_year: Decimal | None = None
    market_size: Decimal | None = None
    penetration: Decimal | None = None
    visits_planned: int = 0
    visits_completed: int = 0
    visit_compliance: Decimal | None = None
    stockouts: int = 0
    near_expiry: int = 0
    suggested_quantity: int = 0
    ordered_quantity: int = 0
    suggestions_followed: Decimal | None = None
    overdue_orders: int = 0
    overdue_amount: Decimal = ZERO
    violations: int = 0
    open_requests: int = 0
    # The days counted (a period still running: up to today) and those it is compared with.
    period_start: datetime.date | None = None
    period_end: datetime.date | None = None
    previous_start: datetime.date | None = None
    previous_end: datetime.date | None = None
    extra: dict = field(default_factory=dict)


SORTABLE = (
    "code", "name", "region_name", "rep_name", "grade", "score", "sales", "target", "achievement",
    "growth_previous", "growth_last_year", "penetration", "visits_planned", "visits_completed",
    "visit_compliance", "stockouts", "near_expiry", "suggestions_followed", "overdue_amount",
    "overdue_orders", "violations", "open_requests",
)
DEFAULT_ORDERING = "name"


def _sort_key(name: str):
    def key(row):
        value = getattr(row, name)
        if name == "grade":  # A first ascending; not evaluated last
            value = calculations.GRADE_ORDER.get(value, 0) * -1 if value else None
        if isinstance(value, str):
            value = value.lower()
        return (value is None, value if value is not None else 0, row.name.lower(), row.dealer_id)
    return key


def sort_rows(rows: list, ordering: str) -> list:
    """Rows (ScorecardRows, or any records with the field, `name` and `dealer_id`)
    ordered by a SORTABLE field; empty values last either way."""
    name = ordering.lstrip("-") if ordering else DEFAULT_ORDERING
    if name not in SORTABLE:
        name, ordering = DEFAULT_ORDERING, DEFAULT_ORDERING
    present = [row for row in rows if getattr(row, name) not in (None, "")]
    missing = [row for row in rows if getattr(row, name) in (None, "")]
    present.sort(key=_sort_key(name), reverse=ordering.startswith("-"))
    missing.sort(key=lambda row: (row.name.lower(), row.dealer_id))
    return present + missing


def scorecard_dealers(*, user, filters: ScorecardFilters) -> QuerySet[Dealer]:
    """The dealers of the user's scorecard after the filters (a lazy queryset)."""
    dealers = scorecard_dealer_queryset_for(user)
    if filters.grade == "-":
        dealers = dealers.filter(current_grade="")
    elif filters.grade:
        dealers = dealers.filter(current_grade=filters.grade)
    if filters.region_id:
        region = Region.objects.filter(pk=filters.region_id).only("path").first()
        dealers = dealers.filter(region__path__startswith=region.path) if region else dealers.none()
    if filters.rep_id:
        dealers = dealers.filter(rep_id=filters.rep_id)
    return dealers


# What build_rows reads of each dealer, in this order.
BASE_FIELDS = ("pk", "code", "name", "status", "region_id", "region__name", "rep_id", "rep__first_name",
               "rep__last_name", "rep__username", "current_grade", "current_score")


def build_rows(
    *, dealers: QuerySet[Dealer], periods: Sequence[Period], on: datetime.date | None = None, with_stock: bool = True,
    base: list[tuple] | None = None, targets: dict | None = None,
) -> dict[int, list[ScorecardRow]]:
    """{dealer_id: [a ScorecardRow per period]} for `dealers` (with growth of each
    period against the previous one and the same period a year before, which are
    added to the windows read). Seven queries whatever the number of dealers and periods.
    `with_stock=False`: the STOCK_FIELDS are not read (0, suggestions_followed None); `base`
    (rows of BASE_FIELDS) and `targets` (of these periods): already read by the caller."""
    periods = list(periods)
    windows: list[Period] = list(periods)
    position: dict[Period, int] = {period: index for index, period in enumerate(windows)}
    for period in periods:
        for other in (calculations.previous_period(period), calculations.same_period_last_year(period)):
            if other not in position:
                position[other] = len(windows)
                windows.append(other)
    base = list(dealers.order_by().values_list(*BASE_FIELDS)) if base is None else base
    if not base:
        return {}
    figures = period_figures(dealers=dealers, periods=windows, detailed=len(periods), with_stock=with_stock)
    targets = targets_by_dealer(dealers=dealers, periods=periods) if targets is None else targets
    sizes = market_sizes_by_region(region_ids={row[4] for row in base if row[4]}, periods=periods)
    overdue = overdue_by_dealer(dealers=dealers, on=on)
    previous = previous_evaluations(dealers=dealers)
    requests = open_requests_by_dealer(dealers=dealers)
    # What every dealer's row of a period shares, worked out once per period, not per dealer.
    shared = []
    for index, period in enumerate(periods):
        before = calculations.previous_period(period)
        shared.append((index, position[before], position[calculations.same_period_last_year(period)], {
            "period_start": period.start, "period_end": period.last_day,
            "previous_start": before.start, "previous_end": before.last_day,
        }, period.key))
    none = Figures()  # read only
    result: dict[int, list[ScorecardRow]] = {}
    for (pk, code, name, status, region_id, region_name, rep_id, first, last, username, grade, score) in base:
        rep_name = calculations.rep_label(first, last, username)
        previous_grade, previous_score = previous.get(pk, ("", None))
        overdue_orders, overdue_amount = overdue.get(pk, (0, ZERO))
        trend = calculations.grade_trend(current=grade, previous=previous_grade)
        rows = []
        for index, before_index, last_year_index, days, key in shared:
            current = figures.get((pk, index), none)
            sales = current.sales
            before_sales = figures.get((pk, before_index), none).sales
            last_year_sales = figures.get((pk, last_year_index), none).sales
            target = targets.get((pk, index), ZERO)
            size = sizes.get((region_id, index)) or None
            rows.append(ScorecardRow(
                dealer_id=pk, code=code, name=name, status=status, region_id=region_id, region_name=region_name or "",
                rep_id=rep_id, rep_name=rep_name, grade=grade or "", score=score,
                previous_grade=previous_grade or "", previous_score=previous_score, trend=trend,
                sales=sales, target=target, achievement=calculations.achievement_percent(sales=sales, target=target),
                sales_previous=before_sales,
                growth_previous=calculations.growth_percent(current=sales, base=before_sales),
                sales_last_year=last_year_sales,
                growth_last_year=calculations.growth_percent(current=sales, base=last_year_sales),
                market_size=size, penetration=calculations.penetration(sales=sales, market_size=size),
                visits_planned=current.visits_planned, visits_completed=current.visits_completed,
                visit_compliance=calculations.rate_percent(part=current.visits_completed, whole=current.visits_planned),
                stockouts=current.stockouts, near_expiry=current.near_expiry,
                suggested_quantity=current.suggested_quantity, ordered_quantity=current.ordered_quantity,
                suggestions_followed=calculations.rate_percent(
                    part=current.ordered_quantity, whole=current.suggested_quantity
                ),
                overdue_orders=overdue_orders, overdue_amount=overdue_amount,
                violations=current.violations, open_requests=requests.get(pk, 0), extra={"period": key}, **days,
            ))
        result[pk] = rows
    return result


def region_scorecard(
    *, user, period: Period, filters: ScorecardFilters | None = None, today: datetime.date | None = None,
    with_stock: bool = True,
) -> list[ScorecardRow]:
    """One row per dealer on the user's scorecard for `period`, filtered and
    sorted (filters.ordering). A fixed number of queries whatever the number of
    dealers: the user's regions (cached), the sub-region, then
    build_rows' seven (the dealers among them).

    A period still running is counted to date and compared like for like: the
    same days of the previous period and of last year, the target pro-rated to
    those days (calculations.to_date). `with_stock=False` (a page not showing
    them) skips the stock-count figures (STOCK_FIELDS), the costliest to read."""
    filters = filters or ScorecardFilters()
    period = calculations.to_date(period, today or timezone.localdate())
    dealers = scorecard_dealers(user=user, filters=filters)
    rows = [per_period[0] for per_period in build_rows(dealers=dealers, periods=[period], with_stock=with_stock).values()]
    return sort_rows(rows, filters.ordering)


@dataclass
class DealerKpis:
    dealer: Dealer
    periods: list[Period]
    rows: list[ScorecardRow]  # one per period, oldest first
    grades: list[str]  # the grade in force at the end of each period ("" before any evaluation)
    scores: list[Decimal | None]


def dealer_kpis(*, user, dealer: Dealer, period: Period, count: int = 12) -> DealerKpis:
    """The scorecard figures of one dealer (in the user's scorecard scope: the
    caller fetched it with get_object_or_404 from scorecard_dealer_queryset_for)
    for the `count` periods ending with `period`, and the grade in force at the
    end of each (eight queries)."""
    periods = calculations.last_periods(period, count)
    dealers = Dealer.objects.filter(pk=dealer.pk)
    rows = build_rows(dealers=dealers, periods=periods).get(dealer.pk, [])
    evaluations = list(
        Evaluation.objects.filter(dealer=dealer, created_at__lt=local_day_start(period.end))
        .order_by("created_at", "id").values_list("created_at", "grade", "total")
    )
    grades, scores = [], []
    for item in periods:
        end = local_day_start(item.end)
        in_force = [evaluation for evaluation in evaluations if evaluation[0] < end]
        grades.append(in_force[-1][1] if in_force else "")
        scores.append(in_force[-1][2] if in_force else None)
    return DealerKpis(dealer=dealer, periods=periods, rows=rows, grades=grades, scores=scores)


def default_period(today: datetime.date | None = None) -> Period:
    """The last complete month: what a scorecard shows until another period is chosen."""
    return calculations.last_complete_month(today or timezone.localdate())


# The scope of each model, for mechanisms that only know the model (common.scoping).
register_scope(MarketSize, market_size_queryset_for)

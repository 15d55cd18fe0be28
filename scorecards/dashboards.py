"""The data of the dashboards page (charts), each a fixed number of queries over
the user's scorecard scope."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from common.dates import local_day_start
from common.sql import subquery_sql
from inventory.models import Shipment
from promotions.selectors import campaign_effect_summary
from rebates.selectors import rebate_totals_by_dealer
from scorecards import calculations
from scorecards.calculations import Period
from scorecards.selectors import scorecard_dealer_queryset_for
from visits.models import Visit, VisitStatus

TOP_REGIONS = 8
PALETTE = ["#0d6efd", "#198754", "#dc3545", "#ffc107", "#6f42c1", "#20c997", "#fd7e14", "#6c757d", "#0dcaf0"]


def sales_by_region_and_month(*, dealers, periods: list[Period]) -> dict[tuple[str, int], Decimal]:
    """{(region name, period index): sales} of `dealers` (one query, shipments joined to a VALUES list of months)."""
    ops = connection.ops
    cast = "CAST(%s AS timestamp with time zone)" if connection.vendor == "postgresql" else "%s"
    windows, params = [], []
    for index, period in enumerate(periods):
        windows.append(f"({int(index)}, {cast}, {cast})")
        params += [ops.adapt_datetimefield_value(local_day_start(period.start)),
                   ops.adapt_datetimefield_value(local_day_start(period.end))]
    dealer_sql, dealer_params = (
        subquery_sql(dealers.order_by().values(scope_dealer=F("pk"), scope_region=F("region__name")))
    )
    sql = f"""
        WITH w (idx, start_at, end_at) AS (VALUES {", ".join(windows)})
        SELECT d.scope_region, w.idx, SUM(s.value)
        FROM w JOIN {Shipment._meta.db_table} s ON s.shipped_at >= w.start_at AND s.shipped_at < w.end_at
        JOIN ({dealer_sql}) d ON d.scope_dealer = s.dealer_id
        GROUP BY d.scope_region, w.idx
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *dealer_params])
        return {(name or "", int(index)): Decimal(value or 0) for name, index, value in cursor.fetchall()}


def dashboard_data(*, user, period: Period) -> dict:
    """Chart specs (for scorecards/static/scorecards/charts.js) and tables of the dashboards page."""
    dealers = scorecard_dealer_queryset_for(user)
    months = calculations.last_periods(calculations.period_containing(period.last_day), 12)
    labels = [month.key for month in months]

    # Sales trend by region (the regions selling most over the 12 months).
    sales = sales_by_region_and_month(dealers=dealers, periods=months)
    by_region: dict[str, Decimal] = defaultdict(Decimal)
    for (name, _index), value in sales.items():
        by_region[name] += value
    top = sorted(by_region, key=lambda name: (-by_region[name], name))[:TOP_REGIONS]
    trend = {
        "type": "line", "labels": labels,
        "datasets": [
            {"label": name, "data": [float(sales.get((name, index), 0)) for index in range(len(months))],
             "borderColor": PALETTE[number % len(PALETTE)], "backgroundColor": PALETTE[number % len(PALETTE)]}
            for number, name in enumerate(top)
        ],
    }

    # Grade distribution.
    counts = {row["current_grade"]: row["n"] for row in dealers.values("current_grade").annotate(n=Count("pk")).order_by()}
    grades = {
        "type": "doughnut", "labels": ["A", "B", "C", "D", _("Not evaluated")],
        "datasets": [{"label": _("Dealers"), "data": [counts.get(g, 0) for g in ["A", "B", "C", "D", ""]],
                      "backgroundColor": ["#198754", "#0d6efd", "#ffc107", "#dc3545", "#adb5bd"]}],
    }

    # Visit compliance by rep in the period.
    visits = list(
        Visit.objects.filter(
            dealer__in=dealers.order_by().values("pk"),
            scheduled_for__gte=local_day_start(period.start), scheduled_for__lt=local_day_start(period.end),
        ).exclude(status=VisitStatus.CANCELLED)
        .values("rep_id", "rep__first_name", "rep__last_name", "rep__username")
        .annotate(planned=Count("pk"), done=Count("pk", filter=Q(status=VisitStatus.COMPLETED)))
        .order_by("rep__last_name", "rep__first_name", "rep__username")
    )
    rep_rows = [
        {
            "rep": f"{row['rep__first_name']} {row['rep__last_name']}".strip() or row["rep__username"],
            "planned": row["planned"], "done": row["done"],
            "compliance": calculations.rate_percent(part=row["done"], whole=row["planned"]),
        }
        for row in visits
    ]
    compliance = {
        "type": "bar", "labels": [row["rep"] for row in rep_rows], "horizontal": len(rep_rows) > 6,
        "datasets": [{"label": _("Visits done (%)"), "data": [float(row["compliance"] or 0) for row in rep_rows],
                      "backgroundColor": "#198754"}],
        "max": 100,
    }

    # Promotion effect in the period (campaigns in the user's scope).
    summaries = campaign_effect_summary(user=user, start=period.start, end=period.last_day)
    promotions = {
        "type": "bar", "labels": [summary.campaign.name for summary in summaries],
        "horizontal": len(summaries) > 6,
        "datasets": [
            {"label": _("Sell-in before"), "data": [float(s.effect.amount.before) for s in summaries],
             "backgroundColor": "#adb5bd"},
            {"label": _("Sell-in during"), "data": [float(s.effect.amount.during) for s in summaries],
             "backgroundColor": "#0d6efd"},
        ],
    }

    # Rebate accrual in the period, by region.
    totals = rebate_totals_by_dealer(dealers=dealers.order_by().values("pk"), period_from=period.start,
                                     period_to=period.last_day)
    region_of = dict(dealers.filter(pk__in=list(totals)).values_list("pk", "region__name")) if totals else {}
    accrual: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal("0")] * 3)
    for dealer_id, total in totals.items():
        figures = accrual[region_of.get(dealer_id) or ""]
        figures[0] += total.running
        figures[1] += total.pending
        figures[2] += total.settled
    accrual_regions = sorted(accrual, key=lambda name: -sum(accrual[name]))[:TOP_REGIONS]
    rebates = {
        "type": "bar", "labels": accrual_regions, "stacked": True,
        "datasets": [
            {"label": _("Running"), "data": [float(accrual[name][0]) for name in accrual_regions], "backgroundColor": "#0dcaf0"},
            {"label": _("Pending settlement"), "data": [float(accrual[name][1]) for name in accrual_regions],
             "backgroundColor": "#ffc107"},
            {"label": _("Settled"), "data": [float(accrual[name][2]) for name in accrual_regions], "backgroundColor": "#198754"},
        ],
    }
    return {
        "trend": trend, "grades": grades, "compliance": compliance, "promotions": promotions, "rebates": rebates,
        "rep_rows": rep_rows, "summaries": summaries,
        "accrued_total": sum((sum(values) for values in accrual.values()), Decimal("0")),
    }

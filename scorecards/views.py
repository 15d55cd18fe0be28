"""Pages of scorecards: the region scorecard (a manager's home), its export, the
dealer KPI page and the dashboards. Every page starts from
scorecards.selectors (the user's scope); other roles get 403, dealers outside
the scope 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.exports import MONEY, PERCENT, Column, export_response
from scorecards import calculations, dashboards, selectors
from scorecards.figures import STOCK_FIELDS
from scorecards.forms import ScorecardFilterForm
from scorecards.region_page import region_page
from scorecards.table import rows_html, table_rows

PAGE_SIZE = 50


def _require_scorecards(user) -> None:
    if not selectors.can_view_scorecards(user):
        raise PermissionDenied


def _filter_form(request) -> ScorecardFilterForm:
    dealers = selectors.scorecard_dealer_queryset_for(request.user)
    today = timezone.localdate()
    data = request.GET.copy()
    if not data.get("period"):
        # Nothing chosen: the last complete month, and the picker says so.
        data["period"] = selectors.default_period(today).key
    return ScorecardFilterForm(data, user=request.user, dealers=dealers, today=today)


# The table's column sets: each fits a 1280 px screen; "all" scrolls sideways with the dealer fixed.
COLUMN_VIEWS = {
    "sales": gettext_lazy("Sales figures"),
    "field": gettext_lazy("Field and service"),
    "all": gettext_lazy("All columns"),
}


def _number(value) -> float | None:
    return None if value is None else float(value)


@login_required
def region(request):
    """The region scorecard: every dealer in scope for a period, sortable and filterable."""
    _require_scorecards(request.user)
    form = _filter_form(request)
    today = timezone.localdate()
    period = calculations.to_date(form.selected_period(), today)
    filters = form.filters()
    view = request.GET.get("view", "")
    view = view if view in COLUMN_VIEWS else "sales"
    # The sales columns show no stock-count figure: those are read only when shown or sorted by.
    with_stock = view != "sales" or filters.ordering.lstrip("-") in STOCK_FIELDS
    shown = region_page(user=request.user, period=period, filters=filters, today=today, with_stock=with_stock,
                        number=request.GET.get("page"), per_page=PAGE_SIZE)
    page, distribution, totals = shown.page, shown.distribution, shown.totals
    if not (filters.grade or filters.region_id or filters.rep_id):
        form.offer_reps(shown.reps)  # every dealer on the page: its reps are the filter's, no query of their own
    chart = {
        "type": "bar",
        "labels": ["A", "B", "C", "D", _("Not evaluated")],
        "datasets": [{"label": _("Dealers"), "data": [distribution[g] for g in ["A", "B", "C", "D", ""]],
                      "backgroundColor": ["#198754", "#0d6efd", "#ffc107", "#dc3545", "#adb5bd"]}],
        "legend": False,
    }
    table = table_rows(page, period_key=period.key)
    return render(request, "scorecards/region.html", {
        "form": form, "period": period, "page": page, "rows_count": shown.count, "distribution": distribution,
        "chart": chart, "totals": totals, "ordering": filters.ordering,
        "table": table, "table_html": rows_html(table, view=view),
        "query": request.GET.urlencode(), "view": view, "views": COLUMN_VIEWS,
        "previous": calculations.previous_period(period), "last_year": calculations.same_period_last_year(period),
        "is_default_period": not request.GET.get("period"),
    })


EXPORT_COLUMNS = [
    Column(gettext_lazy("Code"), "code"),
    Column(gettext_lazy("Dealer"), "name"),
    Column(gettext_lazy("Region"), "region_name"),
    Column(gettext_lazy("Rep"), "rep_name"),
    Column(gettext_lazy("Period"), lambda row: row.extra.get("period")),
    Column(gettext_lazy("Sales"), "sales", kind=MONEY),
    Column(gettext_lazy("Target"), "target", kind=MONEY),
    Column(gettext_lazy("Achieved (%)"), "achievement", kind=PERCENT),
    Column(gettext_lazy("Sales, previous period"), "sales_previous", kind=MONEY),
    Column(gettext_lazy("Growth vs previous period (%)"), "growth_previous", kind=PERCENT),
    Column(gettext_lazy("Sales, same period last year"), "sales_last_year", kind=MONEY),
    Column(gettext_lazy("Growth vs last year (%)"), "growth_last_year", kind=PERCENT),
    Column(gettext_lazy("Market size"), "market_size", kind=MONEY),
    Column(gettext_lazy("Penetration index"), "penetration"),
    Column(gettext_lazy("Grade"), "grade"),
    Column(gettext_lazy("Score"), "score"),
    Column(gettext_lazy("Previous grade"), "previous_grade"),
    Column(gettext_lazy("Visits planned"), "visits_planned"),
    Column(gettext_lazy("Visits done"), "visits_completed"),
    Column(gettext_lazy("Stock-outs"), "stockouts"),
    Column(gettext_lazy("Near expiry"), "near_expiry"),
    Column(gettext_lazy("Suggested (cases)"), "suggested_quantity"),
    Column(gettext_lazy("Ordered (cases)"), "ordered_quantity"),
    Column(gettext_lazy("Suggested orders followed (%)"), "suggestions_followed", kind=PERCENT),
    Column(gettext_lazy("Overdue orders"), "overdue_orders"),
    Column(gettext_lazy("Overdue amount"), "overdue_amount", kind=MONEY),
    Column(gettext_lazy("Violations"), "violations"),
    Column(gettext_lazy("Open requests"), "open_requests"),
]


@login_required
def export(request):
    """The scorecard as CSV (default) or XLSX, with the page's filters and scope."""
    _require_scorecards(request.user)
    form = _filter_form(request)
    period = form.selected_period()
    rows = selectors.region_scorecard(user=request.user, period=period, filters=form.filters())
    return export_response(rows, EXPORT_COLUMNS, filename=f"scorecard-{period.key}", fmt=request.GET.get("format"))


@login_required
def dealer(request, pk: int):
    """One dealer's KPIs over the last 12 periods, with charts."""
    _require_scorecards(request.user)
    dealer = get_object_or_404(selectors.scorecard_dealer_queryset_for(request.user).select_related("region", "rep"), pk=pk)
    try:
        period = calculations.parse_period(request.GET.get("period"), today=timezone.localdate())
    except ValueError:
        period = selectors.default_period()
    kpis = selectors.dealer_kpis(user=request.user, dealer=dealer, period=period)
    labels = [p.key for p in kpis.periods]
    grade_values = [calculations.GRADE_ORDER.get(grade) for grade in kpis.grades]
    charts = {
        "sales": {
            "type": "bar", "labels": labels,
            "datasets": [
                {"label": _("Sales"), "data": [_number(row.sales) for row in kpis.rows], "backgroundColor": "#0d6efd"},
                {"label": _("Target"), "data": [_number(row.target) for row in kpis.rows], "type": "line",
                 "borderColor": "#dc3545", "backgroundColor": "#dc3545"},
            ],
        },
        "grade": {
            "type": "line", "labels": labels, "stepped": True,
            "datasets": [{"label": _("Grade"), "data": grade_values, "borderColor": "#198754", "stepped": True}],
            "yTicks": {"1": "D", "2": "C", "3": "B", "4": "A"}, "yMin": 0.5, "yMax": 4.5,
        },
        "visits": {
            "type": "bar", "labels": labels,
            "datasets": [
                {"label": _("Visits planned"), "data": [row.visits_planned for row in kpis.rows], "backgroundColor": "#adb5bd"},
                {"label": _("Visits done"), "data": [row.visits_completed for row in kpis.rows], "backgroundColor": "#198754"},
            ],
        },
        "stock": {
            "type": "line", "labels": labels,
            "datasets": [
                {"label": _("Stock-outs"), "data": [row.stockouts for row in kpis.rows], "borderColor": "#dc3545"},
                {"label": _("Near expiry"), "data": [row.near_expiry for row in kpis.rows], "borderColor": "#ffc107"},
                {"label": _("Suggested orders followed (%)"),
                 "data": [_number(row.suggestions_followed) for row in kpis.rows], "borderColor": "#0d6efd"},
            ],
        },
    }
    rows = list(zip(kpis.periods, kpis.rows, kpis.grades, strict=False))
    return render(request, "scorecards/dealer.html", {
        "dealer": dealer, "period": period, "kpis": kpis, "rows": list(reversed(rows)), "charts": charts,
        "latest": kpis.rows[-1] if kpis.rows else None,
        "previous_period": calculations.previous_period(period),
        "next_period": calculations.Period(period.end, period.kind) if period.end <= timezone.localdate() else None,
    })


@login_required
def dashboard(request):
    """Charts for managers: sales trend by region, grades, visit compliance by rep,
    promotion effect, rebate accrual."""
    _require_scorecards(request.user)
    try:
        period = calculations.parse_period(request.GET.get("period"), today=timezone.localdate())
    except ValueError:
        period = selectors.default_period()
    data = dashboards.dashboard_data(user=request.user, period=period)
    return render(request, "scorecards/dashboard.html", {"period": period, "data": data})

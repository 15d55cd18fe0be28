"""Sections scorecards adds to other apps' pages: on the dealer page, a link to the
dealer's KPI page with a sparkline of its sales over the last six months (one query)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.sections import Section
from dealers.models import Dealer
from scorecards import calculations
from scorecards.figures import period_figures
from scorecards.selectors import can_view_scorecards

SPARK_MONTHS = 6
SPARK_WIDTH, SPARK_HEIGHT = 120, 28


def sparkline_points(values: list[float], *, width: int = SPARK_WIDTH, height: int = SPARK_HEIGHT) -> str:
    """The `points` of an SVG polyline drawing `values` left to right (pure)."""
    if not values:
        return ""
    top = max(values) or 1.0
    step = width / max(len(values) - 1, 1)
    return " ".join(f"{index * step:.1f},{height - (value / top) * (height - 2) - 1:.1f}" for index, value in enumerate(values))


def dealer_detail(*, request, dealer) -> list[Section]:
    if not can_view_scorecards(request.user) or dealer.in_pipeline:
        return []
    current = calculations.period_containing(timezone.localdate())
    periods = calculations.last_periods(current, SPARK_MONTHS)
    figures = period_figures(dealers=Dealer.objects.filter(pk=dealer.pk), periods=periods, detailed=0)
    sales = [float(figures[(dealer.pk, index)].sales) if (dealer.pk, index) in figures else 0.0 for index in range(len(periods))]
    return [Section(
        title=_("Scorecard"), template="scorecards/sections/dealer_kpis.html", order=150, anchor="scorecard",
        context={"dealer": dealer, "points": sparkline_points(sales), "first": periods[0].key, "last": periods[-1].key,
                 "latest_sales": sales[-1], "width": SPARK_WIDTH, "height": SPARK_HEIGHT},
    )]

"""Template helpers of the inventory pages."""

from decimal import Decimal

from django import template
from django.utils.dateparse import parse_date
from django.utils.html import format_html

from common.templatetags.crm import money
from inventory import selectors, units
from inventory.models import CoefficientSource, OrderStatus

register = template.Library()

STATUS_STYLE = {
    OrderStatus.SUBMITTED: "text-bg-secondary",
    OrderStatus.CONFIRMED: "text-bg-info",
    OrderStatus.PAID: "text-bg-primary",
    OrderStatus.PICKED: "text-bg-warning",
    OrderStatus.SHIPPED: "text-bg-success",
    OrderStatus.RECEIVED: "text-bg-success",
    OrderStatus.REJECTED: "text-bg-danger",
    OrderStatus.CANCELLED: "text-bg-dark",
}


@register.simple_tag
def status_badge(order) -> str:
    """The order's status as a coloured badge."""
    return format_html(
        '<span class="badge {}" data-testid="order-status">{}</span>',
        STATUS_STYLE.get(order.status, "text-bg-light"), order.get_status_display(),
    )


# One money format for every page (common.templatetags.crm.money).
register.filter("money", money)


@register.filter
def in_units(quantity, unit="case") -> str:
    """`{{ 24|in_units:product.unit }}` → "24 cases" (plural-aware, translated)."""
    return units.in_units(quantity, unit or "case")


@register.filter
def unit_name(unit, count=2) -> str:
    """`{{ product.unit|unit_name }}` → "cases"; `{{ product.unit|unit_name:1 }}` → "case"."""
    return units.unit_name(unit or "case", int(count))


@register.simple_tag
def suggestion_working(line) -> dict:
    """What the working of a stored suggestion line shows (inventory/includes/suggestion_working.html):
    every period with its dates and figures (inventory.selectors.suggestion_working),
    the values the median was taken of, where the coefficient came from and safety
    stock − current stock."""
    periods = []
    for period in selectors.suggestion_working(line=line, period_dates=line.stock_count.period_dates):
        cycle_sales = period["cycle_sales"]
        periods.append({
            **period,
            "from": parse_date(period["from"]) if period["from"] else None,
            "to": parse_date(period["to"]) if period["to"] else None,
            "cycle_sales": Decimal(cycle_sales) if cycle_sales is not None else None,
        })
    if not periods and line.previous_stock is not None:
        # Saved before every period was kept: the latest period is what there is.
        periods.append({
            "from": None, "to": None, "previous": line.previous_stock, "delivered": line.deliveries,
            "current": line.current_stock, "sales": line.previous_stock + line.deliveries - line.current_stock,
            "used": line.period_sales is not None, "cycle_sales": line.period_sales, "scaled": False,
            "excluded": None if line.period_sales is not None else "negative",
        })
    used = [period["cycle_sales"] for period in periods if period.get("used") and period["cycle_sales"] is not None]
    source = line.coefficient_source or CoefficientSource.DEFAULT
    return {
        "periods": periods,
        "used_text": ", ".join(str(value) for value in used),
        "median_of": len(used),
        "source": CoefficientSource(source).label if source in CoefficientSource.values else source,
        "shortfall": None if line.safety_stock is None else line.safety_stock - line.current_stock,
    }

"""Template helpers of the inventory pages."""

from django import template
from django.utils.html import format_html

from common.templatetags.crm import money
from inventory.models import OrderStatus

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

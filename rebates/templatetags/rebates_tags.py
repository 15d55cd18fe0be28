"""Template helpers of the rebate pages."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from common.templatetags.crm import money
from rebates.models import StatementState

register = template.Library()

STATE_STYLE = {
    StatementState.RUNNING: "text-bg-info",
    StatementState.PENDING: "text-bg-warning",
    StatementState.SETTLED: "text-bg-success",
}


# One money format for every page (common.templatetags.crm.money).
register.filter("money", money)


@register.filter
def rate(value) -> str:
    """Decimal('2.500') → '2.5 %'; '—' for None."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f} %"


@register.simple_tag
def statement_badge(statement) -> str:
    """Where the statement stands: accruing, pending settlement or settled."""
    return format_html(
        '<span class="badge {}" data-testid="statement-state">{}</span>',
        STATE_STYLE.get(statement.state, "text-bg-light"), statement.state_label,
    )

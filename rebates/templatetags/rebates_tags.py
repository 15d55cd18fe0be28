"""Template helpers of the rebate pages."""

from decimal import Decimal

from django import template
from django.utils.html import format_html

from rebates.models import StatementState

register = template.Library()

STATE_STYLE = {
    StatementState.RUNNING: "text-bg-info",
    StatementState.PENDING: "text-bg-warning",
    StatementState.SETTLED: "text-bg-success",
}


@register.filter
def money(value) -> str:
    """1234.5 → '¥1,234.50'; '—' for None."""
    if value is None or value == "":
        return "—"
    return f"¥{Decimal(value):,.2f}"


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

"""`{% count_steps_data visit as steps %}`: what the visit page's stock count and
suggested order step cards show (visits/_count_steps.html), in four queries."""

from django import template
from django.db.models import Count, Q, Sum

from inventory.selectors import stock_warnings
from visits.models import SuggestedOrderLine, VisitStatus

register = template.Library()


@register.simple_tag
def count_steps_data(visit) -> dict:
    count = visit.stock_counts.order_by("-counted_at", "-id").first()
    summary = {}
    if count is not None:
        summary = SuggestedOrderLine.objects.filter(stock_count=count).aggregate(
            lines=Count("pk"), to_order=Count("pk", filter=Q(suggested_quantity__gt=0)),
            cases=Sum("suggested_quantity"),
        )
    return {
        "count": count,
        "summary": summary,
        "warnings": stock_warnings(dealer_ids=[visit.dealer_id]).get(visit.dealer_id, []),
        "can_count": visit.status == VisitStatus.IN_PROGRESS,
    }

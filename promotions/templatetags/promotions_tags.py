"""Small helpers of the promotions pages."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from promotions.models import CampaignStatus, Interest

register = template.Library()

STATUS_COLOURS = {
    CampaignStatus.DRAFT: "secondary",
    CampaignStatus.APPROVED: "info",
    CampaignStatus.RUNNING: "success",
    CampaignStatus.ENDED: "warning",
    CampaignStatus.REVIEWED: "dark",
}
INTEREST_COLOURS = {Interest.HOT: "danger", Interest.WARM: "warning", Interest.COLD: "info", Interest.NONE: "secondary"}
INTEREST_SHORT = {Interest.HOT: _("Hot"), Interest.WARM: _("Warm"), Interest.COLD: _("Cold"), Interest.NONE: _("Attendee")}


@register.simple_tag
def campaign_status_badge(campaign) -> str:
    colour = STATUS_COLOURS.get(campaign.status, "secondary")
    return format_html('<span class="badge text-bg-{}" data-testid="campaign-status">{}</span>', colour,
                       campaign.get_status_display())


@register.simple_tag
def interest_badge(attendee) -> str:
    return format_html('<span class="badge text-bg-{}">{}</span>', INTEREST_COLOURS.get(attendee.interest, "secondary"),
                       INTEREST_SHORT.get(attendee.interest, attendee.interest))


@register.filter
def number(value, places: int = 0) -> str:
    """A figure with thousands separators: 12345.6 → '12,345.60' (places=2), None → '—'."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.{int(places)}f}"


@register.filter
def objective_figure(value, campaign) -> str:
    """An objective's target or actual in its unit: money with two places, counts whole."""
    if value is None:
        return "—"
    return number(value, 2 if campaign.objective_unit_is_money else 0)


@register.filter
def signed_percent(ratio) -> str:
    if ratio is None:
        return "—"
    return f"{float(ratio) * 100:+.1f} %"

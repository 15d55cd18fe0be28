"""Sections promotions adds to other apps' pages (common/sections.py): the
campaigns a dealer takes part in, on the dealer page and in the dealer portal."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.formatting import format_date, format_date_range
from common.navigation import menu_counts
from common.sections import Section
from common.worklists import ROWS_PER_ITEM, WorkItem, WorkRow, worklist_section
from promotions import selectors
from promotions.calculations import clock_dates
from promotions.models import CampaignProduct
from promotions.selectors import campaigns_of_dealer

DEALER_PAGE_LIMIT = 10
PORTAL_LIMIT = 5
PORTAL_RECENT_DAYS = 30


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: the campaigns the dealer takes part in that the viewer may see
    (1 query), and the campaign lead it came from, if any (1 query)."""
    origin_leads = list(
        selectors.lead_queryset_for(request.user).filter(prospect=dealer).select_related("campaign").order_by("pk")[:3]
    )
    campaigns = list(
        campaigns_of_dealer(user=request.user, dealer=dealer).select_related("owner").order_by("-start_date", "-id")[
            :DEALER_PAGE_LIMIT
        ]
    )
    return [Section(
        title=_("Promotions"), template="promotions/sections/dealer_campaigns.html",
        context={"dealer": dealer, "campaigns": campaigns, "limit": DEALER_PAGE_LIMIT, "origin_leads": origin_leads},
        order=500, anchor="promotions",
    )]


def portal_home(*, request, dealer) -> list[Section]:
    """The dealer portal: my current and coming campaigns, and those just ended, with
    their products and promotion supply prices (2 queries)."""
    since = timezone.localdate() - datetime.timedelta(days=PORTAL_RECENT_DAYS)
    campaigns = list(
        campaigns_of_dealer(user=request.user, dealer=dealer).filter(end_date__gte=since)
        .prefetch_related(
            Prefetch("product_lines", queryset=CampaignProduct.objects.select_related("product").order_by("product__sku"))
        )
        .order_by("start_date", "id")[:PORTAL_LIMIT]
    )
    return [Section(
        title=_("My promotions"), template="promotions/sections/portal_campaigns.html",
        context={"dealer": dealer, "campaigns": campaigns, "today": timezone.localdate()}, order=400,
        anchor="promotions",
    )]



def role_home(*, request) -> list[Section]:
    """The worklist on the home page: a rep's leads to follow up; for managers and
    HQ the campaigns to approve and those whose review is due. One query per item
    listed (the figures come from the menu's one query); a dealer its promotions."""
    user = request.user
    role = user.effective_role
    if role == Role.DEALER:
        return portal_home(request=request, dealer=user.dealer)
    counts = menu_counts(request)
    if role == Role.REP:
        leads = selectors.leads_to_follow_up(user=user).select_related("campaign").order_by("campaign__end_date", "name", "id")
        rows = [WorkRow(lead.name, reverse("promotions:lead", args=[lead.pk]),
                        _("%(campaign)s · by %(date)s") % {
                            "campaign": lead.campaign.name, "date": format_date(clock_dates(lead.campaign.end_date).follow_up_by)})
                for lead in leads[:ROWS_PER_ITEM]]
        return [worklist_section(_("My day"), [WorkItem(
            _("Leads to follow up"), reverse("promotions:my_leads"), count=counts.get("promotions.leads_to_follow_up", 0),
            icon="person-lines-fill", tone="warning", key="leads-to-follow-up", rows=rows,
        )], order=11, anchor="field-work")]
    if role not in (Role.ADMIN, Role.MANAGER):
        return []
    to_approve = selectors.campaigns_to_approve(user=user).order_by("start_date", "id")
    to_review = selectors.campaigns_to_review(user=user).order_by("end_date", "id")
    approvals = WorkItem(
        _("Campaigns to approve"), reverse("promotions:list") + "?status=draft",
        count=counts.get("promotions.to_approve", 0), icon="megaphone", key="campaigns-to-approve",
        rows=[WorkRow(campaign.name, reverse("promotions:detail", args=[campaign.pk]),
                      format_date_range(campaign.start_date, campaign.end_date)) for campaign in to_approve[:ROWS_PER_ITEM]],
    )
    reviews = WorkItem(
        _("Campaigns to review"), reverse("promotions:list") + "?status=ended",
        count=counts.get("promotions.to_review", 0), icon="journal-check", tone="warning", key="campaigns-to-review",
        rows=[WorkRow(campaign.name, reverse("promotions:review", args=[campaign.pk]),
                      _("review due %(date)s") % {"date": format_date(clock_dates(campaign.end_date).review_by)})
              for campaign in to_review[:ROWS_PER_ITEM]],
    )
    return [
        worklist_section(_("Approvals"), [approvals], order=21, anchor="approvals"),
        worklist_section(_("Promotions"), [reviews], order=60, anchor="promotions"),
    ]

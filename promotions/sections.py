"""Sections promotions adds to other apps' pages (common/sections.py): the
campaigns a dealer takes part in, on the dealer page and in the dealer portal."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.sections import Section
from promotions.models import CampaignProduct
from promotions.selectors import campaigns_of_dealer

DEALER_PAGE_LIMIT = 10
PORTAL_LIMIT = 5
PORTAL_RECENT_DAYS = 30


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: the campaigns the dealer takes part in that the viewer may see (1 query)."""
    campaigns = list(
        campaigns_of_dealer(user=request.user, dealer=dealer).select_related("owner").order_by("-start_date", "-id")[
            :DEALER_PAGE_LIMIT
        ]
    )
    return [Section(
        title=_("Promotions"), template="promotions/sections/dealer_campaigns.html",
        context={"dealer": dealer, "campaigns": campaigns, "limit": DEALER_PAGE_LIMIT}, order=500, anchor="promotions",
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


"""Sections the rebates app adds to other apps' pages (common/sections.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from common.sections import Section
from rebates.permissions import can_see_rebates
from rebates.selectors import dealer_rebate_overview


def portal_home(*, request, dealer) -> list[Section]:
    """The dealer portal: accrued, pending and settled amounts, tier reached and distance to the next (4 queries)."""
    return [Section(
        title=_("My rebates"),
        template="rebates/sections/portal_rebates.html",
        context={"overview": dealer_rebate_overview(dealer=dealer)},
        order=200,
        anchor="rebates",
    )]


def dealer_detail(*, request, dealer) -> list[Section]:
    """The dealer page: the same figures for the staff who see rebates (4 queries)."""
    if not can_see_rebates(request.user):
        return []
    return [Section(
        title=_("Rebates"),
        template="rebates/sections/dealer_rebates.html",
        context={"overview": dealer_rebate_overview(dealer=dealer), "dealer": dealer},
        order=350,
        anchor="rebates",
    )]

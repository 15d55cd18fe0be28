"""Sections the rebates app adds to other apps' pages (common/sections.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from common.formatting import format_money
from common.navigation import menu_counts
from common.sections import Section
from common.worklists import ROWS_PER_ITEM, WorkItem, WorkRow, worklist_section
from rebates.permissions import can_see_rebates, can_settle_rebates
from rebates.selectors import dealer_rebate_overview, statements_to_settle


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


def role_home(*, request) -> list[Section]:
    """Finance (and HQ): the statements to settle (one query for the rows); a dealer:
    its rebate progress — accrued, pending, settled, the tier reached and what reaches the next."""
    user = request.user
    if user.effective_role == Role.DEALER:
        return portal_home(request=request, dealer=user.dealer)
    if not can_settle_rebates(user):
        return []
    statements = statements_to_settle(user=user).select_related("dealer", "plan").order_by("period_end", "dealer__name", "id")
    item = WorkItem(
        _("Rebate statements to settle"), reverse("rebates:statement_list") + "?state=pending",
        count=menu_counts(request).get("rebates.to_settle", 0), icon="piggy-bank", tone="warning",
        key="statements-to-settle",
        rows=[WorkRow(f"{statement.dealer.name} · {statement.plan.name}", reverse("rebates:statement_detail", args=[statement.pk]),
                      f"{statement.period_label} · {format_money(statement.amount)}")
              for statement in statements[:ROWS_PER_ITEM]],
    )
    return [worklist_section(_("Rebates"), [item], order=50, anchor="rebates")]

"""Sections the dealers app adds to other pages (common/sections.py): on the home
page, the dealer applications waiting for a manager's approval."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.formatting import format_date
from common.navigation import menu_counts
from common.sections import Section
from common.worklists import ROWS_PER_ITEM, WorkItem, WorkRow, worklist_section
from dealers.permissions import Action, can
from dealers.selectors import applications_to_approve


def role_home(*, request) -> list[Section]:
    """Managers and HQ: the applications they may approve now (one query for the rows)."""
    user = request.user
    if not can(user, Action.DECIDE_APPLICATION):
        return []
    applications = applications_to_approve(user=user).select_related("region").order_by("submitted_at", "id")
    item = WorkItem(
        _("Dealer applications to approve"), reverse("dealers:applications") + "?status=open",
        count=menu_counts(request).get("dealers.applications_to_approve", 0), icon="envelope-paper",
        key="applications-to-approve",
        rows=[WorkRow(application.company_name, reverse("dealers:application", args=[application.pk]),
                      f"{application.region.name} · {format_date(application.submitted_at)}")
              for application in applications[:ROWS_PER_ITEM]],
    )
    return [worklist_section(_("Approvals"), [item], order=20, anchor="approvals")]

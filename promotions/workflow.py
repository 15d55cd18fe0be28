"""A campaign's status as a pure table: state × action → next state (SPEC §4).

    draft → approved → running → ended → reviewed

`approve` is a manager's (within their regions) or HQ admin's; `start` and
`end` follow the dates (the beat does them on the start date and the day after
the end date) and may be done by hand by whoever manages the campaign; the
campaign reaches `reviewed` only when its review is written
(services.campaign_review_write). Who may act on *which* campaign is
promotions.permissions' question; this module knows only states.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from promotions.models import CampaignStatus


class CampaignAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    START = "start", _("Start")
    END = "end", _("End event")
    REVIEW = "review", _("Close with the review")


TRANSITIONS: dict[tuple[str, str], str] = {
    (CampaignStatus.DRAFT, CampaignAction.APPROVE): CampaignStatus.APPROVED,
    (CampaignStatus.APPROVED, CampaignAction.START): CampaignStatus.RUNNING,
    (CampaignStatus.RUNNING, CampaignAction.END): CampaignStatus.ENDED,
    (CampaignStatus.ENDED, CampaignAction.REVIEW): CampaignStatus.REVIEWED,
}

# The path, in order: what the progress bar on the campaign page shows.
MAIN_PATH = [
    CampaignStatus.DRAFT, CampaignStatus.APPROVED, CampaignStatus.RUNNING, CampaignStatus.ENDED, CampaignStatus.REVIEWED,
]


def next_status(status: str, action: str) -> str | None:
    """The status `action` leads to from `status`, or None when it is not allowed from there."""
    return TRANSITIONS.get((status, action))


def actions_from(status: str) -> list[str]:
    """The actions the table allows from `status`, in the table's order."""
    return [action for (from_status, action) in TRANSITIONS if from_status == status]

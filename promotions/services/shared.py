"""Helpers the promotions services share: dates as shown, links, notifications in the recipient's language, who oversees a campaign."""

import datetime
import logging

from django.db.models import Q
from django.urls import reverse

from accounts.models import Role, User
from accounts.selectors import managers_for_region
from common.formatting import format_date
from promotions.models import (
    Campaign,
    PreparationTask,
)
from promotions.selectors import campaign_regions_touched

logger = logging.getLogger(__name__)


def _date(value: datetime.date) -> str:
    return format_date(value)


def _dates(campaign: Campaign) -> str:
    if campaign.start_date == campaign.end_date:
        return _date(campaign.start_date)
    return f"{_date(campaign.start_date)} – {_date(campaign.end_date)}"


def _campaign_url(campaign: Campaign, name: str = "promotions:detail") -> str:
    return reverse(name, args=[campaign.pk])


class LazyTaskTitle:
    """A task's title rendered when the notification is written, in the recipient's language."""

    def __init__(self, task: PreparationTask):
        self.task = task

    def __str__(self) -> str:
        return self.task.display_title


def _admins() -> list[User]:
    return list(User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True).order_by("username"))


def managers_overseeing(campaign: Campaign) -> list[User]:
    """The managers overseeing the campaign's regions and its dealers' regions
    (accounts.selectors.managers_for_region); HQ admins when nobody does."""
    managers: dict[int, User] = {}
    for region in campaign_regions_touched(campaign=campaign):
        for manager in managers_for_region(region):
            managers.setdefault(manager.pk, manager)
    return list(managers.values()) or _admins()

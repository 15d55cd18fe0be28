"""The preparation checklist: tasks added and ticked off, and their due-date reminders."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.exceptions import StateConflict
from notifications.services import notification_deliver_in_language
from promotions import calculations, permissions
from promotions.models import (
    Campaign,
    CampaignStatus,
    PreparationTask,
)
from promotions.services.campaigns import UNCHANGED
from promotions.services.messages import (
    MAY_NOT,
    TASK_DUE_BODY,
    TASK_DUE_TITLE,
    TASK_OWNER_NOT_STAFF,
    TASK_TITLE_REQUIRED,
    TASKS_CLOSED,
)
from promotions.services.shared import LazyTaskTitle, _campaign_url, _date

logger = logging.getLogger(__name__)


# --- Preparation tasks --------------------------------------------------------------------------
def _check_task_owner(owner: User | None) -> None:
    if owner is not None and not (owner.is_active and owner.effective_role in permissions.CREATOR_ROLES):
        raise ValidationError({"owner": [TASK_OWNER_NOT_STAFF]})


@transaction.atomic
def preparation_task_add(
    *, campaign: Campaign, by: User, title: str, due_date: datetime.date, owner: User | None = None
) -> PreparationTask:
    if not permissions.can_manage(by, campaign):
        raise PermissionDenied(MAY_NOT)
    if campaign.status == CampaignStatus.REVIEWED:
        raise StateConflict(TASKS_CLOSED)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [TASK_TITLE_REQUIRED]})
    _check_task_owner(owner)
    task = PreparationTask(campaign=campaign, title=title, due_date=due_date, owner=owner or campaign.owner,
                           sort_order=campaign.tasks.count())
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def preparation_task_update(
    *, task: PreparationTask, by: User, done: bool | None = None, title: str | None = None,
    due_date: datetime.date | None = None, owner=UNCHANGED,
) -> PreparationTask:
    """Check a task off (its owner or whoever manages the campaign) or change it (the latter)."""
    task = PreparationTask.objects.select_for_update().select_related("campaign").get(pk=task.pk)
    campaign = task.campaign
    manages = permissions.can_manage(by, campaign)
    changes_details = title is not None or due_date is not None or owner is not UNCHANGED
    if not manages and (changes_details or task.owner_id != by.pk):
        raise PermissionDenied(MAY_NOT)
    if campaign.status == CampaignStatus.REVIEWED:
        raise StateConflict(TASKS_CLOSED)
    if title is not None and title.strip() != task.display_title:
        task.title = title.strip()
        task.template_key = ""  # written by a person now: shown as typed
        if not task.title:
            raise ValidationError({"title": [TASK_TITLE_REQUIRED]})
    if due_date is not None:
        task.due_date = due_date
    if owner is not UNCHANGED:
        _check_task_owner(owner)
        task.owner = owner
    if done is True and task.done_at is None:
        task.done_at, task.done_by = timezone.now(), by
    elif done is False:
        task.done_at, task.done_by = None, None
    task.full_clean()
    task.save()
    return task




def preparation_task_reminders(*, today: datetime.date | None = None) -> int:
    """Tasks due today (or overdue, within the horizon) and not done remind their
    owner once, while the campaign is being prepared or runs."""
    today = today or timezone.localdate()
    horizon = today - datetime.timedelta(days=calculations.CLOCK_HORIZON_DAYS)
    tasks = (
        PreparationTask.objects.filter(
            done_at__isnull=True, due_date__lte=today, due_date__gte=horizon,
            campaign__status__in=(CampaignStatus.DRAFT, CampaignStatus.APPROVED, CampaignStatus.RUNNING),
        )
        .select_related("owner", "campaign__owner")
        .order_by("due_date", "pk")
    )
    delivered = 0
    for task in tasks:
        recipient = task.owner or task.campaign.owner
        delivered += notification_deliver_in_language(
            recipient=recipient, key=f"campaign-task:{task.pk}:due", title=TASK_DUE_TITLE, body=TASK_DUE_BODY,
            task=LazyTaskTitle(task), campaign=task.campaign.name, date=_date(task.due_date),
            url=_campaign_url(task.campaign), kind="promotions.task",
        )
    return delivered

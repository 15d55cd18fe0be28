"""The preparation checklist, its open-tasks warning, and the follow-up state of a campaign's people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from promotions.calculations import progress_percent
from promotions.models import Attendee, Campaign, Interest, LeadFollowUp, PreparationTask, ThankYouStatus


@dataclass(frozen=True)
class FollowUpState:
    """Where a campaign's people stand: the campaign page's clock panel (one query)."""

    attendees: int = 0
    leads: int = 0
    assigned: int = 0
    followed_up: int = 0
    thanked: int = 0
    emailed: int = 0

    @property
    def unassigned(self) -> int:
        return self.leads - self.assigned

    @property
    def awaiting_follow_up(self) -> int:
        return self.assigned - self.followed_up


def campaign_follow_up_state(*, campaign: Campaign) -> FollowUpState:
    logged = LeadFollowUp.objects.filter(attendee=OuterRef("pk"), by=OuterRef("assigned_to"))
    figures = (
        Attendee.objects.filter(campaign=campaign)
        .annotate(logged=Exists(logged))
        .aggregate(
            attendees=Count("pk"),
            leads=Count("pk", filter=~Q(interest=Interest.NONE)),
            assigned=Count("pk", filter=Q(assigned_to__isnull=False)),
            followed_up=Count("pk", filter=Q(assigned_to__isnull=False, logged=True)),
            thanked=Count("thank_you"),
            emailed=Count("thank_you", filter=Q(thank_you__status=ThankYouStatus.SENT)),
        )
    )
    return FollowUpState(**figures)


def task_progress(tasks: Sequence[PreparationTask]) -> tuple[int, int]:
    """(done, total) of prefetched tasks."""
    return sum(1 for task in tasks if task.is_done), len(tasks)


def campaign_tasks(*, campaign: Campaign) -> list[PreparationTask]:
    """The campaign's preparation tasks in checklist order, with their owners and who ticked them (one query)."""
    return list(PreparationTask.objects.filter(campaign=campaign).select_related("owner", "done_by"))


def checklist(tasks: Sequence[PreparationTask]) -> dict:
    """The checklist as the campaign page shows it (partials/task_list.html): the tasks,
    how many are done and the whole percent done (task_progress; no query)."""
    tasks = list(tasks)
    done, total = task_progress(tasks)
    return {"tasks": tasks, "tasks_done": done, "tasks_percent": progress_percent(done=done, total=total)}


OPEN_TASKS_WARNING = gettext_lazy(
    "%(open)s of %(total)s preparation tasks are still open: %(tasks)s."
)
OPEN_TASKS_CONFIRM = gettext_lazy("%(open)s of %(total)s preparation tasks are still open. Go ahead anyway?")
# Steps taken with open preparation tasks draw a warning (never a block): approving and ending.
WARN_OPEN_TASKS_ON = ("approve", "end")


def open_tasks_warning(*, campaign: Campaign, action: str) -> str:
    """The warning for taking `action` (approve, end) while preparation tasks are open;
    "" when all are done or the step does not warn. One query unless the tasks are prefetched."""
    if action not in WARN_OPEN_TASKS_ON:
        return ""
    tasks = list(campaign.tasks.all())
    still_open = [task for task in tasks if not task.is_done]
    if not still_open:
        return ""
    return str(OPEN_TASKS_WARNING % {
        "open": len(still_open), "total": len(tasks), "tasks": ", ".join(task.display_title for task in still_open[:5])
        + (" …" if len(still_open) > 5 else ""),
    })

"""Reminders derived from the database: visits tomorrow and today, missed visits, requests due or overdue."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import managers_for_region
from common.dates import local_day_start
from notifications.services import notification_deliver_in_language
from visits.models import DealerRequest, Visit, VisitStatus
from visits.services.shared import _request_url

# Missed-visit reminders go out for visits missed this recently (an old backlog is not news).
MISSED_REMINDER_DAYS = 3
# The day-before reminder goes out from this hour of the day before; the morning one from this hour.
DAY_BEFORE_FROM_HOUR = 17
MORNING_FROM_HOUR = 7


# --- reminders ---------------------------------------------------------------------------
def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Every reminder due now, derived from the database; each (recipient, key) is
    delivered once ever, so a doubled or late beat sends nothing twice."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    tomorrow = today + datetime.timedelta(days=1)
    sent = {"day_before": 0, "morning": 0, "missed": 0, "due_tomorrow": 0, "overdue": 0}
    upcoming = Visit.objects.filter(
        status=VisitStatus.PLANNED, scheduled_for__gte=local_day_start(today),
        scheduled_for__lt=local_day_start(tomorrow + datetime.timedelta(days=1)),
    ).select_related("dealer", "rep")
    hour = timezone.localtime(now).hour
    for visit in upcoming:
        day = timezone.localtime(visit.scheduled_for).date()
        url = reverse("visits:detail", args=[visit.pk])
        params = {"dealer": visit.dealer.name, "time": f"{timezone.localtime(visit.scheduled_for):%H:%M}"}
        if day == tomorrow:
            if hour < DAY_BEFORE_FROM_HOUR:
                continue
            sent["day_before"] += notification_deliver_in_language(
                recipient=visit.rep, key=f"visit:{visit.pk}:day-before", kind="visit", url=url,
                title=_("Tomorrow %(time)s: visit to %(dealer)s"),
                body=_("Walk the market before you meet the dealer."), **params)
        elif hour >= MORNING_FROM_HOUR:
            sent["morning"] += notification_deliver_in_language(
                recipient=visit.rep, key=f"visit:{visit.pk}:morning", kind="visit", url=url,
                title=_("Today %(time)s: visit to %(dealer)s"),
                body=_("Walk the market before you meet the dealer."), **params)
    managers_cache: dict[int, list[User]] = {}

    def managers(region_id, region) -> list[User]:
        if region_id not in managers_cache:
            managers_cache[region_id] = list(managers_for_region(region)) if region_id else []
        return managers_cache[region_id]

    missed = Visit.objects.filter(
        status=VisitStatus.MISSED, missed_at__gte=now - datetime.timedelta(days=MISSED_REMINDER_DAYS),
    ).select_related("dealer__region", "rep")
    for visit in missed:
        for manager in managers(visit.dealer.region_id, visit.dealer.region):
            sent["missed"] += notification_deliver_in_language(
                recipient=manager, key=f"visit:{visit.pk}:missed", kind="visit", url=reverse("visits:detail", args=[visit.pk]),
                title=_("Missed visit: %(rep)s to %(dealer)s on %(day)s"), body="",
                rep=visit.rep.get_full_name() or visit.rep.username, dealer=visit.dealer.name,
                day=f"{timezone.localtime(visit.scheduled_for):%Y-%m-%d}")
    requests = DealerRequest.objects.unresolved().filter(due_on__lte=tomorrow).select_related(
        "dealer__region", "owner", "escalated_to"
    )
    for request in requests:
        url, params = _request_url(request), {"dealer": request.dealer.name, "due": f"{request.due_on:%Y-%m-%d}"}
        if request.due_on == tomorrow:
            sent["due_tomorrow"] += notification_deliver_in_language(
                recipient=request.owner, key=f"request:{request.pk}:due-tomorrow", kind="request", url=url,
                title=_("Due tomorrow: request of %(dealer)s"), body=request.description, **params)
        elif request.due_on < today:
            recipients = {request.owner.pk: request.owner}
            for manager in managers(request.dealer.region_id, request.dealer.region):
                recipients.setdefault(manager.pk, manager)
            for recipient in recipients.values():
                sent["overdue"] += notification_deliver_in_language(
                    recipient=recipient, key=f"request:{request.pk}:overdue", kind="request", url=url,
                    title=_("Overdue since %(due)s: request of %(dealer)s"), body=request.description, **params)
    return sent

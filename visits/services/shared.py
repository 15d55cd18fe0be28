"""What the visits services share: the visit locked, the phone's time checked, a cancelled or moved visit refused."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.exceptions import StateConflict
from visits.models import DealerRequest, Visit, VisitStatus
from visits.services.messages import RECORDED_IN_FUTURE, RECORDED_TOO_OLD, VISIT_CANCELLED, VISIT_MOVED

# A time recorded on the phone may be this far ahead of the server's clock (clocks drift)
# and this old at most (a rep offline for days sends what they recorded within a week).
RECORDED_CLOCK_SKEW = datetime.timedelta(minutes=5)
RECORDED_MAX_AGE_DAYS = 7


def _lock(visit: Visit) -> Visit:
    return Visit.objects.select_for_update(of=("self",)).select_related("dealer").get(pk=visit.pk)


def recorded_time(recorded_at: datetime.datetime | None, *, field: str = "recorded_at",
                  now: datetime.datetime | None = None) -> datetime.datetime | None:
    """The time a step was really done, as the rep's phone recorded it (offline, sent
    later), checked: not in the future (beyond a few minutes of clock drift), not
    older than a week. None when none was sent (the step happens now)."""
    if recorded_at is None:
        return None
    now = now or timezone.now()
    if timezone.is_naive(recorded_at):
        recorded_at = timezone.make_aware(recorded_at)
    if recorded_at > now + RECORDED_CLOCK_SKEW:
        raise ValidationError({field: RECORDED_IN_FUTURE})
    if recorded_at < now - datetime.timedelta(days=RECORDED_MAX_AGE_DAYS):
        raise ValidationError({field: RECORDED_TOO_OLD % {"days": RECORDED_MAX_AGE_DAYS}})
    return recorded_at


def _recorded_on_its_day(visit: Visit, recorded_at: datetime.datetime | None) -> bool:
    """A step recorded (offline) on the visit's own day, before the visit was marked missed."""
    if recorded_at is None or visit.status != VisitStatus.MISSED:
        return False
    day = timezone.localtime(visit.scheduled_for).date()
    return timezone.localtime(recorded_at).date() <= day


def _refuse_if_cancelled(visit: Visit) -> None:
    """A cancelled visit says so (a phone that was offline learns why its steps were not accepted)."""
    if visit.status == VisitStatus.CANCELLED:
        raise StateConflict(VISIT_CANCELLED % {"reason": visit.cancel_reason})


def _refuse_if_moved(visit: Visit, scheduled_for_seen: datetime.datetime | None) -> None:
    """The phone worked from the visit's time it knew: a visit moved meanwhile says so,
    and the rep decides (send again without `scheduled_for_seen`, or discard)."""
    if scheduled_for_seen is not None and scheduled_for_seen != visit.scheduled_for:
        when = timezone.localtime(visit.scheduled_for).strftime("%Y-%m-%d %H:%M")
        raise StateConflict(VISIT_MOVED % {"when": when})


def _mark_offline(visit: Visit, recorded_at: datetime.datetime | None, fields: list[str]) -> None:
    """Note on the visit that a step came from the phone's offline queue (the manager's review says so)."""
    if recorded_at is not None:
        visit.offline_synced_at = timezone.now()
        fields.append("offline_synced_at")


def _request_url(request: DealerRequest) -> str:
    return reverse("visits:request", args=[request.pk])


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Your role may not do this."))

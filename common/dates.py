"""The company's calendar: days begin at local midnight (settings.TIME_ZONE).

Every "today", "this month" or "from ... to ..." filter on a timestamp turns
its dates into instants here, so that a day means the same hours everywhere.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


def local_day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the company's time zone (settings.TIME_ZONE),
    whatever time zone is active."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())

"""Small helpers the selectors share: values read back from raw SQL, ids formatted into it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone


def _as_datetime(value) -> datetime.datetime:
    if isinstance(value, str):  # SQLite
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.UTC)
    return value


def _as_date(value) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _ids_sql(ids: Iterable[int]) -> str:
    return ", ".join(str(int(value)) for value in ids)

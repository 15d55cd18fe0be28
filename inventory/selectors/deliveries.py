"""What was delivered to the dealers in given windows, for any number of dealers in one query."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection

from inventory.models import Shipment, ShipmentLine


# --- Deliveries (the suggested order's input) -------------------------------------------
@dataclass(frozen=True)
class DeliveryWindow:
    """Deliveries to `dealer_id` shipped in (start, end]: after `start` (exclusive;
    None = from the beginning) up to and including `end`."""

    dealer_id: int
    start: datetime.datetime | None
    end: datetime.datetime


# SQLite can bind 32,766 parameters; each window takes two. PostgreSQL takes any
# number, so it answers in one query however many windows there are.
_SQLITE_WINDOWS_PER_QUERY = 10_000


def deliveries_by_window(*, windows: Sequence[DeliveryWindow]) -> dict[tuple[int, int], int]:
    """Cases shipped per window and product: {(window index, product_id): quantity}.

    One query for all windows (a VALUES list joined to the shipments on the
    (dealer, shipped_at) index), on PostgreSQL and SQLite alike. A dealer may
    appear in several windows (e.g. its last three count periods). Products not
    delivered in a window are absent (read a missing key as 0).
    """
    if not windows:
        return {}
    result: dict[tuple[int, int], int] = {}
    chunk = len(windows) if connection.vendor != "sqlite" else _SQLITE_WINDOWS_PER_QUERY
    for offset in range(0, len(windows), chunk):
        part = windows[offset:offset + chunk]
        result.update(_deliveries_query(part, offset))
    return result


def deliveries_between(*, windows: Iterable[tuple[int, datetime.datetime | None, datetime.datetime]]) -> dict[tuple[int, int], int]:
    """What was delivered to each dealer of each product in its window:
    {(dealer_id, product_id): cases} for windows (dealer_id, start, end],
    start exclusive (None: since the beginning), end inclusive.

    One window per dealer (ValueError otherwise: use deliveries_by_window for
    several periods of one dealer). One query for any number of dealers.
    """
    windows = [DeliveryWindow(int(dealer_id), start, end) for dealer_id, start, end in windows]
    dealer_ids = [window.dealer_id for window in windows]
    if len(set(dealer_ids)) != len(dealer_ids):
        raise ValueError("deliveries_between takes one window per dealer; use deliveries_by_window for several.")
    by_window = deliveries_by_window(windows=windows)
    return {(windows[index].dealer_id, product_id): quantity for (index, product_id), quantity in by_window.items()}


def _deliveries_query(windows: Sequence[DeliveryWindow], offset: int) -> dict[tuple[int, int], int]:
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    timestamp = "CAST(%s AS timestamp with time zone)" if postgres else "%s"
    rows_sql, params = [], []
    for index, window in enumerate(windows, start=offset):
        # Integers are formatted in (int() makes that safe); only times are parameters.
        rows_sql.append(f"({int(index)}, {int(window.dealer_id)}, {timestamp}, {timestamp})")
        params += [
            ops.adapt_datetimefield_value(window.start) if window.start is not None else None,
            ops.adapt_datetimefield_value(window.end),
        ]
    shipment, line = Shipment._meta.db_table, ShipmentLine._meta.db_table
    sql = f"""
        WITH w (idx, dealer_id, start_at, end_at) AS (VALUES {", ".join(rows_sql)})
        SELECT w.idx, l.product_id, SUM(l.quantity)
        FROM w
        JOIN {shipment} s ON s.dealer_id = w.dealer_id
            AND (w.start_at IS NULL OR s.shipped_at > w.start_at)
            AND s.shipped_at <= w.end_at
        JOIN {line} l ON l.shipment_id = s.id
        GROUP BY w.idx, l.product_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(int(index), int(product_id)): int(quantity) for index, product_id, quantity in cursor.fetchall()}

"""Promotion windows: the periods the suggested order leaves out (set-based SQL)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection

from dealers.models import Dealer
from promotions.models import LIVE_STATUSES, Campaign
from promotions.selectors.scope import CampaignDealer, CampaignRegion
from regions.models import Region


def campaign_windows_for_dealers(
    *, dealer_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[tuple[datetime.date, datetime.date]]]:
    """For each dealer, the (start, end) dates of the approved-or-later campaigns it
    takes part in (named or through a region) that overlap [start, end], sorted.

    One query for any number of dealers. Dealers in no such campaign are absent
    (read a missing key as no promotion). For inventory's suggested order, which
    leaves count periods that overlapped a promotion out of "normal" sales.
    """
    dealer_ids = sorted({int(dealer_id) for dealer_id in dealer_ids})
    if not dealer_ids:
        return {}
    ids = ", ".join(str(dealer_id) for dealer_id in dealer_ids)  # int() above makes this safe
    statuses = ", ".join(["%s"] * len(LIVE_STATUSES))
    sql = f"""
        SELECT taking_part.dealer_id, c.start_date, c.end_date
        FROM ({_taking_part_sql(dealer_ids=ids)}) taking_part
        JOIN {Campaign._meta.db_table} c ON c.id = taking_part.campaign_id
        WHERE c.status IN ({statuses}) AND c.start_date <= %s AND c.end_date >= %s
        ORDER BY taking_part.dealer_id, c.start_date, c.end_date
    """
    params = [*[str(status) for status in LIVE_STATUSES], end, start]
    windows: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dealer_id, start_date, end_date in cursor.fetchall():
            window = (_as_date(start_date), _as_date(end_date))
            if window not in windows[dealer_id]:
                windows[dealer_id].append(window)
    return dict(windows)


def _taking_part_sql(*, dealer_ids: str | None = None, campaign_ids: str | None = None) -> str:
    """SQL for the (campaign_id, dealer_id) pairs of dealers taking part in campaigns:
    named on the campaign, or in the subtree of one of its regions (a path prefix,
    as regions.models.subtree_q). `dealer_ids` and `campaign_ids` are comma-separated
    integers made by the caller with int()."""
    dealer, region = Dealer._meta.db_table, Region._meta.db_table
    named, regions = CampaignDealer._meta.db_table, CampaignRegion._meta.db_table
    named_where, region_where = ["1 = 1"], ["1 = 1"]
    if dealer_ids is not None:
        named_where.append(f"cd.dealer_id IN ({dealer_ids})")
        region_where.append(f"d.id IN ({dealer_ids})")
    if campaign_ids is not None:
        named_where.append(f"cd.campaign_id IN ({campaign_ids})")
        region_where.append(f"cr.campaign_id IN ({campaign_ids})")
    return f"""
        SELECT cd.campaign_id AS campaign_id, cd.dealer_id AS dealer_id
        FROM {named} cd
        WHERE {" AND ".join(named_where)}
        UNION
        SELECT cr.campaign_id AS campaign_id, d.id AS dealer_id
        FROM {regions} cr
        JOIN {region} root ON root.id = cr.region_id
        JOIN {region} sub ON sub.path LIKE root.path || '%%'
        JOIN {dealer} d ON d.region_id = sub.id
        WHERE {" AND ".join(region_where)}
    """


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))

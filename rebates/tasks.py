"""Thin Celery tasks: the accrual after a shipment and the nightly safety net."""

from __future__ import annotations

import datetime

from celery import shared_task

from rebates import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def accrue_dealer_rebates(dealer_ids: list[int], on: str | None = None) -> int:
    """Recompute these dealers' statements: the periods containing `on` (an ISO date), or all recent ones."""
    day = datetime.date.fromisoformat(on) if on else None
    result = services.rebate_statements_recompute(dealer_ids=dealer_ids, since=day, until=day)
    return result.created + result.updated + result.deleted


@shared_task
def accrue_all_rebates() -> int:
    """Nightly: recompute every dealer's statements from the start of last year (idempotent)."""
    result = services.rebate_statements_recompute()
    return result.created + result.updated + result.deleted

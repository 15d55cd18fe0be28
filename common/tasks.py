"""Thin Celery tasks of the shared plumbing."""

from celery import shared_task

from common.idempotency import idempotency_records_purge


@shared_task
def purge_idempotency_records() -> int:
    """Hourly: forget Idempotency-Key answers older than their time-to-live (idempotent)."""
    return idempotency_records_purge()

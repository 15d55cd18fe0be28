"""Celery tasks of hq: thin, they call a service (each idempotent by the job's status)."""

from celery import shared_task

from hq import services


@shared_task
def import_check(job_id: int) -> bool:
    """The dry run of an uploaded file (its preview)."""
    return services.import_job_check(job_id=job_id) is not None


@shared_task
def import_apply(job_id: int) -> bool:
    """Save a checked file's rows, all or none."""
    return services.import_job_apply(job_id=job_id) is not None
